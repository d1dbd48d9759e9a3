// libFuzzer target: one catalog file (docs/catalog-format.md) through catalog_loader's ParseStandard
// and ParseVocabulary; an accepted standard is then built into a Catalog with the repository's
// vocabulary, every marking is expanded and planned, and its JSON shapes are rendered.
//
// Invariants: nothing throws; errors name the file; an accepted edition has an id of [A-Z0-9-], a
// known status and a product family; every requirement has an id, 1..20 specimens, and a limit for
// every EU size 15..55 when it has a size table; expansions only name requirements of the edition;
// the JSON rendered for standards and requirements is valid JSON.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "fuzz_json.h"
#include "lims/catalog/catalog_loader.h"
#include "lims/core/test_plan.h"
#include "lims/http/catalog_json.h"
#include "lims/http/json_io.h"
#include "real_catalog.h"

namespace {

bool IsId(const std::string& id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
}

void CheckEdition(const lims::StandardEdition& s) {
  FUZZ_CHECK(IsId(s.id));
  FUZZ_CHECK(s.status == "current" || s.status == "superseded" || s.status == "withdrawn");
  FUZZ_CHECK(!s.product_families.empty());
  FUZZ_CHECK(s.sha256.size() == 64);
  FUZZ_CHECK(lims::fuzz::IsJson(lims::http::JsonResponse(200, lims::http::StandardJson(s)).body));
  for (const lims::CatalogRequirement& r : s.requirements) {
    FUZZ_CHECK(IsId(r.id));
    FUZZ_CHECK(r.standard_id == s.id);
    FUZZ_CHECK(r.specimens >= 1 && r.specimens <= 20);
    FUZZ_CHECK(!r.product_families.empty());
    FUZZ_CHECK(r.content_sha256.size() == 64);
    if (!r.limits_by_size.empty()) {
      for (int size = 15; size <= 55; ++size) FUZZ_CHECK(r.LimitForSize(size).has_value());
    }
    if (r.limit.comparator == lims::Comparator::kRange) FUZZ_CHECK(r.limit.value <= r.limit.high);
    FUZZ_CHECK(lims::fuzz::IsJson(lims::http::JsonResponse(200, lims::http::RequirementJson(r)).body));
    for (int size : {15, 40, 55}) (void)lims::PlanRequirement(r, s, size);
    (void)lims::PlanRequirement(r, s, std::nullopt);
  }
}

void CheckCatalog(const lims::StandardEdition& edition) {
  lims::Result<lims::Catalog> built =
      lims::Catalog::Build(lims::fuzz::RealCatalog().vocabulary(), std::vector<lims::StandardEdition>{edition});
  if (!built.ok()) return;
  const lims::StandardEdition& s = built->standards().front();
  for (const lims::Marking& m : s.markings) {
    for (const lims::CatalogRequirement* r : built->Expand(s, m)) {
      FUZZ_CHECK(r != nullptr && r->standard_id == s.id);
    }
    // A request for the marking, on every part of the family in its first material.
    lims::TestPlanRequest request;
    request.product_family = s.product_families.front();
    const auto& parts = built->vocabulary().family_parts;
    if (auto it = parts.find(request.product_family); it != parts.end()) {
      for (const std::string& part : it->second) {
        if (part != "whole") request.materials[part] = built->vocabulary().materials.front();
      }
    }
    request.markings.push_back({s.code, m.code, {}});
    request.size = 42;
    lims::Result<lims::TestPlan> plan = lims::DeriveTestPlan(*built, request);
    if (plan.ok()) {
      for (const lims::PlannedTest& t : plan->tests) FUZZ_CHECK(!t.requirement.empty());
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  lims::fuzz::RealCatalog();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text = lims::fuzz::AsString(data, size);
  lims::Result<lims::Vocabulary> vocabulary = lims::catalog::ParseVocabulary("vocabulary.json", text);
  if (!vocabulary.ok()) FUZZ_CHECK(vocabulary.status().message().rfind("vocabulary.json", 0) == 0);
  lims::Result<lims::StandardEdition> edition = lims::catalog::ParseStandard("fuzz.json", text);
  if (!edition.ok()) {
    FUZZ_CHECK(edition.status().message().rfind("fuzz.json", 0) == 0);
    return 0;
  }
  FUZZ_CHECK(edition->file == "fuzz.json");
  CheckEdition(*edition);
  CheckCatalog(*edition);
  return 0;
}
