#include "lims/store/instrument_store.h"

#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <mysql_connection.h>

#include <charconv>
#include <map>

#include "instruments/calibration_gate.h"
#include "lims/store/sql_error.h"
#include "lims/store/sql_util.h"
#include "lims/store/transaction.h"

namespace lims::store {
namespace {

using instruments::CalibrationResult;
using instruments::MeasuringRange;
using instruments::StatusChange;

constexpr char kInstrumentColumns[] =
    "SELECT i.id, i.name, i.type, i.make, i.model, i.serial, i.location, i.status, i.version, i.created_at,"
    " i.created_by FROM instruments i WHERE i.lab_id = ? ";
constexpr char kById[] = "AND i.id = ?";
constexpr char kBySerial[] = "AND i.serial = ?";
constexpr char kListFilter[] = "AND (? = '' OR i.status = ?) AND (? = '' OR i.type = ?) ORDER BY i.id";
constexpr char kForUpdate[] = " FOR UPDATE";
constexpr char kInShareMode[] = " LOCK IN SHARE MODE";

// The histories: of one instrument (`kOfOne`, with the instrument id bound) or of every instrument
// of a lab (`kOfLab`, with the lab id bound). Each selects the instrument id first.
constexpr char kRanges[] =
    "SELECT r.instrument_id, r.quantity, r.unit, r.min_value, r.max_value, r.resolution FROM instrument_ranges r"
    " JOIN instruments i ON i.id = r.instrument_id ";
constexpr char kRangesOrder[] = " ORDER BY r.instrument_id, r.ordinal";
constexpr char kMethods[] =
    "SELECT m.instrument_id, m.method FROM instrument_methods m JOIN instruments i ON i.id = m.instrument_id ";
constexpr char kMethodsOrder[] = " ORDER BY m.instrument_id, m.ordinal";
constexpr char kCalibrations[] =
    "SELECT c.instrument_id, c.id, c.calibrated_on, c.due_date, c.calibration_lab, c.certificate, c.result,"
    " c.uncertainty, c.note, c.recorded_at, c.recorded_by, u.username FROM instrument_calibrations c"
    " JOIN instruments i ON i.id = c.instrument_id LEFT JOIN users u ON u.id = c.recorded_by ";
constexpr char kCalibrationsOrder[] = " ORDER BY c.instrument_id, c.id";
constexpr char kChecks[] =
    "SELECT k.instrument_id, k.id, k.checked_on, k.result, k.note, k.recorded_at, k.recorded_by, u.username FROM"
    " instrument_checks k JOIN instruments i ON i.id = k.instrument_id LEFT JOIN users u ON u.id = k.recorded_by ";
constexpr char kChecksOrder[] = " ORDER BY k.instrument_id, k.id";
constexpr char kHistory[] =
    "SELECT h.instrument_id, h.status, h.reason, h.at, h.by_user, u.username FROM instrument_status_history h"
    " JOIN instruments i ON i.id = h.instrument_id LEFT JOIN users u ON u.id = h.by_user ";
constexpr char kHistoryOrder[] = " ORDER BY h.instrument_id, h.id";
constexpr char kOfOne[] = "WHERE i.id = ?";
constexpr char kOfLab[] = "WHERE i.lab_id = ?";

std::string Nullable(sql::ResultSet& rs, const char* column) {
  return rs.isNull(column) ? "" : std::string(rs.getString(column));
}

int64_t OptionalInt(sql::ResultSet& rs, const char* column) {
  return rs.isNull(column) ? 0 : rs.getInt64(column);
}

void SetUser(sql::PreparedStatement& ps, int index, int64_t user_id) {
  if (user_id > 0)
    ps.setInt64(index, user_id);
  else
    ps.setNull(index, 0);
}

Decimal DecimalOf(const std::string& text) {
  Result<Decimal> d = Decimal::Parse(text);
  return d.ok() ? *d : Decimal();
}

InstrumentRecord InstrumentFromRow(sql::ResultSet& rs) {
  InstrumentRecord r;
  r.id = rs.getInt64("id");
  r.name = rs.getString("name");
  r.type = rs.getString("type");
  r.make = rs.getString("make");
  r.model = rs.getString("model");
  r.serial = rs.getString("serial");
  r.location = rs.getString("location");
  Result<InstrumentStatus> status = instruments::ParseInstrumentStatus(std::string(rs.getString("status")));
  r.status = status.ok() ? *status : InstrumentStatus::kOutOfService;
  r.version = rs.getInt("version");
  r.created_at = FromSqlDatetime(rs.getString("created_at"));
  r.created_by = OptionalInt(rs, "created_by");
  return r;
}

MeasuringRange RangeFromRow(sql::ResultSet& rs) {
  MeasuringRange m;
  m.quantity = rs.getString("quantity");
  m.unit = rs.getString("unit");
  m.min = DecimalOf(rs.getString("min_value"));
  m.max = DecimalOf(rs.getString("max_value"));
  if (!rs.isNull("resolution")) m.resolution = DecimalOf(rs.getString("resolution"));
  return m;
}

CalibrationRecord CalibrationFromRow(sql::ResultSet& rs) {
  CalibrationRecord c;
  c.id = rs.getInt64("id");
  c.date = rs.getString("calibrated_on");
  c.due_date = rs.getString("due_date");
  c.calibration_lab = rs.getString("calibration_lab");
  c.certificate = rs.getString("certificate");
  Result<CalibrationResult> result = instruments::ParseCalibrationResult(std::string(rs.getString("result")));
  c.result = result.ok() ? *result : CalibrationResult::kFail;
  c.uncertainty = rs.getString("uncertainty");
  c.note = rs.getString("note");
  c.recorded_at = FromSqlDatetime(rs.getString("recorded_at"));
  c.recorded_by = OptionalInt(rs, "recorded_by");
  c.recorded_by_name = Nullable(rs, "username");
  return c;
}

IntermediateCheck CheckFromRow(sql::ResultSet& rs) {
  IntermediateCheck k;
  k.id = rs.getInt64("id");
  k.date = rs.getString("checked_on");
  k.passed = std::string(rs.getString("result")) == "pass";
  k.note = rs.getString("note");
  k.recorded_at = FromSqlDatetime(rs.getString("recorded_at"));
  k.recorded_by = OptionalInt(rs, "recorded_by");
  k.recorded_by_name = Nullable(rs, "username");
  return k;
}

StatusChange StatusChangeFromRow(sql::ResultSet& rs) {
  StatusChange s;
  Result<InstrumentStatus> status = instruments::ParseInstrumentStatus(std::string(rs.getString("status")));
  s.status = status.ok() ? *status : InstrumentStatus::kOutOfService;
  s.reason = rs.getString("reason");
  s.at = FromSqlDatetime(rs.getString("at"));
  s.by = OptionalInt(rs, "by_user");
  s.by_name = Nullable(rs, "username");
  return s;
}

Result<int64_t> LabIdOf(sql::Connection& c, const std::string& code) {
  Statement ps = Prepare(c, "SELECT id FROM labs WHERE code = ?");
  ps->setString(1, code);
  Rows rs(ps->executeQuery());
  if (!rs->next()) return Status::Internal("lab " + code + " is not set up");
  return rs->getInt64(1);
}

// Instruments by id, so that the histories read afterwards can be attached to them.
using ById = std::map<int64_t, InstrumentRecord*>;

// Runs a history query (the instrument id bound to parameter 1) and hands each row to `add`.
template <typename Add>
void ReadHistory(sql::Connection& c, const std::string& text, int64_t key, const ById& by_id, Add add) {
  Statement ps = Prepare(c, text);
  ps->setInt64(1, key);
  Rows rs(ps->executeQuery());
  while (rs->next()) {
    auto it = by_id.find(rs->getInt64("instrument_id"));
    if (it != by_id.end()) add(*it->second, *rs);
  }
}

// Which rows a history query reads: one instrument's (the instrument id bound), locked in share
// mode or not, or every instrument's of a lab (the lab id bound).
enum class Scope { kOne, kOneShared, kLab };

// The statement text of a history query: constants only (tests/store/sql_safety_test.cc).
template <const char* kSelect, const char* kOrder>
std::string HistoryStatement(Scope scope) {
  switch (scope) {
    case Scope::kOneShared:
      return kSelect + std::string(kOfOne) + kOrder + kInShareMode;
    case Scope::kLab:
      return kSelect + std::string(kOfLab) + kOrder;
    case Scope::kOne:
      break;
  }
  return kSelect + std::string(kOfOne) + kOrder;
}

// Fills the ranges, methods and histories of `by_id`; `key` is the instrument's or the lab's id.
void ReadHistories(sql::Connection& c, Scope scope, int64_t key, const ById& by_id) {
  ReadHistory(c, HistoryStatement<kRanges, kRangesOrder>(scope), key, by_id,
              [](InstrumentRecord& r, sql::ResultSet& rs) { r.ranges.push_back(RangeFromRow(rs)); });
  ReadHistory(c, HistoryStatement<kMethods, kMethodsOrder>(scope), key, by_id,
              [](InstrumentRecord& r, sql::ResultSet& rs) { r.methods.emplace_back(rs.getString("method")); });
  ReadHistory(c, HistoryStatement<kCalibrations, kCalibrationsOrder>(scope), key, by_id,
              [](InstrumentRecord& r, sql::ResultSet& rs) { r.calibrations.push_back(CalibrationFromRow(rs)); });
  ReadHistory(c, HistoryStatement<kChecks, kChecksOrder>(scope), key, by_id,
              [](InstrumentRecord& r, sql::ResultSet& rs) { r.checks.push_back(CheckFromRow(rs)); });
  ReadHistory(c, HistoryStatement<kHistory, kHistoryOrder>(scope), key, by_id,
              [](InstrumentRecord& r, sql::ResultSet& rs) { r.status_history.push_back(StatusChangeFromRow(rs)); });
}

// One instrument read by `statement` (lab id at 1, the key at 2) with its histories.
Result<InstrumentRecord> FindOne(sql::Connection& c, const std::string& statement, int64_t lab_id,
                                 const std::string& key, InstrumentLock lock) {
  Statement ps = Prepare(c, statement);
  ps->setInt64(1, lab_id);
  ps->setString(2, key);
  Rows rs(ps->executeQuery());
  if (!rs->next()) return Status::NotFound("no instrument " + key);
  InstrumentRecord r = InstrumentFromRow(*rs);
  const ById by_id{{r.id, &r}};
  ReadHistories(c, lock == InstrumentLock::kNone ? Scope::kOne : Scope::kOneShared, r.id, by_id);
  return r;
}

// The statement text reading one instrument by `kKey`, locked as asked: constants only.
template <const char* kKey>
std::string InstrumentStatement(InstrumentLock lock) {
  switch (lock) {
    case InstrumentLock::kShare:
      return std::string(kInstrumentColumns) + kKey + kInShareMode;
    case InstrumentLock::kExclusive:
      return std::string(kInstrumentColumns) + kKey + kForUpdate;
    case InstrumentLock::kNone:
      break;
  }
  return std::string(kInstrumentColumns) + kKey;
}

void InsertStatusRow(sql::Connection& c, int64_t instrument_id, InstrumentStatus status, const std::string& reason,
                     int64_t by, Timestamp at) {
  Statement ps = Prepare(c,
                         "INSERT INTO instrument_status_history (instrument_id, status, reason, at, by_user)"
                         " VALUES (?,?,?,?,?)");
  ps->setInt64(1, instrument_id);
  ps->setString(2, std::string(instruments::InstrumentStatusName(status)));
  ps->setString(3, reason);
  ps->setString(4, ToSqlDatetime(at));
  SetUser(*ps, 5, by);
  ps->executeUpdate();
}

void InsertRanges(sql::Connection& c, int64_t instrument_id, const std::vector<MeasuringRange>& ranges) {
  for (size_t i = 0; i < ranges.size(); ++i) {
    Statement ps = Prepare(c,
                           "INSERT INTO instrument_ranges (instrument_id, ordinal, quantity, unit, min_value,"
                           " max_value, resolution) VALUES (?,?,?,?,?,?,?)");
    ps->setInt64(1, instrument_id);
    ps->setInt(2, static_cast<int>(i + 1));
    ps->setString(3, ranges[i].quantity);
    ps->setString(4, ranges[i].unit);
    ps->setString(5, ranges[i].min.ToString());
    ps->setString(6, ranges[i].max.ToString());
    if (ranges[i].resolution)
      ps->setString(7, ranges[i].resolution->ToString());
    else
      ps->setNull(7, 0);
    ps->executeUpdate();
  }
}

void InsertMethods(sql::Connection& c, int64_t instrument_id, const std::vector<std::string>& methods) {
  for (size_t i = 0; i < methods.size(); ++i) {
    Statement ps = Prepare(c, "INSERT INTO instrument_methods (instrument_id, ordinal, method) VALUES (?,?,?)");
    ps->setInt64(1, instrument_id);
    ps->setInt(2, static_cast<int>(i + 1));
    ps->setString(3, methods[i]);
    ps->executeUpdate();
  }
}

int64_t InsertInstrument(sql::Connection& c, int64_t lab_id, const InstrumentRecord& r, int64_t by, Timestamp at) {
  Statement ps = Prepare(c,
                         "INSERT INTO instruments (lab_id, name, type, make, model, serial, location, created_at,"
                         " created_by, status, version) VALUES (?,?,?,?,?,?,?,?,?,?,1)");
  ps->setInt64(1, lab_id);
  ps->setString(2, r.name);
  ps->setString(3, r.type);
  ps->setString(4, r.make);
  ps->setString(5, r.model);
  ps->setString(6, r.serial);
  ps->setString(7, r.location);
  ps->setString(8, ToSqlDatetime(at));
  SetUser(*ps, 9, by);
  ps->setString(10, std::string(instruments::InstrumentStatusName(r.status)));
  ps->executeUpdate();
  return LastInsertId(c);
}

}  // namespace

std::optional<int64_t> ParseInstrumentId(std::string_view text) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || id < 1) return std::nullopt;
  if (std::to_string(id) != text) return std::nullopt;  // "07": results record the id as written
  return id;
}

