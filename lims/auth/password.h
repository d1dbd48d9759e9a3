// Password hashing (Argon2id) and the rules a new password must meet.
//
// Stored hashes are Argon2id encoded strings ("$argon2id$v=19$m=65536,t=3,p=1$salt$tag"). They carry
// their own parameters, so verification never needs the current configuration and the cost can be
// raised later: after a successful login, NeedsRehash() says whether to store a fresh hash.
// All functions are thread-safe; CommonPasswords is immutable after construction.
#ifndef LIMS_AUTH_PASSWORD_H_
#define LIMS_AUTH_PASSWORD_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "lims/core/status.h"

namespace lims::auth {

// Argon2id cost. The default is the production setting: 64 MiB and two passes per hash, about 140 ms
// on the 2-core development VM when idle (bench/auth_bench), inside the 50-250 ms budget for one login
// with room for a busy machine (t = 3 measured 195 ms idle, up to 340 ms under load). Configurable
// (auth.argon2_*); stored hashes keep their own parameters and are upgraded at the next login.
struct Argon2Params {
  uint32_t t_cost = 2;          // passes over memory
  uint32_t m_cost_kib = 65536;  // memory in KiB
  uint32_t parallelism = 1;     // lanes; 1 because limsd serves logins on a thread pool already

  // Cheap parameters so that test suites hashing many passwords stay fast. Never for production.
  static Argon2Params ForTests() { return Argon2Params{1, 1024, 1}; }
};

// The Argon2id encoded string of `password` under a fresh 16-byte random salt, with a 32-byte tag.
// kInvalidArgument when `p` is outside what Argon2 accepts; kInternal when hashing fails (memory).
Result<std::string> HashPassword(std::string_view password, const Argon2Params& p);

// Whether `password` matches `encoded`. False, never an exception, for a wrong password and for an
// encoding that is malformed, truncated, not Argon2id, or contains a NUL byte.
bool VerifyPassword(std::string_view password, const std::string& encoded);

// True when `encoded` was made with weaker settings than `p` (less memory or fewer passes), or is not
// an Argon2id v19 encoding at all, so the caller should re-hash the password it has just verified.
// A different parallelism alone is not weaker and does not trigger a re-hash.
bool NeedsRehash(const std::string& encoded, const Argon2Params& p);

// Passwords too common to allow (lower case; matched case-insensitively).
class CommonPasswords {
 public:
  CommonPasswords() = default;  // the empty list: contains nothing

  // One password per line; lines starting with '#' and blank lines are skipped, and surrounding
  // whitespace is trimmed. kNotFound when the file cannot be opened; kInvalidArgument when it holds
  // no passwords, because an empty list would silently switch the check off.
  static Result<CommonPasswords> Load(const std::string& path);
  static CommonPasswords FromList(std::vector<std::string> passwords);

  bool Contains(std::string_view password) const;  // ASCII case-insensitive
  size_t size() const { return passwords_.size(); }

 private:
  std::unordered_set<std::string> passwords_;  // lower-cased
};

// The absolute path of the list shipped in the source tree (lims/auth/common_passwords.txt).
std::string DefaultCommonPasswordsPath();

// Whether `password` may be set for `username`. kUnprocessable with one FieldError{"password", why}
// for the first rule broken: fewer than 12 or more than 256 characters (Unicode code points, not
// bytes), not valid UTF-8, one character repeated, on the `common` list, or equal to or containing
// the username (case-insensitive).
Status CheckNewPassword(std::string_view password, std::string_view username, const CommonPasswords& common);

// A random 20-character password over an alphabet without look-alikes (no 0 O 1 l I): about 116 bits.
// For `limsd --create-admin` when no password is given on stdin.
std::string GeneratePassword();

}  // namespace lims::auth

#endif  // LIMS_AUTH_PASSWORD_H_
