// ParseAnalyticalTable over the example files in tests/data/instruments/analytical/ (golden values
// stated here from the rows: replicates, the LOQ rule, units, dilution remarks) and over
// hand-written snippets for every refusal.
#include "instruments/analytical_table.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/instruments/parser_test_util.h"
#include "tests/support/test_support.h"

namespace lims::instruments {
namespace {

using ::lims::testing::ReadFile;
using ::lims::testing::SourcePath;
using parser_test::Describe;

std::string Example(const std::string& name) {
  return ReadFile(SourcePath("tests/data/instruments/analytical/" + name));
}

Result<ParsedFile> Parse(const std::string& bytes, const ParseLimits& limits = {}) {
  return parser_test::ParseBytes(ParseAnalyticalTable, bytes, limits);
}

// One line per result, so a failed comparison shows every field at once.
std::string Describe(const ImportedResult& r) {
  return std::to_string(r.line) + " " + r.sample_ref + " " + r.quantity + " [" + parser_test::JoinValues(r.values) +
         "] " + r.unit + " remarks=\"" + r.remarks + "\"";
}

std::vector<std::string> Describe(const ParsedFile& file) {
  return parser_test::DescribeResults(file, [](const ImportedResult& r) { return Describe(r); });
}

// icp-oes-metals*.csv: the same in every encoding and locale.
const std::vector<std::string> kMetals = {
    "11 AGR-2026-000140-P1 Pb [12.4 11.8] mg/kg remarks=\"\"",
    "13 AGR-2026-000140-P1 Cd [0.8] mg/kg remarks=\"\"",
    "14 AGR-2026-000140-P1 Ni [148.2] mg/kg remarks=\"dilution 10\"",  // "ppm"
    "15 AGR-2026-000140-P1 As [<1.0] mg/kg remarks=\"not detected (< LOQ 1.0 mg/kg)\"",
    "16 AGR-2026-000141-P1 Pb [<2.5] mg/kg remarks=\"not detected (< LOQ 2.5 mg/kg)\"",  // "n.d." in µg/g
    "17 AGR-2026-000141-P1 Cd [<0.5] mg/kg remarks=\"not detected (< LOQ 0.5 mg/kg)\"",  // 0.12 < 0.5
    "18 AGR-2026-000141-P1 Ni [3.05] mg/kg remarks=\"flag E\"",                          // "ug/g"
    "19 AGR-2026-000141-P1 As [1.0] mg/kg remarks=\"\"",                                 // at the LOQ
};

void ExpectMetalsHeader(const ParsedFile& file) {
  EXPECT_EQ(file.header.format, "analytical-table/1");
  EXPECT_EQ(file.header.instrument_serial, "MY21450012");
  EXPECT_EQ(file.header.operator_name, "K. Banerjee");
  EXPECT_EQ(file.header.test_date, "2026-03-17");
  EXPECT_EQ(file.header.fields.at("Instrument"), "Agilent 5110 ICP-OES");
  EXPECT_EQ(file.header.fields.at("Sequence"), "2026-03-17_metals_01");
  for (const ImportedResult& r : file.results) EXPECT_EQ(r.method, "EN 16711-1:2015");
}

TEST(AnalyticalTable, IcpExampleAppliesReplicatesLoqRuleUnitsAndDilution) {
  Result<ParsedFile> file = Parse(Example("icp-oes-metals.csv"));
  ASSERT_OK(file);
  EXPECT_EQ(Describe(*file), kMetals);
  EXPECT_TRUE(file->errors.empty()) << ::testing::PrintToString(Describe(file->errors));
  ExpectMetalsHeader(*file);
  EXPECT_EQ(file->lines, 19);
}

TEST(AnalyticalTable, EuropeanLocaleVariantGivesIdenticalResults) {
  Result<ParsedFile> file = Parse(Example("icp-oes-metals-eu.csv"));
  ASSERT_OK(file);
  EXPECT_EQ(Describe(*file), kMetals);
  EXPECT_TRUE(file->errors.empty()) << ::testing::PrintToString(Describe(file->errors));
  ExpectMetalsHeader(*file);  // date written 17.03.2026, ";;;" padding removed
}

TEST(AnalyticalTable, Utf16LeWithBomAndCrlfGivesIdenticalResults) {
  for (const std::string name : {"icp-oes-metals", "crvi-uvvis"}) {
    Result<ParsedFile> utf8 = Parse(Example(name + ".csv"));
    Result<ParsedFile> utf16 = Parse(Example(name + "-utf16le.csv"));
    ASSERT_OK(utf8);
    ASSERT_OK(utf16);
    EXPECT_EQ(Describe(*utf16), Describe(*utf8)) << name;
    EXPECT_EQ(utf16->header.fields, utf8->header.fields) << name;
    EXPECT_EQ(utf16->header.test_date, utf8->header.test_date) << name;
    EXPECT_TRUE(utf16->errors.empty()) << name;
  }
}

TEST(AnalyticalTable, CrViExampleGivesReplicatePairBelowLoqDilutionAndNd) {
  Result<ParsedFile> file = Parse(Example("crvi-uvvis.csv"));
  ASSERT_OK(file);
  EXPECT_EQ(Describe(*file), (std::vector<std::string>{
                                 "11 AGR-2026-000123-P1 Cr(VI) [4.1 4.5] mg/kg remarks=\"\"",
                                 "13 AGR-2026-000124-P1 Cr(VI) [<3.0] mg/kg remarks=\"not detected (< LOQ 3.0 mg/kg)\"",
                                 "16 AGR-2026-000126-P1 Cr(VI) [14.8] mg/kg remarks=\"dilution 5\"",
                                 "17 AGR-2026-000127-P1 Cr(VI) [<3.0] mg/kg remarks=\"not detected (< LOQ 3.0 mg/kg)\"",
                             }));
  EXPECT_TRUE(file->errors.empty()) << ::testing::PrintToString(Describe(file->errors));
  EXPECT_EQ(file->results[0].method, "EN ISO 17075-1:2017");
  EXPECT_EQ(file->header.test_date, "2026-03-16");
  EXPECT_EQ(file->header.operator_name, "P. Sharma");
  EXPECT_EQ(file->header.instrument_serial, "A12345678901");
}

TEST(AnalyticalTable, TabSeparatedLcMsExportWithVendorColumnNames) {
  Result<ParsedFile> file = Parse(Example("lcms-azo-amines.txt"));
  ASSERT_OK(file);
  EXPECT_EQ(Describe(*file),
            (std::vector<std::string>{
                "10 AGR-2026-000150-P1 Benzidine [<5] mg/kg remarks=\"not detected (< LOQ 5 mg/kg)\"",
                "11 AGR-2026-000150-P1 o-Toluidine [41.7 39.9] mg/kg remarks=\"\"",
                "13 AGR-2026-000150-P1 4,4'-Diaminodiphenylmethane [6.2] mg/kg remarks=\"flag J\"",
                "14 AGR-2026-000150-P1 4-Aminobiphenyl [<5] mg/kg remarks=\"not detected (< LOQ 5 mg/kg)\"",
            }));
  EXPECT_TRUE(file->errors.empty()) << ::testing::PrintToString(Describe(file->errors));
  EXPECT_EQ(file->header.test_date, "2026-03-18");  // "18/03/2026 17:40"
  EXPECT_EQ(file->header.operator_name, "S. Nair");
}

TEST(AnalyticalTable, QuotedCsvKeepsCommasInNamesAndPercentUnits) {
  Result<ParsedFile> file = Parse(Example("gcms-pah-dmfu-phthalates.csv"));
  ASSERT_OK(file);
  EXPECT_EQ(Describe(*file),
            (std::vector<std::string>{
                "10 AGR-2026-000160-P1 Benzo[a]pyrene [0.8] mg/kg remarks=\"\"",
                "11 AGR-2026-000160-P1 Dibenz[a,h]anthracene [<0.2] mg/kg remarks=\"not detected (< LOQ 0.2 mg/kg)\"",
                "12 AGR-2026-000160-P1 Dimethyl fumarate (DMFu) [<0.05] mg/kg remarks=\"not detected (< LOQ 0.05 "
                "mg/kg)\"",
                "13 AGR-2026-000160-P1 DEHP [0.012 0.014] % w/w remarks=\"replicate 2: dilution 2\"",
            }));
  EXPECT_TRUE(file->errors.empty()) << ::testing::PrintToString(Describe(file->errors));
  EXPECT_EQ(file->header.test_date, "2026-03-19");
}

TEST(AnalyticalTable, MalformedRowsAreRefusedOneByOneNamingLineAndField) {
  Result<ParsedFile> file = Parse(Example("malformed.csv"));
  ASSERT_OK(file);
  // Line 22 ("ppm") is a replicate of line 7 ("mg/kg"); line 16 ("% w/w") is not.
  EXPECT_EQ(Describe(*file), (std::vector<std::string>{"7 AGR-2026-000170-P1 Pb [12.4 12.9] mg/kg remarks=\"\""}));
  EXPECT_EQ(Describe(file->errors), (std::vector<std::string>{
                                        "8: Concentration: -0.12 is negative",
                                        "9: LOQ: missing",
                                        "10: Concentration: \"high\" is not a number",
                                        "11: LOQ: \"abc\" is not a number",
                                        "12: LOQ: 0 is not greater than 0",
                                        "13: Analyte: empty",
                                        "14: Unit: empty",
                                        "15: Dilution factor: 0 is not greater than 0",
                                        "16: Unit: \"% w/w\" differs from \"mg/kg\" of AGR-2026-000170-P1 Pb on line 7",
                                        "17: Sample ID: empty",
                                        "18: row: quote opened at column 23 is not closed",
                                        "19: row has 8 fields, the column header only 7",
                                        "20: Concentration: missing",
                                        "21: Concentration: \"1.2E-3\" is not a number",
                                    }));
}

TEST(AnalyticalTable, TruncatedRowIsRefusedAndTheRowsBeforeItKept) {
  Result<ParsedFile> file = Parse(Example("truncated.csv"));
  ASSERT_OK(file);
  EXPECT_EQ(Describe(*file), std::vector<std::string>(kMetals.begin(), kMetals.begin() + 6));
  EXPECT_EQ(Describe(file->errors), (std::vector<std::string>{"18: Concentration: missing"}));
}

TEST(AnalyticalTable, FileWithoutTableIsNotAnAnalyticalTable) {
  Result<ParsedFile> file = Parse(Example("no-table.csv"));
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().message(),
            "line 7: no column header line (Sample ID, Analyte, Concentration, Unit, LOQ, ...) after the header "
            "block: not an analytical result table, or cut off before its table");
}

TEST(AnalyticalTable, WronglyEncodedFilesNameTheLine) {
  std::string utf16 = Example("icp-oes-metals-utf16le.csv");
  Result<ParsedFile> no_bom = Parse(utf16.substr(2));
  ASSERT_FALSE(no_bom.ok());
  EXPECT_EQ(no_bom.status().message().rfind("line 1: NUL", 0), 0u) << no_bom.status().message();

  utf16.pop_back();
  Result<ParsedFile> odd = Parse(utf16);
  ASSERT_FALSE(odd.ok());
  EXPECT_EQ(odd.status().message().rfind("line 19: odd number of bytes", 0), 0u) << odd.status().message();

  std::string latin1 = Example("icp-oes-metals.csv");
  latin1.replace(latin1.find("\xC2\xB5g/g"), 2, "\xB5");  // µg/g as Windows-1252
  Result<ParsedFile> cp1252 = Parse(latin1);
  ASSERT_FALSE(cp1252.ok());
  EXPECT_EQ(cp1252.status().message(), "line 16: invalid UTF-8 at byte 38 of the line");
}

const char kColumns[] = "Sample ID;Analyte;Concentration;Unit;LOQ;Flag\n";

TEST(AnalyticalTable, LoqRuleAndFlags) {
  Result<ParsedFile> file = Parse(std::string(kColumns) +
                                  "A;Pb;0,49;mg/kg;0,5;\n"      // below: "<0.5"
                                  "B;Pb;0,50;mg/kg;0,5;\n"      // at the LOQ: quantified
                                  "C;Pb;7,5;mg/kg;0,5;<LOQ\n"   // flag wins over the number
                                  "D;Pb;;mg/kg;0,5;n.d.\n"      // flag, empty cell
                                  "E;Pb;< 0,5;mg/kg;0,5;\n"     // "<x" in the cell
                                  "F;Pb;ND;mg/kg;0,5;\n"        // "ND" in the cell
                                  "G;Pb;3;mg/kg;0,5;< LOQ\n");  // spaced flag
  ASSERT_OK(file);
  std::vector<std::string> values;
  for (const ImportedResult& r : file->results) values.push_back(r.sample_ref + "=" + r.values.at(0));
  EXPECT_EQ(values, (std::vector<std::string>{"A=<0.5", "B=0.50", "C=<0.5", "D=<0.5", "E=<0.5", "F=<0.5", "G=<0.5"}));
  EXPECT_EQ(file->results[0].remarks, "not detected (< LOQ 0.5 mg/kg)");
  EXPECT_EQ(file->results[1].remarks, "");
  EXPECT_TRUE(file->errors.empty()) << ::testing::PrintToString(Describe(file->errors));
}

TEST(AnalyticalTable, UnitsArePpmAndMicrogramPerGramAsMgPerKgOthersAsWritten) {
  Result<ParsedFile> file = Parse(std::string(kColumns) +
                                  "A;X;1;PPM;0.5;\nB;X;1;\xC2\xB5g/g;0.5;\nC;X;1;\xCE\xBCg/g;0.5;\nD;X;1;UG/G;0.5;\n"
                                  "E;X;1;MG/KG;0.5;\nF;X;1;% w/w;0.5;\nG;X;1;mg/L;0.5;\n");
  ASSERT_OK(file);
  std::vector<std::string> units;
  for (const ImportedResult& r : file->results) units.push_back(r.unit);
  EXPECT_EQ(units, (std::vector<std::string>{"mg/kg", "mg/kg", "mg/kg", "mg/kg", "mg/kg", "% w/w", "mg/L"}));
}

TEST(AnalyticalTable, ReplicateRemarksAreNumbered) {
  Result<ParsedFile> file = Parse(
      "Sample ID,Analyte,Concentration,Unit,LOQ,Dilution factor,Flag\n"
      "S,Ni,12,mg/kg,1,10,\nS,Ni,0.5,mg/kg,1,,\nS,Ni,13,mg/kg,1,1,E\n");
  ASSERT_OK(file);
  ASSERT_EQ(file->results.size(), 1u);
  EXPECT_EQ(file->results[0].values, (std::vector<std::string>{"12", "<1", "13"}));
  EXPECT_EQ(file->results[0].remarks,
            "replicate 1: dilution 10; replicate 2: not detected (< LOQ 1 mg/kg); replicate 3: flag E");
  EXPECT_EQ(file->results[0].line, 2);
}

TEST(AnalyticalTable, SpecimenIdNamesTheSampleWhenThereIsNoSampleIdColumn) {
  Result<ParsedFile> file = Parse("Specimen ID\tElement\tResult\tUnit\tLOQ\nAGR-1-P2\tCd\t0.7\tmg/kg\t0.5\n");
  ASSERT_OK(file);
  ASSERT_EQ(file->results.size(), 1u);
  EXPECT_EQ(file->results[0].sample_ref, "AGR-1-P2");
  EXPECT_EQ(file->results[0].method, "");
}

TEST(AnalyticalTable, FileLevelErrorsNameLineAndField) {
  struct Case {
    std::string text;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"Date: 2026-13-01\n", "line 1: Date: \"2026-13-01\" is not a date (YYYY-MM-DD or DD.MM.YYYY)"},
      {"Method: A\nMethod: B\n", "line 2: header field \"Method\" given twice (first on line 1)"},
      {"Analyte,Concentration,Unit,LOQ\n", "line 1: column \"Sample ID\" missing: not an analytical result table"},
      {"Sample ID,Concentration,Unit,LOQ\n", "line 1: column \"Analyte\" missing: not an analytical result table"},
      {"Sample ID,Analyte,Unit,LOQ\n", "line 1: column \"Concentration\" missing: not an analytical result table"},
      {"Sample ID,Analyte,Concentration,LOQ\n", "line 1: column \"Unit\" missing: not an analytical result table"},
      {"Sample ID,Analyte,Concentration,Unit\n", "line 1: column \"LOQ\" missing: not an analytical result table"},
      {"Sample ID,Analyte,Conc.,Concentration,Unit,LOQ\n", "line 1: column \"Concentration\" appears twice"},
      {"# only a comment\n\nplain words\n",
       "line 3: \"plain words\" is neither a \"Key: value\" header line nor a "
       "column header line (no ';', ',' or tab): not an analytical result table"},
  };
  for (const Case& c : cases) {
    Result<ParsedFile> file = Parse(c.text);
    ASSERT_FALSE(file.ok()) << c.text;
    EXPECT_EQ(file.status().message(), c.message);
  }
}

TEST(AnalyticalTable, LimitsOnResultsAndErrors) {
  ParseLimits limits;
  limits.max_results = 2;
  limits.max_errors = 1;
  Result<ParsedFile> file = Parse(std::string(kColumns) +
                                      "A;Pb;1;mg/kg;0.5;\nB;Pb;x;mg/kg;0.5;\nC;Pb;y;mg/kg;0.5;\n"
                                      "D;Pb;z;mg/kg;0.5;\nE;Pb;1;mg/kg;0.5;\n",
                                  limits);
  ASSERT_OK(file);
  EXPECT_EQ(Describe(file->errors), (std::vector<std::string>{"3: Concentration: \"x\" is not a number",
                                                              "0: 2 more refused rows not listed (at most 1 are)"}));
  Result<ParsedFile> too_many =
      Parse(std::string(kColumns) + "A;Pb;1;mg/kg;0.5;\nB;Pb;1;mg/kg;0.5;\nC;Pb;1;mg/kg;0.5;\n", limits);
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.status().message(), "line 4: more than 2 results in one file");
}

}  // namespace
}  // namespace lims::instruments