Result<InstrumentRecord> InstrumentStore::Register(const InstrumentRecord& instrument, int64_t by, Timestamp at) {
  try {
    Transaction tx(c_);
    Result<int64_t> lab_id = LabIdOf(c_, lab_code_);
    if (!lab_id.ok()) return lab_id.status();
    Result<InstrumentRecord> twin = FindOne(c_, InstrumentStatement<kBySerial>(InstrumentLock::kNone), *lab_id,
                                            instrument.serial, InstrumentLock::kNone);
    if (twin.ok()) {
      return Status::Conflict("instrument " + std::to_string(twin->id) + " already has serial " + instrument.serial);
    }
    const int64_t id = InsertInstrument(c_, *lab_id, instrument, by, at);
    InsertRanges(c_, id, instrument.ranges);
    InsertMethods(c_, id, instrument.methods);
    InsertStatusRow(c_, id, instrument.status, "registered", by, at);
    Result<InstrumentRecord> stored = FindOne(c_, InstrumentStatement<kById>(InstrumentLock::kNone), *lab_id,
                                              std::to_string(id), InstrumentLock::kNone);
    if (!stored.ok()) return stored.status();
    tx.Commit();
    return stored;
  } catch (const sql::SQLException& e) {
    if (e.getErrorCode() == 1062) {
      return Status::Conflict("an instrument with serial " + instrument.serial + " is already registered");
    }
    return FromSqlException(e, "registering an instrument");
  }
}

