// SQL injection guard for the store: every statement text that reaches the database is built from
// string literals and named constants only, never from values. A small tokenizer reads each
// lims/store/*.cc and looks at every call of executeQuery(, execute(, executeUpdate(,
// prepareStatement( and the stores' local Prepare( up to its closing parenthesis:
//
//   1. no argument may concatenate (`+`) anything but string literals and kConstants
//      (std::string("...") and std::string(kConstant) count as such);
//   2. a query variable passed to one of them ("q" or "q.c_str()") must be built the same way:
//      its declaration and every `q +=` before the call are checked by rule 1;
//   3. plain (unprepared) statements run only literals: execute*( with an argument takes string
//      literals only, except in migrator.cc, which runs the statements of migration files.
//
// Values go in through bound parameters (setString, setInt64, ...), which these rules leave alone.
// The scanner itself is tested on in-memory snippets, so a rule that stops matching is noticed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace lims::testing {
namespace {

struct Token {
  enum class Kind { kIdentifier, kString, kChar, kNumber, kPunct };
  Kind kind;
  std::string text;
  int line;
};

bool IsIdentStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// C++ tokens without comments. String literals (with their encoding prefix, raw strings included)
// become one kString token each; adjacent literals stay separate tokens.
std::vector<Token> Tokenize(const std::string& src) {
  std::vector<Token> out;
  int line = 1;
  size_t i = 0;
  const size_t n = src.size();
  auto count_lines = [&](size_t from, size_t to) {
    line +=
        static_cast<int>(std::count(src.begin() + static_cast<long>(from), src.begin() + static_cast<long>(to), '\n'));
  };
  while (i < n) {
    const char c = src[i];
    if (c == '\n') {
      ++line;
      ++i;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (src.compare(i, 2, "//") == 0) {
      while (i < n && src[i] != '\n') ++i;
    } else if (src.compare(i, 2, "/*") == 0) {
      const size_t end = src.find("*/", i + 2);
      const size_t stop = end == std::string::npos ? n : end + 2;
      count_lines(i, stop);
      i = stop;
    } else if (c == '#' && (out.empty() || out.back().line != line)) {
      // A preprocessor line (#include <...> would otherwise read as operators); continuations too.
      while (i < n && src[i] != '\n') {
        if (src[i] == '\\' && i + 1 < n && src[i + 1] == '\n') {
          ++line;
          ++i;
        }
        ++i;
      }
    } else if (IsIdentStart(c)) {
      size_t j = i;
      while (j < n && IsIdentChar(src[j])) ++j;
      const std::string word = src.substr(i, j - i);
      const bool prefix = word == "R" || word == "u8R" || word == "uR" || word == "UR" || word == "LR" ||
                          word == "u8" || word == "u" || word == "U" || word == "L";
      if (prefix && j < n && src[j] == '"') {
        const int start_line = line;
        size_t end;
        if (word.back() == 'R') {  // raw string: R"delim( ... )delim"
          const size_t open = src.find('(', j);
          const std::string delim = src.substr(j + 1, open - j - 1);
          const size_t close = src.find(")" + delim + "\"", open);
          end = close == std::string::npos ? n : close + delim.size() + 2;
        } else {
          end = j + 1;
          while (end < n && src[end] != '"') end += src[end] == '\\' ? 2 : 1;
          end = std::min(end + 1, n);
        }
        count_lines(i, end);
        out.push_back({Token::Kind::kString, src.substr(i, end - i), start_line});
        i = end;
      } else {
        out.push_back({Token::Kind::kIdentifier, word, line});
        i = j;
      }
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      size_t j = i;  // digits, suffixes, hex, exponents and digit separators (1'000)
      while (j < n &&
             (IsIdentChar(src[j]) || src[j] == '.' || (src[j] == '\'' && j + 1 < n && IsIdentChar(src[j + 1])))) {
        ++j;
      }
      out.push_back({Token::Kind::kNumber, src.substr(i, j - i), line});
      i = j;
    } else if (c == '"' || c == '\'') {
      size_t end = i + 1;
      while (end < n && src[end] != c && src[end] != '\n') end += src[end] == '\\' ? 2 : 1;
      end = std::min(end + 1, n);
      out.push_back({c == '"' ? Token::Kind::kString : Token::Kind::kChar, src.substr(i, end - i), line});
      i = end;
    } else {
      static const char* const kMulti[] = {"::", "->", "++", "+=", "--", "-=", "==", "!=", "<=", ">=", "&&", "||"};
      std::string op(1, c);
      for (const char* m : kMulti) {
        if (src.compare(i, 2, m) == 0) op = m;
      }
      out.push_back({Token::Kind::kPunct, op, line});
      i += op.size();
    }
  }
  return out;
}

using Tokens = std::vector<Token>;

std::string Join(const Tokens& tokens) {
  std::string out;
  for (const Token& t : tokens) {
    const bool word = t.kind != Token::Kind::kPunct;
    if (!out.empty() && word && IsIdentChar(out.back())) out += ' ';
    out += t.text;
  }
  return out.size() > 160 ? out.substr(0, 157) + "..." : out;
}

bool IsPlus(const Token& t) {
  return t.kind == Token::Kind::kPunct && (t.text == "+" || t.text == "++" || t.text == "+=");
}

bool IsNamedConstant(const Token& t) {
  return t.kind == Token::Kind::kIdentifier && t.text.size() >= 2 && t.text[0] == 'k' &&
         std::isupper(static_cast<unsigned char>(t.text[1]));
}

bool AllStrings(const Tokens& tokens, size_t from, size_t to) {
  if (from >= to) return false;
  for (size_t i = from; i < to; ++i) {
    if (tokens[i].kind != Token::Kind::kString) return false;
  }
  return true;
}

// Splits at depth-0 occurrences of `separator` ("+" or ",").
std::vector<Tokens> SplitTopLevel(const Tokens& tokens, const std::string& separator) {
  std::vector<Tokens> parts(1);
  int depth = 0;
  for (const Token& t : tokens) {
    if (t.kind == Token::Kind::kPunct && (t.text == "(" || t.text == "[" || t.text == "{")) ++depth;
    if (t.kind == Token::Kind::kPunct && (t.text == ")" || t.text == "]" || t.text == "}")) --depth;
    if (depth == 0 && t.kind == Token::Kind::kPunct && t.text == separator) {
      parts.emplace_back();
    } else {
      parts.back().push_back(t);
    }
  }
  return parts;
}

bool IsSafeConcatenation(const Tokens& expression);

// One operand of a concatenation: literals ("a" "b"), a kConstant, or std::string(<safe>).
bool IsSafeOperand(const Tokens& t) {
  if (AllStrings(t, 0, t.size())) return true;
  if (t.size() == 1 && IsNamedConstant(t[0])) return true;
  const bool wrapped = t.size() >= 6 && t[0].text == "std" && t[1].text == "::" &&
                       (t[2].text == "string" || t[2].text == "string_view") && t[3].text == "(" &&
                       t.back().text == ")";
  if (wrapped) return IsSafeConcatenation(Tokens(t.begin() + 4, t.end() - 1));
  return false;
}

bool IsSafeConcatenation(const Tokens& expression) {
  if (expression.empty()) return false;
  for (const Tokens& operand : SplitTopLevel(expression, "+")) {
    if (!IsSafeOperand(operand)) return false;
  }
  return true;
}

bool HasPlus(const Tokens& tokens) {
  return std::any_of(tokens.begin(), tokens.end(), IsPlus);
}

struct Violation {
  std::string file;
  int line;
  std::string rule;  // "concatenation", "query variable", "plain statement"
  std::string detail;
};

std::string Format(const Violation& v) {
  return v.file + ":" + std::to_string(v.line) + ": " + v.rule + ": " + v.detail;
}

struct ScanResult {
  std::vector<Violation> violations;
  int calls = 0;  // SQL calls seen, so that a scanner that stops matching is noticed
};

// The query variable an argument names: "q" for `q` and for `q.c_str()` / `q.data()`; else "".
std::string QueryVariable(const Tokens& arg) {
  if (arg.size() == 1 && arg[0].kind == Token::Kind::kIdentifier && !IsNamedConstant(arg[0])) return arg[0].text;
  if (arg.size() == 5 && arg[0].kind == Token::Kind::kIdentifier && arg[1].text == "." &&
      (arg[2].text == "c_str" || arg[2].text == "data") && arg[3].text == "(" && arg[4].text == ")") {
    return arg[0].text;
  }
  return "";
}

// Tokens from `from` up to the next depth-0 ';'.
Tokens StatementFrom(const Tokens& tokens, size_t from) {
  Tokens out;
  int depth = 0;
  for (size_t i = from; i < tokens.size(); ++i) {
    const std::string& s = tokens[i].text;
    if (tokens[i].kind == Token::Kind::kPunct) {
      if (s == "(" || s == "[" || s == "{") ++depth;
      if (s == ")" || s == "]" || s == "}") --depth;
      if (depth == 0 && s == ";") break;
      if (depth < 0) break;
    }
    out.push_back(tokens[i]);
  }
  return out;
}

// Rule 2: how `name` was built before the call at `call`: its nearest declaration
// (`string name =`, `auto name =`) and every assignment or `+=` between it and the call.
void CheckQueryVariable(const std::string& file, const Tokens& tokens, size_t call, const std::string& name,
                        std::vector<Violation>* out) {
  size_t declaration = std::string::npos;
  for (size_t i = call; i-- > 1;) {
    if (tokens[i].text == name && tokens[i].kind == Token::Kind::kIdentifier && i + 1 < call &&
        tokens[i + 1].text == "=" &&
        (tokens[i - 1].text == "string" || tokens[i - 1].text == "auto" || tokens[i - 1].text == ">")) {
      declaration = i;
      break;
    }
  }
  if (declaration == std::string::npos) return;  // a parameter or a member: not built here
  for (size_t i = declaration; i < call; ++i) {
    if (tokens[i].kind != Token::Kind::kIdentifier || tokens[i].text != name || i + 1 >= call) continue;
    if (i > 0 && (tokens[i - 1].text == "." || tokens[i - 1].text == "->" || tokens[i - 1].text == "::")) continue;
    const std::string& op = tokens[i + 1].text;
    if (op != "=" && op != "+=") continue;
    const Tokens rhs = StatementFrom(tokens, i + 2);
    // A declaration without any concatenation (a call, a copy) is not "built from concatenation".
    if (op == "=" && !HasPlus(rhs)) continue;
    if (!IsSafeConcatenation(rhs)) {
      out->push_back(
          {file, tokens[i].line, "query variable",
           name + " " + op + " " + Join(rhs) + " (passed to SQL at line " + std::to_string(tokens[call].line) + ")"});
    }
  }
}

ScanResult ScanSource(const std::string& file, const std::string& source) {
  static const std::set<std::string> kSqlCalls = {"executeQuery", "execute", "executeUpdate", "prepareStatement",
                                                  "Prepare"};
  static const std::set<std::string> kPlainCalls = {"executeQuery", "execute", "executeUpdate"};
  const bool is_migrator = std::filesystem::path(file).filename() == "migrator.cc";
  const Tokens tokens = Tokenize(source);
  ScanResult result;
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (t.kind != Token::Kind::kIdentifier || kSqlCalls.count(t.text) == 0 || tokens[i + 1].text != "(") continue;
    // Gather everything up to the matching ')', across lines.
    Tokens args;
    int depth = 0;
    size_t j = i + 1;
    for (; j < tokens.size(); ++j) {
      if (tokens[j].kind == Token::Kind::kPunct && tokens[j].text == "(") ++depth;
      if (tokens[j].kind == Token::Kind::kPunct && tokens[j].text == ")" && --depth == 0) break;
      if (j > i + 1) args.push_back(tokens[j]);
    }
    ++result.calls;
    const std::string call = t.text + "(" + Join(args) + ")";
    const std::vector<Tokens> arguments = args.empty() ? std::vector<Tokens>{} : SplitTopLevel(args, ",");
    // Rule 1: concatenation inside the call.
    for (const Tokens& arg : arguments) {
      if (HasPlus(arg) && !IsSafeConcatenation(arg)) {
        result.violations.push_back({file, t.line, "concatenation", call});
      }
    }
    // Rule 2: a query variable built by concatenation earlier.
    for (const Tokens& arg : arguments) {
      const std::string name = QueryVariable(arg);
      if (!name.empty()) CheckQueryVariable(file, tokens, i, name, &result.violations);
    }
    // Rule 3: plain statements run literals only (the migrator runs migration files' statements).
    if (kPlainCalls.count(t.text) > 0 && !arguments.empty()) {
      for (const Tokens& arg : arguments) {
        const bool literal = AllStrings(arg, 0, arg.size());
        const bool migration_statement =
            is_migrator && arg.size() == 1 && arg[0].kind == Token::Kind::kIdentifier && !IsNamedConstant(arg[0]);
        if (!literal && !migration_statement) {
          result.violations.push_back({file, t.line, "plain statement", call + " runs a non-literal"});
        }
      }
    }
  }
  return result;
}

std::vector<std::string> Rules(const ScanResult& r) {
  std::vector<std::string> out;
  for (const Violation& v : r.violations) out.push_back(v.rule);
  return out;
}

std::string Report(const ScanResult& r) {
  std::string out;
  for (const Violation& v : r.violations) out += Format(v) + "\n";
  return out;
}

std::vector<std::string> StoreSources() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(SourcePath("lims/store"))) {
    if (entry.is_regular_file() && entry.path().extension() == ".cc") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(SqlSafety, StoreBuildsStatementsFromLiteralsAndConstantsOnly) {
  const std::vector<std::string> files = StoreSources();
  ASSERT_GE(files.size(), 5u) << "expected the store's sources under " << SourcePath("lims/store");
  int calls = 0;
  std::string report;
  for (const std::string& file : files) {
    const std::string relative = "lims/store/" + std::filesystem::path(file).filename().string();
    const ScanResult r = ScanSource(relative, ReadFile(file));
    calls += r.calls;
    report += Report(r);
  }
  EXPECT_EQ(report, "") << "SQL built from values (bind them as parameters instead):\n" << report;
  // The store makes about a hundred such calls; far fewer means the scanner stopped seeing them.
  EXPECT_GE(calls, 80) << "the scanner found only " << calls << " SQL calls in lims/store";
}

TEST(SqlSafety, StoreSourcesMentionEveryCheckedCall) {
  std::string all;
  for (const std::string& file : StoreSources()) all += ReadFile(file);
  for (const char* call : {"executeQuery(", "executeUpdate(", "prepareStatement(", "Prepare(", "execute("}) {
    EXPECT_NE(all.find(call), std::string::npos) << call << " no longer appears: update the scanner's list";
  }
}

TEST(SqlSafetyScanner, FlagsAValueConcatenatedIntoPrepare) {
  const ScanResult r = ScanSource("lims/store/bad.cc", R"src(
Result<User> Find(sql::Connection& c, const std::string& name) {
  Statement ps = Prepare(c, "SELECT * FROM users WHERE username = '" + name + "'");
  return OneUser(*ps);
}
)src");
  ASSERT_EQ(Rules(r), (std::vector<std::string>{"concatenation"})) << Report(r);
  EXPECT_EQ(r.violations[0].line, 3);
  EXPECT_EQ(r.violations[0].file, "lims/store/bad.cc");
  EXPECT_NE(Format(r.violations[0]).find("lims/store/bad.cc:3: concatenation: Prepare("), std::string::npos)
      << Format(r.violations[0]);
}

TEST(SqlSafetyScanner, FollowsACallAcrossLinesToItsClosingParenthesis) {
  const ScanResult r = ScanSource("lims/store/bad.cc", R"src(
void Insert(sql::Connection& c, int64_t id) {
  std::unique_ptr<sql::PreparedStatement> ps(c.prepareStatement(
      "DELETE FROM samples "
      "WHERE id = " +
      std::to_string(id)));
  ps->executeUpdate();
}
)src");
  ASSERT_EQ(Rules(r), (std::vector<std::string>{"concatenation"})) << Report(r);
  EXPECT_EQ(r.violations[0].line, 3);
}

TEST(SqlSafetyScanner, FlagsConcatenationInsideAWrappedOperand) {
  const ScanResult r = ScanSource("x.cc", R"src(
  Statement ps = Prepare(c_, std::string("SELECT ") + kUserColumns + " WHERE u.name = " + std::string(name));
  Statement qs = Prepare(c_, std::string("SELECT " + name) + kUserColumns);
  Statement ks = Prepare(c_, std::string("SELECT ") + key + " FROM t");
)src");
  EXPECT_EQ(Rules(r), (std::vector<std::string>{"concatenation", "concatenation", "concatenation"})) << Report(r);
}

TEST(SqlSafetyScanner, FlagsAQueryVariableBuiltFromAValue) {
  const ScanResult r = ScanSource("lims/store/bad.cc", R"src(
Result<SampleRecord> Find(std::string_view number) {
  std::string q = std::string(kSampleColumns) + "WHERE s.number = '" + std::string(number) + "'";
  Statement ps = Prepare(c_, q.c_str());
  Rows rs(ps->executeQuery());
}
)src");
  ASSERT_EQ(Rules(r), (std::vector<std::string>{"query variable"})) << Report(r);
  EXPECT_EQ(r.violations[0].line, 3);
  EXPECT_NE(r.violations[0].detail.find("line 4"), std::string::npos) << r.violations[0].detail;
}

TEST(SqlSafetyScanner, FlagsAValueAppendedToAQueryVariable) {
  const ScanResult r = ScanSource("lims/store/bad.cc", R"src(
Rows List(const SampleQuery& query) {
  std::string q = std::string(kSampleColumns) + "WHERE 1 = 1";
  if (query.status) q += " AND s.status = '" + std::string(SampleStatusName(*query.status)) + "'";
  q += " ORDER BY s.number";
  Statement ps = Prepare(c_, q);
  return Rows(ps->executeQuery());
}
)src");
  ASSERT_EQ(Rules(r), (std::vector<std::string>{"query variable"})) << Report(r);
  EXPECT_EQ(r.violations[0].line, 4);
}

TEST(SqlSafetyScanner, FlagsNonLiteralPlainStatementsOutsideTheMigrator) {
  const std::string snippet = R"src(
void Run(sql::Connection& c, const std::string& statement) {
  std::unique_ptr<sql::Statement> st(c.createStatement());
  st->execute(statement);
  std::unique_ptr<sql::ResultSet> rs(st->executeQuery(kCountQuery));
  st->execute("SET time_zone = '+00:00'");
}
)src";
  const ScanResult store = ScanSource("lims/store/mysql_sample_store.cc", snippet);
  EXPECT_EQ(Rules(store), (std::vector<std::string>{"plain statement", "plain statement"})) << Report(store);
  // The migrator may run a migration file's statement, but still no constant or concatenation.
  const ScanResult migrator = ScanSource("lims/store/migrator.cc", snippet);
  EXPECT_EQ(Rules(migrator), (std::vector<std::string>{"plain statement"})) << Report(migrator);
  const ScanResult concatenated = ScanSource("lims/store/migrator.cc", "st->execute(\"USE \" + name);");
  EXPECT_EQ(Rules(concatenated), (std::vector<std::string>{"concatenation", "plain statement"}))
      << Report(concatenated);
}

