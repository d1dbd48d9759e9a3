#include "lims/http/session_authenticator.h"

#include <algorithm>

#include "lims/auth/token.h"
#include "lims/store/mysql_user_store.h"

namespace lims::http {

Principal PrincipalFor(const Session& session, const User& user, bool via_cookie) {
  Principal p;
  p.user_id = user.id;
  p.username = user.username;
  p.organization_id = user.organization_id;
  p.session_id = session.id;
  p.via_cookie = via_cookie;
  p.csrf_token = session.csrf_token;
  for (Role r : user.roles) {
    const bool in_scope =
        session.scope.empty() || std::find(session.scope.begin(), session.scope.end(), r) != session.scope.end();
    if (in_scope) p.roles.push_back(r);
  }
  return p;
}

Result<Principal> SessionAuthenticator::Authenticate(const std::string& token, bool via_cookie) {
  if (!auth::LooksLikeToken(token)) return Status::NotFound("not a token");
  const std::string hash = auth::HashToken(token);
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(hash);
    const auto now = std::chrono::steady_clock::now();
    if (it != cache_.end() && now - it->second.cached_at < kCacheTtl && clock_.Now() < it->second.session_expires) {
      Principal p = it->second.principal;
      p.via_cookie = via_cookie;
      return p;
    }
  }
  return Load(hash, via_cookie);
}

Result<Principal> SessionAuthenticator::Load(const std::string& token_hash, bool via_cookie) {
  Result<store::ConnectionPool::Lease> lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  store::MysqlUserStore users(lease->connection());
  Result<std::pair<Session, User>> live = users.FindLiveSession(token_hash, clock_.Now());
  if (!live.ok()) {
    if (live.status().code() == Status::Code::kUnavailable) lease->MarkBroken();
    return live.status();
  }
  Principal p = PrincipalFor(live->first, live->second, via_cookie);
  std::lock_guard lock(mu_);
  if (cache_.size() > 10000) cache_.clear();  // bounded: a flood of tokens cannot grow it forever
  cache_[token_hash] = {p, live->first.expires_at, std::chrono::steady_clock::now()};
  return p;
}

void SessionAuthenticator::Forget(const std::string& token_hash) {
  std::lock_guard lock(mu_);
  cache_.erase(token_hash);
}

void SessionAuthenticator::ForgetAll() {
  std::lock_guard lock(mu_);
  cache_.clear();
}

}  // namespace lims::http
