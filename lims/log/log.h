// Logging on spdlog: one logger for the process, text or JSON lines, level from configuration.
//
// Event() writes a message with key/value fields. In JSON mode each line is one object
// ({"ts":..., "level":..., "msg":..., "method":...}) for log shippers; in text mode fields follow
// as key=value. Callers pass only what may be logged: never passwords, tokens or request bodies.
// Thread-safe (spdlog's _mt sinks).
#ifndef LIMS_LOG_LOG_H_
#define LIMS_LOG_LOG_H_

#include <spdlog/logger.h>

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "lims/core/audit.h"

namespace lims::log {

enum class Format { kText, kJson };

struct Options {
  std::string level = "info";  // trace, debug, info, warn, error, critical, off
  Format format = Format::kText;
};

using Field = std::pair<std::string_view, std::string>;

class Log {
 public:
  explicit Log(const Options& options);

  void Event(spdlog::level::level_enum level, std::string_view message, std::initializer_list<Field> fields = {});
  void Info(std::string_view message, std::initializer_list<Field> fields = {}) {
    Event(spdlog::level::info, message, fields);
  }
  void Warn(std::string_view message, std::initializer_list<Field> fields = {}) {
    Event(spdlog::level::warn, message, fields);
  }
  void Error(std::string_view message, std::initializer_list<Field> fields = {}) {
    Event(spdlog::level::err, message, fields);
  }

 private:
  std::shared_ptr<spdlog::logger> logger_;
  Format format_;
};

// Parses "text" / "json"; anything else is text.
Format ParseFormat(std::string_view text);
using ::lims::JsonEscape;  // one escaping for log lines and audit documents (lims/core/audit.h)

}  // namespace lims::log

#endif  // LIMS_LOG_LOG_H_
