// Broken catalogs are refused with the file, the entry and the reason ("FILE: ENTRY: reason").
//
// Each case under tests/data/catalog/<case>/ is a copy of vocabulary.json plus a small standard
// file that differs from tests/data/catalog/valid/valid.json in one respect. A few more cases are
// built in memory from valid.json with one edit.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lims/catalog/catalog_loader.h"
#include "lims/core/catalog.h"
#include "tests/support/test_support.h"

namespace lims::catalog {
namespace {

using ::lims::testing::ReadFile;
using ::lims::testing::SourcePath;

std::string FixtureDir(const std::string& name) {
  return SourcePath("tests/data/catalog/" + name);
}

std::string ValidText() {
  return ReadFile(FixtureDir("valid") + "/valid.json");
}

Vocabulary ShippedVocabulary() {
  Result<Vocabulary> v = ParseVocabulary("vocabulary.json", ReadFile(SourcePath("catalog/vocabulary.json")));
  EXPECT_OK(v);
  return v.ok() ? v.value() : Vocabulary();
}

// `text` with the first occurrence of `from` replaced by `to`; fails the test when `from` is absent.
std::string Edit(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "fixture text lacks: " << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// The refusal of loading fixture directory `name` (OK when it unexpectedly loads).
Status LoadFixture(const std::string& name) {
  Result<Catalog> c = LoadCatalog(FixtureDir(name));
  return c.status();
}

// Checks that `s` is a refusal that starts with `where` ("FILE: ENTRY: ") and mentions `reason`.
void ExpectRefusal(const Status& s, const std::string& where, const std::string& reason) {
  ASSERT_FALSE(s.ok()) << "expected a refusal naming " << where;
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << s.ToString();
  EXPECT_EQ(s.message().substr(0, where.size()), where) << s.message();
  EXPECT_NE(s.message().find(reason), std::string::npos) << s.message();
}

TEST(BrokenCatalogTest, ValidFixtureLoads) {
  Result<Catalog> c = LoadCatalog(FixtureDir("valid"));
  ASSERT_OK(c);
  ASSERT_EQ(c->standards().size(), 1u);
  const StandardEdition& s = c->standards()[0];
  EXPECT_EQ(s.file, "valid.json");
  EXPECT_EQ(s.requirements.size(), 3u);
  const Marking* s1 = s.FindMarking("S1");
  ASSERT_NE(s1, nullptr);
  EXPECT_EQ(c->Expand(s, *s1).size(), 3u);  // S1 = SB (bond, toecap) + tear
}

TEST(BrokenCatalogTest, BadComparatorNamesFileRequirementAndComparator) {
  ExpectRefusal(LoadFixture("bad-comparator"), "bad-comparator.json: requirement TEST-BOND: ", "comparator");
}

TEST(BrokenCatalogTest, UnknownUnitIsQuoted) {
  ExpectRefusal(LoadFixture("unknown-unit"), "unknown-unit.json: requirement TEST-BOND: ", "unknown unit \"N/m\"");
}

TEST(BrokenCatalogTest, MarkingInclusionCycleIsRefused) {
  const Status s = LoadFixture("marking-cycle");
  ExpectRefusal(s, "marking-cycle.json: marking SB: ", "cycle");
  EXPECT_NE(s.message().find("S1"), std::string::npos) << s.message();
}

TEST(BrokenCatalogTest, RequirementWithoutClauseIsRefused) {
  ExpectRefusal(LoadFixture("missing-clause"),
                "missing-clause.json: requirement TEST-BOND: ", "\"clause\" is required");
}

TEST(BrokenCatalogTest, DecimalCommaInLimitIsRefused) {
  ExpectRefusal(LoadFixture("bad-decimal"), "bad-decimal.json: requirement TEST-BOND: ", "\"limit\"");
}

TEST(BrokenCatalogTest, SizeTableWithAGapNamesTheMissingSize) {
  const Status s = LoadFixture("size-gap");
  ExpectRefusal(s, "size-gap.json: requirement TEST-TOECAP: ", "limits_by_size");
  EXPECT_NE(s.message().find("size 37 0 times"), std::string::npos) << s.message();
}

TEST(BrokenCatalogTest, UnknownMaterialIsNamed) {
  ExpectRefusal(LoadFixture("unknown-material"),
                "unknown-material.json: requirement TEST-TEAR: ", "unknown material suede");
}

TEST(BrokenCatalogTest, RequirementIdUsedInTwoFilesNamesTheSecondFile) {
  // Files load in name order: a-first.json claims the id, b-second.json reuses it.
  ExpectRefusal(LoadFixture("duplicate-id"), "b-second.json: requirement TEST-BOND: ", "twice");
}

TEST(BrokenCatalogTest, WrongFormatIdIsRefused) {
  ExpectRefusal(LoadFixture("wrong-format"), "wrong-format.json: ", "pramaan-catalog/1");
}

TEST(BrokenCatalogTest, InvalidJsonNamesTheFile) {
  ExpectRefusal(LoadFixture("invalid-json"), "invalid-json.json: ", "not valid JSON");
}

TEST(BrokenCatalogTest, MissingDirectoryIsRefused) {
  const Status s = LoadFixture("no-such-case");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("does not exist"), std::string::npos) << s.message();
}

TEST(BrokenCatalogTest, OverlappingSizeBandsAreRefused) {
  // The 13.0 band now starts at 36, which the first band already covers.
  const std::string text =
      Edit(ValidText(), R"({"min_size": 37, "limit": "13.0"})", R"({"min_size": 36, "limit": "13.0"})");
  ExpectRefusal(ParseStandard("overlap.json", text).status(),
                "overlap.json: requirement TEST-TOECAP: ", "size 36 2 times");
}

TEST(BrokenCatalogTest, UnknownComparatorInMemoryNamesTheRequirement) {
  const std::string text = Edit(ValidText(), R"("comparator": ">=",
      "limit": "120")",
                                R"("comparator": "=>",
      "limit": "120")");
  ExpectRefusal(ParseStandard("memory.json", text).status(), "memory.json: requirement TEST-TEAR: ", "comparator");
}

TEST(BrokenCatalogTest, RangeComparatorWithoutRangeIsRefused) {
  const std::string text = Edit(ValidText(), R"("comparator": ">=",
      "limit": "4.0")",
                                R"("comparator": "range",
      "limit": "4.0")");
  ExpectRefusal(ParseStandard("memory.json", text).status(), "memory.json: requirement TEST-BOND: ", "\"range\"");
}

