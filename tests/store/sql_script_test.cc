#include "lims/store/sql_script.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace lims::store {
namespace {

std::vector<std::string> Texts(const std::vector<SqlStatement>& statements) {
  std::vector<std::string> out;
  for (const SqlStatement& s : statements) out.push_back(s.text);
  return out;
}

std::vector<int> Lines(const std::vector<SqlStatement>& statements) {
  std::vector<int> out;
  for (const SqlStatement& s : statements) out.push_back(s.line);
  return out;
}

TEST(SplitSqlStatements, SplitsOnSemicolons) {
  EXPECT_EQ(Texts(SplitSqlStatements("CREATE TABLE a (x INT);\nINSERT INTO a VALUES (1);\n")),
            (std::vector<std::string>{"CREATE TABLE a (x INT)", "INSERT INTO a VALUES (1)"}));
}

TEST(SplitSqlStatements, KeepsLastStatementWithoutSemicolon) {
  EXPECT_EQ(Texts(SplitSqlStatements("SELECT 1;\nSELECT 2")), (std::vector<std::string>{"SELECT 1", "SELECT 2"}));
}

TEST(SplitSqlStatements, BlankScriptHasNoStatements) {
  EXPECT_TRUE(SplitSqlStatements("").empty());
  EXPECT_TRUE(SplitSqlStatements("  \n;\n ;; \n-- only a comment\n/* and another */\n").empty());
}

TEST(SplitSqlStatements, IgnoresSemicolonsInsideQuotes) {
  const std::string script = "INSERT INTO t VALUES ('a;b', \"c;d\");\nSELECT `odd;name` FROM t;";
  EXPECT_EQ(Texts(SplitSqlStatements(script)),
            (std::vector<std::string>{"INSERT INTO t VALUES ('a;b', \"c;d\")", "SELECT `odd;name` FROM t"}));
}

TEST(SplitSqlStatements, HandlesEscapedAndDoubledQuotes) {
  const std::string script = "SELECT 'it\\'s; fine';SELECT 'it''s; fine too';SELECT 3;";
  EXPECT_EQ(Texts(SplitSqlStatements(script)),
            (std::vector<std::string>{"SELECT 'it\\'s; fine'", "SELECT 'it''s; fine too'", "SELECT 3"}));
}

TEST(SplitSqlStatements, IgnoresSemicolonsInsideComments) {
  const std::string script =
      "-- header; not a statement\n"
      "SELECT 1; # trailing; comment\n"
      "/* block; comment\n spanning; lines */ SELECT 2;\n";
  EXPECT_EQ(Texts(SplitSqlStatements(script)), (std::vector<std::string>{"SELECT 1", "SELECT 2"}));
}

TEST(SplitSqlStatements, DoubleDashWithoutSpaceIsNotAComment) {
  // MySQL needs whitespace after "--" to start a comment: 5--3 is 5 minus minus 3.
  EXPECT_EQ(Texts(SplitSqlStatements("SELECT 5--3;SELECT 4;")), (std::vector<std::string>{"SELECT 5--3", "SELECT 4"}));
}

TEST(SplitSqlStatements, ReportsStartLines) {
  const std::string script =
      "-- line 1\n"
      "\n"
      "CREATE TABLE a (\n"  // 3
      "  x INT\n"
      ");\n"
      "/* line 6\n"
      "   line 7 */\n"
      "INSERT INTO a VALUES ('multi\n"  // 8
      "line');\n"
      "\n"
      "SELECT 1; SELECT 2;\n";  // 11, 11
  EXPECT_EQ(Lines(SplitSqlStatements(script)), (std::vector<int>{3, 8, 11, 11}));
}

TEST(SplitSqlStatements, SplitsTheFoundationSchemaIntoItsTables) {
  const std::string script = testing::ReadFile(testing::SourcePath("schema/001_foundation.sql"));
  ASSERT_FALSE(script.empty());
  int creates = 0;
  for (size_t at = script.find("CREATE TABLE"); at != std::string::npos; at = script.find("CREATE TABLE", at + 1)) {
    ++creates;
  }
  const std::vector<SqlStatement> statements = SplitSqlStatements(script);
  ASSERT_EQ(static_cast<int>(statements.size()), creates);
  for (const SqlStatement& s : statements) EXPECT_EQ(s.text.rfind("CREATE TABLE", 0), 0u) << s.text;
}

}  // namespace
}  // namespace lims::store
