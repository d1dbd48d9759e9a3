// ParseSlipResultFile over the example files in tests/data/instruments/slip/ (golden values computed
// by hand from the readings: mean of the row's CoF readings, 2 decimals, half-even) and over
// hand-written snippets for every refusal.
#include "instruments/slip_result.h"

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
  return ReadFile(SourcePath("tests/data/instruments/slip/" + name));
}

Result<ParsedFile> Parse(const std::string& bytes, const ParseLimits& limits = {}) {
  return parser_test::ParseBytes(ParseSlipResultFile, bytes, limits);
}

// One line per result, so a failed comparison shows every field at once.
std::string Describe(const ImportedResult& r) {
  return std::to_string(r.line) + " " + r.sample_ref + " " + r.quantity + " [" + parser_test::JoinValues(r.values) +
         "] unit=\"" + r.unit + "\" method=\"" + r.method + "\" T=" + r.temperature_c.value_or("-") +
         " RH=" + r.humidity_pct.value_or("-") + " remarks=\"" + r.remarks + "\"";
}

std::vector<std::string> Describe(const ParsedFile& file) {
  return parser_test::DescribeResults(file, [](const ImportedResult& r) { return Describe(r); });
}

// The 2022 ceramic + NaLS run (sr-2022-ceramic-nals*.csv), the same in every encoding and locale.
const std::vector<std::string> kNalsResults = {
    "17 AGR-2026-000123-P1 slip-ceramic-nals-heel-forward [0.42 0.40] unit=\"\" method=\"EN ISO 13287:2019\" "
    "T=23.1 RH=49 remarks=\"\"",
    "18 AGR-2026-000123-P1 slip-ceramic-nals-forepart-backward [0.47 0.45] unit=\"\" method=\"EN ISO 13287:2019\" "
    "T=23.1 RH=49 remarks=\"specimen 2: outsole cleats worn, 2 mm\"",
    "23 AGR-2026-000124-P1 slip-ceramic-nals-heel-forward [0.32 0.30] unit=\"\" method=\"EN ISO 13287:2019\" "
    "T=23.1 RH=49 remarks=\"\"",
    "24 AGR-2026-000124-P1 slip-ceramic-nals-forepart-backward [0.37 0.35] unit=\"\" method=\"EN ISO 13287:2019\" "
    "T=23.1 RH=49 remarks=\"\"",
};

TEST(SlipResult, CeramicNalsExampleGivesTheHandComputedMeans) {
  Result<ParsedFile> file = Parse(Example("sr-2022-ceramic-nals.csv"));
  ASSERT_OK(file);
  EXPECT_EQ(Describe(*file), kNalsResults);
  EXPECT_TRUE(file->errors.empty()) << ::testing::PrintToString(Describe(file->errors));
  EXPECT_EQ(file->header.format, "slip-result/1");
  EXPECT_EQ(file->header.instrument_serial, "STM603-1187");
  EXPECT_EQ(file->header.operator_name, "R. Iyer");
  EXPECT_EQ(file->header.test_date, "2026-03-14");
  EXPECT_EQ(file->header.fields.at("Instrument"), "SATRA STM 603 slip resistance tester");
  EXPECT_EQ(file->header.fields.at("Normal force"), "500 N");
  EXPECT_EQ(file->header.fields.at("Specification"), "EN ISO 20345:2022");
  EXPECT_EQ(file->header.fields.count("Serial number"), 0u);  // it has its own member
  EXPECT_EQ(file->lines, 26);
}

TEST(SlipResult, EuropeanLocaleVariantGivesIdenticalResults) {
  Result<ParsedFile> file = Parse(Example("sr-2022-ceramic-nals-eu.csv"));
  ASSERT_OK(file);
  EXPECT_EQ(Describe(*file), kNalsResults);
  EXPECT_TRUE(file->errors.empty()) << ::testing::PrintToString(Describe(file->errors));
  EXPECT_EQ(file->header.test_date, "2026-03-14");  // written 14.03.2026
  EXPECT_EQ(file->header.instrument_serial, "STM603-1187");
  EXPECT_EQ(file->header.fields.at("Normal force"), "500 N");  // ";;;;" padding removed
}

