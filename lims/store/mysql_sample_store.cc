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

// Thrown inside a store transaction when a conditional UPDATE finds the record changed since the
// caller read it; caught at the method's boundary and turned into kConflict.
class StaleRecord {
 public:
  explicit StaleRecord(std::string what) : what_(std::move(what)) {}
  Status status() const {
    return Status::Conflict(what_ + " changed meanwhile (another user acted on it first); reload and try again");
  }

 private:
  std::string what_;
};

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
  s.version = rs.getInt("version");
  s.product_family = rs.getString("product_family");
  s.markings = rs.getString("markings");
  s.due_date = rs.isNull("due_date") ? "" : std::string(rs.getString("due_date"));
  s.exporter_short_name = rs.getString("exporter_short_name");
  s.issued_at = OptionalDatetime(rs, "issued_at");
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
  t.property_key = rs.getString("property_key");
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
  t.version = rs.getInt("version");
  if (!rs.isNull("assignee_id")) t.assignee_id = rs.getInt64("assignee_id");
  t.assignee = rs.isNull("assignee_name") ? "" : std::string(rs.getString("assignee_name"));
  t.attempt = rs.getInt("attempt");
  if (!rs.isNull("replaces_test_id")) t.replaces_test_id = rs.getInt64("replaces_test_id");
  if (!rs.isNull("replaced_by")) t.replaced_by_test_id = rs.getInt64("replaced_by");
  t.invalidation_reason = rs.isNull("invalidation_reason") ? "" : std::string(rs.getString("invalidation_reason"));
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
  if (!rs.isNull("entered_by")) r.entered_by = rs.getInt64("entered_by");
  r.entered_by_name = rs.isNull("entered_by_name") ? "" : std::string(rs.getString("entered_by_name"));
  r.instrument = rs.getString("instrument");
  if (!rs.isNull("temperature_c")) r.temperature_c = rs.getString("temperature_c");
  if (!rs.isNull("humidity_pct")) r.humidity_pct = rs.getString("humidity_pct");
  return r;
}

constexpr const char* kSampleColumns =
    "SELECT s.*, o.name AS exporter_name, o.short_name AS exporter_short_name FROM samples s"
    " JOIN organizations o ON o.id = s.exporter_id ";
constexpr const char* kTestColumns =
    "SELECT t.*, s.number, s.decision_rule AS sample_rule, s.due_date AS sample_due, s.received_at AS"
    " sample_received_at, o.name AS exporter_name, r.code AS requirement_code, r.property_key, a.username AS assignee_name,"
    " i.new_test_id AS replaced_by, i.reason AS invalidation_reason"
    " FROM tests t JOIN samples s ON s.id = t.sample_id JOIN organizations o ON o.id = s.exporter_id"
    " JOIN requirements r ON r.id = t.requirement_id LEFT JOIN users a ON a.id = t.assignee_id"
    " LEFT JOIN invalidations i ON i.test_id = t.id ";
// A test on its own, as the write path reads it before changing it: only the joins it needs (the
// names and the retest link are for display, which reads whole samples).
constexpr const char* kTestForWrite =
    "SELECT t.*, s.number, s.decision_rule AS sample_rule, r.code AS requirement_code, r.property_key,"
    " NULL AS assignee_name,"
    " NULL AS replaced_by, NULL AS invalidation_reason FROM tests t JOIN samples s ON s.id = t.sample_id"
    " JOIN requirements r ON r.id = t.requirement_id ";
constexpr const char* kResultColumns =
    "SELECT r.*, u.username AS entered_by_name FROM results r JOIN tests t ON t.id = r.test_id"
    " LEFT JOIN users u ON u.id = r.entered_by ";

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
              " storage_location, status, received_at, product_family, due_date, received_by, markings)"
              " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
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
  ps->setString(19, s.product_family);
  if (s.due_date.empty())
    ps->setNull(20, 0);
  else
    ps->setString(20, s.due_date);
  if (s.received_by > 0)
    ps->setInt64(21, s.received_by);
  else
    ps->setNull(21, 0);
  ps->setString(22, s.markings);
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

