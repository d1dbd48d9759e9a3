#include "lims/store/instrument_import_store.h"

#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <mysql_connection.h>

#include <memory>
#include <sstream>

#include "lims/store/sql_error.h"
#include "lims/store/sql_util.h"

namespace lims::store {
namespace {

constexpr const char* kColumns =
    "SELECT m.id, m.instrument_id, m.sha256, m.file_name, m.format, m.mode, m.source, m.outcome, m.byte_size,"
    " m.accepted, m.rejected, m.report, m.imported_at, m.imported_by, u.username AS imported_by_name"
    " FROM instrument_imports m JOIN labs l ON l.id = m.lab_id JOIN users u ON u.id = m.imported_by"
    " WHERE l.code = ? ";

ImportRecord FromRow(sql::ResultSet& rs) {
  ImportRecord r;
  r.id = rs.getInt64("id");
  r.instrument_id = rs.getInt64("instrument_id");
  r.sha256 = rs.getString("sha256");
  r.file_name = rs.getString("file_name");
  r.format = rs.getString("format");
  r.mode = rs.getString("mode");
  r.source = rs.getString("source");
  r.outcome = rs.getString("outcome");
  r.byte_size = rs.getInt64("byte_size");
  r.accepted = rs.getInt("accepted");
  r.rejected = rs.getInt("rejected");
  r.report = rs.getString("report");
  r.imported_at = FromSqlDatetime(rs.getString("imported_at"));
  r.imported_by = rs.getInt64("imported_by");
  r.imported_by_name = rs.getString("imported_by_name");
  return r;
}

}  // namespace

Result<std::optional<ImportRecord>> InstrumentImportStore::FindFile(int64_t instrument_id, std::string_view sha256) {
  try {
    Statement ps = Prepare(c_, std::string(kColumns) + "AND m.instrument_id = ? AND m.sha256 = ?");
    ps->setString(1, lab_code_);
    ps->setInt64(2, instrument_id);
    ps->setString(3, std::string(sha256));
    Rows rs(ps->executeQuery());
    if (!rs->next()) return std::optional<ImportRecord>();
    return std::optional<ImportRecord>(FromRow(*rs));
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "reading an instrument import");
  }
}

Result<ImportRecord> InstrumentImportStore::Find(int64_t import_id) {
  try {
    Statement ps = Prepare(c_, std::string(kColumns) + "AND m.id = ?");
    ps->setString(1, lab_code_);
    ps->setInt64(2, import_id);
    Rows rs(ps->executeQuery());
    if (!rs->next()) return Status::NotFound("no import " + std::to_string(import_id));
    return FromRow(*rs);
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "reading an instrument import");
  }
}

Result<int64_t> InstrumentImportStore::Record(const ImportRecord& r, std::string_view raw,
                                              const std::vector<ImportedResultLink>& results) {
  try {
    Statement ps = Prepare(c_,
                           "INSERT INTO instrument_imports (lab_id, instrument_id, sha256, file_name, format, mode,"
                           " source, byte_size, raw, outcome, accepted, rejected, report, imported_at, imported_by)"
                           " SELECT id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM labs WHERE code = ?");
    ps->setInt64(1, r.instrument_id);
    ps->setString(2, r.sha256);
    ps->setString(3, r.file_name);
    ps->setString(4, r.format);
    ps->setString(5, r.mode);
    ps->setString(6, r.source);
    ps->setInt64(7, static_cast<int64_t>(raw.size()));
    std::istringstream bytes{std::string(raw)};
    ps->setBlob(8, &bytes);
    ps->setString(9, r.outcome);
    ps->setInt(10, r.accepted);
    ps->setInt(11, r.rejected);
    ps->setString(12, r.report);
    ps->setString(13, ToSqlDatetime(r.imported_at));
    ps->setInt64(14, r.imported_by);
    ps->setString(15, lab_code_);
    if (ps->executeUpdate() != 1) return Status::Internal("lab " + lab_code_ + " is not set up");
    const int64_t id = LastInsertId(c_);
    Statement link = Prepare(c_, "INSERT INTO instrument_import_results (import_id, result_id, line) VALUES (?, ?, ?)");
    for (const ImportedResultLink& l : results) {
      link->setInt64(1, id);
      link->setInt64(2, l.result_id);
      link->setInt(3, l.line);
      link->executeUpdate();
    }
    return id;
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "recording an instrument import");
  }
}

Result<std::vector<ImportRecord>> InstrumentImportStore::List(int64_t instrument_id, int limit) {
  try {
    Statement ps = Prepare(c_, std::string(kColumns) + "AND m.instrument_id = ? ORDER BY m.id DESC LIMIT ?");
    ps->setString(1, lab_code_);
    ps->setInt64(2, instrument_id);
    ps->setInt(3, limit);
    Rows rs(ps->executeQuery());
    std::vector<ImportRecord> out;
    while (rs->next()) out.push_back(FromRow(*rs));
    return out;
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "listing instrument imports");
  }
}

Result<std::string> InstrumentImportStore::Raw(int64_t import_id) {
  try {
    Statement ps = Prepare(c_,
                           "SELECT m.raw FROM instrument_imports m JOIN labs l ON l.id = m.lab_id"
                           " WHERE l.code = ? AND m.id = ?");
    ps->setString(1, lab_code_);
    ps->setInt64(2, import_id);
    Rows rs(ps->executeQuery());
    if (!rs->next()) return Status::NotFound("no import " + std::to_string(import_id));
    std::unique_ptr<std::istream> blob(rs->getBlob(1));
    std::ostringstream out;
    out << blob->rdbuf();
    return out.str();
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "reading an instrument file");
  }
}

}  // namespace lims::store
