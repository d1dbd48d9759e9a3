#include "lims/core/login_policy.h"

#include <algorithm>

namespace lims {

std::chrono::seconds LoginBackoff(int failures) {
  if (failures < kFreeLoginFailures) return std::chrono::seconds(0);
  const int doublings = std::min(failures - kFreeLoginFailures, 10);  // 2^10 s already exceeds the ceiling
  return std::min(std::chrono::seconds(int64_t{1} << doublings), kMaxLoginBackoff);
}

std::optional<std::chrono::seconds> RemainingBackoff(int failures, std::optional<Timestamp> last_failure,
                                                     Timestamp now) {
  if (!last_failure) return std::nullopt;
  const Timestamp free_at = *last_failure + LoginBackoff(failures);
  if (now >= free_at) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::seconds>(free_at - now);
}

}  // namespace lims
