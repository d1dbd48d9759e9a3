// The district list as shipped in catalog/districts/, and refusals of broken lists that name the
// file, the entry and the field.
#include "lims/catalog/districts.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "lims/catalog/catalog_loader.h"
#include "lims/core/organization.h"
#include "tests/support/test_support.h"

namespace lims::catalog {
namespace {

using ::lims::testing::MakeTempDir;
using ::lims::testing::SourcePath;
using ::lims::testing::WriteFile;

constexpr const char* kShipped = "catalog/districts/districts.json";

std::vector<District> Shipped() {
  Result<std::vector<District>> d = LoadDistricts(SourcePath(kShipped));
  EXPECT_OK(d);
  return d.ok() ? d.value() : std::vector<District>();
}

const District* Find(const std::vector<District>& districts, const std::string& name) {
  auto it = std::find_if(districts.begin(), districts.end(), [&](const District& d) { return d.name == name; });
  return it == districts.end() ? nullptr : &*it;
}

TEST(ShippedDistricts, HoldsThe75DistrictsOfUttarPradesh) {
  const std::vector<District> districts = Shipped();
  EXPECT_EQ(districts.size(), 75u);
  for (const District& d : districts) EXPECT_EQ(d.state, "Uttar Pradesh") << d.name;
}

TEST(ShippedDistricts, NamesAreUniqueAndAlphabetical) {
  const std::vector<District> districts = Shipped();
  std::set<std::string> names;
  for (const District& d : districts) EXPECT_TRUE(names.insert(d.name).second) << d.name << " twice";
  EXPECT_TRUE(std::is_sorted(districts.begin(), districts.end(),
                             [](const District& a, const District& b) { return a.name < b.name; }));
}

TEST(ShippedDistricts, KnowsTheExportDistrictsAndTheirProducts) {
  const std::vector<District> districts = Shipped();
  const std::pair<const char*, const char*> known[] = {
      {"Agra", "Leather products"},   {"Kanpur Nagar", "Leather products"},
      {"Firozabad", "Glassware"},     {"Moradabad", "Metal craft (brassware)"},
      {"Lucknow", "Chikankari"},      {"Varanasi", "Banarasi silk sarees"},
      {"Bhadohi", "Carpets"},         {"Aligarh", "Locks and hardware"},
      {"Saharanpur", "Wood carving"}, {"Meerut", "Sports goods"},
  };
  for (const auto& [name, product] : known) {
    const District* d = Find(districts, name);
    ASSERT_NE(d, nullptr) << name;
    EXPECT_EQ(d->odop_product, product) << name;
  }
  for (const char* name : {"Gautam Buddha Nagar", "Sant Kabir Nagar", "Lakhimpur Kheri", "Prayagraj", "Ayodhya"}) {
    EXPECT_NE(Find(districts, name), nullptr) << name;
  }
}

TEST(ShippedDistricts, DemoExportersValidateAgainstTheList) {
  Organization o;
  o.name = "Jajmau Leather Works";
  o.iec = "0598765432";
  o.district = "Kanpur Nagar";
  ASSERT_OK(ValidateOrganization(&o, Shipped(), false));
  EXPECT_EQ(o.state, "Uttar Pradesh");
}

// The list lives in its own directory because LoadCatalog reads every *.json in catalog/ as a standard.
TEST(ShippedDistricts, DoNotDisturbTheStandardsCatalog) {
  EXPECT_FALSE(std::filesystem::exists(SourcePath("catalog/districts.json")));
  EXPECT_OK(LoadCatalog(SourcePath("catalog")));
}

// ---- Broken lists ---------------------------------------------------------------------------

void ExpectRefusal(const std::string& text, const std::string& where, const std::string& reason) {
  Result<std::vector<District>> d = ParseDistricts("districts.json", text);
  ASSERT_FALSE(d.ok()) << "expected a refusal naming " << where;
  const Status& s = d.status();
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << s.ToString();
  EXPECT_EQ(s.message().substr(0, where.size()), where) << s.message();
  EXPECT_NE(s.message().find(reason), std::string::npos) << s.message();
}

constexpr const char* kAgraJson = R"({"name": "Agra", "state": "Uttar Pradesh", "odop_product": "Leather products"})";
std::string Agra() {
  return kAgraJson;
}

TEST(BrokenDistricts, MinimalListParses) {
  Result<std::vector<District>> d = ParseDistricts(
      "districts.json", R"({"districts": [)" + Agra() + R"(, {"name": "Dehradun", "state": "Uttarakhand"}]})");
  ASSERT_OK(d);
  ASSERT_EQ(d->size(), 2u);
  EXPECT_EQ((*d)[0].odop_product, "Leather products");
  EXPECT_EQ((*d)[1].odop_product, "");
}

TEST(BrokenDistricts, NotJson) {
  ExpectRefusal(R"({"districts": [)", "districts.json: ", "not valid JSON");
}

TEST(BrokenDistricts, NotAnObject) {
  ExpectRefusal("[]", "districts.json: ", "one JSON object");
}

TEST(BrokenDistricts, MissingOrWrongList) {
  ExpectRefusal(R"({"source": "x"})", "districts.json: ", "\"districts\" is required");
  ExpectRefusal(R"({"districts": {"name": "Agra"}})", "districts.json: ", "\"districts\" must be an array");
}

TEST(BrokenDistricts, EntryThatIsNotAnObject) {
  ExpectRefusal(R"({"districts": [)" + Agra() + R"(, "Aligarh"]})",
                "districts.json: districts[1]: ", "must be an object");
}

TEST(BrokenDistricts, MissingEmptyOrMistypedFields) {
  ExpectRefusal(R"({"districts": [)" + Agra() + R"(, {"state": "Uttar Pradesh"}]})",
                "districts.json: districts[1]: ", "\"name\" is required");
  ExpectRefusal(R"({"districts": [{"name": "", "state": "Uttar Pradesh"}]})",
                "districts.json: districts[0]: ", "\"name\" must not be empty");
  ExpectRefusal(R"({"districts": [{"name": "Agra"}]})", "districts.json: districts[0]: ", "\"state\" is required");
  ExpectRefusal(R"({"districts": [{"name": 7, "state": "Uttar Pradesh"}]})",
                "districts.json: districts[0]: ", "\"name\" must be a string");
  ExpectRefusal(R"({"districts": [{"name": "Agra", "state": "Uttar Pradesh", "odop_product": 3}]})",
                "districts.json: districts[0]: ", "\"odop_product\" must be a string");
}

TEST(BrokenDistricts, DuplicateName) {
  ExpectRefusal(R"({"districts": [)" + Agra() + ", " + Agra() + "]}",
                "districts.json: districts[1]: ", "Agra is listed twice");
}

TEST(BrokenDistricts, LoadNamesTheFileAndMissingFiles) {
  const std::string dir = MakeTempDir("districts_test");
  WriteFile(dir + "/up.json", R"({"districts": [{"name": "Agra"}]})");
  Result<std::vector<District>> d = LoadDistricts(dir + "/up.json");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(), "up.json: districts[0]: \"state\" is required");

  Result<std::vector<District>> missing = LoadDistricts(dir + "/absent.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("absent.json"), std::string::npos) << missing.status().message();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace lims::catalog
