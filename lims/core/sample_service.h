// SampleService: the lab's workflow from intake to reviewed results, free of I/O.
//
// Borrows a SampleStore, a Clock and optionally a Catalog, an AuditSink and an InstrumentGate (all
// must outlive the service). It validates input, applies the workflow's rules (state machines,
// four-eyes review, retests), the decision rule and optimistic versions, records what changed for
// the audit trail, and leaves persistence to the store. One instance per request (unit of work);
// the caller commits or rolls back the store's transaction. Not copyable.
#ifndef LIMS_CORE_SAMPLE_SERVICE_H_
#define LIMS_CORE_SAMPLE_SERVICE_H_

#include <optional>
#include <string>

#include "lims/core/audit.h"
#include "lims/core/catalog.h"
#include "lims/core/clock.h"
#include "lims/core/instrument_gate.h"
#include "lims/core/sample.h"
#include "lims/core/sample_store.h"
#include "lims/core/status.h"
#include "lims/core/workflow.h"

namespace lims {

// Who acts (0 / "" in unit tests that do not care).
struct ActingUser {
  int64_t id = 0;
  std::string username;
};

class SampleService {
 public:
  struct Options {
    const Catalog* catalog = nullptr;  // null: requirements resolve in the store only
    AuditSink* audit = nullptr;        // null: nothing is recorded (reads, unit tests)
    InstrumentGate* instruments = nullptr;
    ActingUser user;
  };
  SampleService(SampleStore& store, const Clock& clock, std::string lab_code, const Catalog* catalog = nullptr)
      : SampleService(store, clock, std::move(lab_code), Options{catalog, nullptr, nullptr, {}}) {}
  SampleService(SampleStore& store, const Clock& clock, std::string lab_code, Options options)
      : store_(store), clock_(clock), lab_code_(std::move(lab_code)), options_(std::move(options)) {}
  SampleService(const SampleService&) = delete;
  SampleService& operator=(const SampleService&) = delete;

  Result<SampleRecord> Register(const NewSample& sample);
  Result<SampleRecord> Get(const std::string& number);

  // `if_match`: the version the client last saw (If-Match); a different current version is
  // kConflict. nullopt: no precondition (the store still refuses a concurrent change).

  // Evaluates the entry against the test's limit and records it with its verdict. The test must
  // be pending, or rejected (a corrected entry after a review rejection).
  // `new_version`, when given, receives the test's version after the entry (its new ETag).
  Result<ResultRecord> EnterResult(int64_t test_id, const ResultEntry& entry, std::optional<int> if_match = {},
                                   int* new_version = nullptr);
  // Four-eyes review of the current result: approve or reject (with a comment).
  Result<ReviewRecord> Review(int64_t test_id, ReviewDecision decision, const std::string& comment,
                              std::optional<int> if_match = {});
  // Invalidates the test's result with a reason and opens a new test for the same requirement.
  Result<TestRecord> Retest(int64_t test_id, const std::string& reason, std::optional<int> if_match = {});
  // Assigns the test to `assignee` (a user id) or releases it (nullopt).
  Result<TestRecord> Assign(int64_t test_id, std::optional<int64_t> assignee, std::optional<int> if_match = {});
  // Appends a chain-of-custody event; "split" creates a portion (described by request.note).
  Result<CustodyEvent> RecordCustody(const std::string& number, const CustodyRequest& request,
                                     std::optional<int> if_match = {});

 private:
  Status PlanTests(NewSample* sample) const;
  Result<TestRecord> LoadTest(int64_t test_id, std::optional<int> if_match);
  // Re-derives the sample's status after one of its current tests moved `from` → `to` (either
  // absent: none left or joined) and records the move; `touch` increments the sample's version
  // even when its status stays (a change of the sample itself, such as a custody event).
  Status SyncSample(const std::string& number, std::optional<TestStatus> from, std::optional<TestStatus> to,
                    bool touch = false);
  void Audit(AuditChange change);

  SampleStore& store_;
  const Clock& clock_;
  std::string lab_code_;
  Options options_;
  std::optional<SampleProgress> locked_;  // the sample as read under its lock by this operation
};

// The markings a test plan claims, as a certificate prints them: "EN ISO 20345:2022 S3 SR".
std::string ClaimedMarkings(const TestPlanRequest& plan);

// Canonical JSON of the records, for audit events' before and after.
std::string AuditDocument(const SampleRecord& s);
std::string AuditDocument(const TestRecord& t);
std::string AuditDocument(const ResultRecord& r);

}  // namespace lims

#endif  // LIMS_CORE_SAMPLE_SERVICE_H_
