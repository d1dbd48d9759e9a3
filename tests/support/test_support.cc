#include "tests/support/test_support.h"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace lims::testing {

Decimal D(const std::string& text) {
  Result<Decimal> d = Decimal::Parse(text);
  EXPECT_TRUE(d.ok()) << text;
  return d.ok() ? *d : Decimal();
}

std::vector<std::string> Fields(const Status& s) {
  std::vector<std::string> out;
  for (const FieldError& e : s.field_errors()) out.push_back(e.field);
  return out;
}

Limit MakeLimit(Comparator c, const std::string& value, const std::string& unit) {
  Limit limit;
  limit.comparator = c;
  limit.value = D(value);
  limit.unit = unit;
  return limit;
}

std::string SourcePath(const std::string& relative) {
  return std::string(LIMS_SOURCE_DIR) + "/" + relative;
}
std::string BinaryPath(const std::string& relative) {
  return std::string(LIMS_BINARY_DIR) + "/" + relative;
}

int RunCommand(const std::string& command, std::string* output) {
  std::string full = command + " 2>&1";
  FILE* pipe = popen(full.c_str(), "r");
  if (pipe == nullptr) return -1;
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) {
    if (output != nullptr) output->append(buf.data(), n);
  }
  int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << contents;
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::string MakeTempDir(const std::string& prefix) {
  std::string templ = "/tmp/" + prefix + "XXXXXX";
  if (mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return templ;
}

Timestamp At(const std::string& rfc3339) {
  Result<Timestamp> t = ParseRfc3339(rfc3339);
  EXPECT_TRUE(t.ok()) << rfc3339 << ": " << t.status().ToString();
  return t.ok() ? *t : Timestamp();
}

ResultEntry Entry(std::vector<std::string> values, std::string unit) {
  ResultEntry e;
  e.values = std::move(values);
  e.unit = std::move(unit);
  return e;
}

}  // namespace lims::testing
