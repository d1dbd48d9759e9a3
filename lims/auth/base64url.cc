#include "lims/auth/base64url.h"

#include <cstdint>
#include <string>

namespace lims::auth {
namespace {

constexpr char kBase64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

}  // namespace

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  uint32_t bits = 0;
  int pending = 0;  // bits in `bits` not yet emitted
  for (char ch : bytes) {
    bits = (bits << 8) | static_cast<unsigned char>(ch);
    pending += 8;
    while (pending >= 6) {
      pending -= 6;
      out.push_back(kBase64Url[(bits >> pending) & 0x3F]);
    }
  }
  if (pending > 0) out.push_back(kBase64Url[(bits << (6 - pending)) & 0x3F]);
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t bits = 0;
  int pending = 0;
  for (char c : text) {
    const char* at = std::char_traits<char>::find(kBase64Url, 64, c);
    if (at == nullptr) return std::nullopt;
    bits = (bits << 6) | static_cast<uint32_t>(at - kBase64Url);
    pending += 6;
    if (pending >= 8) {
      pending -= 8;
      out.push_back(static_cast<char>((bits >> pending) & 0xFF));
    }
  }
  // The unused low bits of the last character must be zero: one text per byte string.
  if ((bits & ((1u << pending) - 1)) != 0) return std::nullopt;
  return out;
}

}  // namespace lims::auth
