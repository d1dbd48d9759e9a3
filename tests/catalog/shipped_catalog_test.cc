// The catalog as shipped in catalog/: every file loads, and a few facts read from the files by hand
// come out of the loader unchanged (marking expansion, limits, size tables, edition status, hashes).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "lims/catalog/catalog_loader.h"
#include "lims/core/catalog.h"
#include "lims/core/decimal.h"
#include "tests/support/test_support.h"

namespace lims::catalog {
namespace {

using ::lims::testing::ReadFile;
using ::lims::testing::SourcePath;

Decimal D(const char* text) {
  return *Decimal::Parse(text);
}

std::vector<std::string> Ids(const std::vector<const CatalogRequirement*>& requirements) {
  std::vector<std::string> ids;
  for (const CatalogRequirement* r : requirements) ids.push_back(r->id);
  return ids;
}

bool Contains(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

// The content hash of requirement `id` in `edition` ("" when the edition does not have it).
std::string EntryHash(const StandardEdition& edition, const std::string& id) {
  for (const CatalogRequirement& r : edition.requirements) {
    if (r.id == id) return r.content_sha256;
  }
  return "";
}

// `text` with the first occurrence of `from` replaced by `to` (unchanged when `from` is absent).
std::string ReplaceFirst(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

class ShippedCatalogTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Result<Catalog> loaded = LoadCatalog(SourcePath("catalog"));
    if (loaded.ok()) {
      catalog_ = new Catalog(std::move(loaded).value());
    } else {
      error_ = loaded.status().ToString();
    }
  }
  static void TearDownTestSuite() {
    delete catalog_;
    catalog_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(catalog_, nullptr) << error_; }

  static const Catalog& catalog() { return *catalog_; }

 private:
  static inline Catalog* catalog_ = nullptr;
  static inline std::string error_;
};

TEST_F(ShippedCatalogTest, LoadsFourEditions) {
  std::vector<std::string> codes;
  for (const StandardEdition& s : catalog().standards()) codes.push_back(s.code);
  std::sort(codes.begin(), codes.end());
  EXPECT_EQ(codes, (std::vector<std::string>{"EN ISO 20345:2011", "EN ISO 20345:2022", "EN ISO 20347:2022",
                                             "REACH Annex XVII"}));
}

TEST_F(ShippedCatalogTest, EveryStandardFileParsesOnItsOwn) {
  namespace fs = std::filesystem;
  int files = 0;
  for (const fs::directory_entry& e : fs::directory_iterator(SourcePath("catalog"))) {
    if (e.path().extension() != ".json") continue;
    const std::string name = e.path().filename().string();
    if (name == "vocabulary.json") {
      EXPECT_OK(ParseVocabulary(name, ReadFile(e.path().string())));
      continue;
    }
    ++files;
    Result<StandardEdition> s = ParseStandard(name, ReadFile(e.path().string()));
    ASSERT_OK(s);
    EXPECT_EQ(s->file, name);
    EXPECT_FALSE(s->requirements.empty()) << name;
  }
  EXPECT_EQ(files, 4);
}

TEST_F(ShippedCatalogTest, VocabularyListsTheFootwearPartsAndTheMaterials) {
  const Vocabulary& v = catalog().vocabulary();
  ASSERT_EQ(v.family_parts.count("footwear"), 1u);
  EXPECT_EQ(v.family_parts.at("footwear"),
            (std::vector<std::string>{"upper", "lining", "insock", "outsole", "accessory", "whole"}));
  EXPECT_EQ(v.materials,
            (std::vector<std::string>{"leather", "textile", "coated_fabric", "rubber", "polymer", "metal"}));
}

TEST_F(ShippedCatalogTest, FindsAStandardByIdAndByCode) {
  const StandardEdition* by_id = catalog().FindStandard("EN-ISO-20345-2022");
  const StandardEdition* by_code = catalog().FindStandard("EN ISO 20345:2022");
  ASSERT_NE(by_id, nullptr);
  EXPECT_EQ(by_id, by_code);
  EXPECT_EQ(by_id->file, "en-iso-20345-2022.json");
  EXPECT_EQ(catalog().FindStandard("EN ISO 20345:2035"), nullptr);
}

TEST_F(ShippedCatalogTest, S3ExpandsThroughS2AndPToTwentyRequirements) {
  const StandardEdition* s = catalog().FindStandard("EN ISO 20345:2022");
  ASSERT_NE(s, nullptr);
  const Marking* s3 = s->FindMarking("S3");
  ASSERT_NE(s3, nullptr);
  const std::vector<std::string> ids = Ids(catalog().Expand(*s, *s3));
  // S3 = S2 + P + cleats; S2 = S1 + WPA (2); S1 = SB (13) + A + E + closed heel: 13 + 3 + 2 + 1 + 1.
  EXPECT_EQ(ids.size(), 20u);
  EXPECT_TRUE(Contains(ids, "EN20345-2022-BOND"));            // from SB, three levels down
  EXPECT_TRUE(Contains(ids, "EN20345-2022-PERF-P"));          // from the symbol P
  EXPECT_TRUE(Contains(ids, "EN20345-2022-CLEATS"));          // S3's own
  EXPECT_TRUE(Contains(ids, "EN20345-2022-CLOSED-HEEL"));     // S1's own
  EXPECT_TRUE(Contains(ids, "EN20345-2022-WPA-ABSORPTION"));  // S2's WPA
  EXPECT_TRUE(Contains(ids, "EN20345-2022-ANTISTATIC"));      // S1's A
  EXPECT_FALSE(Contains(ids, "EN20345-2022-SR-HEEL"));
  EXPECT_FALSE(Contains(ids, "EN20345-2022-SR-FOREPART"));
  EXPECT_FALSE(Contains(ids, "EN20345-2022-PERF-PL"));
  EXPECT_FALSE(Contains(ids, "EN20345-2022-WATER-RESISTANCE"));  // WR is S7's, not S3's
}

TEST_F(ShippedCatalogTest, S7AddsWaterResistanceToS3) {
  // S7 = S3 + WR: the 20 requirements of S3 plus one, each listed once.
  const StandardEdition* s = catalog().FindStandard("EN-ISO-20345-2022");
  ASSERT_NE(s, nullptr);
  const Marking* s7 = s->FindMarking("S7");
  ASSERT_NE(s7, nullptr);
  std::vector<std::string> ids = Ids(catalog().Expand(*s, *s7));
  EXPECT_EQ(ids.size(), 21u);
  EXPECT_TRUE(Contains(ids, "EN20345-2022-WATER-RESISTANCE"));
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end());
}

TEST_F(ShippedCatalogTest, ReachEntry47ChromiumSixIsNotDetectedAtThreeMgPerKg) {
  const CatalogRequirement* r = catalog().FindRequirement("REACH-XVII-47-CRVI");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->standard_id, "REACH-ANNEX-XVII");
  EXPECT_EQ(r->clause, "Entry 47");
  EXPECT_EQ(r->label, "Cr(VI) in leather");
  EXPECT_EQ(r->limit.comparator, Comparator::kNotDetected);
  EXPECT_EQ(r->limit.value, D("3"));
  EXPECT_EQ(r->limit.unit, "mg/kg");
  EXPECT_EQ(r->property_key, "chromium-vi");
  EXPECT_EQ(r->materials, std::vector<std::string>{"leather"});
  EXPECT_EQ(r->limit.ToDisplay(), "not detected (< 3 mg/kg)");
}

