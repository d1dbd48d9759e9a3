#include "lims/store/mysql_user_store.h"

#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <mysql_connection.h>

#include <memory>

#include "lims/store/sql_error.h"
#include "lims/store/sql_util.h"
#include "lims/store/transaction.h"

namespace lims::store {
namespace {

constexpr int kDuplicateKey = 1062;
constexpr int kNoReferencedRow = 1452;  // a foreign key names a missing row

// Column lists with prefixed labels, so that a row of the sessions-users join reads the same way
// as a row of either table alone.
constexpr char kUserColumns[] =
    "u.id AS u_id, u.username AS u_username, u.name AS u_name, u.password_hash AS u_password_hash, "
    "u.roles AS u_roles, u.organization_id AS u_organization_id, u.disabled AS u_disabled, "
    "u.created_at AS u_created_at";
constexpr char kSessionColumns[] =
    "s.id AS s_id, s.user_id AS s_user_id, s.token_hash AS s_token_hash, s.csrf_token AS s_csrf_token, "
    "s.kind AS s_kind, s.name AS s_name, s.scope AS s_scope, s.created_at AS s_created_at, "
    "s.expires_at AS s_expires_at, s.revoked_at AS s_revoked_at";

std::string JoinRoles(const std::vector<Role>& roles) {
  std::string out;
  for (Role r : roles) {
    if (!out.empty()) out += ',';
    out += RoleName(r);
  }
  return out;
}

// An unknown name (a role of a newer release, a hand edit) is skipped rather than failing the
// read: the user then holds fewer rights, never more, and the user list still loads.
std::vector<Role> SplitRoles(std::string_view list) {
  std::vector<Role> roles;
  while (!list.empty()) {
    const size_t comma = list.find(',');
    Result<Role> role = ParseRole(list.substr(0, comma));
    if (role.ok()) roles.push_back(*role);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return roles;
}

User UserFromRow(sql::ResultSet& rs) {
  User u;
  u.id = rs.getInt64("u_id");
  u.username = rs.getString("u_username");
  u.name = rs.getString("u_name");
  u.password_hash = rs.getString("u_password_hash");
  u.roles = SplitRoles(std::string(rs.getString("u_roles")));
  if (!rs.isNull("u_organization_id")) u.organization_id = rs.getInt64("u_organization_id");
  u.disabled = rs.getBoolean("u_disabled");
  u.created_at = FromSqlDatetime(rs.getString("u_created_at"));
  return u;
}

Session SessionFromRow(sql::ResultSet& rs) {
  Session s;
  s.id = rs.getInt64("s_id");
  s.user_id = rs.getInt64("s_user_id");
  s.token_hash = rs.getString("s_token_hash");
  s.csrf_token = rs.getString("s_csrf_token");
  s.kind = rs.getString("s_kind");
  s.name = rs.getString("s_name");
  s.scope = SplitRoles(std::string(rs.getString("s_scope")));
  s.created_at = FromSqlDatetime(rs.getString("s_created_at"));
  s.expires_at = FromSqlDatetime(rs.getString("s_expires_at"));
  s.revoked_at = OptionalDatetime(rs, "s_revoked_at");
  return s;
}

// Reads the one user the bound statement selects.
Result<User> OneUser(sql::PreparedStatement& ps, const std::string& missing) {
  Rows rs(ps.executeQuery());
  if (!rs->next()) return Status::NotFound(missing);
  return UserFromRow(*rs);
}

// Locks the user's row until the transaction ends; kNotFound when there is none. Checked up front
// because an UPDATE's row count cannot tell "no such user" from "nothing changed".
Status LockUser(sql::Connection& c, int64_t user_id) {
  Statement ps = Prepare(c, "SELECT id FROM users WHERE id = ? FOR UPDATE");
  ps->setInt64(1, user_id);
  Rows rs(ps->executeQuery());
  if (rs->next()) return Status::Ok();
  return Status::NotFound("no user " + std::to_string(user_id));
}

// Sessions already expired at `at` are left as they are: they ended by expiry, not revocation.
void RevokeLiveSessions(sql::Connection& c, int64_t user_id, Timestamp at) {
  Statement ps = Prepare(c,
                         "UPDATE sessions SET revoked_at = ? "
                         "WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ?");
  ps->setString(1, ToSqlDatetime(at));
  ps->setInt64(2, user_id);
  ps->setString(3, ToSqlDatetime(at));
  ps->executeUpdate();
}

void BindNewUser(sql::PreparedStatement& ps, const NewUser& user) {
  ps.setString(1, user.username);
  ps.setString(2, user.name);
  ps.setString(3, user.password_hash);
  ps.setString(4, JoinRoles(user.roles));
  if (user.organization_id) {
    ps.setInt64(5, *user.organization_id);
  } else {
    ps.setNull(5, 0);
  }
}

void BindSession(sql::PreparedStatement& ps, const Session& s) {
  ps.setString(1, s.token_hash);
  ps.setInt64(2, s.user_id);
  ps.setString(3, s.csrf_token);
  ps.setString(4, s.kind);
  ps.setString(5, s.name);
  ps.setString(6, JoinRoles(s.scope));
  ps.setString(7, ToSqlDatetime(s.created_at));
  ps.setString(8, ToSqlDatetime(s.expires_at));
  if (s.revoked_at) {
    ps.setString(9, ToSqlDatetime(*s.revoked_at));
  } else {
    ps.setNull(9, 0);
  }
}

}  // namespace

Result<User> MysqlUserStore::CreateUser(const NewUser& user) {
  int64_t id = 0;
  try {
    // UTC_TIMESTAMP rather than NOW(): right whatever time_zone the session has.
    Statement ps = Prepare(c_,
                           "INSERT INTO users (username, name, password_hash, roles, organization_id, disabled,"
                           " created_at, password_changed_at) VALUES (?, ?, ?, ?, ?, 0, UTC_TIMESTAMP(),"
                           " UTC_TIMESTAMP())");
    BindNewUser(*ps, user);
    ps->executeUpdate();
    id = LastInsertId(c_);
  } catch (const sql::SQLException& e) {
    if (e.getErrorCode() == kDuplicateKey) return Status::Conflict("username \"" + user.username + "\" is taken");
    if (e.getErrorCode() == kNoReferencedRow) {
      return Status::Unprocessable("unknown organization", {{"organization", "no such organization"}});
    }
    return FromSqlException(e, "creating a user");
  }
  return FindUser(id);
}

Result<User> MysqlUserStore::FindUserByName(std::string_view username) {
  try {
    Statement ps = Prepare(c_, std::string("SELECT ") + kUserColumns + " FROM users u WHERE u.username = ?");
    ps->setString(1, std::string(username));
    return OneUser(*ps, "no user " + std::string(username));
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "reading a user");
  }
}

Result<User> MysqlUserStore::FindUser(int64_t id) {
  try {
    Statement ps = Prepare(c_, std::string("SELECT ") + kUserColumns + " FROM users u WHERE u.id = ?");
    ps->setInt64(1, id);
    return OneUser(*ps, "no user " + std::to_string(id));
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "reading a user");
  }
}