Result<InstrumentRecord> InstrumentStore::Find(int64_t id, InstrumentLock lock) {
  try {
    Result<int64_t> lab_id = LabIdOf(c_, lab_code_);
    if (!lab_id.ok()) return lab_id.status();
    return FindOne(c_, InstrumentStatement<kById>(lock), *lab_id, std::to_string(id), lock);
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "reading an instrument");
  }
}

Result<InstrumentRecord> InstrumentStore::FindBySerial(std::string_view serial) {
  try {
    Result<int64_t> lab_id = LabIdOf(c_, lab_code_);
    if (!lab_id.ok()) return lab_id.status();
    return FindOne(c_, InstrumentStatement<kBySerial>(InstrumentLock::kNone), *lab_id, std::string(serial),
                   InstrumentLock::kNone);
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "reading an instrument by its serial");
  }
}

Result<std::vector<InstrumentRecord>> InstrumentStore::List(const InstrumentQuery& q) {
  try {
    Result<int64_t> lab_id = LabIdOf(c_, lab_code_);
    if (!lab_id.ok()) return lab_id.status();
    Statement ps = Prepare(c_, std::string(kInstrumentColumns) + kListFilter);
    const std::string status = q.status ? std::string(instruments::InstrumentStatusName(*q.status)) : "";
    ps->setInt64(1, *lab_id);
    ps->setString(2, status);
    ps->setString(3, status);
    ps->setString(4, q.type);
    ps->setString(5, q.type);
    Rows rs(ps->executeQuery());
    std::vector<InstrumentRecord> all;
    while (rs->next()) all.push_back(InstrumentFromRow(*rs));
    ById by_id;
    for (InstrumentRecord& r : all) by_id[r.id] = &r;
    ReadHistories(c_, Scope::kLab, *lab_id, by_id);
    if (q.method.empty()) return all;
    std::vector<InstrumentRecord> serving;
    for (InstrumentRecord& r : all) {
      if (instruments::ServesMethod(r, q.method)) serving.push_back(std::move(r));
    }
    return serving;
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "listing instruments");
  }
}