TEST(SlipResult, Utf16LeWithBomAndCrlfGivesIdenticalResults) {
  Result<ParsedFile> utf8 = Parse(Example("sr-2022-ceramic-nals.csv"));
  Result<ParsedFile> utf16 = Parse(Example("sr-2022-ceramic-nals-utf16le.csv"));
  ASSERT_OK(utf8);
  ASSERT_OK(utf16);
  EXPECT_EQ(Describe(*utf16), kNalsResults);
  EXPECT_EQ(utf16->header.fields, utf8->header.fields);  // "°C" decoded to the same UTF-8
  EXPECT_EQ(utf16->header.test_date, utf8->header.test_date);
  EXPECT_EQ(utf16->lines, utf8->lines);
}

TEST(SlipResult, GlycerineTabFileRoundsHalfEvenAndIgnoresTheMeanColumn) {
  Result<ParsedFile> file = Parse(Example("sr-2022-ceramic-glycerine.txt"));
  ASSERT_OK(file);
  // 0.215 → 0.22, 0.245 → 0.24, 0.260 → 0.26, 0.275 → 0.28 (half-even).
  EXPECT_EQ(Describe(*file), (std::vector<std::string>{
                                 "15 AGR-2026-000125-P2 slip-ceramic-glycerine-heel-forward [0.22 0.24] unit=\"\" "
                                 "method=\"EN ISO 13287:2019\" T=23 RH=50 remarks=\"\"",
                                 "16 AGR-2026-000125-P2 slip-ceramic-glycerine-forepart-backward [0.26 0.28] unit=\"\" "
                                 "method=\"EN ISO 13287:2019\" T=23 RH=50 remarks=\"\"",
                             }));
  EXPECT_TRUE(file->errors.empty()) << ::testing::PrintToString(Describe(file->errors));
  EXPECT_EQ(file->header.instrument_serial, "STM603-1187");  // "S/N:"
  EXPECT_EQ(file->header.operator_name, "A. Fernandes");     // "Tested by:"
  EXPECT_EQ(file->header.test_date, "2026-03-15");           // "2026-03-15 09:12"
}

TEST(SlipResult, Edition2011MapsFloorAndContaminantColumnsToSraAndSrb) {
  Result<ParsedFile> file = Parse(Example("sra-srb-2011.csv"));
  ASSERT_OK(file);
  const std::string tail = " unit=\"\" method=\"EN ISO 13287:2012\" T=22.8 RH=51 remarks=\"\"";
  EXPECT_EQ(Describe(*file), (std::vector<std::string>{
                                 "13 AGR-2026-000090-P1 slip-sra-heel-forward [0.30 0.32]" + tail,
                                 "14 AGR-2026-000090-P1 slip-sra-flat-forward [0.36 0.34]" + tail,
                                 "17 AGR-2026-000090-P1 slip-srb-heel-forward [0.15 0.17]" + tail,
                                 "18 AGR-2026-000090-P1 slip-srb-flat-forward [0.20 0.22]" + tail,
                             }));
  EXPECT_TRUE(file->errors.empty()) << ::testing::PrintToString(Describe(file->errors));
}

TEST(SlipResult, MalformedRowsAreRefusedOneByOneNamingLineAndField) {
  Result<ParsedFile> file = Parse(Example("malformed.csv"));
  ASSERT_OK(file);
  EXPECT_EQ(Describe(*file), (std::vector<std::string>{
                                 "11 AGR-2026-000130-P1 slip-ceramic-nals-heel-forward [0.42] unit=\"\" "
                                 "method=\"EN ISO 13287:2019\" T=- RH=- remarks=\"\"",
                                 "25 AGR-2026-000130-P1 slip-ceramic-nals-forepart-backward [0.39] unit=\"\" "
                                 "method=\"EN ISO 13287:2019\" T=- RH=- remarks=\"\"",
                             }));
  EXPECT_EQ(Describe(file->errors),
            (std::vector<std::string>{
                "12: Mode: unknown test mode \"sideways\" (heel forward, forepart backward or flat forward)",
                "13: CoF 2: 2.42 is outside 0..2",
                "14: CoF 2: \"abc\" is not a number",
                "15: Specimen: \"1\" of AGR-2026-000130-P1 already has a heel forward result for "
                "slip-ceramic-nals-heel-forward (line 11)",
                "16: Sample: empty",
                "17: Mode: flat forward on ceramic tile with NaLS is not a slip test of EN ISO 20345:2022 / EN ISO "
                "20347:2022",
                "18: CoF: no reading in any CoF column",
                "19: row: quote opened at column 52 is not closed",
                "20: row has 10 fields, the column header only 9",
                "21: CoF 1: -0.01 is outside 0..2",
                "22: Floor: unknown floor \"wood\" (ceramic tile or steel)",
                "23: Contaminant: unknown contaminant \"water\" (NaLS or glycerine)",
                "24: Specimen: empty",
            }));
}

