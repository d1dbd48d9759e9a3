// Per-request cost of token authentication: a cold check (SHA-256 + one indexed session lookup in
// MariaDB) and a cached one (SHA-256 + in-process cache). Uses the database named by LIMS_DB_URL /
// LIMS_DB_PASSWORD (scripts/bench-token-auth.sh makes a scratch one); creates one user and session.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "lims/auth/password.h"
#include "lims/auth/token.h"
#include "lims/http/session_authenticator.h"
#include "lims/store/connection_pool.h"
#include "lims/store/db_config.h"
#include "lims/store/mysql_user_store.h"

namespace {

double MedianNanos(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

template <typename Fn>
double TimeEach(int n, Fn fn) {
  std::vector<double> samples;
  samples.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    const auto start = std::chrono::steady_clock::now();
    fn();
    samples.push_back(std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count());
  }
  return MedianNanos(std::move(samples));
}

}  // namespace

int main() {
  const char* url = std::getenv("LIMS_DB_URL");
  const char* password = std::getenv("LIMS_DB_PASSWORD");
  if (url == nullptr || password == nullptr) {
    std::fprintf(stderr, "token_auth_bench: set LIMS_DB_URL and LIMS_DB_PASSWORD (scripts/bench-token-auth.sh)\n");
    return 2;
  }
  lims::Result<lims::store::DbConfig> config = lims::store::ParseDbUrl(url);
  if (!config.ok()) return 2;
  config->password = password;
  lims::store::ConnectionPool pool(*config);
  lims::SystemClock clock;
  auto lease = pool.Acquire();
  if (!lease.ok()) return 3;
  lims::store::MysqlUserStore users(lease->connection());
  const std::string name = "bench-" + std::to_string(clock.Now().time_since_epoch().count());
  auto hash = lims::auth::HashPassword(lims::auth::GeneratePassword(), lims::auth::Argon2Params::ForTests());
  auto user = users.CreateUser({name, name, {lims::Role::kTechnician}, std::nullopt, *hash});
  if (!user.ok()) return 4;
  const std::string token = lims::auth::NewToken();
  lims::Session s;
  s.user_id = user->id;
  s.token_hash = lims::auth::HashToken(token);
  s.csrf_token = lims::auth::NewToken();
  s.kind = "session";
  s.created_at = clock.Now();
  s.expires_at = s.created_at + std::chrono::hours(1);
  if (!users.CreateSession(s).ok()) return 5;

  const double cold = TimeEach(2000, [&] { (void)users.FindLiveSession(lims::auth::HashToken(token), clock.Now()); });
  lims::http::SessionAuthenticator auth(pool, clock);
  (void)auth.Authenticate(token, false);
  const double warm = TimeEach(200000, [&] { (void)auth.Authenticate(token, false); });
  std::printf("token check, uncached (hash + session lookup): median %.1f us\n", cold / 1000.0);
  std::printf("token check, cached (hash + in-process cache): median %.2f us\n", warm / 1000.0);
  return 0;
}
