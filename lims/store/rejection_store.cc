#include "lims/store/rejection_store.h"

#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <mysql_connection.h>

#include <map>

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
constexpr const char* kListSql =
    "SELECT j.*, o.name AS exporter_name, l.code AS lab_code FROM rejections j"
    " JOIN organizations o ON o.id = j.exporter_id JOIN labs l ON l.id = j.lab_id"
    " WHERE (? IS NULL OR j.issued_at >= ?) AND (? IS NULL OR j.issued_at < ?)"
    " AND (? IS NULL OR j.exporter_id = ?) AND (? = '' OR j.district = ?) AND (? = '' OR j.odop_product = ?)"
    " AND (? = '' OR j.product_family = ?) AND (? = '' OR j.standard = ?) AND (? = '' OR j.requirement_code = ?)"
    " AND (? = '' OR j.destination = ?) AND (? = '' OR l.code = ?)"
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

RejectionRow RowFrom(sql::ResultSet& rs) {
  RejectionRow r;
  r.id = rs.getInt64("id");
  r.sample_number = rs.getString("sample_number");
  r.report_number = rs.getString("report_number");
  r.exporter_id = rs.getInt64("exporter_id");
  r.exporter = rs.getString("exporter_name");
  r.district = rs.getString("district");
  r.product = rs.getString("odop_product");
  r.product_family = rs.getString("product_family");
  r.market = rs.getString("destination");
  r.lab = rs.getString("lab_code");
  r.requirement = rs.getString("requirement_code");
  r.standard = rs.getString("standard");
  r.clause = rs.getString("clause");
  r.property = rs.getString("property");
  r.value = rs.getString("value");
  r.unit = rs.getString("result_unit");
  r.comparator = rs.getString("comparator");
  r.limit = rs.getString("limit_value");
  r.limit_unit = rs.getString("limit_unit");
  r.verdict = rs.getString("verdict");
  r.decision_rule = rs.getString("decision_rule");
  r.received_at = FromSqlDatetime(rs.getString("received_at"));
  r.tested_at = FromSqlDatetime(rs.getString("tested_at"));
  r.issued_at = FromSqlDatetime(rs.getString("issued_at"));
  return r;
}

// ---- the summary ----

struct GroupSql {
  const char* histogram;  // g, turnaround_hours, samples, rejected samples
  const char* failing;    // g, requirement_code, failures
};

// Fixed texts per grouping (no client text reaches SQL); each reads one covering index.
GroupSql SqlFor(SummaryGroup g) {
  switch (g) {
    case SummaryGroup::kExporter:
      return {
          "SELECT exporter_id, turnaround_hours, COUNT(*), SUM(rejected) FROM sample_outcomes"
          " WHERE (? IS NULL OR issued_at >= ?) AND (? IS NULL OR issued_at < ?)"
          " GROUP BY exporter_id, turnaround_hours",
          "SELECT exporter_id, requirement_code, COUNT(*) FROM rejections"
          " WHERE (? IS NULL OR issued_at >= ?) AND (? IS NULL OR issued_at < ?)"
          " GROUP BY exporter_id, requirement_code"};
    case SummaryGroup::kDistrict:
      return {
          "SELECT district, turnaround_hours, COUNT(*), SUM(rejected) FROM sample_outcomes"
          " WHERE (? IS NULL OR issued_at >= ?) AND (? IS NULL OR issued_at < ?)"
          " GROUP BY district, turnaround_hours",
          "SELECT district, requirement_code, COUNT(*) FROM rejections"
          " WHERE (? IS NULL OR issued_at >= ?) AND (? IS NULL OR issued_at < ?)"
          " GROUP BY district, requirement_code"};
    case SummaryGroup::kProduct:
      return {
          "SELECT odop_product, turnaround_hours, COUNT(*), SUM(rejected) FROM sample_outcomes"
          " WHERE (? IS NULL OR issued_at >= ?) AND (? IS NULL OR issued_at < ?)"
          " GROUP BY odop_product, turnaround_hours",
          "SELECT odop_product, requirement_code, COUNT(*) FROM rejections"
          " WHERE (? IS NULL OR issued_at >= ?) AND (? IS NULL OR issued_at < ?)"
          " GROUP BY odop_product, requirement_code"};
    default:
      return {
          "SELECT DATE_FORMAT(issued_month, '%Y-%m'), turnaround_hours, COUNT(*), SUM(rejected)"
          " FROM sample_outcomes WHERE (? IS NULL OR issued_at >= ?) AND (? IS NULL OR issued_at < ?)"
          " GROUP BY issued_month, turnaround_hours",
          "SELECT DATE_FORMAT(issued_at, '%Y-%m'), requirement_code, COUNT(*) FROM rejections"
          " WHERE (? IS NULL OR issued_at >= ?) AND (? IS NULL OR issued_at < ?)"
          " GROUP BY 1, requirement_code"};
  }
}

