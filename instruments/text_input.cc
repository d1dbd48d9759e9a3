#include "instruments/text_input.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <tuple>
#include <utility>

namespace lims::instruments {
namespace {

// Read size: large enough that std::filebuf reads straight from the file, small enough to stay in L2.
constexpr size_t kChunk = 64 * 1024;

// Byte classes for the UTF-8 line scan: one table lookup per byte finds the line end, NUL bytes and
// the first non-ASCII byte in a single pass.
enum ByteClass : uint8_t { kPlain = 0, kLineEnd = 1, kNul = 2, kHigh = 3 };

constexpr std::array<uint8_t, 256> MakeByteClasses() {
  std::array<uint8_t, 256> t{};
  t[0] = kNul;
  t['\n'] = kLineEnd;
  t['\r'] = kLineEnd;
  for (int c = 0x80; c < 0x100; ++c) t[c] = kHigh;
  return t;
}
constexpr std::array<uint8_t, 256> kByteClass = MakeByteClasses();

// Length of the valid UTF-8 sequence at s[i] (RFC 3629: no overlongs, no surrogates, at most
// U+10FFFF), or 0 when it is not one.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const auto cont = [&](size_t k) { return i + k < s.size() && (b(k) & 0xC0) == 0x80; };
  const unsigned char c = b(0);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && b(1) < 0xA0) return 0;   // overlong
    if (c == 0xED && b(1) >= 0xA0) return 0;  // UTF-16 surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && b(1) < 0x90) return 0;   // overlong
    if (c == 0xF4 && b(1) >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

// Offset of the first invalid UTF-8 byte in `s`, or npos when it is all valid.
size_t FindInvalidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const size_t n = Utf8SequenceLength(s, i);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

void AppendUtf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string TooLong(int max_line_bytes) {
  return "line longer than " + std::to_string(max_line_bytes) + " bytes";
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// The encoding a byte-order mark at the start of `head` announces (none: UTF-8) and the mark's length.
std::pair<TextEncoding, size_t> DetectBom(std::string_view head) {
  if (StartsWith(head, "\xEF\xBB\xBF")) return {TextEncoding::kUtf8, 3};
  if (StartsWith(head, "\xFF\xFE")) return {TextEncoding::kUtf16Le, 2};
  if (StartsWith(head, "\xFE\xFF")) return {TextEncoding::kUtf16Be, 2};
  return {TextEncoding::kUtf8, 0};
}

// Advances `i` to the first CR, LF or NUL of `data`, or to its end; notes non-ASCII bytes on the way.
size_t ScanLine(std::string_view data, size_t i, bool& non_ascii) {
  for (;;) {
    while (i < data.size() && kByteClass[static_cast<unsigned char>(data[i])] == kPlain) ++i;
    if (i == data.size() || kByteClass[static_cast<unsigned char>(data[i])] != kHigh) return i;
    non_ascii = true;
    ++i;
  }
}

}  // namespace

TextInput::TextInput(std::istream& in, const ParseLimits& limits) : in_(in), limits_(limits) {}

bool TextInput::Fail(std::string reason) {
  status_ = Status::InvalidArgument("line " + std::to_string(line_number_) + ": " + std::move(reason));
  return false;
}

// Appends up to one chunk to buffer_, first dropping the bytes already consumed. Uses the streambuf
// directly: istream::read would treat a short read (a pipe, a slow socket) as the end of the file.
// Never reads past max_bytes until the caller needs more: only then does one probe byte tell "too
// large", so the error names the same line however the input arrives.
bool TextInput::Fill() {
  if (eof_ || !status_.ok()) return false;
  buffer_.erase(0, pos_);
  pos_ = 0;
  const size_t old_size = buffer_.size();
  const long long room = limits_.max_bytes - bytes_read_;
  const size_t want = room <= 0 ? 1 : room < static_cast<long long>(kChunk) ? static_cast<size_t>(room) : kChunk;
  buffer_.resize(old_size + want);
  std::streambuf* sb = in_.rdbuf();
  const std::streamsize got =
      sb == nullptr ? 0 : sb->sgetn(buffer_.data() + old_size, static_cast<std::streamsize>(want));
  buffer_.resize(old_size + static_cast<size_t>(got > 0 ? got : 0));
  if (got <= 0) {
    eof_ = true;
    return false;
  }
  bytes_read_ += got;
  if (bytes_read_ > limits_.max_bytes) {
    if (line_number_ == 0) line_number_ = 1;
    return Fail("file larger than " + std::to_string(limits_.max_bytes) + " bytes");
  }
  return true;
}

bool TextInput::NextLine(std::string& line) {
  line.clear();
  if (!status_.ok()) return false;
  if (!started_) {
    started_ = true;
    while (buffer_.size() < 3 && Fill()) {
    }
    if (!status_.ok()) return false;
    std::tie(encoding_, pos_) = DetectBom(buffer_);
  }
  ++line_number_;
  if (pos_ == buffer_.size() && !Fill()) {
    if (status_.ok()) --line_number_;  // a clean end: no further line
    return false;
  }
  if (encoding_ != TextEncoding::kUtf8) return DecodeUtf16(line);

  // Scan for the line end, refilling when the line runs past the buffered bytes. `i` is an offset
  // from pos_ because Fill moves the unread bytes to the front.
  size_t i = 0;
  bool non_ascii = false;
  for (;;) {
    const std::string_view avail = std::string_view(buffer_).substr(pos_);
    i = ScanLine(avail, i, non_ascii);
    // Length first: however the input is chunked, a NUL past the limit is never reached.
    if (i > static_cast<size_t>(limits_.max_line_bytes)) return Fail(TooLong(limits_.max_line_bytes));
    if (i < avail.size() && avail[i] == '\0') {
      return Fail(line_number_ == 1 && i <= 1 ? "NUL byte (UTF-16 text without a byte-order mark?)"
                                              : "NUL byte in text");
    }
    if (i < avail.size()) break;                                       // CR or LF
    if (!Fill()) return status_.ok() && TakeLine(i, non_ascii, line);  // last line without a line end
  }
  return TakeLine(i, non_ascii, line);
}

// Moves the `length` bytes at pos_ into `line` after checking them, and consumes the line end.
bool TextInput::TakeLine(size_t length, bool non_ascii, std::string& line) {
  const std::string_view text(buffer_.data() + pos_, length);
  const size_t bad = non_ascii ? FindInvalidUtf8(text) : std::string_view::npos;
  if (bad != std::string_view::npos) return Fail("invalid UTF-8 at byte " + std::to_string(bad + 1) + " of the line");
  line.assign(text);
  pos_ += length;
  if (pos_ == buffer_.size()) return true;  // the end of the input
  const bool cr = buffer_[pos_++] == '\r';
  if (cr && pos_ == buffer_.size()) Fill();  // CRLF split between two reads
  if (cr && pos_ < buffer_.size() && buffer_[pos_] == '\n') ++pos_;
  return status_.ok();
}

// Decodes one line of UTF-16 into UTF-8, code unit by code unit: Windows "Unicode" exports are
// small, so simplicity wins over speed here.
bool TextInput::DecodeUtf16(std::string& line) {
  const bool le = encoding_ == TextEncoding::kUtf16Le;
  // Reads the next code unit; false at the end of input (`odd` then tells a dangling byte).
  const auto next_unit = [&](uint32_t& unit, bool& odd) {
    while (buffer_.size() - pos_ < 2 && Fill()) {
    }
    const size_t avail = buffer_.size() - pos_;
    odd = avail == 1;
    if (avail < 2) return false;
    const auto lo = static_cast<unsigned char>(buffer_[pos_ + (le ? 0 : 1)]);
    const auto hi = static_cast<unsigned char>(buffer_[pos_ + (le ? 1 : 0)]);
    unit = static_cast<uint32_t>(hi) << 8 | lo;
    pos_ += 2;
    return true;
  };
  const auto dangling = [&](bool odd) {
    if (!status_.ok()) return false;
    return odd ? Fail("odd number of bytes in UTF-16 text (truncated file?)") : true;
  };
  uint32_t unit = 0;
  bool odd = false;
  while (next_unit(unit, odd)) {
    if (unit == '\n') return true;
    if (unit == '\r') {
      uint32_t next = 0;
      if (next_unit(next, odd) && next != '\n') pos_ -= 2;  // not CRLF: leave it for the next line
      return dangling(odd);
    }
    if (unit == 0) return Fail("NUL character in text");
    if (unit >= 0xDC00 && unit <= 0xDFFF) return Fail("unpaired UTF-16 surrogate");
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      uint32_t low = 0;
      if (!next_unit(low, odd) || low < 0xDC00 || low > 0xDFFF) {
        return dangling(odd) && Fail("unpaired UTF-16 surrogate");
      }
      unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
    }
    AppendUtf8(unit, line);
    if (line.size() > static_cast<size_t>(limits_.max_line_bytes)) {
      return Fail(TooLong(limits_.max_line_bytes));
    }
  }
  return dangling(odd);
}

Result<std::string> NormalizeDecimal(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  const auto bad = [&] { return Status::InvalidArgument("not a decimal number: \"" + std::string(text) + "\""); };
  std::string out;
  size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    if (text[i] == '-') out.push_back('-');
    ++i;
  }
  size_t int_digits = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') out.push_back(text[i++]), ++int_digits;
  if (int_digits == 0) return bad();
  if (i == text.size()) return out;
  if (text[i] != '.' && text[i] != ',') return bad();
  out.push_back('.');
  ++i;
  size_t frac_digits = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') out.push_back(text[i++]), ++frac_digits;
  if (frac_digits == 0 || i != text.size()) return bad();
  return out;
}

Result<std::vector<std::string>> SplitFields(std::string_view line, char delimiter) {
  std::vector<std::string> fields;
  size_t i = 0;
  for (;;) {
    std::string field;
    if (i < line.size() && line[i] == '"') {
      const size_t open = i++;
      for (;;) {
        if (i >= line.size()) {
          return Status::InvalidArgument("quote opened at column " + std::to_string(open + 1) + " is not closed");
        }
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field.push_back(line[i++]);
      }
      if (i < line.size() && line[i] != delimiter) {
        return Status::InvalidArgument("text after the closing quote at column " + std::to_string(i + 1));
      }
    } else {
      const size_t end = std::min(line.find(delimiter, i), line.size());
      field.assign(line.substr(i, end - i));
      i = end;
    }
    fields.push_back(std::move(field));
    if (i >= line.size()) return fields;
    ++i;  // the delimiter
  }
}

}  // namespace lims::instruments
