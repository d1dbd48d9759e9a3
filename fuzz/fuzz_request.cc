// libFuzzer target: whole requests through the dispatcher (routing, authentication, authorisation,
// exception handling, problem responses) into handlers that parse and validate JSON bodies.
//
// Input framing (HTTP-like, so seeds are readable and mutations stay meaningful):
//   METHOD SP TARGET [SP anything]\n      TARGET = path[?query], parsed with Poco::URI as limsd does
//   Name: value\n ...                      headers, names lower-cased; lines without ':' are skipped
//   \n                                     an empty line ends the headers
//   body                                   the rest, verbatim
// ("\r\n" is accepted too.) An input without a newline is a request line alone.
//
// The router holds the real catalog routes (AddCatalogRoutes over the repository's catalog) and
// harness routes that read bodies the way sample intake and result entry do, with the public
// pieces: BodyReader, ReadTestPlanRequest, ReadDecisionRule, ParseObservation, Decide. A fake
// Authenticator knows the bearer tokens / session cookies "admin", "tech", "reviewer", "auditor",
// "exporter" (CSRF token "csrf-" + token) and "down" (database unreachable).
//
// Invariants: Dispatch never answers 500 (no handler throws on client input) and never lets an
// exception out; every status is one the API documents; 401 carries WWW-Authenticate and 405 an
// Allow header without the method; every JSON or problem body is valid JSON; a handler runs only for
// a caller its route admits, authenticated by credentials that the request carries, and a
// cookie-borne write only with the session's CSRF token; SplitPath never yields empty segments.
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "fuzz_json.h"
#include "lims/auth/password.h"
#include "lims/core/clock.h"
#include "lims/core/decision.h"
#include "lims/core/test_plan.h"
#include "lims/core/units.h"
#include "lims/http/app_context.h"
#include "lims/http/catalog_json.h"
#include "lims/http/dispatcher.h"
#include "lims/http/json_io.h"
#include "lims/http/problem.h"
#include "lims/http/router.h"
#include "lims/http/routes.h"
#include "lims/http/session_authenticator.h"
#include "lims/log/log.h"
#include "lims/store/connection_pool.h"
#include "real_catalog.h"

