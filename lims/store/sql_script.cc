#include "lims/store/sql_script.h"

#include <cctype>

namespace lims::store {
namespace {

bool IsBlank(const std::string& s) {
  for (char c : s) {
    if (!std::isspace(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Scanner state: one pass over the script, copying statement text and skipping comments.
class Splitter {
 public:
  explicit Splitter(std::string_view s) : s_(s) {}

  std::vector<SqlStatement> Run() {
    while (i_ < s_.size()) Step();
    Flush();
    return std::move(out_);
  }

 private:
  void Step() {
    const char c = s_[i_];
    if (c == '\'' || c == '"' || c == '`') return CopyQuoted(c);
    if (c == '-' && Peek(1) == '-' && (i_ + 2 >= s_.size() || std::isspace(static_cast<unsigned char>(Peek(2))))) {
      return SkipLine();
    }
    if (c == '#') return SkipLine();
    if (c == '/' && Peek(1) == '*') return SkipBlock();
    if (c == ';') {
      Flush();
      ++i_;
      return;
    }
    Put(c);
  }

  char Peek(size_t k) const { return i_ + k < s_.size() ? s_[i_ + k] : '\0'; }

  void Put(char c) {
    if (current_.empty() && std::isspace(static_cast<unsigned char>(c))) {
      if (c == '\n') ++line_;
      ++i_;
      return;
    }
    if (current_.empty()) start_line_ = line_;
    if (c == '\n') ++line_;
    current_.push_back(c);
    ++i_;
  }

  void CopyQuoted(char quote) {
    Put(quote);
    while (i_ < s_.size()) {
      const char c = s_[i_];
      if (c == '\\' && quote != '`' && i_ + 1 < s_.size()) {
        Put(c);
        Put(s_[i_]);
        continue;
      }
      Put(c);
      if (c == quote) return;
    }
  }

  void SkipLine() {
    while (i_ < s_.size() && s_[i_] != '\n') ++i_;
  }

  void SkipBlock() {
    i_ += 2;
    while (i_ < s_.size() && !(s_[i_] == '*' && Peek(1) == '/')) {
      if (s_[i_] == '\n') ++line_;
      ++i_;
    }
    i_ += 2;
    if (!current_.empty()) current_.push_back(' ');
  }

  void Flush() {
    if (!IsBlank(current_)) {
      while (std::isspace(static_cast<unsigned char>(current_.back()))) current_.pop_back();
      out_.push_back({current_, start_line_});
    }
    current_.clear();
  }

  std::string_view s_;
  size_t i_ = 0;
  int line_ = 1;
  int start_line_ = 1;
  std::string current_;
  std::vector<SqlStatement> out_;
};

}  // namespace

std::vector<SqlStatement> SplitSqlStatements(std::string_view script) {
  return Splitter(script).Run();
}

}  // namespace lims::store