Status InstrumentStore::BumpVersion(const InstrumentRecord& current) {
  Statement ps = Prepare(c_, "UPDATE instruments SET version = version + 1 WHERE id = ? AND version = ?");
  ps->setInt64(1, current.id);
  ps->setInt(2, current.version);
  if (ps->executeUpdate() == 1) return Status::Ok();
  return Status::Conflict("instrument " + std::to_string(current.id) + " was changed meanwhile; read it again");
}

Status InstrumentStore::ChangeStatus(const InstrumentRecord& current, InstrumentStatus to, const std::string& reason,
                                     int64_t by, Timestamp at) {
  try {
    Transaction tx(c_);
    Statement ps = Prepare(c_, "UPDATE instruments SET status = ?, version = version + 1 WHERE id = ? AND version = ?");
    ps->setString(1, std::string(instruments::InstrumentStatusName(to)));
    ps->setInt64(2, current.id);
    ps->setInt(3, current.version);
    if (ps->executeUpdate() != 1) {
      return Status::Conflict("instrument " + std::to_string(current.id) + " was changed meanwhile; read it again");
    }
    InsertStatusRow(c_, current.id, to, reason, by, at);
    tx.Commit();
    return Status::Ok();
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "changing an instrument's status");
  }
}

Result<CalibrationRecord> InstrumentStore::AddCalibration(const InstrumentRecord& current, CalibrationRecord c,
                                                          int64_t by, Timestamp at) {
  try {
    Transaction tx(c_);
    LIMS_RETURN_IF_ERROR(BumpVersion(current));
    Statement ps = Prepare(c_,
                           "INSERT INTO instrument_calibrations (instrument_id, calibrated_on, due_date,"
                           " calibration_lab, certificate, result, uncertainty, note, recorded_at, recorded_by)"
                           " VALUES (?,?,?,?,?,?,?,?,?,?)");
    ps->setInt64(1, current.id);
    ps->setString(2, c.date);
    ps->setString(3, c.due_date);
    ps->setString(4, c.calibration_lab);
    ps->setString(5, c.certificate);
    ps->setString(6, std::string(instruments::CalibrationResultName(c.result)));
    ps->setString(7, c.uncertainty);
    ps->setString(8, c.note);
    ps->setString(9, ToSqlDatetime(at));
    SetUser(*ps, 10, by);
    ps->executeUpdate();
    c.id = LastInsertId(c_);
    c.recorded_at = at;
    c.recorded_by = by;
    tx.Commit();
    return c;
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "recording a calibration");
  }
}