namespace {

using lims::Principal;
using lims::Result;
using lims::Role;
using lims::Status;
using lims::http::Access;
using lims::http::BodyReader;
using lims::http::Handler;
using lims::http::Request;
using lims::http::Response;

class FakeAuthenticator final : public lims::http::Authenticator {
 public:
  Result<Principal> Authenticate(const std::string& token, bool via_cookie) override {
    if (token == "down") return Status::Unavailable("database unreachable");
    Principal p;
    p.user_id = 1;
    p.session_id = 1;
    p.username = token;
    p.via_cookie = via_cookie;
    p.csrf_token = "csrf-" + token;
    if (token == "admin") {
      p.roles = {Role::kAdmin};
    } else if (token == "tech") {
      p.roles = {Role::kTechnician};
    } else if (token == "reviewer") {
      p.roles = {Role::kReviewer, Role::kSignatory};
    } else if (token == "auditor") {
      p.roles = {Role::kAuditor};
    } else if (token == "exporter") {
      p.roles = {Role::kExporter};
      p.organization_id = 7;
    } else {
      return Status::NotFound("unknown token");
    }
    return p;
  }
};

bool IsWrite(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

// Did the request itself carry `token`, as a bearer token or as the session cookie?
bool Carries(const Request& r, const std::string& token, bool via_cookie) {
  if (!via_cookie) {
    auto auth = r.headers.find("authorization");
    return auth != r.headers.end() && auth->second == "Bearer " + token;
  }
  auto cookie = r.headers.find("cookie");
  return cookie != r.headers.end() &&
         cookie->second.find(std::string(lims::http::kSessionCookie) + "=" + token) != std::string::npos;
}

bool g_handler_ran = false;

// Every handler checks that the dispatcher admitted its caller before it ran.
Handler Guarded(Access access, Handler inner) {
  return [access, inner](const Request& r) {
    if (!access.anyone) {
      FUZZ_CHECK(r.principal.has_value());
      FUZZ_CHECK(access.Allows(*r.principal));
      FUZZ_CHECK(Carries(r, r.principal->username, r.principal->via_cookie));
      if (r.principal->via_cookie && IsWrite(r.method)) {
        auto csrf = r.headers.find("x-csrf-token");
        FUZZ_CHECK(csrf != r.headers.end() && csrf->second == r.principal->csrf_token);
      }
    }
    g_handler_ran = true;
    return inner(r);
  };
}

Response Json(int status, const lims::http::JsonObject& body) {
  return lims::http::JsonResponse(status, body);
}

// Sample intake as sample_routes.cc reads it (ReadNewSample is private to that file).
Response NewSample(const lims::Catalog& catalog, const Request& req) {
  BodyReader in(req.body);
  const int64_t exporter = in.RequiredId("exporter");
  const std::string product = in.RequiredString("product");
  (void)in.OptionalString("article");
  const std::vector<std::string> sizes = in.StringArray("sizes", false);
  (void)in.OptionalString("lot");
  const int64_t quantity = in.RequiredInteger("quantity");
  (void)in.RequiredString("quantity_unit");
  (void)in.RequiredString("destination");
  const lims::DecisionRule rule = lims::http::ReadDecisionRule(in, "decision_rule");
  std::optional<lims::TestPlanRequest> plan_request;
  if (Poco::JSON::Object::Ptr plan = in.Object("test_plan", false); !plan.isNull()) {
    BodyReader plan_in(plan, "test_plan.");
    plan_request = lims::http::ReadTestPlanRequest(plan_in);
    in.Absorb(plan_in);
  }
  (void)in.OptionalString("condition", "intact");
  (void)in.OptionalString("condition_note");
  (void)in.OptionalString("storage_location");
  const std::vector<std::string> requirements = in.StringArray("requirements", false);
  LIMS_RETURN_IF_ERROR_RESPONSE(in.Finish());
  lims::http::JsonObject body = lims::http::NewObject();
  body.set("exporter", exporter);
  body.set("product", product);
  body.set("quantity", quantity);
  body.set("sizes", lims::http::StringsJson(sizes));
  body.set("decision_rule", rule.Token());
  if (plan_request) {
    Result<lims::TestPlan> plan = lims::DeriveTestPlan(catalog, *plan_request);
    if (!plan.ok()) return lims::http::ProblemFromStatus(plan.status());
    Poco::JSON::Array tests;
    for (const lims::PlannedTest& t : plan->tests) tests.add(lims::http::PlannedTestJson(t));
    body.set("tests", tests);
  }
  for (const std::string& id : requirements) {
    if (catalog.FindRequirement(id) == nullptr) {
      return lims::http::ProblemFromStatus(Status::Unprocessable("unknown requirement", {{"requirements", id}}));
    }
  }
  return Json(201, body);
}

// Result entry as sample_routes.cc reads it, judged against a catalog requirement's limit.
Response EnterResult(const lims::Catalog& catalog, const Request& req) {
  BodyReader in(req.body);
  const std::vector<std::string> values = in.StringArray("values", true);
  const std::string unit = in.OptionalString("unit");
  const std::optional<std::string> uncertainty = in.NullableString("uncertainty");
  (void)in.OptionalString("remarks");
  const lims::DecisionRule rule = lims::http::ReadDecisionRule(in, "decision_rule");
  const std::optional<int64_t> size = in.OptionalInteger("size");
  LIMS_RETURN_IF_ERROR_RESPONSE(in.Finish());
  const lims::CatalogRequirement* r = catalog.FindRequirement(req.params.at("requirement"));
  if (r == nullptr) return lims::http::Problem(404, "Not found", "no requirement " + req.params.at("requirement"));
  std::optional<int> shoe_size;
  if (size && *size >= 15 && *size <= 55) shoe_size = static_cast<int>(*size);
  const std::optional<lims::Limit> limit = r->LimitForSize(shoe_size);
  if (!limit) return lims::http::ProblemFromStatus(Status::Unprocessable("size needed", {{"size", "is required"}}));
  std::vector<lims::FieldError> errors;
  std::vector<lims::Observation> observations;
  for (size_t i = 0; i < values.size(); ++i) {
    Result<lims::Observation> o = lims::ParseObservation(*limit, values[i]);
    if (!o.ok()) {
      errors.push_back({"values[" + std::to_string(i) + "]", o.status().message()});
      continue;
    }
    if (o->kind == lims::Observation::Kind::kNumber && !unit.empty()) {
      Result<lims::Decimal> converted = lims::ConvertUnit(o->value, unit, limit->unit);
      if (!converted.ok()) {
        errors.push_back({"unit", converted.status().message()});
        continue;
      }
      o->value = *converted;
    }
    observations.push_back(*o);
  }
  std::optional<lims::Decimal> u;
  if (uncertainty) {
    Result<lims::Decimal> parsed = lims::Decimal::Parse(*uncertainty);
    if (!parsed.ok() || parsed->IsNegative()) {
      errors.push_back({"uncertainty", "must be a decimal of at least 0"});
    } else {
      u = *parsed;
    }
  }
  if (!errors.empty()) return lims::http::ProblemFromStatus(Status::InvalidArgument("invalid values", errors));
  const lims::Decision d =
      lims::Decide({r->label, r->standard_id + " " + r->clause}, *limit, r->combine, rule, observations, u);
  lims::http::JsonObject body = lims::http::NewObject();
  body.set("requirement", r->id);
  body.set("verdict", std::string(lims::VerdictName(d.verdict)));
  body.set("explanation", d.explanation);
  return Json(200, body);
}

struct Harness {
  lims::log::Log log{lims::log::Options{"error", lims::log::Format::kText}};
  FakeAuthenticator auth;
  lims::store::ConnectionPool pool{lims::store::DbConfig{}};  // never connected: no route here uses it
  lims::SystemClock clock;
  lims::http::SessionAuthenticator sessions{pool, clock};
  lims::auth::CommonPasswords common_passwords;
  lims::http::AppContext ctx{.pool = pool,
                             .clock = clock,
                             .catalog = lims::fuzz::RealCatalog(),
                             .authenticator = sessions,
                             .common_passwords = common_passwords};
  lims::http::Router router;

  Harness() {
    const lims::Catalog& catalog = lims::fuzz::RealCatalog();
    // The real catalog routes, each wrapped in the authorisation check.
    static lims::http::Router catalog_routes;
    lims::http::AddCatalogRoutes(catalog_routes, ctx);
    for (const lims::http::Router::Entry& e : catalog_routes.Entries()) {
      const std::string method = e.method;
      router.Add(e.method, e.pattern, e.access, Guarded(e.access, [method](const Request& r) {
                   const lims::http::Router::Match m = catalog_routes.Find(method, r.path);
                   FUZZ_CHECK(m.handler != nullptr);
                   return (*m.handler)(r);
                 }));
    }
    auto add = [this](const char* method, const char* pattern, Access access, Handler h) {
      router.Add(method, pattern, access, Guarded(access, std::move(h)));
    };
    add("GET", "/health", Access::Public(), [](const Request&) {
      lims::http::JsonObject body = lims::http::NewObject();
      body.set("status", "ok");
      return Json(200, body);
    });
    add("POST", "/api/v1/samples", Access::Roles({Role::kTechnician, Role::kAdmin}),
        [&catalog](const Request& r) { return NewSample(catalog, r); });
    // As sample_routes.cc answers for a sample it cannot find: the number is quoted in the problem.
    add("GET", "/api/v1/samples/{number}", Access::AnyUser(), [](const Request& r) {
      return lims::http::ProblemFromStatus(Status::NotFound("no sample " + r.params.at("number")));
    });
    add("DELETE", "/api/v1/samples/{number}", Access::Roles({Role::kAdmin}), [](const Request&) {
      return Response{204, "", "", {}};
    });
    add("POST", "/api/v1/samples/{number}/tests/{requirement}/results", Access::Roles({Role::kTechnician}),
        [&catalog](const Request& r) { return EnterResult(catalog, r); });
  }
};

Harness* g_harness = nullptr;
bool g_verbose = false;  // FUZZ_VERBOSE=1: print every response (to check what the seeds reach)

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string_view NextLine(std::string_view* rest) {
  const size_t nl = rest->find('\n');
  std::string_view line = rest->substr(0, nl);
  *rest = nl == std::string_view::npos ? std::string_view() : rest->substr(nl + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// Fills `request` from the framed input as DispatchHandler::Prepare does from Poco's request;
// false when the target is not a valid URI (limsd answers 400 before routing).
bool Frame(std::string_view input, Request* request) {
  const bool has_newline = input.find('\n') != std::string_view::npos;
  std::string_view line = NextLine(&input);
  const size_t sp = line.find(' ');
  request->method = std::string(line.substr(0, sp));
  std::string_view target = sp == std::string_view::npos ? std::string_view() : line.substr(sp + 1);
  target = target.substr(0, target.find(' '));
  request->request_id = "fuzz";
  request->client_address = "127.0.0.1";
  try {
    Poco::URI uri{std::string(target)};
    request->path = uri.getPath();
    for (const auto& [k, v] : uri.getQueryParameters()) request->query.emplace(k, v);
  } catch (const Poco::Exception&) {
    return false;
  }
  if (!has_newline) return true;
  while (!input.empty()) {
    line = NextLine(&input);
    if (line.empty()) break;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    request->headers[Lower(std::string(line.substr(0, colon)))] = std::string(value);
  }
  request->body = std::string(input);
  return true;
}

bool HasHeader(const Response& r, const std::string& name) {
  return std::any_of(r.headers.begin(), r.headers.end(), [&](const auto& h) { return h.first == name; });
}

void CheckResponse(const Request& request, const Response& r) {
  if (r.status == 500) {
    std::fprintf(stderr, "\n== handler failed on %s %s: %s\n", request.method.c_str(), request.path.c_str(),
                 r.body.c_str());
  }
  FUZZ_CHECK(r.status != 500);
  static constexpr int kDocumented[] = {200, 201, 204, 400, 401, 403, 404, 405, 409, 413, 422, 503};
  FUZZ_CHECK(std::find(std::begin(kDocumented), std::end(kDocumented), r.status) != std::end(kDocumented));
  if (r.status == 401) FUZZ_CHECK(HasHeader(r, "WWW-Authenticate"));
  if (r.status == 405) {
    auto allow = std::find_if(r.headers.begin(), r.headers.end(), [](const auto& h) { return h.first == "Allow"; });
    FUZZ_CHECK(allow != r.headers.end() && !allow->second.empty());
    for (std::string_view rest = allow->second; !rest.empty();) {
      const size_t comma = rest.find(", ");
      FUZZ_CHECK(rest.substr(0, comma) != request.method);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 2);
    }
  }
  if (r.status == 403 || r.status == 401) FUZZ_CHECK(!g_handler_ran);
  if (!r.body.empty() && r.content_type.find("json") != std::string::npos) {
    if (!lims::fuzz::IsJson(r.body)) std::fprintf(stderr, "\n== not JSON (%d): %s\n", r.status, r.body.c_str());
    FUZZ_CHECK(lims::fuzz::IsJson(r.body));
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  g_harness = new Harness();  // lives as long as the process
  g_verbose = std::getenv("FUZZ_VERBOSE") != nullptr;
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Request request;
  if (!Frame(lims::fuzz::AsString(data, size), &request)) return 0;
  for (const std::string& segment : lims::http::SplitPath(request.path)) {
    FUZZ_CHECK(!segment.empty() && segment.find('/') == std::string::npos);
  }
  g_handler_ran = false;
  Response response;
  try {
    response = lims::http::Dispatch(g_harness->router, g_harness->log, g_harness->auth, request);
  } catch (...) {
    std::fprintf(stderr, "\n== an exception escaped Dispatch\n");
    __builtin_trap();
  }
  if (g_verbose) {
    std::fprintf(stderr, "%s %s -> %d %s\n", request.method.c_str(), request.path.c_str(), response.status,
                 response.body.substr(0, 300).c_str());
  }
  CheckResponse(request, response);
  return 0;
}