void SetOptionalId(sql::PreparedStatement& ps, int index, std::optional<int64_t> id) {
  if (id && *id > 0)
    ps.setInt64(index, *id);
  else
    ps.setNull(index, 0);
}

void InsertCustody(sql::Connection& c, int64_t sample_id, const CustodyEvent& e, std::optional<int64_t> portion_id) {
  Statement ps = Prepare(c,
                         "INSERT INTO custody_events (sample_id, event, location, note, at, actor_id, portion_id,"
                         " test_id, retain_until) VALUES (?,?,?,?,?,?,?,?,?)");
  ps->setInt64(1, sample_id);
  ps->setString(2, e.event);
  ps->setString(3, e.location);
  ps->setString(4, e.note);
  ps->setString(5, ToSqlDatetime(e.at));
  SetOptionalId(*ps, 6, e.actor_id);
  SetOptionalId(*ps, 7, portion_id);
  SetOptionalId(*ps, 8, e.test_id);
  if (e.retain_until.empty())
    ps->setNull(9, 0);
  else
    ps->setString(9, e.retain_until);
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

TestRecord* TestById(std::vector<TestRecord>* tests, int64_t id) {
  for (TestRecord& t : *tests) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

// Attaches each test's latest result (results are append-only; the newest is current, earlier
// ones, rejected in review, stay as history) and its reviews.
void AttachResults(sql::Connection& c, int64_t sample_id, std::vector<TestRecord>* tests) {
  std::map<int64_t, std::vector<std::string>> values = LoadValues(c, sample_id);
  Statement ps = Prepare(c, std::string(kResultColumns) + "WHERE t.sample_id = ? ORDER BY r.id");
  ps->setInt64(1, sample_id);
  Rows rs(ps->executeQuery());
  while (rs->next()) {
    ResultRecord r = ResultFromRow(*rs);
    r.values = values[r.id];
    if (TestRecord* t = TestById(tests, r.test_id)) {
      if (t->result) t->earlier_results.push_back(std::move(*t->result));
      t->result = std::move(r);
    }
  }
  Statement pr = Prepare(c,
                         "SELECT v.*, u.username FROM reviews v JOIN tests t ON t.id = v.test_id JOIN users u ON"
                         " u.id = v.reviewer_id WHERE t.sample_id = ? ORDER BY v.id");
  pr->setInt64(1, sample_id);
  Rows rv(pr->executeQuery());
  while (rv->next()) {
    ReviewRecord review{rv->getInt64("id"),        rv->getInt64("test_id"),
                        rv->getInt64("result_id"), rv->getInt64("reviewer_id"),
                        rv->getString("username"), rv->getString("decision"),
                        rv->getString("comment"),  FromSqlDatetime(rv->getString("at"))};
    if (TestRecord* t = TestById(tests, review.test_id)) t->reviews.push_back(std::move(review));
  }
}

// The results of one test (current and earlier), with their values: what review and retest need.
void AttachTestResults(sql::Connection& c, TestRecord* test) {
  Statement pv = Prepare(c,
                         "SELECT v.result_id, v.value FROM result_values v JOIN results r ON r.id = v.result_id"
                         " WHERE r.test_id = ? ORDER BY v.result_id, v.replicate");
  pv->setInt64(1, test->id);
  Rows vs(pv->executeQuery());
  std::map<int64_t, std::vector<std::string>> values;
  while (vs->next()) values[vs->getInt64(1)].push_back(vs->getString(2));
  Statement ps = Prepare(c, std::string(kResultColumns) + "WHERE r.test_id = ? ORDER BY r.id");
  ps->setInt64(1, test->id);
  Rows rs(ps->executeQuery());
  while (rs->next()) {
    ResultRecord r = ResultFromRow(*rs);
    r.values = values[r.id];
    if (test->result) test->earlier_results.push_back(std::move(*test->result));
    test->result = std::move(r);
  }
}

std::vector<PortionRecord> LoadPortions(sql::Connection& c, int64_t sample_id) {
  Statement ps = Prepare(c, "SELECT * FROM portions WHERE sample_id = ? ORDER BY ordinal");
  ps->setInt64(1, sample_id);
  Rows rs(ps->executeQuery());
  std::vector<PortionRecord> out;
  while (rs->next()) {
    out.push_back({rs->getInt64("id"), rs->getString("code"), rs->getInt("ordinal"), rs->getString("description"),
                   FromSqlDatetime(rs->getString("created_at"))});
  }
  return out;
}

std::vector<CustodyEvent> LoadCustody(sql::Connection& c, int64_t sample_id) {
  Statement ps = Prepare(c,
                         "SELECT e.*, u.username, p.code AS portion_code FROM custody_events e LEFT JOIN users u"
                         " ON u.id = e.actor_id LEFT JOIN portions p ON p.id = e.portion_id"
                         " WHERE e.sample_id = ? ORDER BY e.id");
  ps->setInt64(1, sample_id);
  Rows rs(ps->executeQuery());
  std::vector<CustodyEvent> events;
  while (rs->next()) {
    CustodyEvent e;
    e.event = rs->getString("event");
    e.location = rs->getString("location");
    e.note = rs->getString("note");
    e.at = FromSqlDatetime(rs->getString("at"));
    if (!rs->isNull("actor_id")) e.actor_id = rs->getInt64("actor_id");
    e.actor = rs->isNull("username") ? "" : std::string(rs->getString("username"));
    e.portion = rs->isNull("portion_code") ? "" : std::string(rs->getString("portion_code"));
    if (!rs->isNull("test_id")) e.test_id = rs->getInt64("test_id");
    e.retain_until = rs->isNull("retain_until") ? "" : std::string(rs->getString("retain_until"));
    events.push_back(std::move(e));
  }
  return events;
}

int64_t InsertResult(sql::Connection& c, const ResultRecord& r) {
  Statement ps = Prepare(c,
                         "INSERT INTO results (test_id, unit, uncertainty, remarks, verdict, explanation, entered_at,"
                         " entered_by, instrument, temperature_c, humidity_pct) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
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
  SetOptionalId(*ps, 8, r.entered_by);
  ps->setString(9, r.instrument);
  for (int i : {10, 11}) {
    const std::optional<std::string>& v = i == 10 ? r.temperature_c : r.humidity_pct;
    if (v)
      ps->setString(i, *v);
    else
      ps->setNull(i, 0);
  }
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
    CustodyEvent received;
    received.event = "received";
    received.location = sample.storage_location;
    received.note = sample.condition_note;
    received.at = received_at;
    received.actor_id = sample.received_by;
    InsertCustody(c_, id, received, std::nullopt);
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
    s.portions = LoadPortions(c_, s.id);
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
                    "AND (? IS NULL OR s.received_at >= ?) AND (? IS NULL OR s.received_at < ?) "
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
    BindOptionalTwice(*ps, 3, query.exporter_id);
    ps->setString(5, query.after);
    int i = BindOptionalTwice(*ps, 6, query.from);
    i = BindOptionalTwice(*ps, i, query.to);
    ps->setInt(i, query.limit);
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
    std::string q = std::string(kTestForWrite) + "WHERE t.id = ?";
    Statement ps = Prepare(c_, q.c_str());
    ps->setInt64(1, test_id);
    Rows rs(ps->executeQuery());
    if (!rs->next()) return Status::NotFound("no test " + std::to_string(test_id));
    TestRecord test = TestFromRow(*rs);
    // A pending test has never had a result (a retest opens a new test): save the two reads.
    if (test.status != TestStatus::kPending) AttachTestResults(c_, &test);
    return test;
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "reading a test");
  }
}

namespace {

// Moves a test from the version the caller read to `status`, or reports who won the race.
void MoveTest(sql::Connection& c, const TestRecord& test, const char* status, const char* allowed_from) {
  Statement ps = Prepare(c,
                         "UPDATE tests SET status = ?, version = version + 1 WHERE id = ? AND version = ?"
                         " AND FIND_IN_SET(status, ?)");
  ps->setString(1, status);
  ps->setInt64(2, test.id);
  ps->setInt(3, test.version);
  ps->setString(4, allowed_from);
  if (ps->executeUpdate() != 1) throw StaleRecord("test " + std::to_string(test.id));
}

}  // namespace

Result<ResultRecord> MysqlSampleStore::AddResult(const TestRecord& test, const ResultRecord& result) {
  ResultRecord stored = result;
  try {
    Transaction tx(c_);
    MoveTest(c_, test, "entered", "pending,rejected");
    stored.id = InsertResult(c_, result);
    tx.Commit();
  } catch (const StaleRecord& e) {
    return e.status();
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "recording a result");
  }
  return stored;
}

