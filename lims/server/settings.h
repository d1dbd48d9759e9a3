// Settings: limsd's configuration, read once from Poco's layered configuration.
//
// Layers, highest precedence first: environment variables LIMS_* (LIMS_DB_URL → db.url,
// LIMS_HTTP_PORT → http.port: drop the prefix, lower-case, first '_' becomes '.'), then the
// properties file (lims.properties, every key documented there with its default), then the
// defaults below. Secrets come only from the environment (LIMS_DB_PASSWORD) or a file under var/
// (db.password_file), never from the properties file.
#ifndef LIMS_SERVER_SETTINGS_H_
#define LIMS_SERVER_SETTINGS_H_

#include <Poco/AutoPtr.h>
#include <Poco/Util/AbstractConfiguration.h>
#include <Poco/Util/MapConfiguration.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "lims/auth/password.h"
#include "lims/core/lab.h"
#include "lims/core/status.h"
#include "lims/log/log.h"
#include "lims/store/db_config.h"
#include "reports/sample_report.h"

namespace lims::server {

struct Settings {
  std::string http_host = "127.0.0.1";  // loopback until authentication lands; a proxy fronts it
  int http_port = 8080;
  int http_threads = 16;
  size_t max_body_bytes = 1 << 20;
  std::string public_base_url;  // http.public_url (LIMS_HTTP_PUBLIC_URL); "" = this host's bound port
  std::string port_file;        // when set, the bound port is written there (tests use port 0)
  store::DbConfig db;
  // db.read_url: an optional read replica, used only by the read-only auditor routes (rejection
  // history, audit trail; docs/read-replica.md). Its password: db.read_password(_file), else the
  // primary's (a replica carries the primary's accounts).
  std::optional<store::DbConfig> read_db;
  int db_start_wait_s = 30;
  bool migrate_on_start = true;
  std::string schema_dir;
  std::string web_dir;
  std::string catalog_dir;
  // Identity
  auth::Argon2Params argon2;
  std::string common_passwords;
  int session_ttl_s = 8 * 3600;
  // Optional TLS (PEM files); without them limsd speaks plain HTTP behind a reverse proxy.
  std::string tls_cert;
  std::string tls_key;
  // The lab's signing key and certificate (PEM; an ECDSA P-256 key also signs credentials), or a
  // directory where a demo lab CA and signing key are made on first start (run.sh: var/keys).
  std::string signing_key;
  std::string signing_cert;
  std::string signing_chain;
  std::string signing_demo_dir;
  int verify_rate_per_minute = 120;  // public verification requests per client address
  // Instrument drop folder (lims/server/drop_folder.h): watched when set; imports are recorded as
  // drop_user (a technician's username).
  std::string drop_dir;
  std::string drop_user;
  int drop_poll_ms = 2000;
  Lab lab;
  log::Options log;
  reports::FontSet fonts;
};

// Maps LIMS_* variables ("LIMS_DB_URL=...") to configuration keys ("db.url").
Poco::AutoPtr<Poco::Util::MapConfiguration> EnvironmentLayer(const std::vector<std::string>& environment);
std::vector<std::string> ProcessEnvironment();

// kInvalidArgument naming the key and the problem.
Result<Settings> ReadSettings(const Poco::Util::AbstractConfiguration& config);

}  // namespace lims::server

#endif  // LIMS_SERVER_SETTINGS_H_
