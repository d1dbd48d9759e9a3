#include "lims/auth/password.h"

#include <argon2.h>

#include <array>
#include <charconv>
#include <cstring>
#include <fstream>
#include <optional>
#include <utility>

#include "lims/auth/random.h"

#ifndef LIMS_COMMON_PASSWORDS
#error "LIMS_COMMON_PASSWORDS (path of common_passwords.txt) must be defined by the build"
#endif

namespace lims::auth {
namespace {

constexpr size_t kSaltBytes = 16;
constexpr size_t kTagBytes = 32;
constexpr size_t kMinPasswordLength = 12;
constexpr size_t kMaxPasswordLength = 256;
constexpr size_t kGeneratedLength = 20;
// No 0/O, 1/l/I: generated passwords are read off a terminal and typed in by hand.
constexpr std::string_view kGeneratedAlphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

// Bounds on the cost, beyond Argon2's own, applied when hashing and when verifying. Encodings are
// read back from the database, and a corrupted row claiming terabytes or billions of passes must
// fail the login rather than exhaust the server.
constexpr uint32_t kMaxTimeCost = 64;
constexpr uint32_t kMaxMemoryKib = uint32_t{4} * 1024 * 1024;  // 4 GiB
constexpr uint32_t kMaxParallelism = 64;

// The cost parameters in an encoding's header ("$argon2id$v=19$m=65536,t=3,p=1$...").
struct EncodedHeader {
  uint32_t version = 0;
  Argon2Params params;
};

bool Consume(std::string_view* s, std::string_view prefix) {
  if (s->substr(0, prefix.size()) != prefix) return false;
  s->remove_prefix(prefix.size());
  return true;
}

bool ConsumeUint(std::string_view* s, uint32_t* out) {
  const char* end = s->data() + s->size();
  const std::from_chars_result r = std::from_chars(s->data(), end, *out);
  if (r.ec != std::errc() || r.ptr == s->data()) return false;
  s->remove_prefix(static_cast<size_t>(r.ptr - s->data()));
  return true;
}

// The header of an Argon2id encoding; nullopt for anything else (other variants, the pre-1.3
// encoding without "v=", garbage). Salt and tag are left to argon2 to check.
std::optional<EncodedHeader> ParseHeader(std::string_view s) {
  EncodedHeader h;
  Argon2Params& p = h.params;
  if (Consume(&s, "$argon2id$v=") && ConsumeUint(&s, &h.version) && Consume(&s, "$m=") &&
      ConsumeUint(&s, &p.m_cost_kib) && Consume(&s, ",t=") && ConsumeUint(&s, &p.t_cost) && Consume(&s, ",p=") &&
      ConsumeUint(&s, &p.parallelism) && Consume(&s, "$")) {
    return h;
  }
  return std::nullopt;
}

bool WithinBounds(const Argon2Params& p) {
  return p.t_cost >= ARGON2_MIN_TIME && p.t_cost <= kMaxTimeCost && p.parallelism >= ARGON2_MIN_LANES &&
         p.parallelism <= kMaxParallelism && p.m_cost_kib >= ARGON2_MIN_MEMORY * p.parallelism &&
         p.m_cost_kib <= kMaxMemoryKib;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n";
  const size_t first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

// Byte length of the UTF-8 sequence that `lead` starts; 0 when no well-formed sequence starts with
// it (a continuation byte, the overlong leads C0/C1, or beyond U+10FFFF).
size_t SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead < 0xC2 || lead > 0xF4) return 0;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return 4;
}

// Number of code points in `s`; nullopt when it is not UTF-8. Checks the byte structure, which is
// what counting needs; it does not reject every overlong three- or four-byte form or surrogates.
std::optional<size_t> CountCodePoints(std::string_view s) {
  size_t count = 0;
  for (size_t i = 0; i < s.size(); ++count) {
    const size_t n = SequenceLength(static_cast<unsigned char>(s[i]));
    if (n == 0 || n > s.size() - i) return std::nullopt;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return std::nullopt;
    }
    i += n;
  }
  return count;
}

// Whether non-empty, well-formed `s` is one code point repeated ("aaaa", "ääää").
bool IsOneRepeatedCharacter(std::string_view s) {
  const size_t n = SequenceLength(static_cast<unsigned char>(s[0]));
  if (s.size() % n != 0) return false;
  for (size_t i = n; i < s.size(); i += n) {
    if (s.substr(i, n) != s.substr(0, n)) return false;
  }
  return true;
}

