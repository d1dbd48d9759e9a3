#include "instruments/import_mapping.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace lims::instruments {
namespace {

std::string Trimmed(std::string_view text) {
  size_t begin = 0, end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return std::string(text.substr(begin, end - begin));
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Letters and digits only, lower case: "Cr(VI)" → "crvi", "Benzo[a]pyrene" → "benzoapyrene".
std::string Folded(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)))
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// What analytical instruments call the analytes of the catalog's chemical requirements: the folded
// name and the catalog's property key stem (a requirement per material adds "-leather",
// "-textile", "-content", ...).
const std::map<std::string, std::string>& AnalyteStems() {
  static const auto* stems = new std::map<std::string, std::string>{
      {"crvi", "chromium-vi"},
      {"cr6", "chromium-vi"},
      {"chromiumvi", "chromium-vi"},
      {"hexavalentchromium", "chromium-vi"},
      {"pb", "lead"},
      {"lead", "lead"},
      {"cd", "cadmium"},
      {"cadmium", "cadmium"},
      {"ni", "nickel"},
      {"nickel", "nickel"},
      {"as", "arsenic"},
      {"arsenic", "arsenic"},
      {"benzidine", "azo-amine-benzidine"},
      {"4aminobiphenyl", "azo-amine-4-aminobiphenyl"},
      {"otoluidine", "azo-amine-o-toluidine"},
      {"4chlorootoluidine", "azo-amine-4-chloro-o-toluidine"},
      {"benzoapyrene", "pah-benzo-a-pyrene"},
      {"benzoepyrene", "pah-benzo-e-pyrene"},
      {"benzoaanthracene", "pah-benzo-a-anthracene"},
      {"chrysene", "pah-chrysene"},
      {"benzobfluoranthene", "pah-benzo-b-fluoranthene"},
      {"benzojfluoranthene", "pah-benzo-j-fluoranthene"},
      {"benzokfluoranthene", "pah-benzo-k-fluoranthene"},
      {"dibenzoahanthracene", "pah-dibenzo-a-h-anthracene"},
      {"dmfu", "dmfu"},
      {"dimethylfumarate", "dmfu"},
      {"formaldehyde", "formaldehyde"},
  };
  return *stems;
}

bool HasStem(const std::string& key, const std::string& stem) {
  return key == stem || (key.size() > stem.size() && key.compare(0, stem.size(), stem) == 0 && key[stem.size()] == '-');
}

bool Names(const TestRecord& t, const std::string& quantity) {
  const std::string q = Lower(quantity);
  if ((!t.property_key.empty() && Lower(t.property_key) == q) || (!t.label.empty() && Lower(t.label) == q) ||
      Lower(t.requirement) == q) {
    return true;
  }
  auto analyte = AnalyteStems().find(Folded(quantity));
  return analyte != AnalyteStems().end() && HasStem(t.property_key, analyte->second);
}

bool IsCurrent(const TestRecord& t) {
  return t.status != TestStatus::kInvalidated && !t.replaced_by_test_id.has_value();
}

std::string IdList(const std::vector<const TestRecord*>& tests) {
  std::string out;
  for (const TestRecord* t : tests) out += (out.empty() ? "" : ", ") + std::to_string(t->id);
  return out;
}

// The one test `r` fills, or the reason there is none.
Result<const TestRecord*> FindTest(const ImportedResult& r, const std::string& number,
                                   const std::vector<TestRecord>& tests) {
  std::vector<const TestRecord*> matches;
  for (const TestRecord& t : tests) {
    if (IsCurrent(t) && Names(t, r.quantity)) matches.push_back(&t);
  }
  if (matches.empty()) {
    return Status::Unprocessable("sample " + number + " has no current test of \"" + r.quantity + "\"");
  }
  if (matches.size() > 1) {
    return Status::Unprocessable("\"" + r.quantity + "\" matches tests " + IdList(matches) + " of sample " + number +
                                 " (several parts or materials): enter these results by hand");
  }
  return matches.front();
}

// Instrument files write units as chemists and engineers do; result entry speaks the catalog's
// units: a dimensionless coefficient of friction is "1", a mass fraction in percent is "%".
std::string CatalogUnit(const std::string& unit) {
  if (unit.empty()) return "1";
  if (unit == "% w/w" || unit == "%w/w" || unit == "% (w/w)") return "%";
  return unit;
}

ResultEntry EntryFor(const ImportedResult& r, const std::string& instrument, const std::string& file_label) {
  ResultEntry e;
  e.values = r.values;
  e.unit = CatalogUnit(r.unit);
  e.instrument = instrument;
  e.temperature_c = r.temperature_c;
  e.humidity_pct = r.humidity_pct;
  e.remarks = "imported from " + file_label + " line " + std::to_string(r.line);
  if (!r.remarks.empty()) e.remarks += "; " + r.remarks;
  return e;
}

}  // namespace

std::string SampleNumberOf(std::string_view reference) {
  std::string ref = Trimmed(reference);
  for (char& c : ref) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const size_t dash = ref.rfind('-');
  if (dash != std::string::npos && dash + 2 < ref.size() && ref[dash + 1] == 'P' &&
      std::all_of(ref.begin() + static_cast<std::ptrdiff_t>(dash) + 2, ref.end(),
                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    ref.resize(dash);
  }
  return ref;
}

ImportPlan MapResults(const ParsedFile& file, const TestsOfSample& tests_of, const std::string& instrument,
                      const std::string& file_label) {
  ImportPlan plan;
  plan.rejected = file.errors;
  std::map<int64_t, int> filled_by;  // test id → line that fills it
  for (const ImportedResult& r : file.results) {
    const std::string number = SampleNumberOf(r.sample_ref);
    const std::vector<TestRecord>* tests = tests_of(number);
    if (tests == nullptr) {
      plan.rejected.push_back({r.line, "unknown sample \"" + Trimmed(r.sample_ref) + "\""});
      continue;
    }
    Result<const TestRecord*> test = FindTest(r, number, *tests);
    if (!test.ok()) {
      plan.rejected.push_back({r.line, test.status().message()});
      continue;
    }
    const int64_t id = (*test)->id;
    auto [it, fresh] = filled_by.emplace(id, r.line);
    if (!fresh) {
      plan.rejected.push_back({r.line, "test " + std::to_string(id) + " is already filled by line " +
                                           std::to_string(it->second) + " of this file"});
      continue;
    }
    plan.accepted.push_back({r.line, number, id, EntryFor(r, instrument, file_label)});
  }
  std::stable_sort(plan.rejected.begin(), plan.rejected.end(),
                   [](const FileError& a, const FileError& b) { return a.line < b.line; });
  return plan;
}

}  // namespace lims::instruments
