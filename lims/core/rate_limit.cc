#include "lims/core/rate_limit.h"

namespace lims {

void RateLimiter::ForgetIdle(Timestamp now) {
  for (auto it = seen_.begin(); it != seen_.end();) {
    if (it->second.empty() || now - it->second.back() >= window_)
      it = seen_.erase(it);
    else
      ++it;
  }
}

bool RateLimiter::Allow(const std::string& client, Timestamp now, std::chrono::seconds* retry_after) {
  std::lock_guard lock(mu_);
  // A flood of distinct addresses must not grow the table without bound: idle clients go first.
  if (seen_.size() >= max_clients_ && seen_.count(client) == 0) ForgetIdle(now);
  std::deque<Timestamp>& log = seen_[client];
  while (!log.empty() && now - log.front() >= window_) log.pop_front();
  if (log.size() >= limit_) {
    if (retry_after != nullptr) {
      *retry_after = std::chrono::duration_cast<std::chrono::seconds>(log.front() + window_ - now);
    }
    return false;
  }
  log.push_back(now);
  return true;
}

}  // namespace lims
