#include "lims/auth/random.h"

#include <openssl/rand.h>

#include <climits>
#include <cstdio>
#include <cstdlib>

namespace lims::auth {

void RandomBytes(unsigned char* out, size_t n) {
  // RAND_bytes takes an int; every caller asks for a few dozen bytes, so chunking is only a guard.
  while (n > 0) {
    const size_t chunk = n < size_t{INT_MAX} ? n : size_t{INT_MAX};
    if (RAND_bytes(out, static_cast<int>(chunk)) != 1) {
      std::fputs("lims_auth: OpenSSL RAND_bytes failed; refusing to continue without randomness\n", stderr);
      std::abort();
    }
    out += chunk;
    n -= chunk;
  }
}

}  // namespace lims::auth