TEST_F(ShippedCatalogTest, ReachEntry72IsExemptForPpe) {
  const CatalogRequirement* r = catalog().FindRequirement("REACH-XVII-72-FORMALDEHYDE");
  ASSERT_NE(r, nullptr);
  EXPECT_TRUE(r->exempt_for_ppe);
  EXPECT_EQ(r->limit.comparator, Comparator::kLess);
  EXPECT_EQ(r->limit.value, D("75"));
  const CatalogRequirement* crvi = catalog().FindRequirement("REACH-XVII-47-CRVI");
  ASSERT_NE(crvi, nullptr);
  EXPECT_FALSE(crvi->exempt_for_ppe);
}

TEST_F(ShippedCatalogTest, ToecapClearanceDependsOnTheShoeSize) {
  const CatalogRequirement* r = catalog().FindRequirement("EN20345-2022-TOECAP-IMPACT-CLEARANCE");
  ASSERT_NE(r, nullptr);
  const std::optional<Limit> size42 = r->LimitForSize(42);
  ASSERT_TRUE(size42.has_value());
  EXPECT_EQ(size42->value, D("14.0"));
  EXPECT_EQ(size42->value.ToString(), "14.0");  // as written in the table
  EXPECT_EQ(size42->comparator, Comparator::kGreaterOrEqual);
  EXPECT_EQ(size42->unit, "mm");
  const std::optional<Limit> size36 = r->LimitForSize(36);
  ASSERT_TRUE(size36.has_value());
  EXPECT_EQ(size36->value, D("12.5"));
  // Band edges: 37 opens the 13.0 band, 44 closes the 14.5 band, 45 and above are 15.0.
  EXPECT_EQ(r->LimitForSize(37)->value, D("13.0"));
  EXPECT_EQ(r->LimitForSize(44)->value, D("14.5"));
  EXPECT_EQ(r->LimitForSize(45)->value, D("15.0"));
  EXPECT_EQ(r->LimitForSize(20)->value, D("12.5"));
  EXPECT_FALSE(r->LimitForSize(std::nullopt).has_value());
}

TEST_F(ShippedCatalogTest, SizeIndependentLimitIgnoresTheSize) {
  const CatalogRequirement* r = catalog().FindRequirement("EN20345-2022-BOND");
  ASSERT_NE(r, nullptr);
  ASSERT_TRUE(r->LimitForSize(std::nullopt).has_value());
  EXPECT_EQ(r->LimitForSize(std::nullopt)->value, D("4.0"));
  EXPECT_EQ(r->LimitForSize(42)->value, D("4.0"));
  EXPECT_EQ(r->limit.unit, "N/mm");
}