Result<std::vector<User>> MysqlUserStore::ListUsers() {
  try {
    Statement ps = Prepare(c_, std::string("SELECT ") + kUserColumns + " FROM users u ORDER BY u.username");
    Rows rs(ps->executeQuery());
    std::vector<User> users;
    while (rs->next()) users.push_back(UserFromRow(*rs));
    return users;
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "listing users");
  }
}

Status MysqlUserStore::SetPasswordHash(int64_t user_id, const std::string& hash) {
  try {
    Transaction tx(c_);
    LIMS_RETURN_IF_ERROR(LockUser(c_, user_id));
    Statement ps =
        Prepare(c_, "UPDATE users SET password_hash = ?, password_changed_at = UTC_TIMESTAMP() WHERE id = ?");
    ps->setString(1, hash);
    ps->setInt64(2, user_id);
    ps->executeUpdate();
    tx.Commit();
    return Status::Ok();
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "setting a password");
  }
}

Status MysqlUserStore::SetDisabled(int64_t user_id, bool disabled, Timestamp at) {
  try {
    Transaction tx(c_);
    LIMS_RETURN_IF_ERROR(LockUser(c_, user_id));
    Statement ps = Prepare(c_, "UPDATE users SET disabled = ? WHERE id = ?");
    ps->setBoolean(1, disabled);
    ps->setInt64(2, user_id);
    ps->executeUpdate();
    // In the same transaction: no moment exists in which the user is disabled but a session lives.
    if (disabled) RevokeLiveSessions(c_, user_id, at);
    tx.Commit();
    return Status::Ok();
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, disabled ? "disabling a user" : "enabling a user");
  }
}

Result<Session> MysqlUserStore::CreateSession(const Session& session) {
  Session stored = session;
  try {
    Statement ps = Prepare(c_,
                           "INSERT INTO sessions (token_hash, user_id, csrf_token, kind, name, scope, created_at,"
                           " expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    BindSession(*ps, session);
    ps->executeUpdate();
    stored.id = LastInsertId(c_);
  } catch (const sql::SQLException& e) {
    // Our own message: the server's would copy the token hash into the log.
    if (e.getErrorCode() == kDuplicateKey) return Status::Conflict("a session with this token hash exists");
    return FromSqlException(e, "creating a session");
  }
  return stored;
}

Result<std::pair<Session, User>> MysqlUserStore::FindLiveSession(const std::string& token_hash, Timestamp now) {
  try {
    // `now` comes from the caller's clock, not the server's, so that expiry is testable.
    Statement ps = Prepare(c_, std::string("SELECT ") + kSessionColumns + ", " + kUserColumns +
                                   " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?"
                                   " AND s.revoked_at IS NULL AND s.expires_at > ? AND u.disabled = 0");
    ps->setString(1, token_hash);
    ps->setString(2, ToSqlDatetime(now));
    Rows rs(ps->executeQuery());
    if (!rs->next()) return Status::NotFound("no live session for this token");
    return std::make_pair(SessionFromRow(*rs), UserFromRow(*rs));
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "reading a session");
  }
}

