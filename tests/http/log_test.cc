#include "lims/log/log.h"

#include <gtest/gtest.h>

namespace lims::log {
namespace {

TEST(JsonEscape, EscapesQuotesControlsAndBackslashes) {
  EXPECT_EQ(JsonEscape("a\"b\\c\nd\x01"), "a\\\"b\\\\c\\nd\\u0001");
  EXPECT_EQ(JsonEscape("µg/cm²"), "µg/cm²");
}

TEST(ParseFormat, OnlyJsonSelectsJson) {
  EXPECT_EQ(ParseFormat("json"), Format::kJson);
  EXPECT_EQ(ParseFormat("text"), Format::kText);
  EXPECT_EQ(ParseFormat("JSON?"), Format::kText);
}

}  // namespace
}  // namespace lims::log
