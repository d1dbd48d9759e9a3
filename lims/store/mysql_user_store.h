// MysqlUserStore: UserStore over a MySQL/MariaDB connection borrowed from the pool (schema 004).
//
// Every statement is prepared. Nothing is ever removed: sessions and tokens end by getting
// revoked_at, failure counters go back to 0 (the application user has no DELETE grant; see
// schema/GRANTS.md). Connector/C++ exceptions are caught here and returned as Status (sql_error.h).
// Not thread-safe: one instance per request, on that request's connection.
#ifndef LIMS_STORE_MYSQL_USER_STORE_H_
#define LIMS_STORE_MYSQL_USER_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lims/auth/e_signature.h"
#include "lims/core/user.h"

namespace sql {
class Connection;
}

namespace lims::store {

class MysqlUserStore final : public UserStore {
 public:
  explicit MysqlUserStore(sql::Connection& connection) : c_(connection) {}
  sql::Connection& connection() { return c_; }

  // Also kUnprocessable (field "organization") when organization_id names no organisation.
  Result<User> CreateUser(const NewUser& user) override;
  Result<User> FindUserByName(std::string_view username) override;
  Result<User> FindUser(int64_t id) override;
  Result<std::vector<User>> ListUsers() override;
  // Also stamps password_changed_at. Sessions are left alone: whether a new password ends them is
  // the caller's decision (it may call RevokeSession).
  Status SetPasswordHash(int64_t user_id, const std::string& hash) override;
  // Re-enabling a user revives none of the sessions that disabling revoked.
  Status SetDisabled(int64_t user_id, bool disabled, Timestamp at) override;

  // kConflict when a session with the same token hash exists.
  Result<Session> CreateSession(const Session& session) override;
  Result<std::pair<Session, User>> FindLiveSession(const std::string& token_hash, Timestamp now) override;
  // Revoking an already revoked session keeps its first revocation time; kNotFound when unknown.
  Status RevokeSession(int64_t session_id, Timestamp at) override;
  // Every API token, revoked and expired ones included (they carry revoked_at and expires_at),
  // newest first.
  Result<std::vector<Session>> ListApiTokens() override;

  Result<int> RecordFailure(const std::string& subject, Timestamp at) override;
  // 0 and nullopt for a subject without failures since its last success.
  Result<std::optional<Timestamp>> LastFailure(const std::string& subject, int* failures) override;
  Status ClearFailures(const std::string& subject) override;

  // After a password change: ends every live session and API token of the user but `keep` (the
  // session that changed it), so a stolen session does not outlive the password it came from.
  Status RevokeOtherSessions(int64_t user_id, int64_t keep, Timestamp at);

  // Appends an electronic signature (e_signatures); returns it with its id.
  Result<auth::ESignature> RecordSignature(const auth::ESignature& signature);

 private:
  sql::Connection& c_;
};

}  // namespace lims::store

#endif  // LIMS_STORE_MYSQL_USER_STORE_H_
