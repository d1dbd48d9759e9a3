// InstrumentStore: the instrument registry in MySQL/MariaDB (schema/008_instruments.sql), and
// RegistryInstrumentGate, the InstrumentGate that result entry asks (lims/core/instrument_gate.h).
//
// One lab's instruments: every read and write is scoped to the lab code given at construction; an
// instrument of another lab is kNotFound. Writes append (a calibration, a check, a status change
// with its history row) and increment the instrument's version, conditional on the version read,
// so of two concurrent writers exactly one wins (kConflict). Inside a request's unit of work they
// join its transaction. Prepared statements only, from the connection's statement cache.
// Connector/C++ exceptions become Status here. One instance per request, on the request's
// connection; not thread-safe.
#ifndef LIMS_STORE_INSTRUMENT_STORE_H_
#define LIMS_STORE_INSTRUMENT_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "instruments/instrument.h"
#include "lims/core/instrument_gate.h"
#include "lims/core/status.h"

namespace sql {
class Connection;
}

namespace lims::store {

using instruments::CalibrationRecord;
using instruments::InstrumentRecord;
using instruments::InstrumentStatus;
using instruments::IntermediateCheck;

// How a read locks the instrument's rows until the transaction ends (outside one: no effect).
enum class InstrumentLock {
  kNone,
  kShare,      // the gate: a concurrent status change, calibration or check waits, and is seen
  kExclusive,  // a writer of the instrument: the instrument row FOR UPDATE
};

struct InstrumentQuery {
  std::optional<InstrumentStatus> status;
  std::string type;    // "" = any
  std::string method;  // "" = any; compared as instruments::SameMethod does
};

class InstrumentStore {
 public:
  InstrumentStore(sql::Connection& c, std::string lab_code) : c_(c), lab_code_(std::move(lab_code)) {}
  InstrumentStore(const InstrumentStore&) = delete;
  InstrumentStore& operator=(const InstrumentStore&) = delete;

  // Registers `instrument` (validated by the caller) with its ranges, methods and the first status
  // history row; returns it as stored. kConflict when the lab has an instrument with its serial.
  Result<InstrumentRecord> Register(const InstrumentRecord& instrument, int64_t by, Timestamp at);
  // The instrument with its ranges, methods and histories; kNotFound when the lab has none.
  Result<InstrumentRecord> Find(int64_t id, InstrumentLock lock = InstrumentLock::kNone);
  Result<InstrumentRecord> FindBySerial(std::string_view serial);
  // The lab's instruments matching `query`, with histories, by id.
  Result<std::vector<InstrumentRecord>> List(const InstrumentQuery& query);

  // Each appends its record and increments the version of `current` (as read); kConflict when the
  // instrument changed since. Returns the stored record (id filled).
  Status ChangeStatus(const InstrumentRecord& current, InstrumentStatus to, const std::string& reason, int64_t by,
                      Timestamp at);
  Result<CalibrationRecord> AddCalibration(const InstrumentRecord& current, CalibrationRecord calibration, int64_t by,
                                           Timestamp at);
  Result<IntermediateCheck> AddCheck(const InstrumentRecord& current, IntermediateCheck check, int64_t by,
                                     Timestamp at);

 private:
  Status BumpVersion(const InstrumentRecord& current);

  sql::Connection& c_;
  std::string lab_code_;
};

// The calibration gate over the registry: reads the named instrument (its id, "17") with a shared
// lock, so that a status change, calibration or check committed meanwhile is seen or waits, and
// decides with instruments::CheckCalibrationGate. A name that is not an id of this lab's
// registry is "unknown". Borrows the connection (the request's unit of work); one per request.
class RegistryInstrumentGate final : public InstrumentGate {
 public:
  RegistryInstrumentGate(sql::Connection& c, std::string lab_code) : c_(c), lab_code_(std::move(lab_code)) {}
  Status CheckUsable(const std::string& instrument, const TestRecord& test, const ResultEntry& entry,
                     Timestamp at) override;

 private:
  sql::Connection& c_;
  std::string lab_code_;
};

// "17" → 17; nullopt for anything that is not a positive decimal id written canonically ("07" is not).
std::optional<int64_t> ParseInstrumentId(std::string_view text);

}  // namespace lims::store

#endif  // LIMS_STORE_INSTRUMENT_STORE_H_
