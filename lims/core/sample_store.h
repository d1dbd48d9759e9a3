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
#include "lims/core/sample.h"
#include "lims/core/status.h"

namespace lims {

struct Organization {
  int64_t id = 0;
  std::string name;
  std::string iec;
  std::string gstin;
  std::string address;
  std::string district;
  std::string odop_product;
};

struct SampleQuery {
  std::optional<SampleStatus> status;
  std::optional<int64_t> exporter_id;
  std::string after;  // keyset cursor: the last sample number of the previous page
  int limit = 50;
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
  // Writes the result, moves the test to "entered" and the sample to "in_testing". kConflict when
  // the test is no longer pending (a concurrent entry won).
  virtual Result<ResultRecord> AddResult(const TestRecord& test, const ResultRecord& result) = 0;
  virtual Result<std::vector<Organization>> ListOrganizations() = 0;
};

}  // namespace lims

#endif  // LIMS_CORE_SAMPLE_STORE_H_
