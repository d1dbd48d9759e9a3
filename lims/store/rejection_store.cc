#include "lims/store/rejection_store.h"

#include <cppconn/driver.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <mysql_connection.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <string_view>
#include <thread>

#include "lims/store/sql_error.h"
#include "lims/store/sql_util.h"

namespace lims::store {
namespace {

// The current tests of the certificate's sample with their latest result (the one approved).
constexpr const char* kCurrentTests =
    " FROM certificates c JOIN samples s ON s.id = c.sample_id"
    " JOIN tests t ON t.sample_id = s.id AND t.status = 'approved'"
    " JOIN results r ON r.id = (SELECT MAX(r2.id) FROM results r2 WHERE r2.test_id = t.id) ";

constexpr const char* kFailing = "r.verdict IN ('fail', 'conditional_fail')";

void InsertRejections(sql::Connection& c, int64_t certificate_id) {
  Statement ps = Prepare(
      c, std::string("INSERT INTO rejections (sample_id, test_id, result_id, certificate_id, lab_id, sample_number,"
                     " report_number, exporter_id, district, odop_product, product_family, destination,"
                     " requirement_id, requirement_code, standard, clause, property, value, result_unit, comparator,"
                     " limit_value, limit_unit, verdict, decision_rule, received_at, tested_at, issued_at)"
                     " SELECT s.id, t.id, r.id, c.id, c.lab_id, s.number, c.number, s.exporter_id, o.district,"
                     " o.odop_product, s.product_family, s.destination, t.requirement_id, q.code, t.standard,"
                     " t.clause, t.property, COALESCE((SELECT GROUP_CONCAT(v.value ORDER BY v.replicate SEPARATOR"
                     " '; ') FROM result_values v WHERE v.result_id = r.id), ''), r.unit, t.comparator,"
                     " t.limit_value, t.unit, r.verdict, s.decision_rule, s.received_at, r.entered_at, c.issued_at") +
             kCurrentTests +
             "JOIN organizations o ON o.id = s.exporter_id JOIN requirements q ON q.id = t.requirement_id"
             " WHERE c.id = ? AND " +
             kFailing + " ORDER BY t.id");
  ps->setInt64(1, certificate_id);
  ps->executeUpdate();
}

void InsertOutcome(sql::Connection& c, int64_t certificate_id) {
  Statement ps = Prepare(c,
                         "INSERT INTO sample_outcomes (sample_id, certificate_id, lab_id, exporter_id, district,"
                         " odop_product, issued_month, issued_at, turnaround_hours, rejected)"
                         " SELECT s.id, c.id, c.lab_id, s.exporter_id, o.district, o.odop_product,"
                         " DATE_FORMAT(c.issued_at, '%Y-%m-01'), c.issued_at,"
                         " GREATEST(0, TIMESTAMPDIFF(HOUR, s.received_at, c.issued_at)),"
                         " EXISTS (SELECT 1 FROM rejections j WHERE j.sample_id = s.id)"
                         " FROM certificates c JOIN samples s ON s.id = c.sample_id"
                         " JOIN organizations o ON o.id = s.exporter_id WHERE c.id = ?");
  ps->setInt64(1, certificate_id);
  ps->executeUpdate();
}

void CountTests(sql::Connection& c, int64_t certificate_id) {
  Statement ps = Prepare(c, std::string("INSERT INTO requirement_month_counts (issued_month, requirement_id, tested,"
                                        " failed) SELECT DATE_FORMAT(c.issued_at, '%Y-%m-01'), t.requirement_id,"
                                        " COUNT(*), SUM(") +
                                kFailing + ")" + kCurrentTests +
                                "WHERE c.id = ? GROUP BY t.requirement_id ON DUPLICATE KEY UPDATE"
                                " tested = tested + VALUES(tested), failed = failed + VALUES(failed)");
  ps->setInt64(1, certificate_id);
  ps->executeUpdate();
}

// ---- the rejection list ----

// Every filter is bound or disabled by an empty value, so the text stays one cached statement;
// MariaDB optimises each execution with the bound values, so a disabled filter costs nothing.
// No join: the exporter's name and the lab's code are looked up per returned row and the lab
// filter once, so the optimiser's only choice is which `rejections` index to read, backwards in
// the keyset order, stopping at LIMIT (a join let it put `labs` or `organizations` first and sort
// every matching row per page).
constexpr const char* kListSql =
    "SELECT j.id, j.sample_number, j.report_number, j.exporter_id,"
    " (SELECT o.name FROM organizations o WHERE o.id = j.exporter_id), j.district, j.odop_product,"
    " j.product_family, j.destination, (SELECT l.code FROM labs l WHERE l.id = j.lab_id), j.requirement_code,"
    " j.standard, j.clause, j.property, j.value, j.result_unit, j.comparator, j.limit_value, j.limit_unit,"
    " j.verdict, j.decision_rule, TIMESTAMPDIFF(SECOND, '1970-01-01', j.received_at),"
    " TIMESTAMPDIFF(SECOND, '1970-01-01', j.tested_at), TIMESTAMPDIFF(SECOND, '1970-01-01', j.issued_at)"
    " FROM rejections j"
    " WHERE (? IS NULL OR j.issued_at >= ?) AND (? IS NULL OR j.issued_at < ?)"
    " AND (? IS NULL OR j.exporter_id = ?) AND (? = '' OR j.district = ?) AND (? = '' OR j.odop_product = ?)"
    " AND (? = '' OR j.product_family = ?) AND (? = '' OR j.standard = ?) AND (? = '' OR j.requirement_code = ?)"
    " AND (? = '' OR j.destination = ?) AND (? = '' OR j.lab_id = (SELECT l2.id FROM labs l2 WHERE l2.code = ?))"
    " AND (? IS NULL OR j.issued_at < ? OR (j.issued_at = ? AND j.id < ?))"
    " ORDER BY j.issued_at DESC, j.id DESC LIMIT ?";

int BindTwice(sql::PreparedStatement& ps, int i, const std::string& value) {
  ps.setString(i, value);
  ps.setString(i + 1, value);
  return i + 2;
}

int BindCursor(sql::PreparedStatement& ps, int i, const std::optional<RejectionCursor>& after) {
  if (!after) {
    for (int k = 0; k < 4; ++k) ps.setNull(i + k, 0);
    return i + 4;
  }
  const std::string at = ToSqlDatetime(after->issued_at);
  ps.setString(i, at);
  ps.setString(i + 1, at);
  ps.setString(i + 2, at);
  ps.setInt64(i + 3, after->id);
  return i + 4;
}

void BindList(sql::PreparedStatement& ps, const RejectionQuery& q) {
  const RejectionFilter& f = q.filter;
  int i = BindOptionalTwice(ps, 1, f.from);
  i = BindOptionalTwice(ps, i, f.to);
  i = BindOptionalTwice(ps, i, f.exporter_id);
  for (const std::string* v :
       {&f.district, &f.product, &f.product_family, &f.standard, &f.requirement, &f.market, &f.lab}) {
    i = BindTwice(ps, i, *v);
  }
  i = BindCursor(ps, i, q.after);
  ps.setInt(i, q.limit);
}

// By position, in kListSql's order: a lookup by column name costs a case-insensitive search per
// call, 24 per row, which showed in the CSV export of a million rows.
RejectionRow RowFrom(sql::ResultSet& rs) {
  RejectionRow r;
  r.id = rs.getInt64(1);
  r.sample_number = rs.getString(2);
  r.report_number = rs.getString(3);
  r.exporter_id = rs.getInt64(4);
  r.exporter = rs.getString(5);
  r.district = rs.getString(6);
  r.product = rs.getString(7);
  r.product_family = rs.getString(8);
  r.market = rs.getString(9);
  r.lab = rs.getString(10);
  r.requirement = rs.getString(11);
  r.standard = rs.getString(12);
  r.clause = rs.getString(13);
  r.property = rs.getString(14);
  r.value = rs.getString(15);
  r.unit = rs.getString(16);
  r.comparator = rs.getString(17);
  r.limit = rs.getString(18);
  r.limit_unit = rs.getString(19);
  r.verdict = rs.getString(20);
  r.decision_rule = rs.getString(21);
  // The times come as seconds since the epoch (UTC DATETIMEs): no text to format in the driver
  // and parse back here, which was a fifth of a million-row export's CPU.
  r.received_at = Timestamp(std::chrono::seconds(rs.getInt64(22)));
  r.tested_at = Timestamp(std::chrono::seconds(rs.getInt64(23)));
  r.issued_at = Timestamp(std::chrono::seconds(rs.getInt64(24)));
  return r;
}

// ---- the summary ----

// The period is always bound (NULL disables a bound). The narrowing filters (district, exporter)
// are written into the text only when asked for, rather than disabled by a bound '' / NULL as in
// the list: a column named in the text, even in a condition the optimiser then drops, stops an
// index that lacks it from covering the query, and every summary would read each row by primary
// key (district summaries went from 26 to 217 ms that way). A handful of fixed texts per grouping
// results; no client text reaches SQL.
std::string Narrowing(const SummaryQuery& q) {
  std::string where;
  if (!q.district.empty()) where += " AND district = ?";
  if (q.exporter_id) where += " AND exporter_id = ?";
  return where + " ";
}

// On sample_outcomes the month grouping also states the period on issued_month, which its index
// leads with: a range read of those months instead of the whole index.
std::string OutcomeWhere(const SummaryQuery& q) {
  std::string where = " WHERE (? IS NULL OR issued_at >= ?) AND (? IS NULL OR issued_at < ?)";
  if (q.group == SummaryGroup::kMonth) {
    where += " AND (? IS NULL OR issued_month >= DATE_FORMAT(?, '%Y-%m-01')) AND (? IS NULL OR issued_month <= ?)";
  }
  return where + Narrowing(q);
}

std::string RejectionWhere(const SummaryQuery& q) {
  return " WHERE (? IS NULL OR issued_at >= ?) AND (? IS NULL OR issued_at < ?)" + Narrowing(q);
}

struct GroupColumns {
  const char* outcome_key;     // what a sample_outcomes row reports as its group
  const char* outcome_column;  // what it is grouped by: the column itself, so the covering index that
                               // leads with it gives the GROUP BY order (no temporary table)
  const char* rejection_key;   // the group of a rejections row
};

GroupColumns ColumnsOf(SummaryGroup g) {
  switch (g) {
    case SummaryGroup::kExporter:
      return {"exporter_id", "exporter_id", "exporter_id"};
    case SummaryGroup::kDistrict:
      return {"district", "district", "district"};
    case SummaryGroup::kProduct:
      return {"odop_product", "odop_product", "odop_product"};
    default:
      return {"DATE_FORMAT(issued_month, '%Y-%m')", "issued_month", "DATE_FORMAT(issued_at, '%Y-%m')"};
  }
}

// g, samples, rejected samples, every turnaround of the group ("72 96 96 120").
std::string TurnaroundsSql(const SummaryQuery& q) {
  const GroupColumns g = ColumnsOf(q.group);
  return std::string("SELECT ") + g.outcome_key +
         ", COUNT(*), SUM(rejected), GROUP_CONCAT(turnaround_hours SEPARATOR ' ') FROM sample_outcomes" +
         OutcomeWhere(q) + "GROUP BY " + g.outcome_column;
}

// g, turnaround_hours, samples, rejected samples (when a concatenation was cut off).
std::string HistogramSql(const SummaryQuery& q) {
  const GroupColumns g = ColumnsOf(q.group);
  return std::string("SELECT ") + g.outcome_key + ", turnaround_hours, COUNT(*), SUM(rejected) FROM sample_outcomes" +
         OutcomeWhere(q) + "GROUP BY " + g.outcome_column + ", turnaround_hours";
}

// g, requirement_code, failures.
std::string FailingSql(const SummaryQuery& q) {
  return std::string("SELECT ") + ColumnsOf(q.group).rejection_key + ", requirement_code, COUNT(*) FROM rejections" +
         RejectionWhere(q) + "GROUP BY 1, requirement_code";
}

// Binds what OutcomeWhere / RejectionWhere wrote; returns the next parameter index.
int BindSummaryWhere(sql::PreparedStatement& ps, const SummaryQuery& q, bool outcomes) {
  int i = BindOptionalTwice(ps, 1, q.from);
  i = BindOptionalTwice(ps, i, q.to);
  if (outcomes && q.group == SummaryGroup::kMonth) {
    i = BindOptionalTwice(ps, i, q.from);
    i = BindOptionalTwice(ps, i, q.to);
  }
  if (!q.district.empty()) ps.setString(i++, q.district);
  if (q.exporter_id) ps.setInt64(i++, *q.exporter_id);
  return i;
}

Statement PrepareOutcomes(sql::Connection& c, const std::string& text, const SummaryQuery& q) {
  Statement ps = Prepare(c, text);
  BindSummaryWhere(*ps, q, true);
  return ps;
}

Statement PrepareRejections(sql::Connection& c, const std::string& text, const SummaryQuery& q, int* next = nullptr) {
  Statement ps = Prepare(c, text);
  const int i = BindSummaryWhere(*ps, q, false);
  if (next != nullptr) *next = i;
  return ps;
}

struct GroupAccumulator {
  SummaryGroupRow row;
  Histogram turnaround;
  std::vector<std::pair<std::string, int64_t>> failing;
};

using Groups = std::map<std::string, GroupAccumulator>;

// The turnarounds of a group as GROUP_CONCAT wrote them, as a histogram; false when the text does
// not hold `count` whole numbers (cut off at group_concat_max_len).
bool ParseTurnarounds(std::string_view text, int64_t count, Histogram* out) {
  std::vector<int64_t> hours;
  hours.reserve(static_cast<size_t>(count));
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    int64_t h = 0;
    auto [next, ec] = std::from_chars(p, end, h);
    if (ec != std::errc()) return false;
    hours.push_back(h);
    p = next < end && *next == ' ' ? next + 1 : next;
  }
  if (static_cast<int64_t>(hours.size()) != count) return false;
  std::sort(hours.begin(), hours.end());
  out->clear();
  for (int64_t h : hours) {
    if (out->empty() || out->back().first != h) out->emplace_back(h, 0);
    ++out->back().second;
  }
  return true;
}

// One row per group with its turnarounds concatenated: a summary by exporter is 2,000 rows rather
// than the 68,000 (exporter, hours) rows of the histogram query, whose transfer and per-column
// calls through Connector/C++ cost more than the server's index scan (docs/rejections.md).
// false when a group's text was cut off: the caller then reads the histogram rows instead.
bool ReadConcatenated(sql::Connection& c, const SummaryQuery& q, Groups& groups) {
  {
    Statement set = Prepare(c, "SET SESSION group_concat_max_len = 67108864");
    set->execute();
  }
  Rows rs(PrepareOutcomes(c, TurnaroundsSql(q), q)->executeQuery());
  while (rs->next()) {
    GroupAccumulator& g = groups[rs->getString(1)];
    g.row.tested = rs->getInt64(2);
    g.row.rejected = rs->getInt64(3);
    if (!ParseTurnarounds(std::string(rs->getString(4)), g.row.tested, &g.turnaround)) return false;
  }
  return true;
}

void ReadHistogramRows(sql::Connection& c, const SummaryQuery& q, Groups& groups) {
  Rows rs(PrepareOutcomes(c, HistogramSql(q), q)->executeQuery());
  while (rs->next()) {
    GroupAccumulator& g = groups[rs->getString(1)];
    const int64_t n = rs->getInt64(3);
    g.row.tested += n;
    g.row.rejected += rs->getInt64(4);
    g.turnaround.emplace_back(rs->getInt64(2), n);  // ascending within a group (GROUP BY order)
  }
}

void ReadHistogram(sql::Connection& c, const SummaryQuery& q, Groups& groups, Histogram& all) {
  if (!ReadConcatenated(c, q, groups)) {
    groups.clear();
    ReadHistogramRows(c, q, groups);
  }
  std::map<int64_t, int64_t> overall;
  for (const auto& [key, g] : groups) {
    for (const auto& [hours, n] : g.turnaround) overall[hours] += n;
  }
  all.assign(overall.begin(), overall.end());
}

// The period's turnaround histogram alone (group_by=requirement, whose groups are not samples):
// one row per distinct hour count instead of every sample's hours.
Histogram ReadOverallTurnaround(sql::Connection& c, const SummaryQuery& q) {
  SummaryQuery narrowed = q;
  narrowed.group = SummaryGroup::kMonth;  // the month indexes cover it, and the month range narrows it
  Rows rs(PrepareOutcomes(c,
                          "SELECT turnaround_hours, COUNT(*) FROM sample_outcomes" + OutcomeWhere(narrowed) +
                              "GROUP BY turnaround_hours ORDER BY turnaround_hours",
                          narrowed)
              ->executeQuery());
  Histogram h;
  while (rs->next()) h.emplace_back(rs->getInt64(1), rs->getInt64(2));
  return h;
}

void ReadFailing(sql::Connection& c, const SummaryQuery& q, Groups& groups) {
  Rows rs(PrepareRejections(c, FailingSql(q), q)->executeQuery());
  while (rs->next()) groups[rs->getString(1)].failing.emplace_back(rs->getString(2), rs->getInt64(3));
}

// group_by=requirement: tests and failures per requirement from the monthly counters. The period
// counts whole months: those starting at or after `from`'s month and before `to`.
void ReadRequirements(sql::Connection& c, const SummaryQuery& q, Groups& groups) {
  Statement ps = Prepare(c,
                         "SELECT q.code, MIN(q.property), SUM(m.tested), SUM(m.failed) FROM requirement_month_counts m"
                         " JOIN requirements q ON q.id = m.requirement_id"
                         " WHERE (? IS NULL OR m.issued_month >= DATE_FORMAT(?, '%Y-%m-01'))"
                         " AND (? IS NULL OR m.issued_month < ?) GROUP BY q.code");
  int i = BindOptionalTwice(*ps, 1, q.from);
  BindOptionalTwice(*ps, i, q.to);
  Rows rs(ps->executeQuery());
  while (rs->next()) {
    GroupAccumulator& g = groups[rs->getString(1)];
    g.row.label = rs->getString(2);
    g.row.tested += rs->getInt64(3);
    g.row.rejected += rs->getInt64(4);
  }
}

// group_by=requirement for one exporter: its tests per requirement counted from its own issued
// samples (sample_outcomes' exporter index, then tests by sample), its failures from `rejections`,
// over the exact period. No result rows are read: `rejections` already holds every failing
// current test of an issued sample.
void ReadRequirementsOfExporter(sql::Connection& c, const SummaryQuery& q, Groups& groups) {
  Statement tested = Prepare(c,
                             "SELECT q.code, MIN(q.property), COUNT(*) FROM sample_outcomes so"
                             " JOIN tests t ON t.sample_id = so.sample_id AND t.status = 'approved'"
                             " JOIN requirements q ON q.id = t.requirement_id"
                             " WHERE so.exporter_id = ? AND (? IS NULL OR so.issued_at >= ?)"
                             " AND (? IS NULL OR so.issued_at < ?) GROUP BY q.code");
  tested->setInt64(1, *q.exporter_id);
  int i = BindOptionalTwice(*tested, 2, q.from);
  BindOptionalTwice(*tested, i, q.to);
  Rows rs(tested->executeQuery());
  while (rs->next()) {
    GroupAccumulator& g = groups[rs->getString(1)];
    g.row.label = rs->getString(2);
    g.row.tested += rs->getInt64(3);
  }
  SummaryQuery failing = q;
  failing.group = SummaryGroup::kRequirement;
  Rows fs(PrepareRejections(c,
                            "SELECT requirement_code, COUNT(*) FROM rejections" + RejectionWhere(failing) +
                                "GROUP BY requirement_code",
                            failing)
              ->executeQuery());
  while (fs->next()) groups[fs->getString(1)].row.rejected += fs->getInt64(2);
}

std::vector<RepeatOffender> ReadRepeatOffenders(sql::Connection& c, const SummaryQuery& q) {
  Rows rs(
      PrepareRejections(c,
                        std::string("SELECT x.exporter_id, o.name, x.requirement_code, x.n FROM (SELECT exporter_id,"
                                    " requirement_code, COUNT(*) AS n FROM rejections") +
                            RejectionWhere(q) +
                            "GROUP BY exporter_id, requirement_code HAVING COUNT(*) > 1) x"
                            " JOIN organizations o ON o.id = x.exporter_id"
                            " ORDER BY x.n DESC, x.exporter_id, x.requirement_code LIMIT 100",
                        q)
          ->executeQuery());
  std::vector<RepeatOffender> out;
  while (rs->next()) out.push_back({rs->getInt64(1), rs->getString(2), rs->getString(3), rs->getInt64(4)});
  return out;
}

void LabelExporters(sql::Connection& c, Groups& groups) {
  Rows rs(Prepare(c, "SELECT id, name FROM organizations")->executeQuery());
  while (rs->next()) {
    auto it = groups.find(rs->getString(1));
    if (it != groups.end()) it->second.row.label = rs->getString(2);
  }
}

SummaryGroupRow Finish(GroupAccumulator& g, int top) {
  std::stable_sort(g.failing.begin(), g.failing.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  if (static_cast<int>(g.failing.size()) > top) g.failing.resize(static_cast<size_t>(top));
  g.row.top_failing = std::move(g.failing);
  g.row.turnaround_median_h = Median(g.turnaround);
  g.row.turnaround_p90_h = NearestRankPercentile(g.turnaround, 0.9);
  return std::move(g.row);
}

}  // namespace

Status RecordIssuedSample(sql::Connection& c, int64_t certificate_id) {
  try {
    InsertRejections(c, certificate_id);
    InsertOutcome(c, certificate_id);
    CountTests(c, certificate_id);
    return Status::Ok();
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "recording the rejection history");
  }
}