TEST(BrokenCatalogTest, MissingLimitIsRefused) {
  const std::string text = Edit(ValidText(), R"("limit": "4.0",)", "");
  ExpectRefusal(ParseStandard("memory.json", text).status(),
                "memory.json: requirement TEST-BOND: ", "\"limit\" is required");
}

TEST(BrokenCatalogTest, SpecimenCountOutOfRangeIsRefused) {
  const std::string text = Edit(ValidText(), R"("specimens": 2,)", R"("specimens": 21,)");
  ExpectRefusal(ParseStandard("memory.json", text).status(), "memory.json: requirement TEST-BOND: ", "specimens");
}

TEST(BrokenCatalogTest, MarkingNamingAnUnknownRequirementIsRefusedByBuild) {
  const std::string text = Edit(ValidText(), R"("requirements": ["TEST-TEAR"])", R"("requirements": ["TEST-NO-SUCH"])");
  Result<StandardEdition> s = ParseStandard("memory.json", text);
  ASSERT_OK(s);  // a single file cannot tell; the cross-entry check can
  std::vector<StandardEdition> editions;
  editions.push_back(std::move(s).value());
  ExpectRefusal(Catalog::Build(ShippedVocabulary(), std::move(editions)).status(),
                "memory.json: marking S1: ", "TEST-NO-SUCH");
}

TEST(BrokenCatalogTest, MarkingIncludingAnUnknownMarkingIsRefusedByBuild) {
  const std::string text = Edit(ValidText(), R"("includes": ["SB"])", R"("includes": ["S9"])");
  Result<StandardEdition> s = ParseStandard("memory.json", text);
  ASSERT_OK(s);
  std::vector<StandardEdition> editions;
  editions.push_back(std::move(s).value());
  ExpectRefusal(Catalog::Build(ShippedVocabulary(), std::move(editions)).status(), "memory.json: marking S1: ", "S9");
}

TEST(BrokenCatalogTest, PartOfAnotherFamilyIsRefusedByBuild) {
  // "shell" is a textile_apparel part; the fixture standard covers footwear only.
  const std::string text = Edit(ValidText(), R"("parts": ["upper"])", R"("parts": ["shell"])");
  Result<StandardEdition> s = ParseStandard("memory.json", text);
  ASSERT_OK(s);
  std::vector<StandardEdition> editions;
  editions.push_back(std::move(s).value());
  ExpectRefusal(Catalog::Build(ShippedVocabulary(), std::move(editions)).status(),
                "memory.json: requirement TEST-TEAR: ", "unknown part shell");
}

TEST(BrokenCatalogTest, SameStandardInTwoFilesIsRefusedByBuild) {
  // two.json is a copy of one.json: the standard is caught before its requirement ids are.
  Result<StandardEdition> first = ParseStandard("one.json", ValidText());
  Result<StandardEdition> second = ParseStandard("two.json", ValidText());
  ASSERT_OK(first);
  ASSERT_OK(second);
  std::vector<StandardEdition> editions;
  editions.push_back(std::move(first).value());
  editions.push_back(std::move(second).value());
  ExpectRefusal(Catalog::Build(ShippedVocabulary(), std::move(editions)).status(),
                "two.json: standard TEST-VALID: ", "same standard");
}

}  // namespace
}  // namespace lims::catalog
