#include "lims/log/log.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <cstdio>

namespace lims::log {

Format ParseFormat(std::string_view text) {
  return text == "json" ? Format::kJson : Format::kText;
}

Log::Log(const Options& options) : format_(options.format) {
  logger_ = std::make_shared<spdlog::logger>("limsd", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  const char* pattern =
      format_ == Format::kJson ? R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l",%v})" : "%Y-%m-%dT%H:%M:%S.%eZ %l %v";
  logger_->set_formatter(std::make_unique<spdlog::pattern_formatter>(pattern, spdlog::pattern_time_type::utc));
  logger_->set_level(spdlog::level::from_str(options.level));
  logger_->flush_on(spdlog::level::info);
}

void Log::Event(spdlog::level::level_enum level, std::string_view message, std::initializer_list<Field> fields) {
  if (!logger_->should_log(level)) return;
  std::string line;
  if (format_ == Format::kJson) {
    line = "\"msg\":\"" + JsonEscape(message) + "\"";
    for (const auto& [key, value] : fields) line += ",\"" + std::string(key) + "\":\"" + JsonEscape(value) + "\"";
  } else {
    line = std::string(message);
    for (const auto& [key, value] : fields) line += " " + std::string(key) + "=" + value;
  }
  logger_->log(level, "{}", line);
}

}  // namespace lims::log
