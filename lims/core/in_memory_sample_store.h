// InMemorySampleStore: a complete SampleStore kept in memory, shipped as code rather than as a mock
// (the idea of LevelDB's memenv). Unit tests of the workflow run against it in microseconds, and
// because it keeps the store's contract (gapless numbers, limit snapshots, all-or-nothing writes,
// the same error codes and field errors) a test that passes here means the same against MySQL.
//
// FaultyStore wraps any store and fails every call with a chosen status, so that the paths taken
// when the database is down can be tested without stopping one.
//
// Like the MySQL store, every write is conditional on the version the caller read: a test whose
// stored version differs from `test.version` (a sample whose version differs from `sample.version`)
// is not written and the call returns kConflict "test N changed meanwhile". Each successful test
// write increments the test's version; UpdateSample increments the sample's.
//
// InMemorySampleStore is thread-safe: unlike the MySQL store, one instance may be shared by the
// threads of a test that races two result entries. FaultyStore is as thread-safe as the store it
// wraps.
#ifndef LIMS_CORE_IN_MEMORY_SAMPLE_STORE_H_
#define LIMS_CORE_IN_MEMORY_SAMPLE_STORE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lims/core/clock.h"
#include "lims/core/limit.h"
#include "lims/core/organization.h"
#include "lims/core/sample.h"
#include "lims/core/sample_store.h"
#include "lims/core/status.h"

namespace lims {

class InMemorySampleStore final : public SampleStore {
 public:
  InMemorySampleStore() = default;
  InMemorySampleStore(const InMemorySampleStore&) = delete;
  InMemorySampleStore& operator=(const InMemorySampleStore&) = delete;

  // Registers (or replaces) a catalog requirement. Samples created earlier keep the limit they
  // were given, as they do in the database.
  void AddRequirement(std::string code, std::string standard, std::string clause, std::string property,
                      std::string method, Limit limit);
  // Stores `org` under a fresh id (any id it carries is ignored) and returns that id.
  int64_t AddOrganization(Organization org);

  Result<SampleRecord> CreateSample(std::string_view lab_code, const NewSample& sample, Timestamp received_at) override;
  Result<SampleRecord> FindSample(std::string_view number) override;
  Result<std::vector<SampleRecord>> ListSamples(const SampleQuery& query) override;
  Result<TestRecord> FindTest(int64_t test_id) override;
  Result<ResultRecord> AddResult(const TestRecord& test, const ResultRecord& result) override;
  Result<ReviewRecord> AddReview(const TestRecord& test, const ReviewRecord& review) override;
  Result<TestRecord> Retest(const TestRecord& test, const std::string& reason, int64_t by, Timestamp at) override;
  Result<TestRecord> AssignTest(const TestRecord& test, std::optional<int64_t> assignee) override;
  Result<CustodyEvent> AddCustody(const SampleRecord& sample, const CustodyEvent& event,
                                  const std::string& portion_description) override;
  Status UpdateSample(int64_t sample_id, SampleStatus status) override;
  Result<std::vector<WorkItem>> Worklist(const WorklistQuery& query) override;
  Result<std::vector<Organization>> ListOrganizations() override;
  Result<Organization> FindOrganization(int64_t id) override;
  Result<Organization> CreateOrganization(const Organization& org, int64_t created_by) override;

 private:
  struct Requirement {
    std::string standard;
    std::string clause;
    std::string property;
    std::string method;
    Limit limit;
  };

  // The helpers below expect mu_ to be held.
  Status CheckReferences(const NewSample& sample) const;
  std::vector<TestRecord> MakeTests(const NewSample& sample, const std::string& number);
  static SampleRecord MakeSample(const NewSample& sample, Timestamp received_at);
  TestRecord* MutableTest(int64_t test_id);
  // The stored test `test` names, when the caller read its current version and it may move to
  // `to`; else kNotFound or kConflict.
  Result<TestRecord*> WritableTest(const TestRecord& test, TestStatus to);
  Status CheckCustodyReferences(const SampleRecord& stored, const CustodyEvent& event) const;
  static bool Matches(const SampleRecord& s, const SampleQuery& query);
  static bool Matches(const SampleRecord& s, const TestRecord& t, const WorklistQuery& query);

  std::mutex mu_;
  std::map<std::string, Requirement> requirements_;  // by code
  std::map<int64_t, Organization> organizations_;    // by id
  // Last sequence used per (lab code, year); numbers are allocated only when a sample is written,
  // so a rejected intake leaves no gap.
  std::map<std::pair<std::string, int>, int64_t> sequences_;
  // Ordered by number, which is the order ListSamples pages in.
  std::map<std::string, SampleRecord, std::less<>> samples_;
  std::map<int64_t, std::string> sample_of_test_;    // test id → sample number
  std::map<int64_t, std::string> number_of_sample_;  // sample id → sample number
  int64_t next_organization_id_ = 1;
  int64_t next_sample_id_ = 1;
  int64_t next_test_id_ = 1;
  int64_t next_result_id_ = 1;
  int64_t next_review_id_ = 1;
  int64_t next_portion_id_ = 1;
};

// Forwards to `base` (which must outlive it) until SetFailure() is given a non-OK status; from then
// on every method returns that status without touching `base`. SetFailure(Status::Ok()) heals it.
class FaultyStore final : public SampleStore {
 public:
  explicit FaultyStore(SampleStore& base) : base_(base) {}
  FaultyStore(const FaultyStore&) = delete;
  FaultyStore& operator=(const FaultyStore&) = delete;

  void SetFailure(Status failure);

  Result<SampleRecord> CreateSample(std::string_view lab_code, const NewSample& sample, Timestamp received_at) override;
  Result<SampleRecord> FindSample(std::string_view number) override;
  Result<std::vector<SampleRecord>> ListSamples(const SampleQuery& query) override;
  Result<TestRecord> FindTest(int64_t test_id) override;
  Result<ResultRecord> AddResult(const TestRecord& test, const ResultRecord& result) override;
  Result<ReviewRecord> AddReview(const TestRecord& test, const ReviewRecord& review) override;
  Result<TestRecord> Retest(const TestRecord& test, const std::string& reason, int64_t by, Timestamp at) override;
  Result<TestRecord> AssignTest(const TestRecord& test, std::optional<int64_t> assignee) override;
  Result<CustodyEvent> AddCustody(const SampleRecord& sample, const CustodyEvent& event,
                                  const std::string& portion_description) override;
  Status UpdateSample(int64_t sample_id, SampleStatus status) override;
  Result<std::vector<WorkItem>> Worklist(const WorklistQuery& query) override;
  Result<SampleProgress> Progress(std::string_view number) override;
  Result<std::vector<Organization>> ListOrganizations() override;
  Result<Organization> FindOrganization(int64_t id) override;
  Result<Organization> CreateOrganization(const Organization& org, int64_t created_by) override;

 private:
  Status Failure();

  SampleStore& base_;
  std::mutex mu_;
  Status failure_;
};

}  // namespace lims

#endif  // LIMS_CORE_IN_MEMORY_SAMPLE_STORE_H_
