// Bearer tokens (browser sessions and API tokens) and CSRF comparisons.
//
// A token is 32 random bytes shown to the client once as unpadded base64url; the server stores only
// its SHA-256, so a leaked database does not hand out live sessions. Thread-safe.
#ifndef LIMS_AUTH_TOKEN_H_
#define LIMS_AUTH_TOKEN_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace lims::auth {

inline constexpr size_t kTokenLength = 43;  // base64url of 32 bytes, without '=' padding

// A fresh token: 256 bits from OpenSSL's CSPRNG, as 43 base64url characters.
std::string NewToken();

// The stored form of a token: SHA-256 as 64 lower-case hex digits. A plain (unsalted, fast) hash is
// enough because the token has 256 bits of entropy: there is nothing to brute-force.
std::string HashToken(std::string_view token);

// Equality whose running time does not depend on where `a` and `b` differ (only on their length),
// for comparing a CSRF header with the session's token. Two empty strings are equal: callers must
// refuse an empty expected token themselves.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Whether `text` has the shape of a token (43 characters of A-Z a-z 0-9 - _), to reject garbage
// before touching the database.
bool LooksLikeToken(std::string_view text);

}  // namespace lims::auth

#endif  // LIMS_AUTH_TOKEN_H_