Result<ReviewRecord> MysqlSampleStore::AddReview(const TestRecord& test, const ReviewRecord& review) {
  ReviewRecord stored = review;
  try {
    Transaction tx(c_);
    MoveTest(c_, test, review.decision == "approve" ? "approved" : "rejected", "entered");
    Statement ps = Prepare(c_,
                           "INSERT INTO reviews (test_id, result_id, reviewer_id, decision, comment, at)"
                           " VALUES (?,?,?,?,?,?)");
    ps->setInt64(1, test.id);
    ps->setInt64(2, review.result_id);
    ps->setInt64(3, review.reviewer_id);
    ps->setString(4, review.decision);
    ps->setString(5, review.comment);
    ps->setString(6, ToSqlDatetime(review.at));
    ps->executeUpdate();
    stored.id = LastInsertId(c_);
    tx.Commit();
  } catch (const StaleRecord& e) {
    return e.status();
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "recording a review");
  }
  return stored;
}

Result<TestRecord> MysqlSampleStore::Retest(const TestRecord& test, const std::string& reason, int64_t by,
                                            Timestamp at) {
  int64_t new_id = 0;
  try {
    Transaction tx(c_);
    MoveTest(c_, test, "invalidated", "entered,rejected,approved");
    // The repeat copies the specification snapshot of the test it replaces, not today's catalog.
    Statement copy = Prepare(c_,
                             "INSERT INTO tests (sample_id, requirement_id, standard, clause, property, label, method,"
                             " comparator, limit_value, unit, status, part, material, limit_high, low_inclusive,"
                             " high_inclusive, combine, specimens, sources, replaces_test_id, attempt)"
                             " SELECT sample_id, requirement_id, standard, clause, property, label, method,"
                             " comparator, limit_value, unit, 'pending', part, material, limit_high, low_inclusive,"
                             " high_inclusive, combine, specimens, sources, id, attempt + 1 FROM tests WHERE id = ?");
    copy->setInt64(1, test.id);
    copy->executeUpdate();
    new_id = LastInsertId(c_);
    Statement inv = Prepare(c_,
                            "INSERT INTO invalidations (test_id, result_id, new_test_id, reason, by_user, at)"
                            " VALUES (?,?,?,?,?,?)");
    inv->setInt64(1, test.id);
    SetOptionalId(*inv, 2, test.result ? std::optional<int64_t>(test.result->id) : std::nullopt);
    inv->setInt64(3, new_id);
    inv->setString(4, reason);
    inv->setInt64(5, by);
    inv->setString(6, ToSqlDatetime(at));
    inv->executeUpdate();
    tx.Commit();
  } catch (const StaleRecord& e) {
    return e.status();
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "opening a retest");
  }
  return FindTest(new_id);
}