Statement PrepareForPeriod(sql::Connection& c, const std::string& text, const SummaryQuery& q) {
  Statement ps = Prepare(c, text);
  int i = BindOptionalTwice(*ps, 1, q.from);
  BindOptionalTwice(*ps, i, q.to);
  return ps;
}

struct GroupAccumulator {
  SummaryGroupRow row;
  Histogram turnaround;
  std::vector<std::pair<std::string, int64_t>> failing;
};

using Groups = std::map<std::string, GroupAccumulator>;

void ReadHistogram(sql::Connection& c, const SummaryQuery& q, Groups& groups, Histogram& all) {
  Rows rs(PrepareForPeriod(c, SqlFor(q.group).histogram, q)->executeQuery());
  std::map<int64_t, int64_t> overall;
  while (rs->next()) {
    GroupAccumulator& g = groups[rs->getString(1)];
    const int64_t hours = rs->getInt64(2);
    const int64_t n = rs->getInt64(3);
    g.row.tested += n;
    g.row.rejected += rs->getInt64(4);
    g.turnaround.emplace_back(hours, n);  // ascending within a group (GROUP BY order)
    overall[hours] += n;
  }
  all.assign(overall.begin(), overall.end());
}

void ReadFailing(sql::Connection& c, const SummaryQuery& q, Groups& groups) {
  Rows rs(PrepareForPeriod(c, SqlFor(q.group).failing, q)->executeQuery());
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

std::vector<RepeatOffender> ReadRepeatOffenders(sql::Connection& c, const SummaryQuery& q) {
  Rows rs(PrepareForPeriod(c,
                           "SELECT x.exporter_id, o.name, x.requirement_code, x.n FROM (SELECT exporter_id,"
                           " requirement_code, COUNT(*) AS n FROM rejections"
                           " WHERE (? IS NULL OR issued_at >= ?) AND (? IS NULL OR issued_at < ?)"
                           " GROUP BY exporter_id, requirement_code HAVING COUNT(*) > 1) x"
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

Status ScanRejections(sql::Connection& c, RejectionQuery query, int batch,
                      const std::function<bool(const RejectionRow&)>& sink) {
  query.limit = batch;
  for (;;) {
    Result<std::vector<RejectionRow>> page = ListRejections(c, query);
    if (!page.ok()) return page.status();
    for (const RejectionRow& row : *page) {
      if (!sink(row)) return Status::Ok();
    }
    if (static_cast<int>(page->size()) < batch) return Status::Ok();
    query.after = RejectionCursor{page->back().issued_at, page->back().id};
  }
}

Result<RejectionSummary> SummarizeRejections(sql::Connection& c, const SummaryQuery& query) {
  try {
    Groups groups;
    Histogram all;
    RejectionSummary summary;
    if (query.group == SummaryGroup::kRequirement) {
      ReadRequirements(c, query, groups);
      Groups by_sample;
      SummaryQuery months = query;
      months.group = SummaryGroup::kMonth;
      ReadHistogram(c, months, by_sample, all);
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

}  // namespace lims::store
