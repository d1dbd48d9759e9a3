#include "instruments/utm_curve.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <string>
#include <vector>

#include "tests/instruments/parser_test_util.h"
#include "tests/support/test_support.h"

namespace lims::instruments {
namespace {

using ::lims::testing::SourcePath;

std::string DataPath(const std::string& name) {
  return SourcePath("tests/data/instruments/utm/" + name);
}

Result<ParsedFile> ParseText(const std::string& text, const ParseLimits& limits = {}) {
  return parser_test::ParseBytes(ParseUtmCurveFile, text, limits);
}

Result<ParsedFile> ParsePath(const std::string& name) {
  std::ifstream in(DataPath(name), std::ios::binary);
  EXPECT_TRUE(in.is_open()) << name;
  return ParseUtmCurveFile(in);
}

// ---------------------------------------------------------------------------------------------
// The reference: a deliberately naive reading of a UTF-8 example file (whole curves in vectors,
// strtod, getline) that applies the documented rules, so the parser is checked against the
// definition rather than against its own output.

struct RefSpecimen {
  std::string id;
  std::string sample;
  double width = 0;
  std::vector<double> extension;
  std::vector<double> force;  // N
};

struct RefFile {
  char delimiter = ';';
  std::string quantity;
  double onset = 5, from = 10, to = 40;
  std::vector<RefSpecimen> specimens;
};

std::vector<std::string> NaiveSplit(const std::string& line, char delimiter) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (char c : line) {
    if (c == '"') {
      quoted = !quoted;
    } else if (c == delimiter && !quoted) {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

double Number(std::string s) {
  for (char& c : s) c = c == ',' ? '.' : c;
  return std::strtod(s.c_str(), nullptr);
}

RefFile ReadReference(const std::string& name) {
  std::ifstream in(DataPath(name));
  RefFile ref;
  std::string line, default_sample;
  double default_width = 0;
  int ext_col = -1, force_col = -1;
  double scale = 1;
  std::getline(in, line);
  ref.delimiter = line[6];
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto f = NaiveSplit(line, ref.delimiter);
    if (f[0] == "quantity") ref.quantity = f[1];
    if (f[0] == "sample") default_sample = f[1];
    if (f[0] == "specimen_width_mm") default_width = Number(f[1]);
    if (f[0] == "onset_force_n") ref.onset = Number(f[1]);
    if (f[0] == "plateau_from_mm") ref.from = Number(f[1]);
    if (f[0] == "plateau_to_mm") ref.to = Number(f[1]);
    if (f[0] == "specimen") {
      ref.specimens.push_back({f[1], f.size() > 2 ? f[2] : default_sample, default_width, {}, {}});
      ext_col = force_col = -1;
    }
    if (f[0] == "width_mm") ref.specimens.back().width = Number(f[1]);
    if (f[0] == "time_s") {
      for (size_t i = 0; i < f.size(); ++i) {
        if (f[i] == "extension_mm") ext_col = static_cast<int>(i);
        if (f[i] == "force_N" || f[i] == "force_kN")
          force_col = static_cast<int>(i), scale = f[i] == "force_kN" ? 1000 : 1;
      }
    } else if (ext_col >= 0 && !f[0].empty() && (std::isdigit(static_cast<unsigned char>(f[0][0])) != 0)) {
      ref.specimens.back().extension.push_back(Number(f[ext_col]));
      ref.specimens.back().force.push_back(Number(f[force_col]) * scale);
    }
  }
  return ref;
}

std::string Rounded(double v, int decimals) {
  const double scale = std::pow(10.0, decimals);
  std::ostringstream out;
  out << std::fixed << std::setprecision(decimals) << std::round(v * scale) / scale;
  return out.str();
}

// Sole bond strength: the mean force of the readings whose extension lies 10..40 mm (the file's
// window) beyond the first reading at or above the onset force, divided by the specimen width.
std::string RefSoleBond(const RefFile& ref, const RefSpecimen& s) {
  size_t onset = 0;
  while (s.force[onset] < ref.onset) ++onset;
  double sum = 0;
  int n = 0;
  for (size_t i = onset; i < s.force.size(); ++i) {
    const double travel = s.extension[i] - s.extension[onset];
    if (travel >= ref.from && travel <= ref.to) sum += s.force[i], ++n;
  }
  EXPECT_GE(n, 10);
  return Rounded(sum / n / s.width, 2);
}

std::string RefTear(const RefSpecimen& s) {
  double peak = s.force[0];
  for (double f : s.force) peak = std::max(peak, f);
  return Rounded(peak, 1);
}

// sample → values, in file order.
std::vector<std::pair<std::string, std::vector<std::string>>> RefResults(const RefFile& ref) {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  for (const auto& s : ref.specimens) {
    if (out.empty() || out.back().first != s.sample) out.push_back({s.sample, {}});
    out.back().second.push_back(ref.quantity == "sole-bond-strength" ? RefSoleBond(ref, s) : RefTear(s));
  }
  return out;
}

void ExpectSameResults(const ParsedFile& got, const ParsedFile& want) {
  ASSERT_EQ(got.results.size(), want.results.size());
  for (size_t i = 0; i < got.results.size(); ++i) {
    const ImportedResult& a = got.results[i];
    const ImportedResult& b = want.results[i];
    EXPECT_EQ(a.line, b.line);
    EXPECT_EQ(a.sample_ref, b.sample_ref);
    EXPECT_EQ(a.quantity, b.quantity);
    EXPECT_EQ(a.method, b.method);
    EXPECT_EQ(a.values, b.values);
    EXPECT_EQ(a.unit, b.unit);
    EXPECT_EQ(a.remarks, b.remarks);
    EXPECT_EQ(a.temperature_c, b.temperature_c);
    EXPECT_EQ(a.humidity_pct, b.humidity_pct);
  }
  EXPECT_EQ(got.header.instrument_serial, want.header.instrument_serial);
  EXPECT_EQ(got.header.test_date, want.header.test_date);
  EXPECT_EQ(got.header.operator_name, want.header.operator_name);
  EXPECT_EQ(got.header.fields.at("software"), want.header.fields.at("software"));
  EXPECT_EQ(got.lines, want.lines);
  EXPECT_TRUE(got.errors.empty());
}

// ---------------------------------------------------------------------------------------------
// Example files

TEST(UtmCurveTest, SoleBondFileMatchesTheReference) {
  const auto parsed = ParsePath("sole_bond.csv");
  ASSERT_OK(parsed);
  const ParsedFile& f = *parsed;
  EXPECT_TRUE(f.errors.empty());
  EXPECT_EQ(f.header.format, "utm-curve-csv/1");
  EXPECT_EQ(f.header.instrument_serial, "734215");
  EXPECT_EQ(f.header.test_date, "2026-03-14");
  EXPECT_EQ(f.header.operator_name, "R. Iyer");
  EXPECT_EQ(f.header.fields.at("software"), "testXpert® III V1.61");
  EXPECT_EQ(f.header.fields.at("test_speed_mm_min"), "100");
  EXPECT_EQ(f.lines, 488);

  const auto want = RefResults(ReadReference("sole_bond.csv"));
  ASSERT_EQ(want.size(), 2u);
  ASSERT_EQ(f.results.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(f.results[i].sample_ref, want[i].first);
    EXPECT_EQ(f.results[i].values, want[i].second);
    EXPECT_EQ(f.results[i].quantity, "sole-bond-strength");
    EXPECT_EQ(f.results[i].unit, "N/mm");
    EXPECT_EQ(f.results[i].method, "EN ISO 20344:2021 5.2");
    EXPECT_EQ(f.results[i].temperature_c, "23.0");
    EXPECT_EQ(f.results[i].humidity_pct, "50.0");
  }
  EXPECT_EQ(f.results[0].line, 18);
  EXPECT_EQ(f.results[1].line, 251);
  EXPECT_EQ(f.results[0].remarks, "specimen 2: adhesive failure at the toe");
  EXPECT_EQ(f.results[1].remarks, "specimen 4: sole material torn, bond intact");
  // Sanity: the curves were written around a 4.7, 4.2, 3.3 and 3.2 N/mm peel.
  EXPECT_NEAR(std::stod(f.results[0].values[0]), 118.0 / 25, 0.1);
  EXPECT_NEAR(std::stod(f.results[1].values[1]), 79.5 / 24.8, 0.1);
}

TEST(UtmCurveTest, EncodingVariantsGiveTheSameResults) {
  const auto utf8 = ParsePath("sole_bond.csv");
  ASSERT_OK(utf8);
  for (const std::string name : {"sole_bond_utf16le.csv", "sole_bond_decimal_comma.csv"}) {
    SCOPED_TRACE(name);
    const auto other = ParsePath(name);
    ASSERT_OK(other);
    ExpectSameResults(*other, *utf8);
  }
}

using parser_test::OneByteBuf;

TEST(UtmCurveTest, OneByteReadsGiveTheSameResults) {
  const auto whole = ParsePath("sole_bond.csv");
  ASSERT_OK(whole);
  for (const std::string name : {"sole_bond.csv", "sole_bond_utf16le.csv", "sole_bond_decimal_comma.csv"}) {
    SCOPED_TRACE(name);
    OneByteBuf buf(::lims::testing::ReadFile(DataPath(name)));
    std::istream in(&buf);
    const auto parsed = ParseUtmCurveFile(in);
    ASSERT_OK(parsed);
    ExpectSameResults(*parsed, *whole);
  }
}

TEST(UtmCurveTest, UpperTearFileMatchesTheReference) {
  const auto parsed = ParsePath("upper_tear.csv");
  ASSERT_OK(parsed);
  const ParsedFile& f = *parsed;
  EXPECT_TRUE(f.errors.empty());
  EXPECT_EQ(f.header.instrument_serial, "3365K1842");
  EXPECT_EQ(f.header.test_date, "2026-03-16");
  EXPECT_EQ(f.header.operator_name, "S. Menon");
  EXPECT_EQ(f.header.fields.at("specimen_type"), "leather upper (double edge tear)");
  const auto want = RefResults(ReadReference("upper_tear.csv"));
  ASSERT_EQ(f.results.size(), 1u);
  const ImportedResult& r = f.results[0];
  EXPECT_EQ(r.sample_ref, "AGR-2026-000131-U1");
  EXPECT_EQ(r.quantity, "upper-tear-strength");
  EXPECT_EQ(r.unit, "N");
  EXPECT_EQ(r.method, "EN ISO 20344:2021 (tear strength)");
  EXPECT_EQ(r.values, want[0].second);
  EXPECT_EQ(r.values, (std::vector<std::string>{"142.6", "128.4", "136.2"}));  // the peaks the curves were drawn to
  EXPECT_EQ(r.remarks, "specimen T1: tear ran off-axis, repeated");
  EXPECT_EQ(r.temperature_c, "23");
  EXPECT_EQ(r.line, 15);
}

TEST(UtmCurveTest, TruncatedFileIsRefusedNamingTheLastLine) {
  const auto parsed = ParsePath("truncated.csv");
  EXPECT_EQ(parsed.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(parsed.status().message(), "line 174: file ends without end_of_file, inside specimen 2 (truncated?)");
}

TEST(UtmCurveTest, MalformedFileRefusesOnlyTheBadBlocks) {
  const auto parsed = ParsePath("malformed.csv");
  ASSERT_OK(parsed);
  const ParsedFile& f = *parsed;
  ASSERT_EQ(f.errors.size(), 2u);
  EXPECT_EQ(f.errors[0].line, 165);
  EXPECT_EQ(f.errors[0].reason, "specimen 2: \"27,1.5\" is not a finite number");
  EXPECT_EQ(f.errors[1].line, 301);
  EXPECT_EQ(f.errors[1].reason, "specimen 3: \"nan\" is not a finite number");
  const auto want = RefResults(ReadReference("sole_bond.csv"));  // the same curves, unbroken
  ASSERT_EQ(f.results.size(), 2u);
  EXPECT_EQ(f.results[0].values, std::vector<std::string>{want[0].second[0]});
  EXPECT_EQ(f.results[1].values, std::vector<std::string>{want[1].second[1]});
  EXPECT_EQ(f.results[0].remarks, "");
  EXPECT_EQ(f.results[1].line, 373);  // the first block that gave a value
}

// ---------------------------------------------------------------------------------------------
// Inline files: every rule and every error.

const char* const kBondHeader =
    "format;utm-curve-csv/1\n"       // 1
    "quantity;sole-bond-strength\n"  // 2
    "sample;S-1\n"                   // 3
    "specimen_width_mm;20\n"         // 4
    "plateau_from_mm;2\n"            // 5
    "plateau_to_mm;11\n";            // 6

// A block whose curve is `force` at extensions 0, 1, 2, ... (onset at 5 N by default).
std::string Block(const std::string& id, const std::vector<std::string>& force) {
  std::string out = "specimen;" + id + "\nextension_mm;force_n\n";
  for (size_t i = 0; i < force.size(); ++i) out += std::to_string(i) + ";" + force[i] + "\n";
  return out + "end;" + id + "\n";
}

std::vector<std::string> Flat(double f, int n) {
  return std::vector<std::string>(n, Rounded(f, 3));
}

TEST(UtmCurveTest, PlateauIsTheWindowAfterTheOnset) {
  // Onset at extension 2 (the first force >= 5 N): the plateau is the readings 2..11 mm beyond it,
  // extensions 4..13 with forces 100, 105, ..., 145 → 122.5 N / 20 mm = 6.125 (exact in binary),
  // rounded half away from zero to 6.13. The 999 N initiation peak before the window and the tail
  // after it do not count.
  std::string curve = "specimen;A\nextension_mm;force_n\n0;0\n1;2\n2;5\n3;999\n";
  for (int i = 0; i < 10; ++i) curve += std::to_string(4 + i) + ";" + std::to_string(100 + 5 * i) + "\n";
  curve += "13.5;1\n14;0\n20;0\nend;A\nend_of_file;1\n";
  const auto parsed = ParseText(std::string(kBondHeader) + curve);
  ASSERT_OK(parsed);
  ASSERT_EQ(parsed->results.size(), 1u);
  EXPECT_EQ(parsed->results[0].values, std::vector<std::string>{"6.13"});
}

TEST(UtmCurveTest, RoundsHalfAwayFromZero) {
  // 90.25 N / 20 mm = 4.5125 → "4.51"; 112.5 N / 20 mm = 5.625, an exact tie → "5.63".
  const auto parsed = ParseText(std::string(kBondHeader) + Block("A", Flat(90.25, 12)) + Block("B", Flat(112.5, 12)) +
                                "end_of_file;2\n");
  ASSERT_OK(parsed);
  EXPECT_EQ(parsed->results[0].values, (std::vector<std::string>{"4.51", "5.63"}));
}

struct BadFile {
  std::string name;
  std::string text;
  std::string message;
};

TEST(UtmCurveTest, FileLevelErrorsNameTheLine) {
  const std::string h = kBondHeader;
  const std::string ok = Block("A", Flat(100, 12));
  const std::vector<BadFile> cases = {
      {"empty", "", "line 0: no format line (empty file?)"},
      {"only comments", "# testXpert\n\n", "line 2: no format line (empty file?)"},
      {"not the format", "Kraft;Weg\n1;2\n", "line 1: not a utm-curve-csv file (no \"format;utm-curve-csv/1\" line)"},
      {"other version", "format;utm-curve-csv/2\n",
       "line 1: unsupported format \"utm-curve-csv/2\" (expected utm-curve-csv/1)"},
      {"header only", h, "line 6: file ends before the first specimen block (truncated?)"},
      {"no specimens", h + "end_of_file;0\n", "line 7: file has no specimen blocks"},
      {"no quantity", "format;utm-curve-csv/1\nsample;S\n" + ok, "line 3: header has no quantity"},
      {"bad quantity", "format;utm-curve-csv/1\nquantity;hardness\n" + ok,
       "line 2: quantity \"hardness\" is not sole-bond-strength or upper-tear-strength"},
      {"bad date", h + "test_date;14.03.2026\n" + ok, "line 7: test_date \"14.03.2026\" is not a date YYYY-MM-DD"},
      {"29 February", h + "test_date;2025-02-29\n" + ok, "line 7: test_date \"2025-02-29\" is not a date YYYY-MM-DD"},
      {"duplicate key", h + "sample;S-2\n", "line 7: header key \"sample\" appears twice"},
      {"header not key;value", h + "sample\n", "line 7: header line must be key;value"},
      {"bad width", "format;utm-curve-csv/1\nquantity;sole-bond-strength\nspecimen_width_mm;-3\n" + ok,
       "line 3: specimen_width_mm \"-3\" is not a positive number"},
      {"window empty", "format;utm-curve-csv/1\nquantity;sole-bond-strength\nplateau_from_mm;9\nplateau_to_mm;9\n" + ok,
       "line 5: plateau_to_mm must be greater than plateau_from_mm"},
      {"bad temperature", h + "temperature_c;warm\n" + ok, "line 7: temperature_c \"warm\" is not a decimal number"},
      {"no end_of_file", h + ok, "line 21: file ends without end_of_file (truncated?)"},
      {"cut mid-curve", h + "specimen;A\nextension_mm;force_n\n0;1\n1;2",
       "line 10: file ends without end_of_file, inside specimen A (truncated?)"},
      {"wrong count", h + ok + "end_of_file;2\n", "line 22: end_of_file says \"2\" specimen blocks, the file has 1"},
      {"text after end", h + ok + "end_of_file;1\n\n1;2\n", "line 24: text after end_of_file"},
      {"stray line", h + ok + "1;2\nend_of_file;1\n", "line 22: expected a specimen line or end_of_file, found \"1\""},
      {"invalid UTF-8", h + "specimen;A\nextension_mm;force_n\n0;1\xFF\n",
       "line 9: invalid UTF-8 at byte 4 of the line"},
      {"NUL", h + "specimen;A\nextension_mm;force_n\n0;1" + std::string(1, '\0') + "\n", "line 9: NUL byte in text"},
      {"odd UTF-16", std::string("\xFF\xFE", 2) + "f", "line 1: odd number of bytes in UTF-16 text (truncated file?)"},
      {"lone surrogate", std::string("\xFF\xFE", 2) + std::string("f\0\0\xDC", 4), "line 1: unpaired UTF-16 surrogate"},
      {"open quote between blocks", h + ok + "\"specimen;B\n", "line 22: quote opened at column 1 is not closed"},
  };
  for (const auto& c : cases) {
    const auto parsed = ParseText(c.text);
    EXPECT_EQ(parsed.status().code(), Status::Code::kInvalidArgument) << c.name;
    EXPECT_EQ(parsed.status().message(), c.message) << c.name;
  }
}

TEST(UtmCurveTest, BlockErrorsNameTheLineAndSpareTheOtherBlocks) {
  const std::string h = kBondHeader;
  const std::string ok = Block("OK", Flat(100, 12));  // lines 7..21 when it comes first
  const std::vector<BadFile> cases = {
      {"nan", Block("B", {"10", "nan"}), "line 25: specimen B: \"nan\" is not a finite number"},
      {"inf", Block("B", {"10", "inf"}), "line 25: specimen B: \"inf\" is not a finite number"},
      {"-infinity", Block("B", {"-infinity"}), "line 24: specimen B: \"-infinity\" is not a finite number"},
      {"1e999", Block("B", {"1e999"}), "line 24: specimen B: \"1e999\" is not a finite number"},
      {"1e16", Block("B", {"1e16"}), "line 24: specimen B: \"1e16\" is not a finite number"},
      {"thousands", Block("B", {"1.000,5"}), "line 24: specimen B: \"1.000,5\" is not a finite number"},
      {"empty field", Block("B", {""}), "line 24: specimen B: \"\" is not a finite number"},
      {"three fields", "specimen;B\nextension_mm;force_n\n1;2;3\nend;B\n",
       "line 24: specimen B: row must have 2 fields"},
      {"word in curve", "specimen;B\nextension_mm;force_n\nabc;2\nend;B\n",
       "line 24: specimen B: \"abc\" is not a finite number"},
      {"keyword in curve", "specimen;B\nextension_mm;force_n\nspeed;2\nend;B\n",
       "line 24: specimen B: \"speed\" is not a number"},
      {"no end line", "specimen;B\nextension_mm;force_n\n1;10\n", "line 22: specimen B: block has no end line"},
      {"end names another", "specimen;B\nextension_mm;force_n\n1;10\nend;C\n",
       "line 25: specimen B: end line does not name this specimen"},
      {"no readings", "specimen;B\nextension_mm;force_n\nend;B\n", "line 22: specimen B: no readings"},
      {"no columns", "specimen;B\nend;B\n", "line 22: specimen B: no column names and no readings"},
      {"unknown meta", "specimen;B\ncolour;red\nextension_mm;force_n\n1;10\nend;B\n",
       "line 23: specimen B: unknown line \"colour\" before the column names"},
      {"bad columns", "specimen;B\nextension_mm;strain\n1;10\nend;B\n",
       "line 23: specimen B: columns must be extension_mm and force_n or force_kn, optionally time_s"},
      {"twice", "specimen;B\nforce_n;force_n\n1;10\nend;B\n", "line 23: specimen B: column \"force_n\" appears twice"},
      {"bad width", "specimen;B\nwidth_mm;0\nextension_mm;force_n\n1;10\nend;B\n",
       "line 23: specimen B: width_mm \"0\" is not a positive number"},
      {"no id", "specimen\nextension_mm;force_n\n1;10\nend\n",
       "line 22: specimen line must be specimen;<id>[;<sample>]"},
      {"never onset", Block("B", Flat(4.9, 12)), "line 22: specimen B: force never reaches onset_force_n 5.00 N"},
      {"short curve", Block("B", Flat(100, 6)),
       "line 22: specimen B: curve ends at 5.00 mm, before the plateau end at 11.00 mm"},
  };
  for (const auto& c : cases) {
    const auto parsed = ParseText(h + ok + c.text + Block("C", Flat(80, 12)) + "end_of_file;3\n");
    ASSERT_OK(parsed);
    ASSERT_EQ(parsed->errors.size(), 1u) << c.name;
    EXPECT_EQ("line " + std::to_string(parsed->errors[0].line) + ": " + parsed->errors[0].reason, c.message) << c.name;
    ASSERT_EQ(parsed->results.size(), 1u) << c.name;
    EXPECT_EQ(parsed->results[0].values, (std::vector<std::string>{"5.00", "4.00"})) << c.name;
  }
}

TEST(UtmCurveTest, TooFewPlateauReadingsAndNoWidthAndNoSampleAreBlockErrors) {
  const std::string sparse = "specimen;B\nextension_mm;force_n\n0;10\n3;10\n5;10\n7;10\n12;10\nend;B\n";
  const auto few = ParseText(std::string(kBondHeader) + sparse + "end_of_file;1\n");
  ASSERT_OK(few);
  ASSERT_EQ(few->errors.size(), 1u);
  EXPECT_EQ(few->errors[0].reason, "specimen B: 3 readings in the plateau, at least 10 needed");
  const auto no_width = ParseText("format;utm-curve-csv/1\nquantity;sole-bond-strength\nsample;S\n" +
                                  Block("B", Flat(100, 12)) + "end_of_file;1\n");
  ASSERT_OK(no_width);
  ASSERT_EQ(no_width->errors.size(), 1u);
  EXPECT_EQ(no_width->errors[0].line, 4);
  EXPECT_EQ(no_width->errors[0].reason, "specimen B: no specimen width (header specimen_width_mm or block width_mm)");
  const auto no_sample = ParseText("format;utm-curve-csv/1\nquantity;upper-tear-strength\n" + Block("B", Flat(100, 3)) +
                                   "specimen;C;S-9\nextension_mm;force_n\n0;50\nend;C\n" + "end_of_file;2\n");
  ASSERT_OK(no_sample);
  ASSERT_EQ(no_sample->errors.size(), 1u);
  EXPECT_EQ(no_sample->errors[0].reason, "specimen B: no sample reference (header sample or specimen line)");
  ASSERT_EQ(no_sample->results.size(), 1u);
  EXPECT_EQ(no_sample->results[0].sample_ref, "S-9");
  EXPECT_EQ(no_sample->results[0].values, std::vector<std::string>{"50.0"});
}

TEST(UtmCurveTest, TearUsesPeakForceAndKilonewtonColumns) {
  const std::string text =
      "format\tutm-curve-csv/1\nquantity\tupper-tear-strength\nsample\tU-1\n"
      "specimen\t1\nforce_kN\textension_mm\n0.01\t0\n0.1234\t1\n0.05\t2\nend\t1\n"
      "specimen\t2\nextension_mm\tforce_n\n0\t3\n1\t87,26\nend\t2\nend_of_file\t2\n";
  const auto parsed = ParseText(text);
  ASSERT_OK(parsed);
  ASSERT_EQ(parsed->results.size(), 1u);
  EXPECT_EQ(parsed->results[0].values, (std::vector<std::string>{"123.4", "87.3"}));
}

TEST(UtmCurveTest, QuotedNumbersInACommaFile) {
  const std::string text =
      "format,utm-curve-csv/1\nquantity,upper-tear-strength\nsample,U-1\n"
      "specimen,1\nextension_mm,force_n\n\"0,5\",\"12,5\"\n  \n1.0,\"99,94\"\nend,1\nend_of_file,1\n";
  const auto parsed = ParseText(text);
  ASSERT_OK(parsed);
  ASSERT_EQ(parsed->results.size(), 1u);
  EXPECT_EQ(parsed->results[0].values, std::vector<std::string>{"99.9"});
}

TEST(UtmCurveTest, LimitsBoundLinesBytesResultsAndErrors) {
  const std::string h = kBondHeader;
  ParseLimits line_limit;
  line_limit.max_line_bytes = 100;
  const auto long_line =
      ParseText(h + "specimen;A\nextension_mm;force_n\n" + std::string(500, '1') + ";1\n", line_limit);
  EXPECT_EQ(long_line.status().message(), "line 9: line longer than 100 bytes");

  ParseLimits byte_limit;
  byte_limit.max_bytes = 200;
  const auto big = ParseText(h + Block("A", Flat(100, 50)) + "end_of_file;1\n", byte_limit);
  EXPECT_EQ(big.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(big.status().message().find("file larger than 200 bytes"), std::string::npos);

  ParseLimits result_limit;
  result_limit.max_results = 2;
  const auto many = ParseText(
      h + Block("A", Flat(100, 12)) + Block("B", Flat(100, 12)) + Block("C", Flat(100, 12)) + "end_of_file;3\n",
      result_limit);
  EXPECT_EQ(many.status().message(), "line 51: more than 2 specimen values");

  ParseLimits error_limit;
  error_limit.max_errors = 3;
  std::string bad;
  for (int i = 0; i < 10; ++i) bad += Block("X" + std::to_string(i), {"x"});
  const auto errors = ParseText(h + bad + Block("A", Flat(100, 12)) + "end_of_file;11\n", error_limit);
  ASSERT_OK(errors);
  ASSERT_EQ(errors->errors.size(), 4u);
  EXPECT_EQ(errors->errors[3].line, 0);
  EXPECT_EQ(errors->errors[3].reason, "7 more errors not listed");
  EXPECT_EQ(errors->results[0].values, std::vector<std::string>{"5.00"});
}

TEST(UtmCurveTest, CommentsBlankLinesAndCrlfAreIgnored) {
  std::string text = std::string("# exported by testXpert\n") + kBondHeader + "\n# first\n" +
                     Block("A", Flat(100, 12)) + "\n\nend_of_file;1\n\n";
  std::string crlf;
  for (char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  for (const auto& t : {text, crlf}) {
    const auto parsed = ParseText(t);
    ASSERT_OK(parsed);
    EXPECT_EQ(parsed->results[0].values, std::vector<std::string>{"5.00"});
    EXPECT_EQ(parsed->results[0].line, 10);
  }
}

}  // namespace
}  // namespace lims::instruments