Result<TestRecord> MysqlSampleStore::AssignTest(const TestRecord& test, std::optional<int64_t> assignee) {
  try {
    Statement ps = Prepare(c_,
                           "UPDATE tests SET assignee_id = ?, version = version + 1 WHERE id = ? AND version = ?"
                           " AND status IN ('pending', 'rejected')");
    SetOptionalId(*ps, 1, assignee);
    ps->setInt64(2, test.id);
    ps->setInt(3, test.version);
    if (ps->executeUpdate() != 1) return StaleRecord("test " + std::to_string(test.id)).status();
  } catch (const sql::SQLException& e) {
    if (e.getErrorCode() == 1452) {  // foreign key: no such user
      return Status::Unprocessable("no such user", {{"assignee", "not a user id"}});
    }
    return FromSqlException(e, "assigning a test");
  }
  return FindTest(test.id);
}

Result<CustodyEvent> MysqlSampleStore::AddCustody(const SampleRecord& sample, const CustodyEvent& event,
                                                  const std::string& portion_description) {
  CustodyEvent stored = event;
  try {
    Transaction tx(c_);
    std::optional<int64_t> portion_id;
    if (event.event == "split") {
      const int ordinal = static_cast<int>(sample.portions.size()) + 1;
      stored.portion = sample.number + "-P" + std::to_string(ordinal);
      Statement ps = Prepare(c_,
                             "INSERT INTO portions (sample_id, code, ordinal, description, created_by, created_at)"
                             " VALUES (?,?,?,?,?,?)");
      ps->setInt64(1, sample.id);
      ps->setString(2, stored.portion);
      ps->setInt(3, ordinal);
      ps->setString(4, portion_description);
      SetOptionalId(*ps, 5, event.actor_id);
      ps->setString(6, ToSqlDatetime(event.at));
      ps->executeUpdate();  // a concurrent split of the same sample fails on uq_portions_ordinal
      portion_id = LastInsertId(c_);
    } else if (!event.portion.empty()) {
      for (const PortionRecord& p : sample.portions) {
        if (p.code == event.portion) portion_id = p.id;
      }
    }
    InsertCustody(c_, sample.id, stored, portion_id);
    tx.Commit();
  } catch (const sql::SQLException& e) {
    if (e.getErrorCode() == 1062) return Status::Conflict("sample " + sample.number + " was split concurrently; retry");
    return FromSqlException(e, "recording a custody event");
  }
  return stored;
}

