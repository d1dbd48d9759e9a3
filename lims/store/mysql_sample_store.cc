#include "lims/store/mysql_sample_store.h"

#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <mysql_connection.h>

#include <cstdio>
#include <map>
#include <memory>

#include "lims/store/sql_error.h"
#include "lims/store/sql_util.h"
#include "lims/store/transaction.h"

namespace lims::store {
namespace {






std::string JoinSizes(const std::vector<std::string>& sizes) {
  std::string out;
  for (const std::string& s : sizes) out += (out.empty() ? "" : ",") + s;
  return out;
}

std::vector<std::string> SplitSizes(const std::string& joined) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < joined.size()) {
    const size_t comma = joined.find(',', start);
    out.push_back(joined.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

Decimal DecimalOrZero(const std::string& text) {
  Result<Decimal> d = Decimal::Parse(text);
  return d.ok() ? *d : Decimal();
}

Limit LimitFromRow(sql::ResultSet& rs) {
  Limit limit;
  Result<Comparator> cmp = ParseComparator(std::string(rs.getString("comparator")));
  limit.comparator = cmp.ok() ? *cmp : Comparator::kLessOrEqual;
  limit.value = DecimalOrZero(rs.getString("limit_value"));
  if (!rs.isNull("limit_high")) limit.high = DecimalOrZero(rs.getString("limit_high"));
  limit.low_inclusive = rs.getBoolean("low_inclusive");
  limit.high_inclusive = rs.getBoolean("high_inclusive");
  limit.unit = rs.getString("unit");
  return limit;
}

std::vector<std::string> SplitLines(const std::string& joined) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < joined.size()) {
    const size_t nl = joined.find('\n', start);
    out.push_back(joined.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out;
}

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += (out.empty() ? "" : "\n") + l;
  return out;
}

DecisionRule RuleOrSimple(const std::string& token) {
  Result<DecisionRule> rule = ParseDecisionRule(token);
  return rule.ok() ? *rule : DecisionRule();
}

template <typename E>
E EnumOr(Result<E> parsed, E fallback) {
  return parsed.ok() ? *parsed : fallback;
}

SampleRecord SampleFromRow(sql::ResultSet& rs) {
  SampleRecord s;
  s.id = rs.getInt64("id");
  s.number = rs.getString("number");
  s.exporter_id = rs.getInt64("exporter_id");
  s.exporter_name = rs.getString("exporter_name");
  s.product = rs.getString("product");
  s.article = rs.getString("article");
  s.sizes = SplitSizes(rs.getString("sizes"));
  s.lot = rs.getString("lot");
  s.quantity = rs.getInt64("quantity");
  s.quantity_unit = rs.getString("quantity_unit");
  s.destination = rs.getString("destination");
  s.decision_rule = RuleOrSimple(rs.getString("decision_rule"));
  s.condition =
      EnumOr(ParseReceiptCondition(std::string(rs.getString("receipt_condition"))), ReceiptCondition::kIntact);
  s.condition_note = rs.getString("condition_note");
  s.storage_location = rs.getString("storage_location");
  s.status = EnumOr(ParseSampleStatus(std::string(rs.getString("status"))), SampleStatus::kReceived);
  s.received_at = FromSqlDatetime(rs.getString("received_at"));
  return s;
}

TestRecord TestFromRow(sql::ResultSet& rs) {
  TestRecord t;
  t.id = rs.getInt64("id");
  t.sample_number = rs.getString("number");
  t.requirement = rs.getString("requirement_code");
  t.standard = rs.getString("standard");
  t.clause = rs.getString("clause");
  t.property = rs.getString("property");
  t.method = rs.getString("method");
  t.label = rs.getString("label");
  t.part = rs.getString("part");
  t.material = rs.getString("material");
  t.limit = LimitFromRow(rs);
  t.combine = EnumOr(ParseCombine(std::string(rs.getString("combine"))), Combine::kEach);
  t.specimens = rs.getInt("specimens");
  t.sources = SplitLines(rs.getString("sources"));
  if (t.sources.empty()) t.sources = {t.standard + " " + t.clause};  // tests planned before migration 003
  t.decision_rule = RuleOrSimple(rs.getString("sample_rule"));
  t.status = EnumOr(ParseTestStatus(std::string(rs.getString("status"))), TestStatus::kPending);
  return t;
}

ResultRecord ResultFromRow(sql::ResultSet& rs) {
  ResultRecord r;
  r.id = rs.getInt64("id");
  r.test_id = rs.getInt64("test_id");
  r.unit = rs.getString("unit");
  if (!rs.isNull("uncertainty")) r.uncertainty = DecimalOrZero(rs.getString("uncertainty"));
  r.remarks = rs.getString("remarks");
  r.verdict = EnumOr(ParseVerdict(std::string(rs.getString("verdict"))), Verdict::kFail);
  r.explanation = rs.getString("explanation");
  r.entered_at = FromSqlDatetime(rs.getString("entered_at"));
  return r;
}

constexpr const char* kSampleColumns =
    "SELECT s.*, o.name AS exporter_name FROM samples s JOIN organizations o ON o.id = s.exporter_id ";
constexpr const char* kTestColumns =
    "SELECT t.*, s.number, s.decision_rule AS sample_rule, r.code AS requirement_code FROM tests t JOIN samples s ON "
    "s.id = t.sample_id "
    "JOIN requirements r ON r.id = t.requirement_id ";

// A test to insert: its plan and the requirement row it was planned from.
struct TestRow {
  int64_t requirement_id = 0;
  PlannedTest plan;
};

// Requirements seeded by migrations and not in the catalog: the newest row of the id is the plan.
Result<std::vector<TestRow>> ResolveLegacy(sql::Connection& c, const std::vector<std::string>& codes) {
  Statement ps = Prepare(c, "SELECT * FROM requirements WHERE code = ? ORDER BY id DESC LIMIT 1");
  std::vector<TestRow> rows;
  std::vector<FieldError> unknown;
  for (size_t i = 0; i < codes.size(); ++i) {
    ps->setString(1, codes[i]);
    Rows rs(ps->executeQuery());
    if (!rs->next()) {
      unknown.push_back({"requirements[" + std::to_string(i) + "]", "unknown requirement \"" + codes[i] + "\""});
      continue;
    }
    TestRow row;
    row.requirement_id = rs->getInt64("id");
    PlannedTest& t = row.plan;
    t.requirement = codes[i];
    t.standard = rs->getString("standard");
    t.clause = rs->getString("clause");
    t.property = rs->getString("property");
    t.label = rs->getString("label");
    t.method = rs->getString("method");
    t.limit = LimitFromRow(*rs);
    t.combine = EnumOr(ParseCombine(std::string(rs->getString("combine"))), Combine::kEach);
    t.specimens = rs->getInt("specimens");
    t.sources = {t.standard + " " + t.clause};
    rows.push_back(std::move(row));
  }
  if (!unknown.empty()) return Status::Unprocessable("the sample names unknown requirements", std::move(unknown));
  return rows;
}

// Planned tests point at the catalog version they were planned from, recorded at start-up.
Result<std::vector<TestRow>> ResolvePlanned(sql::Connection& c, const std::vector<PlannedTest>& planned) {
  Statement ps = Prepare(c, "SELECT id FROM requirements WHERE code = ? AND content_sha256 = ?");
  std::vector<TestRow> rows;
  for (const PlannedTest& t : planned) {
    ps->setString(1, t.requirement);
    ps->setString(2, t.requirement_sha256);
    Rows rs(ps->executeQuery());
    if (!rs->next()) return Status::Internal("requirement " + t.requirement + " of the catalog is not recorded");
    rows.push_back({rs->getInt64(1), t});
  }
  return rows;
}

Result<std::vector<TestRow>> ResolveTests(sql::Connection& c, const NewSample& sample) {
  Result<std::vector<TestRow>> planned = ResolvePlanned(c, sample.planned_tests);
  if (!planned.ok()) return planned.status();
  Result<std::vector<TestRow>> legacy = ResolveLegacy(c, sample.requirements);
  if (!legacy.ok()) return legacy.status();
  std::vector<TestRow> all = std::move(planned).value();
  for (TestRow& r : *legacy) all.push_back(std::move(r));
  return all;
}

Result<int64_t> LabId(sql::Connection& c, std::string_view code) {
  Statement ps = Prepare(c, "SELECT id FROM labs WHERE code = ?");
  ps->setString(1, std::string(code));
  Rows rs(ps->executeQuery());
  if (!rs->next()) return Status::Internal("lab " + std::string(code) + " is not set up");
  return rs->getInt64(1);
}

Status CheckExporter(sql::Connection& c, int64_t exporter_id) {
  Statement ps = Prepare(c, "SELECT 1 FROM organizations WHERE id = ?");
  ps->setInt64(1, exporter_id);
  Rows rs(ps->executeQuery());
  if (rs->next()) return Status::Ok();
  return Status::Unprocessable("unknown exporter", {{"exporter", "no such organization"}});
}

// Takes the next number of (lab, year). The counter row stays locked until the transaction ends.
int64_t NextSequence(sql::Connection& c, int64_t lab_id, int year) {
  Statement ps = Prepare(c,
                         "INSERT INTO sample_counters (lab_id, year, last_sequence) VALUES (?, ?, LAST_INSERT_ID(1)) "
                         "ON DUPLICATE KEY UPDATE last_sequence = LAST_INSERT_ID(last_sequence + 1)");
  ps->setInt64(1, lab_id);
  ps->setInt(2, year);
  ps->executeUpdate();
  return LastInsertId(c);
}

int64_t InsertSample(sql::Connection& c, int64_t lab_id, const std::string& number, int year, int64_t seq,
                     const NewSample& s, Timestamp received_at) {
  Statement ps =
      Prepare(c,
              "INSERT INTO samples (lab_id, number, year, sequence, exporter_id, product, article, sizes, lot,"
              " quantity, quantity_unit, destination, decision_rule, receipt_condition, condition_note,"
              " storage_location, status, received_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  ps->setInt64(1, lab_id);
  ps->setString(2, number);
  ps->setInt(3, year);
  ps->setInt64(4, seq);
  ps->setInt64(5, s.exporter_id);
  ps->setString(6, s.product);
  ps->setString(7, s.article);
  ps->setString(8, JoinSizes(s.sizes));
  ps->setString(9, s.lot);
  ps->setInt64(10, s.quantity);
  ps->setString(11, s.quantity_unit);
  ps->setString(12, s.destination);
  ps->setString(13, s.decision_rule.Token());
  ps->setString(14, std::string(ReceiptConditionName(s.condition)));
  ps->setString(15, s.condition_note);
  ps->setString(16, s.storage_location);
  ps->setString(17, std::string(SampleStatusName(SampleStatus::kReceived)));
  ps->setString(18, ToSqlDatetime(received_at));
  ps->executeUpdate();
  return LastInsertId(c);
}

void InsertTests(sql::Connection& c, int64_t sample_id, const std::vector<TestRow>& tests) {
  Statement ps =
      Prepare(c,
              "INSERT INTO tests (sample_id, requirement_id, standard, clause, property, label, method, "
              "comparator, limit_value, unit, status, part, material, limit_high, low_inclusive, "
              "high_inclusive, combine, specimens, sources) VALUES (?,?,?,?,?,?,?,?,?,?,'pending',?,?,?,?,?,?,?,?)");
  for (const TestRow& row : tests) {
    const PlannedTest& t = row.plan;
    ps->setInt64(1, sample_id);
    ps->setInt64(2, row.requirement_id);
    ps->setString(3, t.standard);
    ps->setString(4, t.clause);
    ps->setString(5, t.property);
    ps->setString(6, t.label);
    ps->setString(7, t.method);
    ps->setString(8, std::string(ComparatorToken(t.limit.comparator)));
    ps->setString(9, t.limit.value.ToString());
    ps->setString(10, t.limit.unit);
    ps->setString(11, t.part);
    ps->setString(12, t.material);
    if (t.limit.comparator == Comparator::kRange) {
      ps->setString(13, t.limit.high.ToString());
    } else {
      ps->setNull(13, 0);
    }
    ps->setBoolean(14, t.limit.low_inclusive);
    ps->setBoolean(15, t.limit.high_inclusive);
    ps->setString(16, std::string(CombineName(t.combine)));
    ps->setInt(17, t.specimens);
    ps->setString(18, JoinLines(t.sources));
    ps->executeUpdate();
  }
}

void InsertCustody(sql::Connection& c, int64_t sample_id, const CustodyEvent& e) {
  Statement ps = Prepare(c, "INSERT INTO custody_events (sample_id, event, location, note, at) VALUES (?,?,?,?,?)");
  ps->setInt64(1, sample_id);
  ps->setString(2, e.event);
  ps->setString(3, e.location);
  ps->setString(4, e.note);
  ps->setString(5, ToSqlDatetime(e.at));
  ps->executeUpdate();
}

std::vector<TestRecord> LoadTests(sql::Connection& c, int64_t sample_id) {
  std::string q = std::string(kTestColumns) + "WHERE t.sample_id = ? ORDER BY t.id";
  Statement ps = Prepare(c, q.c_str());
  ps->setInt64(1, sample_id);
  Rows rs(ps->executeQuery());
  std::vector<TestRecord> tests;
  while (rs->next()) tests.push_back(TestFromRow(*rs));
  return tests;
}

std::map<int64_t, std::vector<std::string>> LoadValues(sql::Connection& c, int64_t sample_id) {
  Statement ps = Prepare(c,
                         "SELECT v.result_id, v.value FROM result_values v JOIN results r ON r.id = v.result_id "
                         "JOIN tests t ON t.id = r.test_id WHERE t.sample_id = ? ORDER BY v.result_id, v.replicate");
  ps->setInt64(1, sample_id);
  Rows rs(ps->executeQuery());
  std::map<int64_t, std::vector<std::string>> values;
  while (rs->next()) values[rs->getInt64(1)].push_back(rs->getString(2));
  return values;
}

// Attaches each test's latest result (results are append-only; the newest is current).
void AttachResults(sql::Connection& c, int64_t sample_id, std::vector<TestRecord>* tests) {
  std::map<int64_t, std::vector<std::string>> values = LoadValues(c, sample_id);
  Statement ps = Prepare(c,
                         "SELECT r.* FROM results r JOIN tests t ON t.id = r.test_id WHERE t.sample_id = ? "
                         "ORDER BY r.id");
  ps->setInt64(1, sample_id);
  Rows rs(ps->executeQuery());
  while (rs->next()) {
    ResultRecord r = ResultFromRow(*rs);
    r.values = values[r.id];
    for (TestRecord& t : *tests) {
      if (t.id == r.test_id) t.result = r;
    }
  }
}

std::vector<CustodyEvent> LoadCustody(sql::Connection& c, int64_t sample_id) {
  Statement ps = Prepare(c, "SELECT event, location, note, at FROM custody_events WHERE sample_id = ? ORDER BY id");
  ps->setInt64(1, sample_id);
  Rows rs(ps->executeQuery());
  std::vector<CustodyEvent> events;
  while (rs->next()) {
    events.push_back({rs->getString("event"), rs->getString("location"), rs->getString("note"),
                      FromSqlDatetime(rs->getString("at"))});
  }
  return events;
}

int64_t InsertResult(sql::Connection& c, const ResultRecord& r) {
  Statement ps = Prepare(c,
                         "INSERT INTO results (test_id, unit, uncertainty, remarks, verdict, explanation, entered_at)"
                         " VALUES (?,?,?,?,?,?,?)");
  ps->setInt64(1, r.test_id);
  ps->setString(2, r.unit);
  if (r.uncertainty) {
    ps->setString(3, r.uncertainty->ToString());
  } else {
    ps->setNull(3, 0);
  }
  ps->setString(4, r.remarks);
  ps->setString(5, std::string(VerdictName(r.verdict)));
  ps->setString(6, r.explanation);
  ps->setString(7, ToSqlDatetime(r.entered_at));
  ps->executeUpdate();
  const int64_t id = LastInsertId(c);
  Statement pv = Prepare(c, "INSERT INTO result_values (result_id, replicate, value) VALUES (?,?,?)");
  for (size_t i = 0; i < r.values.size(); ++i) {
    pv->setInt64(1, id);
    pv->setInt(2, static_cast<int>(i + 1));
    pv->setString(3, r.values[i]);
    pv->executeUpdate();
  }
  return id;
}

}  // namespace

Result<SampleRecord> MysqlSampleStore::CreateSample(std::string_view lab_code, const NewSample& sample,
                                                    Timestamp received_at) {
  std::string number;
  try {
    Transaction tx(c_);
    Result<int64_t> lab_id = LabId(c_, lab_code);
    if (!lab_id.ok()) return lab_id.status();
    LIMS_RETURN_IF_ERROR(CheckExporter(c_, sample.exporter_id));
    Result<std::vector<TestRow>> tests = ResolveTests(c_, sample);
    if (!tests.ok()) return tests.status();
    const int year = YearOf(received_at);
    const int64_t seq = NextSequence(c_, *lab_id, year);
    number = FormatSampleNumber(lab_code, year, seq);
    const int64_t id = InsertSample(c_, *lab_id, number, year, seq, sample, received_at);
    InsertTests(c_, id, *tests);
    InsertCustody(c_, id, {"received", sample.storage_location, sample.condition_note, received_at});
    tx.Commit();
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "registering a sample");
  }
  return FindSample(number);
}

Result<SampleRecord> MysqlSampleStore::FindSample(std::string_view number) {
  try {
    std::string q = std::string(kSampleColumns) + "WHERE s.number = ?";
    Statement ps = Prepare(c_, q.c_str());
    ps->setString(1, std::string(number));
    Rows rs(ps->executeQuery());
    if (!rs->next()) return Status::NotFound("no sample " + std::string(number));
    SampleRecord s = SampleFromRow(*rs);
    s.tests = LoadTests(c_, s.id);
    AttachResults(c_, s.id, &s.tests);
    s.custody = LoadCustody(c_, s.id);
    return s;
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "reading a sample");
  }
}

