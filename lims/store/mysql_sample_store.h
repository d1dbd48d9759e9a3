// MysqlSampleStore: SampleStore over a MySQL/MariaDB connection borrowed from the pool.
//
// Every statement is prepared (no SQL is built from input). Every write is one transaction.
// Connector/C++ exceptions are caught here and returned as Status (see sql_error.h). Not
// thread-safe: one instance per request, on that request's connection.
#ifndef LIMS_STORE_MYSQL_SAMPLE_STORE_H_
#define LIMS_STORE_MYSQL_SAMPLE_STORE_H_

#include "lims/core/lab.h"
#include "lims/core/sample_store.h"

namespace sql {
class Connection;
}

namespace lims::store {

class MysqlSampleStore final : public SampleStore {
 public:
  explicit MysqlSampleStore(sql::Connection& connection) : c_(connection) {}

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
  Result<SampleProgress> Progress(std::string_view number) override;
  Result<std::vector<WorkItem>> Worklist(const WorklistQuery& query) override;
  Result<std::vector<Organization>> ListOrganizations() override;
  Result<Organization> FindOrganization(int64_t id) override;
  Result<Organization> CreateOrganization(const Organization& org, int64_t created_by) override;

  // Creates or updates the lab row for `lab` (its identity comes from configuration).
  Status EnsureLab(const Lab& lab);
  Result<Lab> FindLab(std::string_view code);
  // Inserts an organisation unless one with the same IEC exists; returns its id either way.
  Result<int64_t> EnsureOrganization(const Organization& org);

 private:
  sql::Connection& c_;
};

}  // namespace lims::store

#endif  // LIMS_STORE_MYSQL_SAMPLE_STORE_H_
