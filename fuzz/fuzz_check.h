// Shared helpers of the libFuzzer targets: invariant checks that stop the fuzzer with a message.
#ifndef LIMS_FUZZ_FUZZ_CHECK_H_
#define LIMS_FUZZ_FUZZ_CHECK_H_

#include <cstdint>
#include <cstdio>
#include <string>

// An invariant violation is a finding: print what broke, then trap (libFuzzer saves the input).
#define FUZZ_CHECK(cond)                                                                                  \
  do {                                                                                                    \
    if (!(cond)) {                                                                                        \
      std::fprintf(stderr, "\n== fuzz invariant violated: %s\n== at %s:%d\n", #cond, __FILE__, __LINE__); \
      std::fflush(stderr);                                                                                \
      __builtin_trap();                                                                                   \
    }                                                                                                     \
  } while (0)

namespace lims::fuzz {

inline std::string AsString(const uint8_t* data, size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

}  // namespace lims::fuzz

#endif  // LIMS_FUZZ_FUZZ_CHECK_H_
