// Helpers shared by every test suite: Status matchers and paths of the source tree.
#ifndef LIMS_TESTS_SUPPORT_TEST_SUPPORT_H_
#define LIMS_TESTS_SUPPORT_TEST_SUPPORT_H_

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lims/core/clock.h"
#include "lims/core/decimal.h"
#include "lims/core/limit.h"
#include "lims/core/sample.h"
#include "lims/core/status.h"

// ASSERT_OK / EXPECT_OK take a Status or a Result<T> and print the error when it is not OK.
#define ASSERT_OK(expr)                                                         \
  do {                                                                          \
    const auto& lims_s_ = (expr);                                               \
    ASSERT_TRUE(lims_s_.ok()) << ::lims::testing::StatusOf(lims_s_).ToString(); \
  } while (0)
#define EXPECT_OK(expr)                                                         \
  do {                                                                          \
    const auto& lims_s_ = (expr);                                               \
    EXPECT_TRUE(lims_s_.ok()) << ::lims::testing::StatusOf(lims_s_).ToString(); \
  } while (0)

namespace lims::testing {

// Lets ASSERT_OK take a Status as well as a Result<T>.
inline const Status& StatusOf(const Status& s) {
  return s;
}
template <typename T>
const Status& StatusOf(const Result<T>& r) {
  return r.status();
}

// A decimal from a literal the test knows is valid (a failed parse fails the test).
Decimal D(const std::string& text);
// The field names of a failed status, in order, so that a test states exactly which fields failed.
std::vector<std::string> Fields(const Status& s);
// A one-sided limit: MakeLimit(Comparator::kLess, "3", "mg/kg").
Limit MakeLimit(Comparator c, const std::string& value, const std::string& unit);
// A time from RFC 3339 text the test knows is valid (a failed parse fails the test).
Timestamp At(const std::string& rfc3339);
// A result entry of replicate values in `unit`.
ResultEntry Entry(std::vector<std::string> values, std::string unit = "mg/kg");

std::string SourcePath(const std::string& relative);  // absolute path inside the source tree
std::string BinaryPath(const std::string& relative);  // absolute path inside the build tree

// Runs a shell command, returns its exit code and fills `output` with stdout and stderr.
int RunCommand(const std::string& command, std::string* output);

std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& contents);
// A fresh directory under the system temp dir, removed by the caller (or left for the OS).
std::string MakeTempDir(const std::string& prefix);

}  // namespace lims::testing

#endif  // LIMS_TESTS_SUPPORT_TEST_SUPPORT_H_
