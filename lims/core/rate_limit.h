// RateLimiter: at most `limit` requests per client in any window of `window` (a sliding log kept as
// a fixed-size ring per client). The public verification endpoints use it so that nobody can
// enumerate certificate numbers or load the server from one address. Thread-safe.
#ifndef LIMS_CORE_RATE_LIMIT_H_
#define LIMS_CORE_RATE_LIMIT_H_

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

#include "lims/core/clock.h"

namespace lims {

class RateLimiter {
 public:
  RateLimiter(size_t limit, std::chrono::seconds window, size_t max_clients = 100000)
      : limit_(limit), window_(window), max_clients_(max_clients) {}
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // True, and counted, when `client` may make a request at `now`; false when it is over the limit
  // (`retry_after` then says when the oldest counted request leaves the window).
  bool Allow(const std::string& client, Timestamp now, std::chrono::seconds* retry_after = nullptr);

 private:
  void ForgetIdle(Timestamp now);  // expects mu_ held

  const size_t limit_;
  const std::chrono::seconds window_;
  const size_t max_clients_;
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<Timestamp>> seen_;  // guarded by mu_
};

}  // namespace lims

#endif  // LIMS_CORE_RATE_LIMIT_H_
