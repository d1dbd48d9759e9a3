// Test plans: from product family, materials per part, requested markings and regulations, the
// tests a sample needs, de-duplicated across standards.
//
// One determination serves every requirement with the same property key on the same part and
// material (Cr(VI) on the leather upper serves EN ISO 20345 and REACH entry 47); the strictest limit
// wins, every source is kept for the certificate, and the specimen count is the largest asked for.
// Pure function over the immutable Catalog; thread-safe.
#ifndef LIMS_CORE_TEST_PLAN_H_
#define LIMS_CORE_TEST_PLAN_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lims/core/catalog.h"
#include "lims/core/decision.h"
#include "lims/core/limit.h"
#include "lims/core/status.h"

namespace lims {

struct MarkingRequest {
  std::string standard;            // "EN ISO 20345:2022" (code or id)
  std::string marking;             // "S3"
  std::vector<std::string> extra;  // additional symbols: "SR"
};

struct TestPlanRequest {
  std::string product_family;                    // "footwear"
  std::map<std::string, std::string> materials;  // part → material: {"upper": "leather"}
  std::vector<MarkingRequest> markings;
  std::vector<std::string> regulations;  // "REACH Annex XVII"
  std::string market = "EU";
  std::optional<int> size;  // EU shoe size, for size-dependent limits
};

struct PlannedTest {
  std::string requirement;  // the requirement whose limit won
  std::string requirement_sha256;
  std::string standard;  // its edition's code
  std::string clause;
  std::string property;
  std::string label;
  std::string property_key;
  std::string method;
  std::string part;      // "whole" for whole-product tests
  std::string material;  // "" for whole-product tests
  Limit limit;
  Combine combine = Combine::kEach;
  int specimens = 1;
  std::vector<std::string> sources;  // "EN ISO 20345:2022 5.3.1.2", "REACH Annex XVII entry 47"
};

struct TestPlan {
  std::vector<PlannedTest> tests;
};

// kUnprocessable naming the offending field ("markings[0].marking", "materials.upper", ...).
Result<TestPlan> DeriveTestPlan(const Catalog& catalog, const TestPlanRequest& request);

// A planned test for one requirement on the whole product or on one part (intake by requirement id).
Result<PlannedTest> PlanRequirement(const CatalogRequirement& r, const StandardEdition& s, std::optional<int> size);

}  // namespace lims

#endif  // LIMS_CORE_TEST_PLAN_H_
