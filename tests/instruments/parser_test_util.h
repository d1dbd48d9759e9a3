// Helpers shared by the result-file parser tests (tests/instruments/) and the instrument fuzz
// targets (fuzz/): a one-byte-per-read streambuf, parsing from a string, and one-line descriptions
// of results and errors for comparisons. Header-only and free of GoogleTest, so the fuzz targets can
// include it.
#ifndef LIMS_TESTS_INSTRUMENTS_PARSER_TEST_UTIL_H_
#define LIMS_TESTS_INSTRUMENTS_PARSER_TEST_UTIL_H_

#include <sstream>
#include <streambuf>
#include <string>
#include <utility>
#include <vector>

#include "instruments/result_file.h"
#include "lims/core/status.h"

namespace lims::instruments::parser_test {

// A streambuf that hands out one byte per call, so every line end, BOM, CRLF pair, UTF-8 sequence
// and UTF-16 surrogate pair falls across a read boundary somewhere.
class OneByteBuf : public std::streambuf {
 public:
  explicit OneByteBuf(std::string data) : data_(std::move(data)) {}

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    if (pos_ >= data_.size()) return traits_type::eof();
    ch_ = data_[pos_++];
    setg(&ch_, &ch_, &ch_ + 1);
    return traits_type::to_int_type(ch_);
  }
  std::streamsize xsgetn(char* s, std::streamsize n) override {
    if (n <= 0 || underflow() == traits_type::eof()) return 0;
    *s = *gptr();
    gbump(1);
    return 1;
  }

 private:
  std::string data_;
  size_t pos_ = 0;
  char ch_ = 0;
};

// `parse` (ParseSlipResultFile, ...) over `bytes`.
template <typename Parser>
Result<ParsedFile> ParseBytes(Parser parse, const std::string& bytes, const ParseLimits& limits) {
  std::istringstream in(bytes);
  return parse(in, limits);
}

// "0.42 0.40": a result's values, blank-separated.
inline std::string JoinValues(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& v : values) out += (out.empty() ? "" : " ") + v;
  return out;
}

// One line per result, by the test's `describe`, so a failed comparison shows every field at once.
template <typename DescribeResult>
std::vector<std::string> DescribeResults(const ParsedFile& file, DescribeResult describe) {
  std::vector<std::string> out;
  for (const ImportedResult& r : file.results) out.push_back(describe(r));
  return out;
}

// "7: reason", one per error.
inline std::vector<std::string> Describe(const std::vector<FileError>& errors) {
  std::vector<std::string> out;
  for (const FileError& e : errors) out.push_back(std::to_string(e.line) + ": " + e.reason);
  return out;
}

}  // namespace lims::instruments::parser_test

#endif  // LIMS_TESTS_INSTRUMENTS_PARSER_TEST_UTIL_H_
