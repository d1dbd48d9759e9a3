#include "lims/http/sample_json.h"

#include <Poco/JSON/Array.h>

#include <charconv>
#include <chrono>

#include "lims/http/catalog_json.h"
#include "lims/http/problem.h"

namespace lims::http {

JsonObject ResultJson(const ResultRecord& r) {
  JsonObject o = NewObject();
  o.set("id", std::to_string(r.id));
  o.set("test", std::to_string(r.test_id));
  Poco::JSON::Array values;
  for (const std::string& v : r.values) values.add(v);
  o.set("values", values);
  o.set("unit", r.unit);
  if (r.uncertainty) {
    o.set("uncertainty", r.uncertainty->ToString());
  } else {
    o.set("uncertainty", Poco::Dynamic::Var());
  }
  o.set("remarks", r.remarks);
  o.set("verdict", std::string(VerdictName(r.verdict)));
  o.set("explanation", r.explanation);
  o.set("entered_at", FormatRfc3339(r.entered_at));
  o.set("entered_by", r.entered_by_name);
  o.set("instrument", r.instrument);
  o.set("temperature_c", r.temperature_c ? Poco::Dynamic::Var(*r.temperature_c) : Poco::Dynamic::Var());
  o.set("humidity_pct", r.humidity_pct ? Poco::Dynamic::Var(*r.humidity_pct) : Poco::Dynamic::Var());
  return o;
}

JsonObject ReviewJson(const ReviewRecord& r) {
  JsonObject o = NewObject();
  o.set("id", std::to_string(r.id));
  o.set("result", std::to_string(r.result_id));
  o.set("decision", r.decision);
  o.set("comment", r.comment);
  o.set("reviewer", r.reviewer);
  o.set("at", FormatRfc3339(r.at));
  return o;
}

namespace {

Poco::Dynamic::Var OptionalId(const std::optional<int64_t>& id) {
  return id ? Poco::Dynamic::Var(std::to_string(*id)) : Poco::Dynamic::Var();
}

}  // namespace

JsonObject TestJson(const TestRecord& t) {
  JsonObject o = NewObject();
  o.set("id", std::to_string(t.id));
  SetTestSpec(o, t);
  o.set("sample", t.sample_number);
  o.set("status", std::string(TestStatusName(t.status)));
  o.set("version", t.version);
  if (t.result) {
    o.set("result", ResultJson(*t.result));
  } else {
    o.set("result", Poco::Dynamic::Var());
  }
  o.set("assignee", t.assignee.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(t.assignee));
  o.set("attempt", t.attempt);
  o.set("replaces", OptionalId(t.replaces_test_id));
  o.set("replaced_by", OptionalId(t.replaced_by_test_id));
  o.set("invalidation_reason", t.invalidation_reason);
  Poco::JSON::Array reviews;
  for (const ReviewRecord& r : t.reviews) reviews.add(ReviewJson(r));
  o.set("reviews", reviews);
  Poco::JSON::Array earlier;
  for (const ResultRecord& r : t.earlier_results) earlier.add(ResultJson(r));
  o.set("earlier_results", earlier);
  return o;
}

JsonObject CustodyJson(const CustodyEvent& e) {
  JsonObject item = NewObject();
  item.set("event", e.event);
  item.set("location", e.location);
  item.set("note", e.note);
  item.set("at", FormatRfc3339(e.at));
  item.set("by", e.actor);
  item.set("portion", e.portion.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(e.portion));
  item.set("test", OptionalId(e.test_id));
  item.set("retain_until", e.retain_until.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(e.retain_until));
  return item;
}

JsonObject SampleSummaryJson(const SampleRecord& s) {
  JsonObject o = NewObject();
  o.set("number", s.number);
  o.set("status", std::string(SampleStatusName(s.status)));
  JsonObject exporter = NewObject();
  exporter.set("id", std::to_string(s.exporter_id));
  exporter.set("name", s.exporter_name);
  o.set("exporter", exporter);
  o.set("product", s.product);
  o.set("article", s.article);
  o.set("sizes", StringsJson(s.sizes));
  o.set("lot", s.lot);
  o.set("quantity", s.quantity);
  o.set("quantity_unit", s.quantity_unit);
  o.set("destination", s.destination);
  o.set("decision_rule", s.decision_rule.Token());
  o.set("decision_rule_text", s.decision_rule.Describe());
  o.set("condition", std::string(ReceiptConditionName(s.condition)));
  o.set("condition_note", s.condition_note);
  o.set("storage_location", s.storage_location);
  o.set("received_at", FormatRfc3339(s.received_at));
  o.set("product_family", s.product_family);
  o.set("markings", s.markings);
  o.set("due_date", s.due_date.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(s.due_date));
  o.set("version", s.version);
  if (s.issued_at) {
    o.set("issued_at", FormatRfc3339(*s.issued_at));
    // Turnaround in hours, for the figures auditors ask for (received → issued).
    o.set("turnaround_hours", std::chrono::duration_cast<std::chrono::hours>(*s.issued_at - s.received_at).count());
  } else {
    o.set("issued_at", Poco::Dynamic::Var());
    o.set("turnaround_hours", Poco::Dynamic::Var());
  }
  return o;
}

namespace {

// The sample's overall verdict and, for a rejection, every failing requirement with value and limit.
JsonObject VerdictJson(const SampleRecord& s) {
  const SampleVerdict v = JudgeSample(s);
  JsonObject o = NewObject();
  if (v.verdict)
    o.set("overall", std::string(VerdictName(*v.verdict)));
  else
    o.set("overall", Poco::Dynamic::Var());
  o.set("worst_so_far", std::string(VerdictName(v.worst_so_far)));
  o.set("open_tests", v.open);
  o.set("rejected", v.rejected());
  Poco::JSON::Array failing;
  for (const TestRecord* t : v.failing) {
    JsonObject f = NewObject();
    f.set("test", std::to_string(t->id));
    f.set("requirement", t->requirement);
    f.set("sources", StringsJson(t->sources));
    f.set("values", StringsJson(t->result->values));
    f.set("unit", t->result->unit);
    f.set("limit", LimitJson(t->limit));
    f.set("verdict", std::string(VerdictName(t->result->verdict)));
    f.set("explanation", t->result->explanation);
    failing.add(f);
  }
  o.set("failing", failing);
  o.set("summary", v.Describe());
  return o;
}

}  // namespace

JsonObject SampleJson(const SampleRecord& s) {
  JsonObject o = SampleSummaryJson(s);
  Poco::JSON::Array tests;
  for (const TestRecord& t : s.tests) tests.add(TestJson(t));
  o.set("tests", tests);
  Poco::JSON::Array custody;
  for (const CustodyEvent& e : s.custody) custody.add(CustodyJson(e));
  o.set("custody", custody);
  Poco::JSON::Array portions;
  for (const PortionRecord& p : s.portions) {
    JsonObject item = NewObject();
    item.set("code", p.code);
    item.set("description", p.description);
    item.set("created_at", FormatRfc3339(p.created_at));
    portions.add(item);
  }
  o.set("portions", portions);
  o.set("verdict", VerdictJson(s));
  return o;
}

JsonObject WorkItemJson(const WorkItem& w) {
  JsonObject o = TestJson(w.test);
  o.set("exporter", w.exporter_name);
  o.set("due_date", w.due_date.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(w.due_date));
  o.set("received_at", FormatRfc3339(w.received_at));
  return o;
}

JsonObject OrganizationJson(const Organization& org) {
  JsonObject item = NewObject();
  item.set("id", std::to_string(org.id));
  item.set("name", org.name);
  item.set("short_name", org.short_name);
  item.set("iec", org.iec);
  item.set("gstin", org.gstin);
  item.set("address", org.address);
  item.set("district", org.district);
  item.set("state", org.state);
  item.set("odop_product", org.odop_product);
  return item;
}

std::string ETagOf(int version) {
  return "\"" + std::to_string(version) + "\"";
}

Result<std::optional<int>> ParseIfMatch(const Request& req) {
  auto h = req.headers.find("if-match");
  if (h == req.headers.end()) return std::optional<int>();
  std::string v = h->second;
  if (v.rfind("W/", 0) == 0) v = v.substr(2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  int version = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), version);
  if (ec != std::errc() || end != v.data() + v.size() || version < 1) {
    return Status::InvalidArgument("the If-Match header is not a version this API issued",
                                   {{"If-Match", "expected an ETag such as \"3\""}});
  }
  return std::optional<int>(version);
}

Response JsonWithETag(int status, const JsonObject& body, int version) {
  Response r = JsonResponse(status, body);
  r.headers.emplace_back("ETag", ETagOf(version));
  return r;
}

}  // namespace lims::http
