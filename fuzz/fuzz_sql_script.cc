// libFuzzer target: the migration splitter (SplitSqlStatements) and the database URL parser.
//
// Invariants: no statement is empty or blank, none starts or ends with whitespace (the splitter
// trims), statement lines are 1-based, never decrease and never pass the script's last line, and
// the statements together are never longer than the script (comments are dropped, a block comment
// becomes at most one space). ParseDbUrl: an accepted URL has a user, a host or socket, a database,
// a port in 1..65535, and its Describe() starts with mysql://.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "lims/store/db_config.h"
#include "lims/store/sql_script.h"

namespace {

bool IsSpace(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

void CheckSplit(std::string_view script) {
  const std::vector<lims::store::SqlStatement> statements = lims::store::SplitSqlStatements(script);
  int lines = 1;
  for (char c : script) lines += c == '\n' ? 1 : 0;
  int previous_line = 1;
  size_t total = 0;
  for (const lims::store::SqlStatement& s : statements) {
    FUZZ_CHECK(!s.text.empty());
    FUZZ_CHECK(!IsSpace(s.text.front()));
    FUZZ_CHECK(!IsSpace(s.text.back()));
    FUZZ_CHECK(s.line >= 1);
    FUZZ_CHECK(s.line >= previous_line);
    FUZZ_CHECK(s.line <= lines);
    previous_line = s.line;
    total += s.text.size();
  }
  FUZZ_CHECK(total <= script.size());
}

void CheckDbUrl(std::string_view url) {
  lims::Result<lims::store::DbConfig> config = lims::store::ParseDbUrl(url);
  if (!config.ok()) {
    FUZZ_CHECK(!config.status().message().empty());
    return;
  }
  FUZZ_CHECK(!config->user.empty());
  FUZZ_CHECK(!config->database.empty());
  FUZZ_CHECK(!config->host.empty() || !config->socket.empty());
  FUZZ_CHECK(config->port >= 1 && config->port <= 65535);
  FUZZ_CHECK(config->password.empty());
  FUZZ_CHECK(config->user.find(':') == std::string::npos);  // a password in the URL is refused
  FUZZ_CHECK(config->Describe().rfind("mysql://", 0) == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input = lims::fuzz::AsString(data, size);
  CheckSplit(input);
  // The same bytes as a URL, and as one after the scheme so that most inputs get past the prefix.
  CheckDbUrl(input);
  CheckDbUrl("mysql://" + input);
  return 0;
}