Result<std::vector<SampleRecord>> MysqlSampleStore::ListSamples(const SampleQuery& query) {
  try {
    // Optional filters are bound as NULL-or-value pairs: one fixed, prepared statement.
    std::string q = std::string(kSampleColumns) +
                    "WHERE (? IS NULL OR s.status = ?) AND (? IS NULL OR s.exporter_id = ?) AND s.number > ? "
                    "ORDER BY s.number LIMIT ?";
    Statement ps = Prepare(c_, q.c_str());
    const std::string status = query.status ? std::string(SampleStatusName(*query.status)) : "";
    if (query.status) {
      ps->setString(1, status);
      ps->setString(2, status);
    } else {
      ps->setNull(1, 0);
      ps->setNull(2, 0);
    }
    if (query.exporter_id) {
      ps->setInt64(3, *query.exporter_id);
      ps->setInt64(4, *query.exporter_id);
    } else {
      ps->setNull(3, 0);
      ps->setNull(4, 0);
    }
    ps->setString(5, query.after);
    ps->setInt(6, query.limit);
    Rows rs(ps->executeQuery());
    std::vector<SampleRecord> samples;
    while (rs->next()) samples.push_back(SampleFromRow(*rs));
    return samples;
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "listing samples");
  }
}

Result<TestRecord> MysqlSampleStore::FindTest(int64_t test_id) {
  try {
    std::string q = std::string(kTestColumns) + "WHERE t.id = ?";
    Statement ps = Prepare(c_, q.c_str());
    ps->setInt64(1, test_id);
    Rows rs(ps->executeQuery());
    if (!rs->next()) return Status::NotFound("no test " + std::to_string(test_id));
    return TestFromRow(*rs);
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "reading a test");
  }
}

