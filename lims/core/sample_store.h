// SampleStore: the persistence seam of the sample workflow.
//
// The domain calls this interface; lims/store/ implements it over MySQL/MariaDB. Every write method
// is one transaction: it commits completely or leaves nothing behind. Implementations return
// kUnavailable when the database cannot be reached, kNotFound for unknown records and
// kUnprocessable (with field errors) for references to records that do not exist.
// An instance is used by one thread at a time (one per request).
#ifndef LIMS_CORE_SAMPLE_STORE_H_
#define LIMS_CORE_SAMPLE_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lims/core/clock.h"
#include "lims/core/organization.h"
#include "lims/core/sample.h"
#include "lims/core/status.h"

namespace lims {

struct SampleQuery {
  std::optional<SampleStatus> status;
  std::optional<int64_t> exporter_id;
  std::optional<Timestamp> from;  // received_at ≥ from
  std::optional<Timestamp> to;    // received_at < to
  std::string after;              // keyset cursor: the last sample number of the previous page
  int limit = 50;
};

// Pending work: tests waiting for a result (pending) or back from review (rejected).
struct WorklistQuery {
  std::string method;               // exact method text, "" = any
  std::string instrument;           // tests whose latest result named it, or assigned to use it; "" = any
  std::optional<int64_t> assignee;  // a user id; 0 = unassigned only
  std::string due_before;           // "YYYY-MM-DD": samples due on or before; "" = any
  int64_t after = 0;                // keyset cursor: the last test id of the previous page
  int limit = 100;
};

struct WorkItem {
  TestRecord test;  // without result history
  std::string sample_number;
  std::string exporter_name;
  std::string due_date;
  Timestamp received_at;
};

// What the workflow needs to re-derive a sample's status after a change (lighter than a sample).
struct SampleProgress {
  int64_t id = 0;
  SampleStatus status = SampleStatus::kReceived;
  std::vector<TestStatus> current_tests;  // invalidated tests left out
  bool handed_over = false;               // a custody "handed_to_test" exists
};

class SampleStore {
 public:
  virtual ~SampleStore() = default;

  // Allocates the next gapless number of (lab, year of received_at) and writes the sample, one
  // test per requirement (with a snapshot of its limit) and the "received" custody event.
  virtual Result<SampleRecord> CreateSample(std::string_view lab_code, const NewSample& sample,
                                            Timestamp received_at) = 0;
  virtual Result<SampleRecord> FindSample(std::string_view number) = 0;
  virtual Result<std::vector<SampleRecord>> ListSamples(const SampleQuery& query) = 0;
  virtual Result<TestRecord> FindTest(int64_t test_id) = 0;

  // Every write below is conditional on the version the caller read (`test.version`,
  // `sample.version`): when the record changed meanwhile it writes nothing and returns kConflict,
  // so of two technicians acting on the same record one wins and the other is told.

  // Writes the result (entered_by, conditions, instrument) and moves the test to "entered".
  virtual Result<ResultRecord> AddResult(const TestRecord& test, const ResultRecord& result) = 0;
  // Writes the review and moves the test to "approved" or "rejected".
  virtual Result<ReviewRecord> AddReview(const TestRecord& test, const ReviewRecord& review) = 0;
  // Invalidates `test` (kept, with reason and who) and opens its repeat: a new pending test with
  // the same specification, attempt + 1, replacing it. Returns the new test.
  virtual Result<TestRecord> Retest(const TestRecord& test, const std::string& reason, int64_t by, Timestamp at) = 0;
  // Assigns (or, with nullopt, releases) a test on the worklist.
  virtual Result<TestRecord> AssignTest(const TestRecord& test, std::optional<int64_t> assignee) = 0;
  // Appends a custody event. For "split" it also creates the next portion of the sample, whose
  // code the returned event carries.
  virtual Result<CustodyEvent> AddCustody(const SampleRecord& sample, const CustodyEvent& event,
                                          const std::string& portion_description) = 0;
  // Sets the sample's status and increments its version (also when the status stays: a change
  // of one of its tests is a change of the sample).
  virtual Status UpdateSample(int64_t sample_id, SampleStatus status) = 0;
  virtual Result<std::vector<WorkItem>> Worklist(const WorklistQuery& query) = 0;

  // Derived from FindSample; stores override it with something cheaper (it runs on every write).
  virtual Result<SampleProgress> Progress(std::string_view number);

  virtual Result<std::vector<Organization>> ListOrganizations() = 0;
  virtual Result<Organization> FindOrganization(int64_t id) = 0;
  // kConflict naming the IEC when an organisation with it exists.
  virtual Result<Organization> CreateOrganization(const Organization& org, int64_t created_by) = 0;
};

}  // namespace lims

#endif  // LIMS_CORE_SAMPLE_STORE_H_