Result<IntermediateCheck> InstrumentStore::AddCheck(const InstrumentRecord& current, IntermediateCheck check,
                                                    int64_t by, Timestamp at) {
  try {
    Transaction tx(c_);
    LIMS_RETURN_IF_ERROR(BumpVersion(current));
    Statement ps = Prepare(c_,
                           "INSERT INTO instrument_checks (instrument_id, checked_on, result, note, recorded_at,"
                           " recorded_by) VALUES (?,?,?,?,?,?)");
    ps->setInt64(1, current.id);
    ps->setString(2, check.date);
    ps->setString(3, check.passed ? "pass" : "fail");
    ps->setString(4, check.note);
    ps->setString(5, ToSqlDatetime(at));
    SetUser(*ps, 6, by);
    ps->executeUpdate();
    check.id = LastInsertId(c_);
    check.recorded_at = at;
    check.recorded_by = by;
    tx.Commit();
    return check;
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "recording an intermediate check");
  }
}

Status RegistryInstrumentGate::CheckUsable(const std::string& instrument, const TestRecord& test,
                                           const ResultEntry& entry, Timestamp at) {
  std::optional<InstrumentRecord> found;
  if (std::optional<int64_t> id = ParseInstrumentId(instrument)) {
    InstrumentStore store(c_, lab_code_);
    Result<InstrumentRecord> read = store.Find(*id, InstrumentLock::kShare);
    if (!read.ok() && read.status().code() != Status::Code::kNotFound) return read.status();
    if (read.ok()) found = std::move(read).value();
  }
  return instruments::CheckCalibrationGate(found ? &*found : nullptr, instrument, test, entry, at);
}

}  // namespace lims::store