Result<ResultRecord> MysqlSampleStore::AddResult(const TestRecord& test, const ResultRecord& result) {
  ResultRecord stored = result;
  try {
    Transaction tx(c_);
    Statement claim = Prepare(c_, "UPDATE tests SET status = 'entered' WHERE id = ? AND status = 'pending'");
    claim->setInt64(1, test.id);
    if (claim->executeUpdate() != 1) {
      return Status::Conflict("test " + std::to_string(test.id) + " is no longer pending");
    }
    stored.id = InsertResult(c_, result);
    Statement sample = Prepare(c_,
                               "UPDATE samples SET status = 'in_testing' WHERE status = 'received' AND id ="
                               " (SELECT sample_id FROM tests WHERE id = ?)");
    sample->setInt64(1, test.id);
    sample->executeUpdate();
    tx.Commit();
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "recording a result");
  }
  return stored;
}

Result<std::vector<Organization>> MysqlSampleStore::ListOrganizations() {
  try {
    Statement ps = Prepare(c_, "SELECT * FROM organizations ORDER BY name, id");
    Rows rs(ps->executeQuery());
    std::vector<Organization> orgs;
    while (rs->next()) {
      orgs.push_back({rs->getInt64("id"), rs->getString("name"), rs->getString("iec"),
                      rs->isNull("gstin") ? "" : std::string(rs->getString("gstin")), rs->getString("address"),
                      rs->getString("district"), rs->getString("odop_product")});
    }
    return orgs;
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "listing organizations");
  }
}

