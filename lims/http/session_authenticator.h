// SessionAuthenticator: bearer tokens and session cookies checked against the sessions table.
//
// Tokens are stored only as SHA-256 hashes. A small in-process cache keeps the per-request cost in
// microseconds; an entry lives at most kCacheTtl, so a session revoked by another limsd process (or
// a user disabled there) stops working within that time, and at once in the process that revoked it
// (Forget). Thread-safe.
#ifndef LIMS_HTTP_SESSION_AUTHENTICATOR_H_
#define LIMS_HTTP_SESSION_AUTHENTICATOR_H_

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

#include "lims/core/clock.h"
#include "lims/http/dispatcher.h"
#include "lims/store/connection_pool.h"

namespace lims::http {

class SessionAuthenticator final : public Authenticator {
 public:
  static constexpr std::chrono::seconds kCacheTtl{10};

  SessionAuthenticator(store::ConnectionPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

  Result<Principal> Authenticate(const std::string& token, bool via_cookie) override;
  // Drops a revoked session's cache entry (logout, disable) in this process.
  void Forget(const std::string& token_hash);
  void ForgetAll();

 private:
  struct Cached {
    Principal principal;
    Timestamp session_expires;
    std::chrono::steady_clock::time_point cached_at;
  };
  Result<Principal> Load(const std::string& token_hash, bool via_cookie);

  store::ConnectionPool& pool_;
  const Clock& clock_;
  std::mutex mu_;
  std::unordered_map<std::string, Cached> cache_;  // guarded by mu_
};

// The principal a session stands for: an API token's scope narrows the user's roles.
Principal PrincipalFor(const Session& session, const User& user, bool via_cookie);

}  // namespace lims::http

#endif  // LIMS_HTTP_SESSION_AUTHENTICATOR_H_
