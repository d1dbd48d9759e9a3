// Records the loaded catalog in the database: one `standards` row per edition and file checksum,
// one `requirements` row per requirement and content checksum. Rows are only ever inserted: an
// unchanged catalog inserts nothing, an edited entry adds a row beside the old one, which tests
// planned earlier keep referencing. One transaction.
#ifndef LIMS_STORE_CATALOG_STORE_H_
#define LIMS_STORE_CATALOG_STORE_H_

#include "lims/core/catalog.h"
#include "lims/core/status.h"

namespace sql {
class Connection;
}

namespace lims::store {

struct CatalogRecordReport {
  int standards_added = 0;
  int requirements_added = 0;
};

Result<CatalogRecordReport> RecordCatalog(sql::Connection& connection, const Catalog& catalog);

}  // namespace lims::store

#endif  // LIMS_STORE_CATALOG_STORE_H_