Status Reject(const std::string& reason) {
  return Status::Unprocessable("the password is not allowed", {FieldError{"password", reason}});
}

}  // namespace

Result<std::string> HashPassword(std::string_view password, const Argon2Params& p) {
  if (!WithinBounds(p)) return Status::InvalidArgument("Argon2id parameters out of range");
  if (password.size() > ARGON2_MAX_PWD_LENGTH) return Status::InvalidArgument("password too long to hash");
  std::array<unsigned char, kSaltBytes> salt;
  RandomBytes(salt.data(), salt.size());
  // argon2_encodedlen counts the terminating NUL, which argon2 writes into the buffer.
  std::string encoded(argon2_encodedlen(p.t_cost, p.m_cost_kib, p.parallelism, kSaltBytes, kTagBytes, Argon2_id), '\0');
  const int rc = argon2id_hash_encoded(p.t_cost, p.m_cost_kib, p.parallelism, password.data(), password.size(),
                                       salt.data(), salt.size(), kTagBytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK) return Status::Internal(std::string("Argon2id hashing failed: ") + argon2_error_message(rc));
  encoded.resize(std::strlen(encoded.c_str()));
  return encoded;
}

bool VerifyPassword(std::string_view password, const std::string& encoded) {
  // argon2 reads a C string: an embedded NUL would let a valid prefix stand for the whole value.
  if (encoded.find('\0') != std::string::npos) return false;
  const std::optional<EncodedHeader> header = ParseHeader(encoded);
  if (!header || !WithinBounds(header->params)) return false;
  if (password.size() > ARGON2_MAX_PWD_LENGTH) return false;
  return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

bool NeedsRehash(const std::string& encoded, const Argon2Params& p) {
  const std::optional<EncodedHeader> header = ParseHeader(encoded);
  if (!header || header->version != ARGON2_VERSION_13) return true;
  return header->params.m_cost_kib < p.m_cost_kib || header->params.t_cost < p.t_cost;
}

Result<CommonPasswords> CommonPasswords::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot open the common-password list " + path);
  std::vector<std::string> passwords;
  std::string line;
  while (std::getline(in, line)) {
    const std::string_view entry = Trim(line);
    if (!entry.empty() && entry[0] != '#') passwords.emplace_back(entry);
  }
  if (in.bad()) return Status::Internal("error reading the common-password list " + path);
  if (passwords.empty()) return Status::InvalidArgument("the common-password list " + path + " is empty");
  return FromList(std::move(passwords));
}

CommonPasswords CommonPasswords::FromList(std::vector<std::string> passwords) {
  CommonPasswords list;
  list.passwords_.reserve(passwords.size());
  for (const std::string& p : passwords) list.passwords_.insert(AsciiLower(p));
  return list;
}

bool CommonPasswords::Contains(std::string_view password) const {
  return passwords_.count(AsciiLower(password)) > 0;
}

std::string DefaultCommonPasswordsPath() {
  return LIMS_COMMON_PASSWORDS;
}

Status CheckNewPassword(std::string_view password, std::string_view username, const CommonPasswords& common) {
  const std::optional<size_t> length = CountCodePoints(password);
  if (!length) return Reject("must be valid UTF-8 text");
  if (*length < kMinPasswordLength) return Reject("must be at least 12 characters long");
  if (*length > kMaxPasswordLength) return Reject("must be at most 256 characters long");
  if (IsOneRepeatedCharacter(password)) return Reject("must not be a single character repeated");
  if (common.Contains(password)) return Reject("is too common: it appears in lists of leaked passwords");
  if (!username.empty() && AsciiLower(password).find(AsciiLower(username)) != std::string::npos) {
    return Reject("must not contain the username");
  }
  return Status::Ok();
}

std::string GeneratePassword() {
  // Bytes at or above the largest multiple of the alphabet size are discarded, so that every
  // character is equally likely (a plain `byte % 57` would favour the first 28 characters).
  constexpr size_t kAlphabetSize = kGeneratedAlphabet.size();
  constexpr size_t kLimit = 256 - 256 % kAlphabetSize;
  std::string out;
  while (out.size() < kGeneratedLength) {
    std::array<unsigned char, 32> bytes;
    RandomBytes(bytes.data(), bytes.size());
    for (unsigned char b : bytes) {
      if (b < kLimit && out.size() < kGeneratedLength) out.push_back(kGeneratedAlphabet[b % kAlphabetSize]);
    }
  }
  return out;
}

}  // namespace lims::auth