TEST_F(ShippedCatalogTest, The2011EditionIsSupersededByThe2022One) {
  const StandardEdition* old_edition = catalog().FindStandard("EN-ISO-20345-2011");
  const StandardEdition* new_edition = catalog().FindStandard("EN-ISO-20345-2022");
  ASSERT_NE(old_edition, nullptr);
  ASSERT_NE(new_edition, nullptr);
  EXPECT_EQ(old_edition->status, "superseded");
  EXPECT_EQ(new_edition->status, "current");
  EXPECT_EQ(new_edition->supersedes, "EN-ISO-20345-2011");
  EXPECT_TRUE(new_edition->ppe);
  const StandardEdition* reach = catalog().FindStandard("REACH Annex XVII");
  ASSERT_NE(reach, nullptr);
  EXPECT_EQ(reach->kind, "regulation");
  EXPECT_FALSE(reach->ppe);
  EXPECT_TRUE(reach->markings.empty());
}

TEST_F(ShippedCatalogTest, MarkingCodesAreScopedToTheirEdition) {
  const StandardEdition* safety = catalog().FindStandard("EN ISO 20345:2022");
  const StandardEdition* occupational = catalog().FindStandard("EN ISO 20347:2022");
  ASSERT_NE(safety, nullptr);
  ASSERT_NE(occupational, nullptr);
  EXPECT_EQ(safety->FindMarking("O1"), nullptr);
  EXPECT_NE(occupational->FindMarking("O1"), nullptr);
  EXPECT_EQ(occupational->FindMarking("S3"), nullptr);
}

TEST_F(ShippedCatalogTest, EntryHashIsStableAcrossLoads) {
  Result<Catalog> again = LoadCatalog(SourcePath("catalog"));
  ASSERT_OK(again);
  ASSERT_EQ(again->standards().size(), catalog().standards().size());
  for (const StandardEdition& s : catalog().standards()) {
    const StandardEdition* other = again->FindStandard(s.id);
    ASSERT_NE(other, nullptr) << s.id;
    EXPECT_EQ(other->sha256, s.sha256) << s.id;
    for (const CatalogRequirement& r : s.requirements) {
      EXPECT_EQ(r.content_sha256.size(), 64u) << r.id;
      EXPECT_EQ(EntryHash(*other, r.id), r.content_sha256) << r.id;
    }
  }
}

TEST_F(ShippedCatalogTest, EntryHashesDifferBetweenEntries) {
  const CatalogRequirement* edition_2022 = catalog().FindRequirement("EN20345-2022-CRVI");
  const CatalogRequirement* reach = catalog().FindRequirement("REACH-XVII-47-CRVI");
  ASSERT_NE(edition_2022, nullptr);
  ASSERT_NE(reach, nullptr);
  EXPECT_NE(edition_2022->content_sha256, reach->content_sha256);
}

TEST_F(ShippedCatalogTest, EntryHashChangesWithTheEntryOnly) {
  const std::string file = "en-iso-20345-2022.json";
  const std::string text = ReadFile(SourcePath("catalog/" + file));
  // The bond's limit is the only "4.0" limit of the file.
  const std::string edited = ReplaceFirst(text, "\"limit\": \"4.0\"", "\"limit\": \"4.5\"");
  ASSERT_NE(edited, text);
  Result<StandardEdition> before = ParseStandard(file, text);
  Result<StandardEdition> after = ParseStandard(file, edited);
  ASSERT_OK(before);
  ASSERT_OK(after);
  EXPECT_NE(after->sha256, before->sha256);
  EXPECT_NE(EntryHash(*after, "EN20345-2022-BOND"), EntryHash(*before, "EN20345-2022-BOND"));
  EXPECT_EQ(EntryHash(*after, "EN20345-2022-CLEATS"), EntryHash(*before, "EN20345-2022-CLEATS"));
  EXPECT_EQ(EntryHash(*after, "EN20345-2022-TOECAP-IMPACT-CLEARANCE"),
            EntryHash(*before, "EN20345-2022-TOECAP-IMPACT-CLEARANCE"));
}

TEST_F(ShippedCatalogTest, EntryHashIgnoresLayout) {
  const std::string file = "en-iso-20345-2022.json";
  const std::string text = ReadFile(SourcePath("catalog/" + file));
  // Same entry, other indentation: the file hash changes, the entry's does not.
  const std::string edited =
      ReplaceFirst(text, "\"id\": \"EN20345-2022-BOND\",\n", "\"id\":    \"EN20345-2022-BOND\",\n\n");
  ASSERT_NE(edited, text);
  Result<StandardEdition> before = ParseStandard(file, text);
  Result<StandardEdition> after = ParseStandard(file, edited);
  ASSERT_OK(before);
  ASSERT_OK(after);
  EXPECT_NE(after->sha256, before->sha256);
  EXPECT_EQ(EntryHash(*after, "EN20345-2022-BOND"), EntryHash(*before, "EN20345-2022-BOND"));
}

}  // namespace
}  // namespace lims::catalog
