#include "lims/auth/token.h"

#include <openssl/crypto.h>

#include <array>
#include <cstdint>

#include "lims/auth/random.h"
#include "lims/core/sha256.h"

namespace lims::auth {
namespace {

constexpr char kBase64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr size_t kTokenBytes = 32;

// Unpadded base64url (RFC 4648 section 5): URL- and cookie-safe without escaping.
std::string Base64UrlEncode(const unsigned char* data, size_t n) {
  std::string out;
  out.reserve((n * 4 + 2) / 3);
  uint32_t bits = 0;
  int pending = 0;  // bits in `bits` not yet emitted
  for (size_t i = 0; i < n; ++i) {
    bits = (bits << 8) | data[i];
    pending += 8;
    while (pending >= 6) {
      pending -= 6;
      out.push_back(kBase64Url[(bits >> pending) & 0x3F]);
    }
  }
  if (pending > 0) out.push_back(kBase64Url[(bits << (6 - pending)) & 0x3F]);
  return out;
}

bool IsBase64UrlChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

}  // namespace

std::string NewToken() {
  std::array<unsigned char, kTokenBytes> bytes;
  RandomBytes(bytes.data(), bytes.size());
  return Base64UrlEncode(bytes.data(), bytes.size());
}

std::string HashToken(std::string_view token) {
  return Sha256Hex(token);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  // The length is not secret (every CSRF token has the same one), so an early exit on it leaks nothing.
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;  // an empty view may have a null data() pointer
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool LooksLikeToken(std::string_view text) {
  if (text.size() != kTokenLength) return false;
  for (char c : text) {
    if (!IsBase64UrlChar(c)) return false;
  }
  return true;
}

}  // namespace lims::auth
