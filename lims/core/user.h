// Users, roles and sessions: who is asking, and what they may do.
//
// Roles: admin, technician, reviewer, signatory (ISO/IEC 17025's authorised signatory), exporter
// (bound to exactly one exporter organisation; holds no other role) and auditor (read-only).
// Value types; thread-compatible.
#ifndef LIMS_CORE_USER_H_
#define LIMS_CORE_USER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lims/core/audit.h"
#include "lims/core/clock.h"
#include "lims/core/status.h"

namespace lims {

enum class Role { kAdmin, kTechnician, kReviewer, kSignatory, kExporter, kAuditor };
std::string_view RoleName(Role r);
Result<Role> ParseRole(std::string_view text);
std::vector<Role> AllRoles();

struct User {
  int64_t id = 0;
  std::string username;
  std::string name;
  std::vector<Role> roles;
  std::optional<int64_t> organization_id;  // exporters only
  bool disabled = false;
  std::string password_hash;  // Argon2id encoded string; never leaves the server
  Timestamp created_at;

  bool Has(Role r) const;
};

// The audit trail's record of a user (never the password hash) and of its creation.
std::string UserDocument(const User& u);
AuditChange UserCreatedChange(const User& u);

// The authenticated caller of one request.
struct Principal {
  int64_t user_id = 0;
  std::string username;
  std::vector<Role> roles;  // for an API token: the token's scope, a subset of the user's roles
  std::optional<int64_t> organization_id;
  int64_t session_id = 0;
  bool via_cookie = false;  // browser session: writes need the CSRF header
  std::string csrf_token;   // the session's, to compare with the header

  bool Has(Role r) const;
  bool IsExporter() const { return Has(Role::kExporter); }
};

// Checks a new user's roles: at least one; an exporter holds only `exporter` and names an
// organisation; staff never name one. Field errors name "roles" / "organization".
Status ValidateRoles(const std::vector<Role>& roles, const std::optional<int64_t>& organization_id);

struct NewUser {
  std::string username;  // 3-64 of [a-z0-9._-]
  std::string name;
  std::vector<Role> roles;
  std::optional<int64_t> organization_id;
  std::string password_hash;
};

struct Session {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string token_hash;  // SHA-256 of the bearer token: the token itself is never stored
  std::string csrf_token;
  std::string kind;         // "session" or "api"
  std::string name;         // API tokens: what it is for ("UV-Vis 2 import script")
  std::vector<Role> scope;  // API tokens: the roles it may use; empty for sessions (the user's)
  Timestamp created_at;
  Timestamp expires_at;
  std::optional<Timestamp> revoked_at;
};

// Persistence of users, sessions and failed-login counters. Every write is one transaction.
// kUnavailable when the database cannot be reached. One instance per request.
class UserStore {
 public:
  virtual ~UserStore() = default;
  // kConflict when the username is taken.
  virtual Result<User> CreateUser(const NewUser& user) = 0;
  virtual Result<User> FindUserByName(std::string_view username) = 0;
  virtual Result<User> FindUser(int64_t id) = 0;
  virtual Result<std::vector<User>> ListUsers() = 0;
  virtual Status SetPasswordHash(int64_t user_id, const std::string& hash) = 0;
  // Disabling also revokes every session and API token of the user.
  virtual Status SetDisabled(int64_t user_id, bool disabled, Timestamp at) = 0;

  virtual Result<Session> CreateSession(const Session& session) = 0;
  // The live session or token with this hash, with its user (kNotFound when unknown, expired at
  // `now`, revoked, or its user is disabled).
  virtual Result<std::pair<Session, User>> FindLiveSession(const std::string& token_hash, Timestamp now) = 0;
  virtual Status RevokeSession(int64_t session_id, Timestamp at) = 0;
  virtual Result<std::vector<Session>> ListApiTokens() = 0;

  // Failed logins per subject ("user:alice", "addr:127.0.0.1"): the count since the last success.
  virtual Result<int> RecordFailure(const std::string& subject, Timestamp at) = 0;
  virtual Result<std::optional<Timestamp>> LastFailure(const std::string& subject, int* failures) = 0;
  virtual Status ClearFailures(const std::string& subject) = 0;
};

}  // namespace lims

#endif  // LIMS_CORE_USER_H_
