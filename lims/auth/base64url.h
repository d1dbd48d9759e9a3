// Base64url without padding (RFC 4648 §5): bearer tokens, JWS parts, JWK coordinates.
#ifndef LIMS_AUTH_BASE64URL_H_
#define LIMS_AUTH_BASE64URL_H_

#include <optional>
#include <string>
#include <string_view>

namespace lims::auth {

std::string Base64UrlEncode(std::string_view bytes);
// Strict decoding: no padding, no white space, no characters outside the alphabet. nullopt otherwise.
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace lims::auth

#endif  // LIMS_AUTH_BASE64URL_H_