Status MysqlSampleStore::UpdateSample(int64_t sample_id, SampleStatus status) {
  try {
    Statement ps = Prepare(c_, "UPDATE samples SET status = ?, version = version + 1 WHERE id = ?");
    ps->setString(1, std::string(SampleStatusName(status)));
    ps->setInt64(2, sample_id);
    ps->executeUpdate();
    return Status::Ok();
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "updating a sample");
  }
}

Result<SampleProgress> MysqlSampleStore::Progress(std::string_view number) {
  try {
    // FOR UPDATE: the sample row is the lock that orders concurrent changes of one sample, so the
    // status derived here is not overtaken by a parallel change of another of its tests.
    Statement ps = Prepare(c_,
                           "SELECT s.id, s.status, (SELECT GROUP_CONCAT(t.status) FROM tests t WHERE t.sample_id ="
                           " s.id AND t.status <> 'invalidated') AS current, EXISTS(SELECT 1 FROM custody_events e"
                           " WHERE e.sample_id = s.id AND e.event = 'handed_to_test') AS handed FROM samples s"
                           " WHERE s.number = ? FOR UPDATE");
    ps->setString(1, std::string(number));
    Rows rs(ps->executeQuery());
    if (!rs->next()) return Status::NotFound("no sample " + std::string(number));
    SampleProgress p;
    p.id = rs->getInt64("id");
    p.status = EnumOr(ParseSampleStatus(std::string(rs->getString("status"))), SampleStatus::kReceived);
    if (!rs->isNull("current")) {
      for (const std::string& t : SplitSizes(rs->getString("current"))) {
        p.current_tests.push_back(EnumOr(ParseTestStatus(t), TestStatus::kPending));
      }
    }
    p.handed_over = rs->getBoolean("handed");
    return p;
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "reading a sample's progress");
  }
}

Result<std::vector<WorkItem>> MysqlSampleStore::Worklist(const WorklistQuery& q) {
  try {
    std::string text = std::string(kTestColumns) +
                       "WHERE t.status IN ('pending', 'rejected') AND t.id > ?"
                       " AND (? = '' OR t.method = ?)"
                       " AND (? IS NULL OR (? = 0 AND t.assignee_id IS NULL) OR t.assignee_id = ?)"
                       " AND (? = '' OR s.due_date <= ?)"
                       " AND (? = '' OR t.instrument = ? OR EXISTS (SELECT 1 FROM results x WHERE x.test_id = t.id"
                       " AND x.instrument = ?))"
                       " ORDER BY t.id LIMIT ?";
    Statement ps = Prepare(c_, text);
    int i = 1;
    ps->setInt64(i++, q.after);
    ps->setString(i++, q.method);
    ps->setString(i++, q.method);
    for (int k = 0; k < 3; ++k) {
      if (q.assignee)
        ps->setInt64(i++, *q.assignee);
      else
        ps->setNull(i++, 0);
    }
    ps->setString(i++, q.due_before);
    ps->setString(i++, q.due_before.empty() ? "9999-12-31" : q.due_before);
    for (int k = 0; k < 3; ++k) ps->setString(i++, q.instrument);
    ps->setInt(i++, q.limit);
    Rows rs(ps->executeQuery());
    std::vector<WorkItem> items;
    while (rs->next()) {
      WorkItem w;
      w.test = TestFromRow(*rs);
      w.sample_number = w.test.sample_number;
      w.exporter_name = rs->getString("exporter_name");
      w.due_date = rs->isNull("sample_due") ? "" : std::string(rs->getString("sample_due"));
      w.received_at = FromSqlDatetime(rs->getString("sample_received_at"));
      items.push_back(std::move(w));
    }
    return items;
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "reading the worklist");
  }
}