Status MysqlSampleStore::EnsureLab(const Lab& lab) {
  try {
    Statement ps = Prepare(c_,
                           "INSERT INTO labs (code, name, address, accreditation) VALUES (?,?,?,?) "
                           "ON DUPLICATE KEY UPDATE name = VALUES(name), address = VALUES(address),"
                           " accreditation = VALUES(accreditation)");
    ps->setString(1, lab.code);
    ps->setString(2, lab.name);
    ps->setString(3, lab.address);
    ps->setString(4, lab.accreditation);
    ps->executeUpdate();
    return Status::Ok();
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "setting up the lab");
  }
}

Result<Lab> MysqlSampleStore::FindLab(std::string_view code) {
  try {
    Statement ps = Prepare(c_, "SELECT code, name, address, accreditation FROM labs WHERE code = ?");
    ps->setString(1, std::string(code));
    Rows rs(ps->executeQuery());
    if (!rs->next()) return Status::NotFound("no lab " + std::string(code));
    return Lab{rs->getString(1), rs->getString(2), rs->getString(3), rs->getString(4)};
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "reading the lab");
  }
}

Result<int64_t> MysqlSampleStore::EnsureOrganization(const Organization& org) {
  try {
    Statement ps = Prepare(c_,
                           "INSERT INTO organizations (name, iec, gstin, address, district, odop_product)"
                           " VALUES (?,?,?,?,?,?) ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)");
    ps->setString(1, org.name);
    ps->setString(2, org.iec);
    ps->setString(3, org.gstin);
    ps->setString(4, org.address);
    ps->setString(5, org.district);
    ps->setString(6, org.odop_product);
    ps->executeUpdate();
    return LastInsertId(c_);
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "adding an organization");
  }
}

}  // namespace lims::store
