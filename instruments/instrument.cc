#include "instruments/instrument.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "lims/core/audit.h"
#include "lims/core/units.h"

namespace lims::instruments {
namespace {

constexpr size_t kMaxName = 200;
constexpr size_t kMaxSerial = 100;
constexpr size_t kMaxText = 200;
constexpr size_t kMaxNote = 2000;
constexpr size_t kMinReason = 5;

std::string Trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// Trimmed, blank runs as one space, ASCII lower case: how methods are compared.
std::string MethodKey(std::string_view method) {
  std::string key;
  bool blank = false;
  for (char c : Trimmed(method)) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      blank = true;
      continue;
    }
    if (blank) key += ' ';
    blank = false;
    key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return key;
}

void CheckLength(std::vector<FieldError>* errors, const std::string& field, std::string_view value, size_t min,
                 size_t max) {
  const std::string trimmed = Trimmed(value);
  if (trimmed.size() < min) {
    errors->push_back({field, "is required"});
  } else if (value.size() > max) {
    errors->push_back({field, "must be at most " + std::to_string(max) + " characters"});
  }
}

void CheckRange(const MeasuringRange& r, const std::string& field, std::vector<FieldError>* errors) {
  if (Trimmed(r.quantity).empty()) errors->push_back({field + ".quantity", "is required"});
  if (FindUnit(r.unit) == nullptr) errors->push_back({field + ".unit", "unknown unit \"" + r.unit + "\""});
  if (!(r.min < r.max)) errors->push_back({field + ".max", "must be greater than min (" + r.min.ToString() + ")"});
  if (r.resolution && (r.resolution->IsNegative() || r.resolution->IsZero())) {
    errors->push_back({field + ".resolution", "must be greater than 0"});
  }
}

void CheckMethods(const std::vector<std::string>& methods, std::vector<FieldError>* errors) {
  std::set<std::string> seen;
  for (size_t i = 0; i < methods.size(); ++i) {
    const std::string field = "methods[" + std::to_string(i) + "]";
    const std::string key = MethodKey(methods[i]);
    if (key.empty()) {
      errors->push_back({field, "must not be empty"});
    } else if (methods[i].size() > kMaxText) {
      errors->push_back({field, "must be at most " + std::to_string(kMaxText) + " characters"});
    } else if (!seen.insert(key).second) {
      errors->push_back({field, "is listed twice"});
    }
  }
}

// A day given for something already done: real, and not after `today`.
void CheckPastDay(const std::string& field, const std::string& text, Day today, std::vector<FieldError>* errors) {
  std::optional<Day> day = ParseDay(text);
  if (!day) {
    errors->push_back({field, "must be a date YYYY-MM-DD"});
  } else if (*day > today) {
    errors->push_back({field, "must not be after today (" + FormatDay(today) + ")"});
  }
}

Status Refuse(const char* what, std::vector<FieldError> errors) {
  if (errors.empty()) return Status::Ok();
  return Status::Unprocessable(what, std::move(errors));
}

}  // namespace

std::string_view InstrumentStatusName(InstrumentStatus s) {
  switch (s) {
    case InstrumentStatus::kInService:
      return "in_service";
    case InstrumentStatus::kOutOfService:
      return "out_of_service";
    case InstrumentStatus::kUnderRepair:
      return "under_repair";
  }
  return "out_of_service";
}

Result<InstrumentStatus> ParseInstrumentStatus(std::string_view text) {
  for (InstrumentStatus s :
       {InstrumentStatus::kInService, InstrumentStatus::kOutOfService, InstrumentStatus::kUnderRepair}) {
    if (InstrumentStatusName(s) == text) return s;
  }
  return Status::InvalidArgument("must be in_service, out_of_service or under_repair");
}

std::string_view CalibrationResultName(CalibrationResult r) {
  switch (r) {
    case CalibrationResult::kPass:
      return "pass";
    case CalibrationResult::kAdjusted:
      return "adjusted";
    case CalibrationResult::kFail:
      return "fail";
  }
  return "fail";
}

Result<CalibrationResult> ParseCalibrationResult(std::string_view text) {
  for (CalibrationResult r : {CalibrationResult::kPass, CalibrationResult::kAdjusted, CalibrationResult::kFail}) {
    if (CalibrationResultName(r) == text) return r;
  }
  return Status::InvalidArgument("must be pass, adjusted or fail");
}

const std::vector<std::string_view>& InstrumentTypes() {
  static const auto* types = new std::vector<std::string_view>{
      "universal_testing_machine",
      "slip_tester",
      "impact_tester",
      "compression_tester",
      "penetration_tester",
      "flexometer",
      "abrasion_tester",
      "hardness_tester",
      "thickness_gauge",
      "electrical_resistance_tester",
      "water_vapour_permeability_tester",
      "water_penetration_tester",
      "balance",
      "ph_meter",
      "spectrophotometer",
      "gc_ms",
      "lc_ms",
      "hplc",
      "icp_oes",
      "icp_ms",
      "aas",
      "xrf",
      "climate_chamber",
      "oven",
      "water_bath",
      "thermometer",
      "hygrometer",
      "other",
  };
  return *types;
}

bool IsInstrumentType(std::string_view type) {
  const std::vector<std::string_view>& types = InstrumentTypes();
  return std::find(types.begin(), types.end(), type) != types.end();
}

std::optional<Day> ParseDay(std::string_view text) {
  if (!IsCalendarDate(text)) return std::nullopt;
  auto number = [&](size_t at, size_t len) {
    int v = 0;
    for (size_t i = at; i < at + len; ++i) v = v * 10 + (text[i] - '0');
    return v;
  };
  const std::chrono::year_month_day ymd{std::chrono::year(number(0, 4)),
                                        std::chrono::month(static_cast<unsigned>(number(5, 2))),
                                        std::chrono::day(static_cast<unsigned>(number(8, 2)))};
  return Day{ymd};
}

