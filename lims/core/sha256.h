// SHA-256 of a byte string, as 64 lower-case hex digits (migration checksums, PDF digests).
#ifndef LIMS_CORE_SHA256_H_
#define LIMS_CORE_SHA256_H_

#include <string>
#include <string_view>

namespace lims {

std::string Sha256Hex(std::string_view data);

}  // namespace lims

#endif  // LIMS_CORE_SHA256_H_