TEST(SlipResult, TruncatedRowIsRefusedAndTheRowsBeforeItKept) {
  Result<ParsedFile> file = Parse(Example("truncated.csv"));
  ASSERT_OK(file);
  std::vector<std::string> expected = kNalsResults;
  expected[3] =
      "24 AGR-2026-000124-P1 slip-ceramic-nals-forepart-backward [0.37] unit=\"\" "
      "method=\"EN ISO 13287:2019\" T=23.1 RH=49 remarks=\"\"";
  EXPECT_EQ(Describe(*file), expected);
  EXPECT_EQ(Describe(file->errors), (std::vector<std::string>{"26: CoF 1: \"0.\" is not a number"}));
}

TEST(SlipResult, FileCutInItsHeaderIsNotASlipFile) {
  Result<ParsedFile> file = Parse(Example("truncated-header.csv"));
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().message().rfind("line 10: no column header line", 0), 0u) << file.status().message();
}

TEST(SlipResult, Latin1DegreeSignIsAnEncodingErrorOnItsLine) {
  Result<ParsedFile> file = Parse(Example("latin1-degree.csv"));
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().message(), "line 13: invalid UTF-8 at byte 19 of the line");
}

TEST(SlipResult, Utf16WithoutBomIsRefusedOnLineOne) {
  std::string utf16 = Example("sr-2022-ceramic-nals-utf16le.csv").substr(2);
  Result<ParsedFile> file = Parse(utf16);
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().message().rfind("line 1: NUL", 0), 0u) << file.status().message();
}

TEST(SlipResult, Utf16CutInTheMiddleOfACharacterNamesTheLastLine) {
  std::string utf16 = Example("sr-2022-ceramic-nals-utf16le.csv");
  utf16.pop_back();
  Result<ParsedFile> file = Parse(utf16);
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().message().rfind("line 26: odd number of bytes", 0), 0u) << file.status().message();
}

// A minimal valid header; tests append their own table.
std::string Header(const std::string& specification = "EN ISO 20345:2022") {
  return "Operator: T\nSpecification: " + specification + "\nFloor: ceramic tile\nContaminant: NaLS\n";
}

TEST(SlipResult, MissingSpecificationIsAFileError) {
  Result<ParsedFile> file = Parse("Floor: ceramic\nContaminant: NaLS\nSample;Specimen;Mode;CoF 1\nS;1;HF;0.4\n");
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().message(),
            "line 3: header field \"Specification\" missing: it chooses between the 2011 (SRA/SRB) and the 2022 "
            "properties");
}

TEST(SlipResult, UnknownSpecificationEditionIsAFileError) {
  Result<ParsedFile> file = Parse(Header("EN ISO 20345:2004") + "Sample,Specimen,Mode,CoF 1\n");
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().message().rfind("line 2: Specification: \"EN ISO 20345:2004\" is not", 0), 0u)
      << file.status().message();
}

