#include "lims/server/settings.h"

#include <Poco/Exception.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

extern char** environ;

namespace lims::server {
namespace {

std::string KeyFor(const std::string& variable) {
  std::string key = variable.substr(5);  // drop "LIMS_"
  for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const size_t underscore = key.find('_');
  if (underscore != std::string::npos) key[underscore] = '.';
  return key;
}

Result<std::string> ReadSecretFile(const std::string& key, const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::InvalidArgument(key + ": cannot read " + path);
  std::string secret;
  std::getline(in, secret);
  return secret;
}

// An integer setting; a value that is not a whole number is an error naming its key.
Status IntSetting(const Poco::Util::AbstractConfiguration& c, const std::string& key, int fallback, int* out) {
  try {
    *out = c.getInt(key, fallback);
  } catch (const Poco::SyntaxException&) {
    return Status::InvalidArgument(key + " must be a whole number");
  }
  return Status::Ok();
}

Status ReadDb(const Poco::Util::AbstractConfiguration& c, Settings* s) {
  Result<store::DbConfig> db = store::ParseDbUrl(c.getString("db.url", "mysql://pramaan@127.0.0.1:3307/pramaan"));
  if (!db.ok()) return Status::InvalidArgument("db.url: " + db.status().message());
  s->db = *db;
  LIMS_RETURN_IF_ERROR(IntSetting(c, "db.pool_size", 16, &s->db.pool_size));
  LIMS_RETURN_IF_ERROR(IntSetting(c, "db.connect_timeout_s", 3, &s->db.connect_timeout_s));
  LIMS_RETURN_IF_ERROR(IntSetting(c, "db.read_timeout_s", 30, &s->db.read_timeout_s));
  LIMS_RETURN_IF_ERROR(IntSetting(c, "db.start_wait_s", 30, &s->db_start_wait_s));
  if (c.has("db.password")) {
    s->db.password = c.getString("db.password");
  } else if (c.has("db.password_file")) {
    Result<std::string> secret = ReadSecretFile("db.password_file", c.getString("db.password_file"));
    if (!secret.ok()) return secret.status();
    s->db.password = *secret;
  }
  if (s->db.pool_size < 1) return Status::InvalidArgument("db.pool_size must be at least 1");
  return Status::Ok();
}

// After ReadDb: the optional replica inherits the primary's timeouts, pool size and password.
Status ReadReplica(const Poco::Util::AbstractConfiguration& c, Settings* s) {
  const std::string url = c.getString("db.read_url", "");
  if (url.empty()) return Status::Ok();
  Result<store::DbConfig> db = store::ParseDbUrl(url);
  if (!db.ok()) return Status::InvalidArgument("db.read_url: " + db.status().message());
  LIMS_RETURN_IF_ERROR(IntSetting(c, "db.read_pool_size", s->db.pool_size, &db->pool_size));
  db->connect_timeout_s = s->db.connect_timeout_s;
  db->read_timeout_s = s->db.read_timeout_s;
  db->password = s->db.password;
  if (c.has("db.read_password")) {
    db->password = c.getString("db.read_password");
  } else if (c.has("db.read_password_file")) {
    Result<std::string> secret = ReadSecretFile("db.read_password_file", c.getString("db.read_password_file"));
    if (!secret.ok()) return secret.status();
    db->password = *secret;
  }
  if (db->pool_size < 1) return Status::InvalidArgument("db.read_pool_size must be at least 1");
  s->read_db = *db;
  return Status::Ok();
}

Status ReadHttp(const Poco::Util::AbstractConfiguration& c, Settings* s) {
  s->http_host = c.getString("http.host", s->http_host);
  s->http_port = c.getInt("http.port", s->http_port);
  s->http_threads = c.getInt("http.threads", s->http_threads);
  s->max_body_bytes =
      static_cast<size_t>(c.getInt64("http.max_body_bytes", static_cast<Poco::Int64>(s->max_body_bytes)));
  s->port_file = c.getString("http.port_file", "");
  // Where people reach the lab's server: QR codes on labels and certificates point there.
  s->public_base_url = c.getString("http.public_url", "");  // "": limsd derives it from the bound port
  if (s->http_port < 0 || s->http_port > 65535) return Status::InvalidArgument("http.port must be 0..65535");
  if (s->http_threads < 1) return Status::InvalidArgument("http.threads must be at least 1");
  return Status::Ok();
}

void ReadRest(const Poco::Util::AbstractConfiguration& c, Settings* s) {
  s->migrate_on_start = c.getBool("migrate.on_start", true);
  s->schema_dir = c.getString("schema.dir", LIMS_DEFAULT_SCHEMA_DIR);
  s->web_dir = c.getString("web.dir", LIMS_DEFAULT_WEB_DIR);
  s->catalog_dir = c.getString("catalog.dir", LIMS_DEFAULT_CATALOG_DIR);
  s->argon2.t_cost = static_cast<uint32_t>(c.getInt("auth.argon2_t", static_cast<int>(s->argon2.t_cost)));
  s->argon2.m_cost_kib = static_cast<uint32_t>(c.getInt("auth.argon2_m_kib", static_cast<int>(s->argon2.m_cost_kib)));
  s->argon2.parallelism = static_cast<uint32_t>(c.getInt("auth.argon2_p", static_cast<int>(s->argon2.parallelism)));
  s->common_passwords = c.getString("auth.common_passwords", auth::DefaultCommonPasswordsPath());
  s->session_ttl_s = c.getInt("auth.session_ttl_s", s->session_ttl_s);
  s->tls_cert = c.getString("tls.cert", "");
  s->tls_key = c.getString("tls.key", "");
  s->signing_key = c.getString("signing.key", "");
  s->signing_cert = c.getString("signing.cert", "");
  s->signing_chain = c.getString("signing.chain", "");
  s->signing_demo_dir = c.getString("signing.demo_dir", "");
  s->verify_rate_per_minute = std::max(1, c.getInt("verify.rate_per_minute", s->verify_rate_per_minute));
  s->drop_dir = c.getString("instruments.drop_dir", "");
  s->drop_user = c.getString("instruments.drop_user", "");
  s->drop_poll_ms = std::max(50, c.getInt("instruments.drop_poll_ms", s->drop_poll_ms));
  s->lab.code = c.getString("lab.code", "AGR");
  s->lab.name = c.getString("lab.name", "Footwear Testing Laboratory, Agra");
  s->lab.address = c.getString("lab.address", "Agra, Uttar Pradesh, India");
  s->lab.accreditation = c.getString("lab.accreditation", "");
  s->log.level = c.getString("log.level", "info");
  s->log.format = log::ParseFormat(c.getString("log.format", "text"));
  s->fonts = reports::FontSet::Default();
  s->fonts.regular = c.getString("reports.font_regular", s->fonts.regular);
  s->fonts.bold = c.getString("reports.font_bold", s->fonts.bold);
}

}  // namespace

Poco::AutoPtr<Poco::Util::MapConfiguration> EnvironmentLayer(const std::vector<std::string>& environment) {
  Poco::AutoPtr<Poco::Util::MapConfiguration> layer(new Poco::Util::MapConfiguration);
  for (const std::string& entry : environment) {
    const size_t eq = entry.find('=');
    if (eq == std::string::npos || entry.rfind("LIMS_", 0) != 0 || eq <= 5) continue;
    layer->setString(KeyFor(entry.substr(0, eq)), entry.substr(eq + 1));
  }
  return layer;
}

std::vector<std::string> ProcessEnvironment() {
  std::vector<std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) out.emplace_back(*e);
  return out;
}

Result<Settings> ReadSettings(const Poco::Util::AbstractConfiguration& config) {
  Settings s;
  try {
    LIMS_RETURN_IF_ERROR(ReadHttp(config, &s));
    LIMS_RETURN_IF_ERROR(ReadDb(config, &s));
    LIMS_RETURN_IF_ERROR(ReadReplica(config, &s));
    ReadRest(config, &s);
  } catch (const Poco::Exception& e) {
    return Status::InvalidArgument("configuration: " + e.displayText());
  }
  if (s.lab.code.empty() || s.lab.code.size() > 8) return Status::InvalidArgument("lab.code must be 1 to 8 letters");
  return s;
}

}  // namespace lims::server
