#include "lims/store/db_config.h"

#include <charconv>

namespace lims::store {
namespace {

Status ParsePort(std::string_view text, int* port) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1 || value > 65535) {
    return Status::InvalidArgument("database URL has an invalid port \"" + std::string(text) + "\"");
  }
  *port = value;
  return Status::Ok();
}

Status ParseQuery(std::string_view query, DbConfig* config) {
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos || pair.substr(0, eq) != "socket") {
      return Status::InvalidArgument("database URL option \"" + std::string(pair) + "\" is not supported");
    }
    config->socket = std::string(pair.substr(eq + 1));
  }
  return Status::Ok();
}

}  // namespace

std::string DbConfig::Describe() const {
  std::string where = socket.empty() ? host + ":" + std::to_string(port) : "localhost?socket=" + socket;
  return "mysql://" + user + "@" + where + "/" + database;
}

Result<DbConfig> ParseDbUrl(std::string_view url) {
  constexpr std::string_view kScheme = "mysql://";
  if (url.substr(0, kScheme.size()) != kScheme) {
    // Never echo the URL: a mistyped one may carry a password.
    return Status::InvalidArgument("database URL must start with mysql://");
  }
  std::string_view rest = url.substr(kScheme.size());
  DbConfig config;
  const size_t q = rest.find('?');
  if (q != std::string_view::npos) {
    LIMS_RETURN_IF_ERROR(ParseQuery(rest.substr(q + 1), &config));
    rest = rest.substr(0, q);
  }
  const size_t at = rest.find('@');
  const size_t slash = rest.find('/');
  if (at == std::string_view::npos || slash == std::string_view::npos || slash < at || at == 0) {
    return Status::InvalidArgument("database URL must look like mysql://USER@HOST[:PORT]/DATABASE");
  }
  if (rest.substr(0, at).find(':') != std::string_view::npos) {
    return Status::InvalidArgument(
        "database URL must not contain a password; use LIMS_DB_PASSWORD or db.password_file");
  }
  config.user = std::string(rest.substr(0, at));
  std::string_view hostport = rest.substr(at + 1, slash - at - 1);
  config.database = std::string(rest.substr(slash + 1));
  if (hostport.empty() || config.database.empty())
    return Status::InvalidArgument("database URL lacks a host or a database");
  const size_t colon = hostport.rfind(':');
  if (colon != std::string_view::npos) {
    LIMS_RETURN_IF_ERROR(ParsePort(hostport.substr(colon + 1), &config.port));
    hostport = hostport.substr(0, colon);
  }
  if (hostport.empty()) return Status::InvalidArgument("database URL lacks a host or a database");
  config.host = std::string(hostport);
  return config;
}

}  // namespace lims::store
