#include "instruments/text_input.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "tests/instruments/parser_test_util.h"
#include "tests/support/test_support.h"

namespace lims::instruments {
namespace {

using parser_test::OneByteBuf;

struct Lines {
  std::vector<std::string> lines;
  Status status;
  TextEncoding encoding = TextEncoding::kUtf8;
};

Lines ReadFrom(std::istream& in, const ParseLimits& limits) {
  TextInput input(in, limits);
  Lines out;
  std::string line;
  while (input.NextLine(line)) out.lines.push_back(line);
  out.status = input.status();
  out.encoding = input.encoding();
  return out;
}

Lines ReadAll(const std::string& bytes, const ParseLimits& limits = {}) {
  std::istringstream in(bytes);
  return ReadFrom(in, limits);
}

Lines ReadByteByByte(const std::string& bytes, const ParseLimits& limits = {}) {
  OneByteBuf buf(bytes);
  std::istream in(&buf);
  return ReadFrom(in, limits);
}

// UTF-8 → UTF-16 (LE or BE) with a BOM, as a Windows "Unicode" export writes it.
std::string ToUtf16(const std::u16string& text, bool little_endian) {
  std::string out = little_endian ? "\xFF\xFE" : "\xFE\xFF";
  for (char16_t u : text) {
    const char lo = static_cast<char>(u & 0xFF);
    const char hi = static_cast<char>(u >> 8);
    out += little_endian ? std::string{lo, hi} : std::string{hi, lo};
  }
  return out;
}

const std::vector<std::string> kExpected = {"Kraft;Weg", "1,5;2", "", "Prüfer: Jörg 𝄞", "end"};

TEST(TextInputTest, LineEndsOfEveryKindGiveTheSameLines) {
  for (const std::string eol : {"\n", "\r\n", "\r"}) {
    std::string text;
    for (const auto& l : kExpected) text += l + eol;
    for (const auto& read : {ReadAll(text), ReadByteByByte(text)}) {
      ASSERT_OK(read.status);
      EXPECT_EQ(read.lines, kExpected);
      EXPECT_EQ(read.encoding, TextEncoding::kUtf8);
    }
  }
}

TEST(TextInputTest, MixedLineEndsAndNoFinalLineEnd) {
  const Lines read = ReadByteByByte("a\r\nb\nc\rd");
  ASSERT_OK(read.status);
  EXPECT_EQ(read.lines, (std::vector<std::string>{"a", "b", "c", "d"}));
}

TEST(TextInputTest, EmptyInputHasNoLines) {
  EXPECT_TRUE(ReadAll("").lines.empty());
  EXPECT_TRUE(ReadAll("\xEF\xBB\xBF").lines.empty());
  EXPECT_OK(ReadAll("").status);
  EXPECT_EQ(ReadAll("\n").lines, (std::vector<std::string>{""}));
}

TEST(TextInputTest, Utf8BomIsRemoved) {
  const Lines read = ReadByteByByte("\xEF\xBB\xBFheader\nx\n");
  ASSERT_OK(read.status);
  EXPECT_EQ(read.lines, (std::vector<std::string>{"header", "x"}));
}

TEST(TextInputTest, Utf16WithBomDecodesToTheSameLines) {
  const std::u16string text = u"Kraft;Weg\r\n1,5;2\r\n\r\nPrüfer: Jörg 𝄞\r\nend\r\n";
  for (bool le : {true, false}) {
    for (const auto& read : {ReadAll(ToUtf16(text, le)), ReadByteByByte(ToUtf16(text, le))}) {
      ASSERT_OK(read.status);
      EXPECT_EQ(read.lines, kExpected);
      EXPECT_EQ(read.encoding, le ? TextEncoding::kUtf16Le : TextEncoding::kUtf16Be);
    }
  }
}

TEST(TextInputTest, Utf16LoneCrAndLfAndNoFinalLineEnd) {
  const Lines read = ReadByteByByte(ToUtf16(u"a\rb\nc", true));
  ASSERT_OK(read.status);
  EXPECT_EQ(read.lines, (std::vector<std::string>{"a", "b", "c"}));
}

TEST(TextInputTest, LineNumberFollowsTheLines) {
  std::istringstream in("a\r\nb\r\n");
  TextInput input(in, {});
  std::string line;
  ASSERT_TRUE(input.NextLine(line));
  EXPECT_EQ(input.line_number(), 1);
  ASSERT_TRUE(input.NextLine(line));
  EXPECT_EQ(input.line_number(), 2);
  EXPECT_FALSE(input.NextLine(line));
  EXPECT_OK(input.status());
  EXPECT_EQ(input.bytes_read(), 6);
}

struct BadInput {
  std::string name;
  std::string bytes;
  std::string message;
};

TEST(TextInputTest, BadBytesNameTheLine) {
  const std::vector<BadInput> cases = {
      {"invalid UTF-8", "ok\nbad \xC3(\n", "line 2: invalid UTF-8 at byte 5 of the line"},
      {"Latin-1 byte", "a\nb\nMüller\xFC\n", "line 3: invalid UTF-8 at byte 8 of the line"},
      {"overlong", "\xC0\xAF\n", "line 1: invalid UTF-8 at byte 1 of the line"},
      {"UTF-8 surrogate", "x\n\xED\xA0\x80\n", "line 2: invalid UTF-8 at byte 1 of the line"},
      {"above U+10FFFF", "\xF4\x90\x80\x80", "line 1: invalid UTF-8 at byte 1 of the line"},
      {"truncated sequence", "a\n\xE2\x82", "line 2: invalid UTF-8 at byte 1 of the line"},
      {"NUL byte", std::string("a\nb\0c\n", 6), "line 2: NUL byte in text"},
      {"UTF-16 without BOM", std::string("a\0b\0", 4), "line 1: NUL byte (UTF-16 text without a byte-order mark?)"},
      {"odd-length UTF-16", ToUtf16(u"a\nb", true) + "x",
       "line 2: odd number of bytes in UTF-16 text (truncated file?)"},
      {"lone low surrogate", ToUtf16(u"a\n", true) + std::string("\x00\xDC", 2), "line 2: unpaired UTF-16 surrogate"},
      {"lone high surrogate", ToUtf16(u"a\nb", false) + std::string("\xD8\x00\x00x", 4),
       "line 2: unpaired UTF-16 surrogate"},
      {"high surrogate at end", ToUtf16(u"", true) + std::string("\x00\xD8", 2), "line 1: unpaired UTF-16 surrogate"},
      {"UTF-16 NUL", ToUtf16(std::u16string(u"a\n\0", 3), true), "line 2: NUL character in text"},
  };
  for (const auto& c : cases) {
    for (const auto& read : {ReadAll(c.bytes), ReadByteByByte(c.bytes)}) {
      EXPECT_EQ(read.status.code(), Status::Code::kInvalidArgument) << c.name;
      EXPECT_EQ(read.status.message(), c.message) << c.name;
    }
  }
}

TEST(TextInputTest, LineLongerThanTheLimitIsRefused) {
  ParseLimits limits;
  limits.max_line_bytes = 10;
  const std::string ok = "0123456789\n";
  EXPECT_OK(ReadByteByByte(ok + ok, limits).status);
  const Lines read = ReadByteByByte(ok + "01234567890\n", limits);
  EXPECT_EQ(read.status.message(), "line 2: line longer than 10 bytes");
  EXPECT_EQ(read.lines.size(), 1u);
  // A line with no end at all stops at the limit instead of buffering the whole stream.
  const Lines endless = ReadAll(std::string(1 << 20, 'x'), limits);
  EXPECT_EQ(endless.status.message(), "line 1: line longer than 10 bytes");
  const Lines utf16 = ReadAll(ToUtf16(u"0123456789\n01234567890", true), limits);
  EXPECT_EQ(utf16.status.message(), "line 2: line longer than 10 bytes");
}

// Fuzz finding (fuzz_utm_curve): a NUL beyond the line limit gave "NUL byte" when the whole line was
// in one read and "line longer" when read byte by byte. The outcome must not depend on chunking.
TEST(TextInputTest, NulPastTheLineLimitReportsTheLengthWhateverTheReads) {
  ParseLimits limits;
  limits.max_line_bytes = 10;
  const std::string text = "ok\n" + std::string(12, 'S') + std::string(1, '\0') + "x\n";
  EXPECT_EQ(ReadAll(text, limits).status.message(), "line 2: line longer than 10 bytes");
  EXPECT_EQ(ReadByteByByte(text, limits).status.message(), "line 2: line longer than 10 bytes");
  const std::string nul_within = "ok\n" + std::string(5, 'S') + std::string(1, '\0') + std::string(12, 'x') + "\n";
  EXPECT_EQ(ReadAll(nul_within, limits).status.message(), "line 2: NUL byte in text");
  EXPECT_EQ(ReadByteByByte(nul_within, limits).status.message(), "line 2: NUL byte in text");
}

TEST(TextInputTest, FileLargerThanTheLimitIsRefused) {
  ParseLimits limits;
  limits.max_bytes = 8;
  EXPECT_OK(ReadAll("abc\ndef\n", limits).status);
  for (const auto& read : {ReadAll("abc\ndef\ng", limits), ReadByteByByte("abc\ndef\ng", limits)}) {
    EXPECT_EQ(read.status.message(), "line 3: file larger than 8 bytes");
    EXPECT_EQ(read.lines.size(), 2u);
  }
  // A big stream is read no further than the limit, and the error names the same line.
  const Lines big = ReadAll(std::string(1 << 20, '\n'), limits);
  EXPECT_EQ(big.status.message(), "line 9: file larger than 8 bytes");
  EXPECT_EQ(big.lines.size(), 8u);
}

TEST(TextInputTest, ErrorIsSticky) {
  std::istringstream in("a\n\xFF\nc\n");
  TextInput input(in, {});
  std::string line;
  ASSERT_TRUE(input.NextLine(line));
  EXPECT_FALSE(input.NextLine(line));
  EXPECT_FALSE(input.NextLine(line));
  EXPECT_EQ(input.status().message(), "line 2: invalid UTF-8 at byte 1 of the line");
}

TEST(NormalizeDecimalTest, Table) {
  const std::vector<std::pair<std::string, std::string>> good = {
      {"1,23", "1.23"}, {"1.23", "1.23"},   {" -0,5 ", "-0.5"}, {"\t42\t", "42"},     {"+3,0", "3.0"},
      {"0", "0"},       {"1,234", "1.234"}, {"-12", "-12"},     {"007,50", "007.50"},
  };
  for (const auto& [in, want] : good) {
    const auto got = NormalizeDecimal(in);
    ASSERT_OK(got);
    EXPECT_EQ(*got, want) << in;
  }
  const std::vector<std::string> bad = {"",     " ",     "1.234,5", "1,234.5", "1.2.3", "1,2,3", ",5",
                                        "5,",   "1e3",   "nan",     "inf",     "--1",   "- 1",   "1 2",
                                        "0x10", "1,5 N", "１,５",   "+",       "-",     "1;5"};
  for (const auto& in : bad) {
    const auto got = NormalizeDecimal(in);
    EXPECT_EQ(got.status().code(), Status::Code::kInvalidArgument) << in;
  }
  EXPECT_EQ(NormalizeDecimal("1.234,5").status().message(), "not a decimal number: \"1.234,5\"");
}

TEST(SplitFieldsTest, Table) {
  using V = std::vector<std::string>;
  const std::vector<std::tuple<std::string, char, V>> good = {
      {"a;b;c", ';', V{"a", "b", "c"}},
      {"", ';', V{""}},
      {";", ';', V{"", ""}},
      {"a,b", ';', V{"a,b"}},
      {"1,5;2,5", ';', V{"1,5", "2,5"}},
      {"\"a;b\";c", ';', V{"a;b", "c"}},
      {"\"say \"\"hi\"\"\",x", ',', V{"say \"hi\"", "x"}},
      {"\"\"", ',', V{""}},
      {"a\tb\t", '\t', V{"a", "b", ""}},
      {"x\"y,z", ',', V{"x\"y", "z"}},  // a quote inside an unquoted field is kept as written
      {" \"a\" ,b", ',', V{" \"a\" ", "b"}},
  };
  for (const auto& [line, delim, want] : good) {
    const auto got = SplitFields(line, delim);
    ASSERT_OK(got);
    EXPECT_EQ(*got, want) << line;
  }
  EXPECT_EQ(SplitFields("a,\"open", ',').status().message(), "quote opened at column 3 is not closed");
  EXPECT_EQ(SplitFields("\"a\"b,c", ',').status().message(), "text after the closing quote at column 4");
  EXPECT_EQ(SplitFields("\"a\"\"", ',').status().code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace lims::instruments
