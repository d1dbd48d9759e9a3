// Brute-force protection for logins: after a few failures per account and per client address,
// each further attempt must wait, doubling up to a ceiling. Counters live in the database, so a
// restart does not reset them. Pure functions; thread-safe.
#ifndef LIMS_CORE_LOGIN_POLICY_H_
#define LIMS_CORE_LOGIN_POLICY_H_

#include <chrono>
#include <optional>

#include "lims/core/clock.h"

namespace lims {

inline constexpr int kFreeLoginFailures = 3;
inline constexpr std::chrono::seconds kMaxLoginBackoff{900};

// The wait after `failures` consecutive failures: 0 for the first three, then 1 s, 2 s, 4 s, ...
// up to 15 minutes.
std::chrono::seconds LoginBackoff(int failures);
// How long the caller must still wait at `now` (nullopt: may try now).
std::optional<std::chrono::seconds> RemainingBackoff(int failures, std::optional<Timestamp> last_failure,
                                                     Timestamp now);

}  // namespace lims

#endif  // LIMS_CORE_LOGIN_POLICY_H_
