// Cryptographically secure random bytes for salts, tokens and generated passwords (OpenSSL).
// Internal to lims_auth. Thread-safe.
#ifndef LIMS_AUTH_RANDOM_H_
#define LIMS_AUTH_RANDOM_H_

#include <cstddef>

namespace lims::auth {

// Fills `out[0, n)` from OpenSSL's CSPRNG. Aborts the process when the CSPRNG fails: a salt or a
// token from a broken generator would be guessable, and no caller could do anything sensible with
// an error (the failure means the OS entropy source itself is unavailable).
void RandomBytes(unsigned char* out, size_t n);

}  // namespace lims::auth

#endif  // LIMS_AUTH_RANDOM_H_
