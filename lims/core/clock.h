// Clock: the one seam through which the domain reads time, so that dates on records and the
// calibration boundary day are testable. SystemClock is the production clock; FakeClock is the
// hand-written test double. Both are thread-safe.
#ifndef LIMS_CORE_CLOCK_H_
#define LIMS_CORE_CLOCK_H_

#include <atomic>
#include <chrono>
#include <string>

#include "lims/core/status.h"

namespace lims {

using Timestamp = std::chrono::sys_seconds;

// "2026-11-23T10:15:00Z"
std::string FormatRfc3339(Timestamp t);
// Accepts "YYYY-MM-DDTHH:MM:SSZ" (UTC only: the API's convention).
Result<Timestamp> ParseRfc3339(std::string_view text);
// "YYYY-MM-DD" naming a real day of the Gregorian calendar (due dates, retention dates).
bool IsCalendarDate(std::string_view text);
int YearOf(Timestamp t);

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp Now() const override;
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(Timestamp start) : now_(start.time_since_epoch().count()) {}
  Timestamp Now() const override { return Timestamp(std::chrono::seconds(now_.load())); }
  void Advance(std::chrono::seconds by) { now_ += by.count(); }

 private:
  std::atomic<long long> now_;
};

}  // namespace lims

#endif  // LIMS_CORE_CLOCK_H_
