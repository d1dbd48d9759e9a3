// Reads catalog/*.json (format pramaan-catalog/1, see docs/catalog-format.md) into a Catalog.
//
// Every problem is reported as "FILE: ENTRY: reason" so that the lab's quality manager can fix the
// data without reading code; limsd refuses to start on the first one. Stateless; thread-safe.
#ifndef LIMS_CATALOG_CATALOG_LOADER_H_
#define LIMS_CATALOG_CATALOG_LOADER_H_

#include <string>

#include "lims/core/catalog.h"
#include "lims/core/status.h"

namespace lims::catalog {

Result<Vocabulary> ParseVocabulary(const std::string& file, const std::string& text);
Result<StandardEdition> ParseStandard(const std::string& file, const std::string& text);
// vocabulary.json plus every other *.json in `dir`, in file-name order.
Result<Catalog> LoadCatalog(const std::string& dir);

}  // namespace lims::catalog

#endif  // LIMS_CATALOG_CATALOG_LOADER_H_