Result<std::vector<RejectionRow>> ListRejections(sql::Connection& c, const RejectionQuery& query) {
  try {
    Statement ps = Prepare(c, kListSql);
    BindList(*ps, query);
    Rows rs(ps->executeQuery());
    std::vector<RejectionRow> out;
    while (rs->next()) out.push_back(RowFrom(*rs));
    return out;
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "reading the rejection history");
  }
}

namespace {

// Batches read ahead by ScanRejections' reader thread, at most kReadAhead waiting.
constexpr size_t kReadAhead = 2;

struct ScanQueue {
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<std::vector<RejectionRow>> ready;
  bool done = false;     // the reader has read the last batch, or failed
  bool stopped = false;  // the writer wants no more
  Status status = Status::Ok();
};

// The reader thread: batches in keyset order into `queue` until the last one, a failure or a stop.
void ReadBatches(sql::Connection& c, RejectionQuery query, int batch, ScanQueue& queue) {
  c.getDriver()->threadInit();  // the client library's per-thread state (stack-notes)
  for (;;) {
    {
      std::unique_lock lock(queue.mutex);
      queue.changed.wait(lock, [&] { return queue.stopped || queue.ready.size() < kReadAhead; });
      if (queue.stopped) break;
    }
    Result<std::vector<RejectionRow>> page = ListRejections(c, query);
    std::lock_guard lock(queue.mutex);
    if (!page.ok()) {
      queue.status = page.status();
      break;
    }
    const bool last = static_cast<int>(page->size()) < batch;
    if (!last) query.after = RejectionCursor{page->back().issued_at, page->back().id};
    queue.ready.push_back(std::move(page).value());
    queue.changed.notify_all();
    if (last) break;
  }
  {
    std::lock_guard lock(queue.mutex);
    queue.done = true;
    queue.changed.notify_all();
  }
  c.getDriver()->threadEnd();
}

}  // namespace

