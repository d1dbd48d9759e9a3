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
  Result<std::vector<Organization>> ListOrganizations() override;

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