std::string FormatDay(Day day) {
  return FormatRfc3339(Timestamp(day)).substr(0, 10);
}

Day DayOf(Timestamp at) {
  return std::chrono::floor<std::chrono::days>(at);
}

bool SameMethod(std::string_view a, std::string_view b) {
  return MethodKey(a) == MethodKey(b);
}

bool ServesMethod(const InstrumentRecord& instrument, std::string_view method) {
  return std::any_of(instrument.methods.begin(), instrument.methods.end(),
                     [&](const std::string& m) { return SameMethod(m, method); });
}

Status ValidateInstrument(const InstrumentRecord& r) {
  std::vector<FieldError> errors;
  CheckLength(&errors, "name", r.name, 1, kMaxName);
  if (!IsInstrumentType(r.type)) errors.push_back({"type", "unknown instrument type \"" + r.type + "\""});
  CheckLength(&errors, "serial", r.serial, 1, kMaxSerial);
  CheckLength(&errors, "make", r.make, 0, kMaxText);
  CheckLength(&errors, "model", r.model, 0, kMaxText);
  CheckLength(&errors, "location", r.location, 0, kMaxText);
  for (size_t i = 0; i < r.ranges.size(); ++i) CheckRange(r.ranges[i], "ranges[" + std::to_string(i) + "]", &errors);
  CheckMethods(r.methods, &errors);
  return Refuse("the instrument breaks a rule", std::move(errors));
}

Status ValidateCalibration(const CalibrationRecord& c, Day today) {
  std::vector<FieldError> errors;
  CheckPastDay("date", c.date, today, &errors);
  std::optional<Day> date = ParseDay(c.date);
  std::optional<Day> due = ParseDay(c.due_date);
  if (!due) {
    errors.push_back({"due_date", "must be a date YYYY-MM-DD"});
  } else if (date && *due <= *date) {
    errors.push_back({"due_date", "must be after the calibration date (" + c.date + ")"});
  }
  CheckLength(&errors, "calibration_lab", c.calibration_lab, 1, kMaxText);
  CheckLength(&errors, "certificate", c.certificate, 1, kMaxSerial);
  CheckLength(&errors, "uncertainty", c.uncertainty, 0, kMaxSerial);
  CheckLength(&errors, "note", c.note, 0, kMaxNote);
  return Refuse("the calibration breaks a rule", std::move(errors));
}

Status ValidateCheck(const IntermediateCheck& c, Day today) {
  std::vector<FieldError> errors;
  CheckPastDay("date", c.date, today, &errors);
  CheckLength(&errors, "note", c.note, c.passed ? 0 : 1, kMaxNote);
  if (!c.passed && !errors.empty() && errors.back().field == "note" && errors.back().reason == "is required") {
    errors.back().reason = "is required for a failed check: say what was found";
  }
  return Refuse("the check breaks a rule", std::move(errors));
}

Status ValidateStatusChange(const InstrumentRecord& instrument, InstrumentStatus to, std::string_view reason) {
  if (Trimmed(reason).size() < kMinReason) {
    return Status::Unprocessable("a status change needs a reason",
                                 {{"reason", "must be at least " + std::to_string(kMinReason) + " characters"}});
  }
  if (reason.size() > kMaxNote) {
    return Status::Unprocessable("the reason is too long", {{"reason", "must be at most 2000 characters"}});
  }
  if (to == instrument.status) {
    std::string others;
    for (InstrumentStatus s :
         {InstrumentStatus::kInService, InstrumentStatus::kOutOfService, InstrumentStatus::kUnderRepair}) {
      if (s != to) others += (others.empty() ? "" : " or ") + std::string(InstrumentStatusName(s));
    }
    return Status::Conflict("instrument " + std::to_string(instrument.id) + " is already " +
                            std::string(InstrumentStatusName(to)) + "; it can go to " + others);
  }
  return Status::Ok();
}

std::string AuditDocument(const InstrumentRecord& r) {
  std::vector<std::string> ranges;
  for (const MeasuringRange& m : r.ranges) {
    ranges.push_back(m.quantity + " " + m.min.ToString() + ".." + m.max.ToString() + " " + m.unit +
                     (m.resolution ? " res " + m.resolution->ToString() : ""));
  }
  return AuditJson()
      .Set("id", std::to_string(r.id))
      .Set("name", r.name)
      .Set("type", r.type)
      .Set("make", r.make)
      .Set("model", r.model)
      .Set("serial", r.serial)
      .Set("location", r.location)
      .Set("status", InstrumentStatusName(r.status))
      .Set("methods", r.methods)
      .Set("ranges", ranges)
      .str();
}

std::string AuditDocument(const CalibrationRecord& c) {
  return AuditJson()
      .Set("id", std::to_string(c.id))
      .Set("date", c.date)
      .Set("due_date", c.due_date)
      .Set("calibration_lab", c.calibration_lab)
      .Set("certificate", c.certificate)
      .Set("result", CalibrationResultName(c.result))
      .Set("uncertainty", c.uncertainty)
      .Set("note", c.note)
      .str();
}

std::string AuditDocument(const IntermediateCheck& c) {
  return AuditJson()
      .Set("id", std::to_string(c.id))
      .Set("date", c.date)
      .Set("result", c.passed ? "pass" : "fail")
      .Set("note", c.note)
      .str();
}

std::string StatusAuditDocument(InstrumentStatus s) {
  return AuditJson().Set("status", InstrumentStatusName(s)).str();
}

}  // namespace lims::instruments
