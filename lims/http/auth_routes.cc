// Identity: login and logout, the caller's own account, users and API tokens (admin).
#include <Poco/JSON/Array.h>

#include <algorithm>
#include <cctype>

#include "lims/auth/password.h"
#include "lims/auth/token.h"
#include "lims/core/login_policy.h"
#include "lims/http/json_io.h"
#include "lims/http/problem.h"
#include "lims/http/routes.h"
#include "lims/http/write_scope.h"
#include "lims/store/mysql_user_store.h"
#include "lims/store/unit_of_work.h"

namespace lims::http {
namespace {

template <typename Fn>
Response WithUsers(AppContext& ctx, Fn fn) {
  Result<store::ConnectionPool::Lease> lease = ctx.pool.Acquire();
  if (!lease.ok()) return ProblemFromStatus(lease.status());
  store::MysqlUserStore users(lease->connection());
  Response r = fn(users);
  if (r.status == 503) lease->MarkBroken();
  return r;
}

// A write of the identity slice as the request's unit of work (audited, idempotent).
template <typename Fn>
Response WithUserWrite(AppContext& ctx, const Request& req, Fn fn, bool response_has_secret = false) {
  return RunWrite(
      ctx, req,
      [&](store::UnitOfWork& work) {
        store::MysqlUserStore users(work.connection());
        return fn(users, work);
      },
      response_has_secret);
}

Poco::JSON::Array RolesJson(const std::vector<Role>& roles) {
  Poco::JSON::Array a;
  for (Role r : roles) a.add(std::string(RoleName(r)));
  return a;
}

JsonObject UserJson(const User& u) {
  JsonObject o = NewObject();
  o.set("id", std::to_string(u.id));
  o.set("username", u.username);
  o.set("name", u.name);
  o.set("roles", RolesJson(u.roles));
  if (u.organization_id)
    o.set("organization", std::to_string(*u.organization_id));
  else
    o.set("organization", Poco::Dynamic::Var());
  o.set("disabled", u.disabled);
  return o;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool IsUsername(const std::string& u) {
  return u.size() >= 3 && u.size() <= 64 && std::all_of(u.begin(), u.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
         });
}

std::string SessionCookie(const AppContext& ctx, const std::string& token, int max_age) {
  std::string cookie = std::string(kSessionCookie) + "=" + token +
                       "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age);
  if (ctx.tls) cookie += "; Secure";
  return cookie;
}

// Refuses while either the account or the client address is backing off (429 with Retry-After).
std::optional<Response> BackingOff(AppContext& ctx, UserStore& users, const std::vector<std::string>& subjects) {
  for (const std::string& subject : subjects) {
    int failures = 0;
    Result<std::optional<Timestamp>> last = users.LastFailure(subject, &failures);
    if (!last.ok()) return ProblemFromStatus(last.status());
    if (auto wait = RemainingBackoff(failures, *last, ctx.clock.Now())) {
      Response r = Problem(429, "Too many failed logins", "try again in " + std::to_string(wait->count()) + " s");
      r.headers.emplace_back("Retry-After", std::to_string(std::max<int64_t>(1, wait->count())));
      return r;
    }
  }
  return std::nullopt;
}

Response LoginFailed(UserStore& users, const std::vector<std::string>& subjects, Timestamp now) {
  for (const std::string& subject : subjects) {
    Result<int> counted = users.RecordFailure(subject, now);
    if (!counted.ok()) return ProblemFromStatus(counted.status());
  }
  return Problem(401, "Authentication failed", "invalid username or password");
}

bool Verify(const AppContext& ctx, const Result<User>& user, const std::string& password) {
  // An unknown or disabled user still costs one Argon2 verification, so that timing does not tell
  // which usernames exist.
  if (!user.ok() || user->disabled) {
    auth::VerifyPassword(password, ctx.dummy_password_hash);
    return false;
  }
  return auth::VerifyPassword(password, user->password_hash);
}

Response StartSession(AppContext& ctx, UserStore& users, const User& user, AuditSink& audit,
                      const std::string& address) {
  const std::string token = auth::NewToken();
  Session s;
  s.user_id = user.id;
  s.token_hash = auth::HashToken(token);
  s.csrf_token = auth::NewToken();
  s.kind = "session";
  s.created_at = ctx.clock.Now();
  s.expires_at = s.created_at + ctx.session_ttl;
  Result<Session> created = users.CreateSession(s);
  if (!created.ok()) return ProblemFromStatus(created.status());
  audit.Record({"auth.login", "user", std::to_string(user.id), "",
                AuditJson().Set("session", std::to_string(created->id)).Set("address", address).str(), ""});
  JsonObject body = NewObject();
  body.set("token", token);
  body.set("csrf_token", s.csrf_token);
  body.set("expires_at", FormatRfc3339(s.expires_at));
  body.set("user", UserJson(user));
  Response r = JsonResponse(200, body);
  r.headers.emplace_back("Set-Cookie", SessionCookie(ctx, token, static_cast<int>(ctx.session_ttl.count())));
  return r;
}

Response Login(AppContext& ctx, const Request& req) {
  BodyReader in(req.body);
  const std::string username = Lower(in.RequiredString("username"));
  const std::string password = in.RequiredString("password");
  LIMS_RETURN_IF_ERROR_RESPONSE(in.Finish());
  const std::vector<std::string> subjects = {"user:" + username, "addr:" + req.client_address};
  return WithUsers(ctx, [&](store::MysqlUserStore& users) {
    if (auto refused = BackingOff(ctx, users, subjects)) return *refused;
    Result<User> user = users.FindUserByName(username);
    if (!user.ok() && user.status().code() == Status::Code::kUnavailable) return ProblemFromStatus(user.status());
    if (!Verify(ctx, user, password)) return LoginFailed(users, subjects, ctx.clock.Now());
    for (const std::string& subject : subjects) users.ClearFailures(subject);
    // The session and its audit event commit together; failure counters above are bookkeeping
    // that must survive the 401, so they are not part of this unit of work.
    store::UnitOfWork work(users.connection(), store::Actor{user->id, user->username, "user"}, ctx.clock.Now());
    if (auth::NeedsRehash(user->password_hash, ctx.argon2)) {
      Result<std::string> stronger = auth::HashPassword(password, ctx.argon2);
      if (stronger.ok()) users.SetPasswordHash(user->id, *stronger);
    }
    Response r = StartSession(ctx, users, *user, work, req.client_address);
    if (r.status != 200) return r;
    const Status committed = work.Commit(std::nullopt, nullptr);
    return committed.ok() ? r : ProblemFromStatus(committed);
  });
}

Response Logout(AppContext& ctx, const Request& req) {
  return WithUserWrite(ctx, req, [&](store::MysqlUserStore& users, store::UnitOfWork& work) {
    const Status revoked = users.RevokeSession(req.principal->session_id, ctx.clock.Now());
    if (!revoked.ok()) return ProblemFromStatus(revoked);
    work.Record({"auth.logout", "user", std::to_string(req.principal->user_id), "",
                 AuditJson().Set("session", std::to_string(req.principal->session_id)).str(), ""});
    ctx.authenticator.ForgetAll();
    Response r{204, "application/json", "", {}};
    r.headers.emplace_back("Set-Cookie", SessionCookie(ctx, "", 0));
    return r;
  });
}

Response Me(AppContext& ctx, const Request& req) {
  return WithUsers(ctx, [&](store::MysqlUserStore& users) {
    Result<User> user = users.FindUser(req.principal->user_id);
    if (!user.ok()) return ProblemFromStatus(user.status());
    JsonObject body = UserJson(*user);
    body.set("session_roles", RolesJson(req.principal->roles));
    // A browser tab that lost its copy re-reads it here; only same-origin script can (no CORS).
    if (req.principal->via_cookie) body.set("csrf_token", req.principal->csrf_token);
    return JsonResponse(200, body);
  });
}

Response ChangePassword(AppContext& ctx, const Request& req) {
  BodyReader in(req.body);
  const std::string current = in.RequiredString("current_password");
  const std::string next = in.RequiredString("new_password");
  LIMS_RETURN_IF_ERROR_RESPONSE(in.Finish());
  return WithUserWrite(ctx, req, [&](store::MysqlUserStore& users, store::UnitOfWork& work) {
    Result<User> user = users.FindUser(req.principal->user_id);
    if (!user.ok()) return ProblemFromStatus(user.status());
    if (!auth::VerifyPassword(current, user->password_hash)) {
      return ProblemFromStatus(Status::Unprocessable("wrong password", {{"current_password", "does not match"}}));
    }
    LIMS_RETURN_IF_ERROR_RESPONSE(auth::CheckNewPassword(next, user->username, ctx.common_passwords));
    Result<std::string> hash = auth::HashPassword(next, ctx.argon2);
    if (!hash.ok()) return ProblemFromStatus(hash.status());
    LIMS_RETURN_IF_ERROR_RESPONSE(users.SetPasswordHash(user->id, *hash));
    // Every other session and token of the user ends with the old password.
    LIMS_RETURN_IF_ERROR_RESPONSE(users.RevokeOtherSessions(user->id, req.principal->session_id, ctx.clock.Now()));
    work.Record({"user.password", "user", std::to_string(user->id), "",
                 AuditJson().Set("other_sessions", "revoked").str(), ""});
    ctx.authenticator.ForgetAll();
    return Response{204, "application/json", "", {}};
  });
}

std::vector<Role> ReadRoles(BodyReader& in, const std::string& field) {
  std::vector<Role> roles;
  const std::vector<std::string> names = in.StringArray(field, true);
  for (size_t i = 0; i < names.size(); ++i) {
    Result<Role> r = ParseRole(names[i]);
    if (r.ok())
      roles.push_back(*r);
    else
      in.Fail(field + "[" + std::to_string(i) + "]", r.status().message());
  }
  return roles;
}

Response CreateUser(AppContext& ctx, const Request& req) {
  BodyReader in(req.body);
  NewUser u;
  u.username = in.RequiredString("username");
  const std::string password = in.RequiredString("password");
  u.name = in.RequiredString("name");
  u.roles = ReadRoles(in, "roles");
  if (auto org = in.NullableString("organization")) {
    if (!org->empty() && std::all_of(org->begin(), org->end(), ::isdigit) && org->size() < 18)
      u.organization_id = std::stoll(*org);
    else
      in.Fail("organization", "must be an organization id");
  }
  if (!u.username.empty() && !IsUsername(u.username)) in.Fail("username", "3 to 64 of a-z, 0-9, '.', '_', '-'");
  LIMS_RETURN_IF_ERROR_RESPONSE(in.Finish());
  LIMS_RETURN_IF_ERROR_RESPONSE(ValidateRoles(u.roles, u.organization_id));
  LIMS_RETURN_IF_ERROR_RESPONSE(auth::CheckNewPassword(password, u.username, ctx.common_passwords));
  Result<std::string> hash = auth::HashPassword(password, ctx.argon2);
  if (!hash.ok()) return ProblemFromStatus(hash.status());
  u.password_hash = *hash;
  return WithUserWrite(ctx, req, [&](store::MysqlUserStore& users, store::UnitOfWork& work) {
    Result<User> created = users.CreateUser(u);
    if (!created.ok()) return ProblemFromStatus(created.status());
    work.Record(UserCreatedChange(*created));
    return JsonResponse(201, UserJson(*created));
  });
}

Response ListUsers(AppContext& ctx) {
  return WithUsers(ctx, [&](store::MysqlUserStore& users) {
    Result<std::vector<User>> all = users.ListUsers();
    if (!all.ok()) return ProblemFromStatus(all.status());
    Poco::JSON::Array items;
    for (const User& u : *all) items.add(UserJson(u));
    JsonObject body = NewObject();
    body.set("items", items);
    return JsonResponse(200, body);
  });
}

Result<int64_t> IdParam(const Request& req) {
  const std::string& id = req.params.at("id");
  if (id.empty() || id.size() > 18 || !std::all_of(id.begin(), id.end(), ::isdigit))
    return Status::NotFound("no such id");
  return std::stoll(id);
}

Response SetDisabled(AppContext& ctx, const Request& req, bool disabled) {
  Result<int64_t> id = IdParam(req);
  if (!id.ok()) return ProblemFromStatus(id.status());
  if (disabled && *id == req.principal->user_id) {
    return ProblemFromStatus(Status::Unprocessable("an administrator cannot disable themself", {{"id", "is you"}}));
  }
  return WithUserWrite(ctx, req, [&](store::MysqlUserStore& users, store::UnitOfWork& work) {
    Result<User> before = users.FindUser(*id);
    if (!before.ok()) return ProblemFromStatus(before.status());
    LIMS_RETURN_IF_ERROR_RESPONSE(users.SetDisabled(*id, disabled, ctx.clock.Now()));
    ctx.authenticator.ForgetAll();  // a disabled user's sessions stop at once in this process
    Result<User> user = users.FindUser(*id);
    if (!user.ok()) return ProblemFromStatus(user.status());
    work.Record({disabled ? "user.disable" : "user.enable", "user", std::to_string(*id), UserDocument(*before),
                 UserDocument(*user), ""});
    return JsonResponse(200, UserJson(*user));
  });
}

JsonObject TokenJson(const Session& s) {
  JsonObject o = NewObject();
  o.set("id", std::to_string(s.id));
  o.set("user", std::to_string(s.user_id));
  o.set("name", s.name);
  o.set("scope", RolesJson(s.scope));
  o.set("created_at", FormatRfc3339(s.created_at));
  o.set("expires_at", FormatRfc3339(s.expires_at));
  if (s.revoked_at)
    o.set("revoked_at", FormatRfc3339(*s.revoked_at));
  else
    o.set("revoked_at", Poco::Dynamic::Var());
  return o;
}

Response CreateApiToken(AppContext& ctx, const Request& req) {
  BodyReader in(req.body);
  const std::string username = Lower(in.RequiredString("user"));
  Session s;
  s.name = in.RequiredString("name");
  s.scope = ReadRoles(in, "scope");
  // An empty scope would mean "all the user's roles": a token must say what it is for.
  if (s.scope.empty()) in.Fail("scope", "name at least one role");
  const int64_t days = in.OptionalInteger("expires_in_days").value_or(90);
  if (days < 1 || days > 365) in.Fail("expires_in_days", "must be 1 to 365");
  LIMS_RETURN_IF_ERROR_RESPONSE(in.Finish());
  auto create = [&](store::MysqlUserStore& users, store::UnitOfWork& work) {
    Result<User> user = users.FindUserByName(username);
    if (!user.ok()) return ProblemFromStatus(Status::Unprocessable("unknown user", {{"user", "no such user"}}));
    for (Role r : s.scope) {
      if (!user->Has(r))
        return ProblemFromStatus(Status::Unprocessable(
            "scope exceeds the user's roles", {{"scope", std::string(RoleName(r)) + " is not a role of " + username}}));
    }
    const std::string token = auth::NewToken();
    s.user_id = user->id;
    s.token_hash = auth::HashToken(token);
    s.csrf_token = auth::NewToken();  // unused: tokens are never cookies
    s.kind = "api";
    s.created_at = ctx.clock.Now();
    s.expires_at = s.created_at + std::chrono::hours(24 * days);
    Result<Session> created = users.CreateSession(s);
    if (!created.ok()) return ProblemFromStatus(created.status());
    std::vector<std::string> scope;
    for (Role r : s.scope) scope.emplace_back(RoleName(r));
    work.Record({"token.create", "api_token", std::to_string(created->id), "",
                 AuditJson().Set("user", username).Set("name", s.name).Set("scope", scope).str(), ""});
    JsonObject body = TokenJson(*created);
    body.set("token", token);  // shown once, stored only as its hash
    return JsonResponse(201, body);
  };
  return WithUserWrite(ctx, req, create, /*response_has_secret=*/true);
}

Response ListApiTokens(AppContext& ctx) {
  return WithUsers(ctx, [&](store::MysqlUserStore& users) {
    Result<std::vector<Session>> tokens = users.ListApiTokens();
    if (!tokens.ok()) return ProblemFromStatus(tokens.status());
    Poco::JSON::Array items;
    for (const Session& s : *tokens) items.add(TokenJson(s));
    JsonObject body = NewObject();
    body.set("items", items);
    return JsonResponse(200, body);
  });
}

Response RevokeApiToken(AppContext& ctx, const Request& req) {
  Result<int64_t> id = IdParam(req);
  if (!id.ok()) return ProblemFromStatus(id.status());
  return WithUserWrite(ctx, req, [&](store::MysqlUserStore& users, store::UnitOfWork& work) {
    // Only API tokens are revoked here; a login session ends by logout or by disabling its user.
    Result<std::vector<Session>> tokens = users.ListApiTokens();
    if (!tokens.ok()) return ProblemFromStatus(tokens.status());
    const bool is_token = std::any_of(tokens->begin(), tokens->end(), [&](const Session& t) { return t.id == *id; });
    if (!is_token) return Problem(404, "Not found", "no API token " + req.params.at("id"));
    LIMS_RETURN_IF_ERROR_RESPONSE(users.RevokeSession(*id, ctx.clock.Now()));
    work.Record({"token.revoke", "api_token", std::to_string(*id), "", AuditJson().Set("revoked", "true").str(), ""});
    ctx.authenticator.ForgetAll();
    return Response{204, "application/json", "", {}};
  });
}

}  // namespace

void AddAuthRoutes(Router& router, AppContext& ctx) {
  const Access admin = Access::Roles({Role::kAdmin});
  router.Add("POST", "/api/v1/auth/login", Access::Public(), [&ctx](const Request& r) { return Login(ctx, r); });
  router.Add("POST", "/api/v1/auth/logout", Access::AnyUser(), [&ctx](const Request& r) { return Logout(ctx, r); });
  router.Add("GET", "/api/v1/auth/me", Access::AnyUser(), [&ctx](const Request& r) { return Me(ctx, r); });
  router.Add("POST", "/api/v1/auth/password", Access::AnyUser(),
             [&ctx](const Request& r) { return ChangePassword(ctx, r); });
  router.Add("GET", "/api/v1/users", admin, [&ctx](const Request&) { return ListUsers(ctx); });
  router.Add("POST", "/api/v1/users", admin, [&ctx](const Request& r) { return CreateUser(ctx, r); });
  router.Add("POST", "/api/v1/users/{id}/disable", admin,
             [&ctx](const Request& r) { return SetDisabled(ctx, r, true); });
  router.Add("POST", "/api/v1/users/{id}/enable", admin,
             [&ctx](const Request& r) { return SetDisabled(ctx, r, false); });
  router.Add("GET", "/api/v1/api-tokens", admin, [&ctx](const Request&) { return ListApiTokens(ctx); });
  router.Add("POST", "/api/v1/api-tokens", admin, [&ctx](const Request& r) { return CreateApiToken(ctx, r); });
  router.Add("POST", "/api/v1/api-tokens/{id}/revoke", admin,
             [&ctx](const Request& r) { return RevokeApiToken(ctx, r); });
}

}  // namespace lims::http