namespace {

Organization OrganizationFromRow(sql::ResultSet& rs) {
  Organization o;
  o.id = rs.getInt64("id");
  o.name = rs.getString("name");
  o.short_name = rs.getString("short_name");
  o.iec = rs.getString("iec");
  o.gstin = rs.isNull("gstin") ? "" : std::string(rs.getString("gstin"));
  o.address = rs.getString("address");
  o.district = rs.getString("district");
  o.state = rs.getString("state");
  o.odop_product = rs.getString("odop_product");
  return o;
}

}  // namespace

namespace {

// Parameters 1-8 of an organisation INSERT, in the column order both inserts use.
void BindOrganization(sql::PreparedStatement& ps, const Organization& org) {
  ps.setString(1, org.name);
  ps.setString(2, org.short_name);
  ps.setString(3, org.iec);
  if (org.gstin.empty())
    ps.setNull(4, 0);
  else
    ps.setString(4, org.gstin);
  ps.setString(5, org.address);
  ps.setString(6, org.district);
  ps.setString(7, org.state);
  ps.setString(8, org.odop_product);
}

}  // namespace

Result<std::vector<Organization>> MysqlSampleStore::ListOrganizations() {
  try {
    Statement ps = Prepare(c_, "SELECT * FROM organizations ORDER BY name, id");
    Rows rs(ps->executeQuery());
    std::vector<Organization> orgs;
    while (rs->next()) orgs.push_back(OrganizationFromRow(*rs));
    return orgs;
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "listing organizations");
  }
}

Result<Organization> MysqlSampleStore::FindOrganization(int64_t id) {
  try {
    Statement ps = Prepare(c_, "SELECT * FROM organizations WHERE id = ?");
    ps->setInt64(1, id);
    Rows rs(ps->executeQuery());
    if (!rs->next()) return Status::NotFound("no organization " + std::to_string(id));
    return OrganizationFromRow(*rs);
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "reading an organization");
  }
}

Result<Organization> MysqlSampleStore::CreateOrganization(const Organization& org, int64_t created_by) {
  Organization stored = org;
  try {
    Statement ps = Prepare(c_,
                           "INSERT INTO organizations (name, short_name, iec, gstin, address, district, state,"
                           " odop_product, created_by) VALUES (?,?,?,?,?,?,?,?,?)");
    BindOrganization(*ps, org);
    SetOptionalId(*ps, 9, created_by);
    ps->executeUpdate();
    stored.id = LastInsertId(c_);
    return stored;
  } catch (const sql::SQLException& e) {
    if (e.getErrorCode() == 1062) {
      const bool gstin = std::string(e.what()).find("uq_organizations_gstin") != std::string::npos;
      return Status::Conflict(gstin ? "an organization with GSTIN " + org.gstin + " already exists"
                                    : "an organization with IEC " + org.iec + " already exists");
    }
    return FromSqlException(e, "adding an organization");
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
                           "INSERT INTO organizations (name, short_name, iec, gstin, address, district, state,"
                           " odop_product) VALUES (?,?,?,?,?,?,?,?) ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)");
    BindOrganization(*ps, org);
    ps->executeUpdate();
    return LastInsertId(c_);
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "adding an organization");
  }
}

}  // namespace lims::store
