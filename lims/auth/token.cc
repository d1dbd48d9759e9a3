#include "lims/auth/token.h"

#include <openssl/crypto.h>

#include <array>
#include <cstdint>

#include "lims/auth/base64url.h"
#include "lims/auth/random.h"
#include "lims/core/sha256.h"

namespace lims::auth {
namespace {

constexpr size_t kTokenBytes = 32;

bool IsBase64UrlChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

}  // namespace

std::string NewToken() {
  std::array<unsigned char, kTokenBytes> bytes;
  RandomBytes(bytes.data(), bytes.size());
  return Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
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
