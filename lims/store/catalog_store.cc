#include "lims/store/catalog_store.h"

#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <mysql_connection.h>

#include <memory>

#include "lims/store/sql_error.h"
#include "lims/store/transaction.h"

namespace lims::store {
namespace {

using Statement = std::unique_ptr<sql::PreparedStatement>;

int64_t RecordStandard(sql::Connection& c, const StandardEdition& s, CatalogRecordReport* report) {
  Statement insert(c.prepareStatement(
      "INSERT INTO standards (catalog_id, code, title, kind, status, file, file_sha256) VALUES (?,?,?,?,?,?,?)"
      " ON DUPLICATE KEY UPDATE id = id"));
  insert->setString(1, s.id);
  insert->setString(2, s.code);
  insert->setString(3, s.title);
  insert->setString(4, s.kind);
  insert->setString(5, s.status);
  insert->setString(6, s.file);
  insert->setString(7, s.sha256);
  report->standards_added += insert->executeUpdate();
  Statement select(c.prepareStatement("SELECT id FROM standards WHERE catalog_id = ? AND file_sha256 = ?"));
  select->setString(1, s.id);
  select->setString(2, s.sha256);
  std::unique_ptr<sql::ResultSet> rs(select->executeQuery());
  rs->next();
  return rs->getInt64(1);
}

void RecordRequirement(sql::Connection& c, int64_t standard_id, const StandardEdition& s, const CatalogRequirement& r,
                       CatalogRecordReport* report) {
  Statement ps(c.prepareStatement(
      // Not INSERT IGNORE: that would also hide a value too long for its column.
      "INSERT INTO requirements (standard_id, code, standard, clause, property, method, comparator, limit_value,"
      " unit, label, property_key, limit_high, low_inclusive, high_inclusive, combine, specimens, content_sha256)"
      " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON DUPLICATE KEY UPDATE id = id"));
  ps->setInt64(1, standard_id);
  ps->setString(2, r.id);
  ps->setString(3, s.code);
  ps->setString(4, r.clause);
  ps->setString(5, r.property);
  ps->setString(6, r.method);
  ps->setString(7, std::string(ComparatorToken(r.limit.comparator)));
  // A size-dependent limit has no single value; each test keeps the one for its size.
  ps->setString(8, r.limits_by_size.empty() ? r.limit.value.ToString() : "");
  ps->setString(9, r.limit.unit);
  ps->setString(10, r.label);
  ps->setString(11, r.property_key);
  if (r.limit.comparator == Comparator::kRange) {
    ps->setString(12, r.limit.high.ToString());
  } else {
    ps->setNull(12, 0);
  }
  ps->setBoolean(13, r.limit.low_inclusive);
  ps->setBoolean(14, r.limit.high_inclusive);
  ps->setString(15, std::string(CombineName(r.combine)));
  ps->setInt(16, r.specimens);
  ps->setString(17, r.content_sha256);
  report->requirements_added += ps->executeUpdate();
}

}  // namespace

Result<CatalogRecordReport> RecordCatalog(sql::Connection& c, const Catalog& catalog) {
  CatalogRecordReport report;
  try {
    Transaction tx(c);
    for (const StandardEdition& s : catalog.standards()) {
      const int64_t id = RecordStandard(c, s, &report);
      for (const CatalogRequirement& r : s.requirements) RecordRequirement(c, id, s, r, &report);
    }
    tx.Commit();
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "recording the catalog");
  }
  return report;
}

}  // namespace lims::store
