#include "lims/http/write_scope.h"

#include "lims/core/sha256.h"
#include "lims/http/problem.h"

namespace lims::http {
namespace {

// Visible ASCII, at most 128 characters: what a client puts in a header (a UUID, a counter).
bool ValidKey(const std::string& key) {
  if (key.empty() || key.size() > 128) return false;
  for (char c : key) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

std::string HeaderValue(const Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

Response Replay(const store::StoredResponse& s) {
  Response r{s.status, s.content_type, s.body, {}};
  if (!s.location.empty()) r.headers.emplace_back("Location", s.location);
  if (!s.etag.empty()) r.headers.emplace_back("ETag", s.etag);
  r.headers.emplace_back("Idempotent-Replayed", "true");
  return r;
}

// Looks the key up and answers with the stored response, or nullopt when the request must run.
std::optional<Response> Replayed(sql::Connection& c, const store::IdempotencyKey& key) {
  Result<std::optional<store::StoredResponse>> found = store::FindStoredResponse(c, key);
  if (!found.ok()) return ProblemFromStatus(found.status());
  if (*found) return Replay(**found);
  return std::nullopt;
}

}  // namespace

store::Actor ActorOf(const Request& req) {
  store::Actor a;
  if (req.principal) {
    a.user_id = req.principal->user_id;
    a.username = req.principal->username;
    a.role = req.acting_role;
  }
  return a;
}

Response RunWrite(AppContext& ctx, const Request& req, const WriteHandler& handler, bool response_has_secret) {
  std::optional<store::IdempotencyKey> key;
  if (auto h = req.headers.find("idempotency-key"); h != req.headers.end()) {
    if (!ValidKey(h->second)) {
      return Problem(400, "Malformed request", "the Idempotency-Key header is not valid",
                     {{"Idempotency-Key", "1 to 128 visible ASCII characters"}});
    }
    const int64_t user = req.principal ? req.principal->user_id : 0;
    key = store::IdempotencyKey{user, h->second, Sha256Hex(req.method + "\n" + req.path + "\n" + req.body)};
  }
  Result<store::ConnectionPool::Lease> lease = ctx.pool.Acquire();
  if (!lease.ok()) return ProblemFromStatus(lease.status());
  sql::Connection& c = lease->connection();
  // A repeated key is not looked up first (that would cost every request a read for the sake of
  // rare retries): the repeat runs, and either fails (it was done already) or reaches the commit,
  // where the key's unique row refuses it; in both cases it is rolled back and the first response
  // replayed below.
  Response r;
  Status committed;
  {
    store::UnitOfWork work(c, ActorOf(req), ctx.clock.Now());
    r = handler(work);
    if (r.status >= 200 && r.status < 300) {
      store::StoredResponse stored{r.status, r.content_type, r.body, HeaderValue(r, "Location"),
                                   HeaderValue(r, "ETag")};
      if (response_has_secret) {
        const Response kept = Problem(409, "Conflict",
                                      "a request with this Idempotency-Key already succeeded (status " +
                                          std::to_string(r.status) + "); its response held a secret that is not kept");
        stored = {kept.status, kept.content_type, kept.body, stored.location, ""};
      }
      committed = work.Commit(key, &stored);
    }
  }  // without a commit, `work` rolls back here
  if (r.status == 503) {
    lease->MarkBroken();
    return r;
  }
  if (r.status < 200 || r.status >= 300) {
    // A twin with the same key may have won the race and committed meanwhile (its change is why
    // this one failed): the client asked for that request once, so it gets that response.
    if (key) {
      if (std::optional<Response> replay = Replayed(c, *key)) return *replay;
    }
    return r;
  }
  if (committed.ok()) return r;
  if (committed.code() == Status::Code::kConflict && key) {
    if (std::optional<Response> replay = Replayed(c, *key)) return *replay;
  }
  if (committed.code() == Status::Code::kUnavailable) lease->MarkBroken();
  return ProblemFromStatus(committed);
}

}  // namespace lims::http
