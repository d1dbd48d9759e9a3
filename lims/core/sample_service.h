// SampleService: the intake and result-entry workflow, free of I/O.
//
// Borrows a SampleStore and a Clock (both must outlive the service). Validates input, applies the
// workflow's rules and the decision rule, and leaves persistence to the store. Not copyable; use one
// instance per request.
#ifndef LIMS_CORE_SAMPLE_SERVICE_H_
#define LIMS_CORE_SAMPLE_SERVICE_H_

#include <string>

#include "lims/core/catalog.h"
#include "lims/core/clock.h"
#include "lims/core/sample.h"
#include "lims/core/sample_store.h"
#include "lims/core/status.h"

namespace lims {

class SampleService {
 public:
  // `catalog` may be null (no catalog loaded): requirements then resolve in the store only.
  SampleService(SampleStore& store, const Clock& clock, std::string lab_code, const Catalog* catalog = nullptr)
      : store_(store), clock_(clock), lab_code_(std::move(lab_code)), catalog_(catalog) {}
  SampleService(const SampleService&) = delete;
  SampleService& operator=(const SampleService&) = delete;

  Result<SampleRecord> Register(const NewSample& sample);
  Result<SampleRecord> Get(const std::string& number);
  // Evaluates the entry against the test's limit and records it with its verdict.
  Result<ResultRecord> EnterResult(int64_t test_id, const ResultEntry& entry);

 private:
  Status PlanTests(NewSample* sample) const;

  SampleStore& store_;
  const Clock& clock_;
  std::string lab_code_;
  const Catalog* catalog_;
};

}  // namespace lims

#endif  // LIMS_CORE_SAMPLE_SERVICE_H_