// The next batches are read on a second thread while the caller's sink writes the current one, so
// the database's work and the writing overlap instead of taking turns. The connection is used by
// that thread only, until it is joined.
Status ScanRejections(sql::Connection& c, RejectionQuery query, int batch,
                      const std::function<bool(const RejectionRow&)>& sink) {
  query.limit = batch;
  ScanQueue queue;
  std::thread reader([&c, query, batch, &queue] { ReadBatches(c, query, batch, queue); });
  bool wanted = true;
  while (wanted) {
    std::vector<RejectionRow> rows;
    {
      std::unique_lock lock(queue.mutex);
      queue.changed.wait(lock, [&] { return !queue.ready.empty() || queue.done; });
      if (queue.ready.empty()) break;  // done, and nothing left
      rows = std::move(queue.ready.front());
      queue.ready.pop_front();
      queue.changed.notify_all();
    }
    for (const RejectionRow& row : rows) {
      if (!sink(row)) {
        wanted = false;  // the client went away
        break;
      }
    }
  }
  {
    std::lock_guard lock(queue.mutex);
    queue.stopped = true;
    queue.changed.notify_all();
  }
  reader.join();
  return wanted ? queue.status : Status::Ok();
}

Result<RejectionSummary> SummarizeRejections(sql::Connection& c, const SummaryQuery& query) {
  try {
    Groups groups;
    Histogram all;
    RejectionSummary summary;
    if (query.group == SummaryGroup::kRequirement) {
      if (query.exporter_id) {
        ReadRequirementsOfExporter(c, query, groups);
      } else {
        ReadRequirements(c, query, groups);
      }
      all = ReadOverallTurnaround(c, query);
    } else {
      ReadHistogram(c, query, groups, all);
      ReadFailing(c, query, groups);
      if (query.group == SummaryGroup::kExporter) LabelExporters(c, groups);
    }
    summary.repeat_offenders = ReadRepeatOffenders(c, query);
    summary.turnaround_median_h = Median(all);
    summary.turnaround_p90_h = NearestRankPercentile(all, 0.9);
    for (auto& [key, g] : groups) {
      g.row.key = key;
      summary.groups.push_back(Finish(g, query.top));
    }
    return summary;
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "summarising the rejection history");
  }
}

Result<std::vector<FailingRequirement>> TopFailingRequirements(sql::Connection& c, const SummaryQuery& query,
                                                               int limit) {
  try {
    int next = 0;
    Statement ps = PrepareRejections(c,
                                     std::string("SELECT requirement_code, MIN(standard), MIN(clause), MIN(property),"
                                                 " COUNT(*) FROM rejections") +
                                         RejectionWhere(query) + "GROUP BY requirement_code ORDER BY 5 DESC, 1 LIMIT ?",
                                     query, &next);
    ps->setInt(next, limit);
    Rows rs(ps->executeQuery());
    std::vector<FailingRequirement> out;
    while (rs->next()) {
      out.push_back({rs->getString(1), rs->getString(2), rs->getString(3), rs->getString(4), rs->getInt64(5)});
    }
    return out;
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "reading the failing requirements");
  }
}

}  // namespace lims::store