TEST(SqlSafetyScanner, AcceptsLiteralsNamedConstantsAndBoundValues) {
  const ScanResult r = ScanSource("lims/store/good.cc", R"src(
#include <cppconn/prepared_statement.h>
constexpr char kUserColumns[] = "u.id, u.username";  // "+" in a comment: Prepare(c, a + b)
/* Prepare(c, "x" + y) in a block comment */
Statement Prepare(sql::Connection& c, const std::string& text) { return Statement(c.prepareStatement(text)); }
void Good(sql::Connection& c, const std::string& name, int64_t id) {
  Statement a = Prepare(c, std::string("SELECT ") + kUserColumns + " FROM users u WHERE u.username = ?");
  a->setString(1, "prefix-" + name);  // a bound value may be built any way
  Statement b = Prepare(c, "SELECT a + b FROM t WHERE c = '+' AND d = ?");
  Statement d = Prepare(c, R"(SELECT ") + name + (" FROM t)");
  std::string q = std::string(kTestColumns) + "WHERE t.id = ? "
                  "ORDER BY t.id";
  q += " LIMIT 1";
  Statement e = Prepare(c, q.c_str());
  e->setInt64(1, id + 1);
  e->executeQuery();
  std::unique_ptr<sql::Statement> st(c.createStatement());
  st->execute("SET time_zone = '+00:00'");
  int counter = 1'000 + 1;
  char plus = '+';
}
)src");
  EXPECT_EQ(Report(r), "");
  EXPECT_EQ(r.calls, 8);
}

}  // namespace
}  // namespace lims::testing
