// Catalog: standards and regulations as versioned data (one StandardEdition per catalog file),
// their requirements, and the markings that compose them.
//
// Built once at start-up from catalog/*.json (lims/catalog/catalog_loader.h parses the files) and
// immutable afterwards, so it is shared by all request threads without locks. Build() checks the
// rules that span entries and files (unique ids, markings that resolve, no inclusion cycles) and
// names the file, the entry and the reason of the first problem.
#ifndef LIMS_CORE_CATALOG_H_
#define LIMS_CORE_CATALOG_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lims/core/decision.h"
#include "lims/core/limit.h"
#include "lims/core/status.h"

namespace lims {

struct SizeLimit {
  std::optional<int> min_size;  // EU shoe size, inclusive
  std::optional<int> max_size;
  Decimal limit;
};

struct CatalogRequirement {
  std::string id;           // "EN20345-2022-BOND", unique across the catalog
  std::string standard_id;  // the edition it belongs to
  std::string clause;
  std::string clause_note;
  std::string property;
  std::string label;
  std::string property_key;  // equal keys are one determination across standards
  std::string method;
  Limit limit;
  Combine combine = Combine::kEach;
  int specimens = 1;
  std::vector<std::string> parts;      // empty: the whole product
  std::vector<std::string> materials;  // empty: any material
  std::vector<std::string> product_families;
  bool exempt_for_ppe = false;
  std::vector<SizeLimit> limits_by_size;
  std::string confidence;
  std::string source;
  std::string content_sha256;  // of the entry as written, identifies this version of it

  // The limit for a shoe size (the plain limit when it does not depend on size).
  std::optional<Limit> LimitForSize(std::optional<int> size) const;
};

struct Marking {
  std::string code;  // "S3", "SR"
  std::string kind;  // "category" or "symbol"
  std::string title;
  std::vector<std::string> includes;      // codes of markings of the same edition
  std::vector<std::string> requirements;  // requirement ids of the same edition
};

struct StandardEdition {
  std::string id;    // "EN-ISO-20345-2022"
  std::string code;  // "EN ISO 20345:2022"
  std::string title;
  std::string kind;    // "standard" or "regulation"
  std::string status;  // "current", "superseded", "withdrawn"
  std::string supersedes;
  bool ppe = false;
  std::vector<std::string> product_families;
  std::string source;
  std::string file;    // catalog file name, for messages
  std::string sha256;  // of the file
  std::vector<CatalogRequirement> requirements;
  std::vector<Marking> markings;

  const Marking* FindMarking(std::string_view code) const;
};

struct Vocabulary {
  std::map<std::string, std::vector<std::string>> family_parts;  // "footwear" → upper, lining, ...
  std::vector<std::string> materials;
};

class Catalog {
 public:
  // kInvalidArgument "FILE: ENTRY: reason" on the first cross-entry problem.
  static Result<Catalog> Build(Vocabulary vocabulary, std::vector<StandardEdition> standards);

  const std::vector<StandardEdition>& standards() const { return standards_; }
  const Vocabulary& vocabulary() const { return vocabulary_; }
  // By id ("EN-ISO-20345-2022") or code ("EN ISO 20345:2022").
  const StandardEdition* FindStandard(std::string_view id_or_code) const;
  const CatalogRequirement* FindRequirement(std::string_view id) const;
  // Every requirement of `marking` and of what it includes, recursively, in catalog order.
  std::vector<const CatalogRequirement*> Expand(const StandardEdition& standard, const Marking& marking) const;

 private:
  Vocabulary vocabulary_;
  std::vector<StandardEdition> standards_;
};

}  // namespace lims

#endif  // LIMS_CORE_CATALOG_H_
