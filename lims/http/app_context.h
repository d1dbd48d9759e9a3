// AppContext: what the route handlers borrow from the composition root (limsd's ServerApplication):
// the connection pool, the clock, the lab's identity and the report fonts. Handlers never reach for
// globals such as Application::instance(). Everything here outlives the HTTP server.
#ifndef LIMS_HTTP_APP_CONTEXT_H_
#define LIMS_HTTP_APP_CONTEXT_H_

#include <chrono>
#include <string>

#include "lims/auth/credential.h"
#include "lims/auth/password.h"
#include "lims/core/catalog.h"
#include "lims/core/clock.h"
#include "lims/core/lab.h"
#include "lims/core/organization.h"
#include "lims/core/rate_limit.h"
#include "lims/http/session_authenticator.h"
#include "lims/store/connection_pool.h"
#include "reports/sample_report.h"
#include "reports/signing_key.h"

namespace lims::http {

struct AppContext {
  store::ConnectionPool& pool;
  const Clock& clock;
  const Catalog& catalog;
  SessionAuthenticator& authenticator;
  const auth::CommonPasswords& common_passwords;
  Lab lab;
  reports::FontSet fonts;
  std::string version;
  std::string git_revision;
  std::string web_dir;  // static files of the browser UI
  auth::Argon2Params argon2;
  std::string dummy_password_hash;  // verified for unknown users, so timing does not reveal them
  std::chrono::seconds session_ttl{8 * 3600};
  bool tls = false;                                       // cookies get Secure
  std::vector<District> districts;                        // catalog/districts.json: organisations name one of these
  std::string public_base_url = "http://localhost:8080";  // for QR codes on labels and certificates
  // The lab's signing key (PAdES) and the credential key (JWS); null: certificates cannot be issued.
  const reports::SigningKey* signing_key = nullptr;
  const auth::CredentialSigner* credential_signer = nullptr;
  // Per-client limit of the public verification endpoints; null: unlimited (unit tests).
  RateLimiter* verify_limiter = nullptr;
  // Optional second pool on a read replica (db.read_url), used only by read-only auditor routes
  // (rejection history, audit trail); null: they read the primary. A replica lags, so nothing
  // that must see the caller's own write reads through it.
  store::ConnectionPool* read_pool = nullptr;

  store::ConnectionPool& ReadPool() const { return read_pool != nullptr ? *read_pool : pool; }
};

}  // namespace lims::http

#endif  // LIMS_HTTP_APP_CONTEXT_H_