Status MysqlUserStore::RevokeSession(int64_t session_id, Timestamp at) {
  try {
    // revoked_at goes from NULL to a time, so a matched row is always a changed row: one write,
    // and a read only to tell "already revoked" from "unknown".
    Statement ps = Prepare(c_, "UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
    ps->setString(1, ToSqlDatetime(at));
    ps->setInt64(2, session_id);
    if (ps->executeUpdate() == 1) return Status::Ok();
    Statement exists = Prepare(c_, "SELECT 1 FROM sessions WHERE id = ?");
    exists->setInt64(1, session_id);
    Rows rs(exists->executeQuery());
    if (rs->next()) return Status::Ok();
    return Status::NotFound("no session " + std::to_string(session_id));
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "revoking a session");
  }
}

Result<std::vector<Session>> MysqlUserStore::ListApiTokens() {
  try {
    Statement ps = Prepare(c_, std::string("SELECT ") + kSessionColumns +
                                   " FROM sessions s WHERE s.kind = 'api' ORDER BY s.created_at DESC, s.id DESC");
    Rows rs(ps->executeQuery());
    std::vector<Session> tokens;
    while (rs->next()) tokens.push_back(SessionFromRow(*rs));
    return tokens;
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "listing API tokens");
  }
}

Result<int> MysqlUserStore::RecordFailure(const std::string& subject, Timestamp at) {
  try {
    // The upsert keeps the row locked until commit, so the count read back is this failure's,
    // even while other limsd processes count failures of the same subject.
    Transaction tx(c_);
    Statement ps = Prepare(c_,
                           "INSERT INTO login_failures (subject, failures, last_failure_at) VALUES (?, 1, ?)"
                           " ON DUPLICATE KEY UPDATE failures = failures + 1, last_failure_at = ?");
    ps->setString(1, subject);
    ps->setString(2, ToSqlDatetime(at));
    ps->setString(3, ToSqlDatetime(at));
    ps->executeUpdate();
    Statement count = Prepare(c_, "SELECT failures FROM login_failures WHERE subject = ?");
    count->setString(1, subject);
    Rows rs(count->executeQuery());
    if (!rs->next()) return Status::Internal("the failure counter of " + subject + " vanished");
    const int failures = rs->getInt(1);
    tx.Commit();
    return failures;
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "counting a failed login");
  }
}

Result<std::optional<Timestamp>> MysqlUserStore::LastFailure(const std::string& subject, int* failures) {
  try {
    Statement ps = Prepare(c_, "SELECT failures, last_failure_at FROM login_failures WHERE subject = ?");
    ps->setString(1, subject);
    Rows rs(ps->executeQuery());
    const bool found = rs->next();
    if (failures != nullptr) *failures = found ? rs->getInt("failures") : 0;
    if (!found) return std::optional<Timestamp>();
    return OptionalDatetime(*rs, "last_failure_at");
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "reading failed logins");
  }
}

Status MysqlUserStore::ClearFailures(const std::string& subject) {
  try {
    // The row stays (no rows are ever removed); a subject without one has nothing to clear.
    Statement ps = Prepare(c_, "UPDATE login_failures SET failures = 0, last_failure_at = NULL WHERE subject = ?");
    ps->setString(1, subject);
    ps->executeUpdate();
    return Status::Ok();
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "clearing failed logins");
  }
}

Status MysqlUserStore::RevokeOtherSessions(int64_t user_id, int64_t keep, Timestamp at) {
  try {
    Statement ps = Prepare(c_,
                           "UPDATE sessions SET revoked_at = ? "
                           "WHERE user_id = ? AND id <> ? AND revoked_at IS NULL AND expires_at > ?");
    ps->setString(1, ToSqlDatetime(at));
    ps->setInt64(2, user_id);
    ps->setInt64(3, keep);
    ps->setString(4, ToSqlDatetime(at));
    ps->executeUpdate();
    return Status::Ok();
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "revoking sessions");
  }
}

Result<auth::ESignature> MysqlUserStore::RecordSignature(const auth::ESignature& signature) {
  try {
    Statement ps = Prepare(c_,
                           "INSERT INTO e_signatures (user_id, signer, meaning, record, reason, signed_at)"
                           " VALUES (?, ?, ?, ?, ?, ?)");
    ps->setInt64(1, signature.user_id);
    ps->setString(2, signature.signer);
    ps->setString(3, std::string(auth::SignatureMeaningName(signature.meaning)));
    ps->setString(4, signature.record);
    ps->setString(5, signature.reason);
    ps->setString(6, ToSqlDatetime(signature.at));
    ps->executeUpdate();
    auth::ESignature stored = signature;
    stored.id = LastInsertId(c_);
    return stored;
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "recording an electronic signature");
  }
}

}  // namespace lims::store