TEST(SlipResult, HeaderFieldErrorsNameLineAndField) {
  struct Case {
    std::string text;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"Test date: 31.02.2026\n", "line 1: Test date: \"31.02.2026\" is not a date (YYYY-MM-DD or DD.MM.YYYY)"},
      {"Temperature: warm\n", "line 1: Temperature: \"warm\" is not a temperature in °C"},
      {"Relative humidity: 49 g/m3\n", "line 1: Relative humidity: \"49 g/m3\" is not a humidity in %"},
      {"Operator: A\noperator: B\n", "line 2: header field \"operator\" given twice (first on line 1)"},
      {"just words\n",
       "line 1: \"just words\" is neither a \"Key: value\" header line nor a column header line (no "
       "';', ',' or tab): not a slip result file"},
      {"Sample,Specimen,CoF 1\n", "line 1: column \"Mode\" missing: not a slip result file"},
      {"Sample,Specimen,Mode,Mean\n",
       "line 1: no CoF reading column (\"CoF 1\", \"CoF 2\", ...): not a slip result "
       "file"},
      {"Sample,Specimen,Mode,Mode,CoF 1\n", "line 1: column \"Mode\" appears twice"},
      {"Sample,\"Specimen\n", "line 1: column header: quote opened at column 8 is not closed"},
      {"",
       "line 0: no column header line (Sample, Specimen, Mode, CoF 1, ...) after the header block: not a slip "
       "result file, or cut off before its table"},
  };
  for (const Case& c : cases) {
    Result<ParsedFile> file = Parse(c.text);
    ASSERT_FALSE(file.ok()) << c.text;
    EXPECT_EQ(file.status().message(), c.message);
  }
}

TEST(SlipResult, ModeSpellingsAndCodesAreAccepted) {
  Result<ParsedFile> file = Parse(Header() +
                                  "Sample;Specimen;Mode;CoF 1\n"
                                  "S;1;HF;0.4\nS;2;Heel-Forward Slip;0.5\nS;3;forward heel;0.6\n"
                                  "S;1;fb;0.41\nS;2;Backward forepart slip;0.42\n");
  ASSERT_OK(file);
  ASSERT_EQ(file->results.size(), 2u);
  EXPECT_EQ(file->results[0].values, (std::vector<std::string>{"0.40", "0.50", "0.60"}));
  EXPECT_EQ(file->results[1].values, (std::vector<std::string>{"0.41", "0.42"}));
  EXPECT_FALSE(file->results[0].temperature_c.has_value());
}

TEST(SlipResult, EmptyReadingCellsAreSkippedAndBoundsAreInclusive) {
  Result<ParsedFile> file = Parse(Header() +
                                  "Sample,Specimen,Mode,CoF 1,CoF 2,CoF 3\n"
                                  "S,1,HF,0,,\nS,2,HF,,2.0,\nS,3,HF,1.999,2,\n");
  ASSERT_OK(file);
  ASSERT_EQ(file->results.size(), 1u);
  EXPECT_EQ(file->results[0].values, (std::vector<std::string>{"0.00", "2.00", "2.00"}));
  EXPECT_TRUE(file->errors.empty());
}

TEST(SlipResult, TooManyResultsIsAFileError) {
  ParseLimits limits;
  limits.max_results = 1;
  Result<ParsedFile> file = Parse(Header() + "Sample,Specimen,Mode,CoF 1\nA,1,HF,0.4\nB,1,HF,0.4\n", limits);
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().message(), "line 7: more than 1 results in one file");
}

TEST(SlipResult, ErrorsBeyondTheLimitAreCountedInOneLastError) {
  ParseLimits limits;
  limits.max_errors = 2;
  Result<ParsedFile> file =
      Parse(Header() + "Sample,Specimen,Mode,CoF 1\n,1,HF,0.4\n,2,HF,0.4\n,3,HF,0.4\n,4,HF,0.4\n", limits);
  ASSERT_OK(file);
  EXPECT_EQ(Describe(file->errors), (std::vector<std::string>{"6: Sample: empty", "7: Sample: empty",
                                                              "0: 2 more refused rows not listed (at most 2 are)"}));
}

TEST(SlipResult, OverlongLineIsAFileErrorNamingTheLine) {
  ParseLimits limits;
  limits.max_line_bytes = 64;
  Result<ParsedFile> file = Parse(Header() + "Sample,Specimen,Mode,CoF 1\nS,1,HF,0.4," + std::string(100, 'x'), limits);
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().message().rfind("line 6: line longer than 64 bytes", 0), 0u) << file.status().message();
}

}  // namespace
}  // namespace lims::instruments
