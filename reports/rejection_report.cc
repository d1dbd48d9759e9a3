#include "reports/rejection_report.h"

#include <hpdf.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "reports/pdf_fonts.h"
#include "reports/pdf_text.h"

namespace lims::reports {
namespace {

using pdf::Column;
using pdf::Face;
using pdf::FitToWidth;
using pdf::HaruError;
using pdf::kBlack;
using pdf::kGridColor;
using pdf::kMuted;
using pdf::kRuleColor;
using pdf::Rgb;
using pdf::UtcStyle;
// The page geometry the lab's signed documents share (pdf_text.h).
using namespace pdf::document;  // NOLINT(google-build-using-namespace)

constexpr const char* kTitle = "Rejection history";
constexpr const char* kNone = "—";
constexpr const char* kNothingIssued = "No samples were issued in this period.";
constexpr const char* kRateNote = "Rejection rate = samples rejected ÷ samples tested (issued) in the period.";

constexpr float kAxisSize = 6.5f;
constexpr float kSectionGap = 14.0f;
constexpr size_t kMaxCellLines = 3;

constexpr float kTileHeight = 40.0f;
constexpr float kTileGap = 6.0f;
constexpr Rgb kTileFill = {0.95f, 0.95f, 0.95f};

constexpr float kPlotHeight = 140.0f;         // the month chart's bars, without its labels
constexpr float kMaxBarWidth = 28.0f;         // a few months would otherwise give slabs
constexpr float kMinBarLength = 0.75f;        // a rate or count above zero stays visible
constexpr float kLabelGap = 3.0f;             // between month labels
constexpr float kMaxMonthLabelWidth = 60.0f;  // longer labels (not "YYYY-MM") are cut to their room
constexpr int kMaxDivisions = 5;              // gridlines above the baseline
constexpr float kRequirementRow = 14.0f;
constexpr size_t kMaxChartRequirements = 15;
// Each chart has a colour of its own that nothing else on the page uses (the tests look for it).
constexpr Rgb kRateBarColor = {0.78f, 0.16f, 0.16f};
constexpr Rgb kFailureBarColor = {0.16f, 0.38f, 0.68f};

constexpr std::array<Column, 4> kMonthColumns = {{
    {"Month", 0.31f},
    {"Samples tested", 0.23f},
    {"Rejected", 0.23f},
    {"Rejection rate", 0.23f},
}};
constexpr std::array<Column, 4> kRequirementColumns = {{
    {"Requirement", 0.25f},
    {"Standard and clause", 0.30f},
    {"Property", 0.33f},
    {"Failures", 0.12f},
}};
constexpr std::array<Column, 4> kExporterColumns = {{
    {"Exporter", 0.52f},
    {"Samples tested", 0.16f},
    {"Rejected", 0.16f},
    {"Rejection rate", 0.16f},
}};
constexpr std::array<Column, 3> kOffenderColumns = {{
    {"Exporter", 0.50f},
    {"Requirement", 0.36f},
    {"Rejections", 0.14f},
}};

using Rows = std::vector<std::vector<std::string>>;

// ---- Input checks ----

Status Validate(const RejectionReportData& d) {
  std::vector<FieldError> errors;
  if (!pdf::IsValidDocumentNumber(d.number)) {
    errors.push_back({"number", "is required, with letters, digits and - . / _ only"});
  }
  HPDF_Date date;
  if (!pdf::ParseRfc3339(d.generated_at, UtcStyle::kZeroOffset, &date)) {
    errors.push_back({"generated_at", "is not an RFC 3339 timestamp"});
  }
  if (d.period_from.empty()) errors.push_back({"period_from", "is required"});
  if (d.period_to.empty()) errors.push_back({"period_to", "is required"});
  if (errors.empty()) return Status::Ok();
  return Status::InvalidArgument("invalid rejection report data", std::move(errors));
}

// ---- Figures as text ----

// Digits in groups of three: counts reach the hundreds of thousands.
std::string Count(int64_t n) {
  const std::string digits = std::to_string(n < 0 ? -static_cast<uint64_t>(n) : static_cast<uint64_t>(n));
  std::string out = n < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// Percent rejected; nullopt when nothing was tested (no rate, not 0 %).
std::optional<double> RatePercent(int64_t tested, int64_t rejected) {
  if (tested <= 0) return std::nullopt;
  return 100.0 * static_cast<double>(std::max<int64_t>(rejected, 0)) / static_cast<double>(tested);
}

std::string Percent(int64_t tested, int64_t rejected) {
  const std::optional<double> rate = RatePercent(tested, rejected);
  if (!rate) return kNone;
  // One rejection in thousands must not read as none.
  if (*rate > 0 && *rate < 0.05) return "< 0.1 %";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %%", *rate);
  return buf;
}

std::string Hours(const std::optional<double>& hours) {
  if (!hours || !std::isfinite(*hours)) return kNone;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f h", *hours);
  return buf;
}

std::string DistrictLabel(const RejectionReportData& d) {
  return d.district.empty() ? "All districts" : "District: " + d.district;
}

std::string PeriodLabel(const RejectionReportData& d) {
  return d.period_from + " to " + d.period_to;
}

// ---- The rate axis ----

// The top of the rate axis and its gridline step, in percent: the step is 1, 2, 2.5 or 5 × 10^k
// so that gridlines fall on round numbers, and the top is the first gridline at or above the
// highest rate, at most kMaxDivisions steps up.
struct RateScale {
  double top;
  double step;
  int divisions;
};

RateScale ScaleFor(double max_percent) {
  if (!(max_percent > 0) || !std::isfinite(max_percent)) return {10.0, 2.0, 5};
  double magnitude = std::pow(10.0, std::floor(std::log10(max_percent / kMaxDivisions)));
  for (;; magnitude *= 10) {
    for (const double factor : {1.0, 2.0, 2.5, 5.0}) {
      const double step = factor * magnitude;
      const int divisions = std::max(1, static_cast<int>(std::ceil(max_percent / step - 1e-9)));
      if (divisions <= kMaxDivisions) return {divisions * step, step, divisions};
    }
  }
}

// The fewest decimals that print `step` exactly (2.5 needs one, 0.25 two).
int DecimalsOf(double step) {
  for (int d = 0; d < 4; ++d) {
    const double scaled = step * std::pow(10.0, d);
    if (std::fabs(scaled - std::round(scaled)) < 1e-6) return d;
  }
  return 4;
}

std::string AxisLabel(double percent, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f %%", decimals, percent);
  return buf;
}

// ---- Month labels ----

constexpr std::array<const char*, 12> kMonthNames = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// "2026-03" read as year and month; false for anything else.
bool ParseMonth(std::string_view s, int* year, int* month) {
  if (s.size() != 7 || s[4] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  *year = std::stoi(std::string(s.substr(0, 4)));
  *month = (s[5] - '0') * 10 + (s[6] - '0');
  return *month >= 1 && *month <= 12;
}

// Where each month's label goes. When every month reads as "YYYY-MM", labels are month names and
// are thinned to every k-th calendar month (k divides 12, so that January, which also carries the
// year, always keeps its label); otherwise the text as given on every k-th bar.
struct MonthAxis {
  bool calendar = true;
  std::vector<int> years, months;  // calendar only
  size_t every = 1;                // k
};

MonthAxis ReadMonths(const std::vector<RejectionReportMonth>& months) {
  MonthAxis axis;
  for (const RejectionReportMonth& m : months) {
    int year = 0, month = 0;
    if (!ParseMonth(m.month, &year, &month)) {
      MonthAxis text;
      text.calendar = false;
      return text;
    }
    axis.years.push_back(year);
    axis.months.push_back(month);
  }
  return axis;
}

std::string MonthText(const MonthAxis& axis, const std::vector<RejectionReportMonth>& months, size_t i) {
  return axis.calendar ? kMonthNames[static_cast<size_t>(axis.months[i] - 1)] : months[i].month;
}

bool IsLabelled(const MonthAxis& axis, size_t i) {
  if (!axis.calendar) return i % axis.every == 0;
  if (axis.every <= 12) return (axis.months[i] - 1) % static_cast<int>(axis.every) == 0;
  return axis.months[i] == 1 && axis.years[i] % static_cast<int>(axis.every / 12) == 0;
}

// The smallest k whose labels, k slots apart, do not touch.
size_t LabelEvery(const MonthAxis& axis, float widest, float slot) {
  const float needed = widest + kLabelGap;
  if (!axis.calendar) return std::max<size_t>(1, static_cast<size_t>(std::ceil(needed / slot)));
  for (const size_t k : {1, 2, 3, 4, 6}) {
    if (static_cast<float>(k) * slot >= needed) return k;
  }
  return 12 * std::max<size_t>(1, static_cast<size_t>(std::ceil(needed / (12 * slot))));
}

// ---- The writer ----

// Draws one report into a fresh document. "Page x of y" needs y, known only once the body is laid
// out, so pages are kept and the running headers and footers are written last.
class RejectionReportWriter : public pdf::PageWriter {
 public:
  RejectionReportWriter(HPDF_Doc doc, const HaruError* error, const RejectionReportData& data)
      : PageWriter(doc, error, kMargin), data_(data) {}

  Status Setup(const FontSet& fonts);
  Status WriteBody();
  Status WriteHeadersAndFooters();
  using PageWriter::FinishPages;

 private:
  Status SetInfo();
  Status NewPage() { return AddPage(kBodyTop); }
  Status EnsureRoom(float height) { return Fits(height) ? Status::Ok() : NewPage(); }
  bool Fits(float height) const { return y_ - height >= kBodyBottom; }

  Status WriteLabBlock();
  Status WriteTitle();
  Status WriteKeyFigures();
  void DrawTile(float x, float width, const pdf::Field& figure);
  Status WriteMonthChart();
  void DrawRateGrid(const RateScale& scale, float left, float bottom, float width);
  void DrawRateBars(const RateScale& scale, float left, float bottom, float slot);
  void DrawMonthLabels(float left, float bottom, float slot);
  void DrawFirstYear(const MonthAxis& months, float left, float slot, float baseline);
  Status WriteRequirementChart();
  void DrawRequirementBar(const RejectionReportRequirement& r, int64_t most, float top);
  Status WriteTables();
  Status WriteTable(const std::string& title, std::span<const Column> columns, const Rows& rows,
                    std::string_view empty);
  Status WriteEnd();
  void DrawPageFrame(size_t number, size_t total);

  void Heading(const std::string& text);
  void FillRectangle(float x, float y, float width, float height, const Rgb& color);
  void Line(float x1, float y1, float x2, float y2, const Rgb& color, float width);
  void Note(std::string_view text);

  float HeadingHeight() const { return Bold(11.0f).Leading() + 4.0f; }
  pdf::TableStyle Table(std::span<const Column> columns) const {
    return {.columns = columns,
            .left = kMargin,
            .width = kContentWidth,
            .pad = kCellPad,
            .heading = Bold(kCellSize),
            .cell = Regular(kCellSize),
            .verdict_cell = Regular(kCellSize),
            .verdict_column = columns.size() - 1,
            .note = Regular(kCellSize),
            .max_cell_lines = kMaxCellLines,
            .max_note_lines = 1};
  }

  const RejectionReportData& data_;
};

Status RejectionReportWriter::Setup(const FontSet& fonts) {
  LIMS_RETURN_IF_ERROR(EmbedFaces(fonts));
  LIMS_RETURN_IF_ERROR(SetInfo());
  const std::string id_seed = std::string("Pramaan rejection history\n") + data_.number + "\n" + data_.generated_at +
                              "\n" + data_.district + "\n" + PeriodLabel(data_);
  return MakePdfA1b(id_seed);
}

// Only ASCII goes into the Info dictionary: libharu copies it unescaped into the XMP packet, so the
// district and the lab's name (which may hold '&') stay out.
Status RejectionReportWriter::SetInfo() {
  const std::string title = std::string(kTitle) + " " + data_.number;
  HPDF_SetInfoAttr(doc_, HPDF_INFO_TITLE, title.c_str());
  HPDF_SetInfoAttr(doc_, HPDF_INFO_CREATOR, "Pramaan LIMS");
  LIMS_RETURN_IF_ERROR(Check("setting the document title"));
  HPDF_Date date;
  pdf::ParseRfc3339(data_.generated_at, UtcStyle::kZeroOffset, &date);  // checked by Validate
  HPDF_SetInfoDateAttr(doc_, HPDF_INFO_CREATION_DATE, date);
  HPDF_SetInfoDateAttr(doc_, HPDF_INFO_MOD_DATE, date);
  return Check("setting the document dates");
}

Status RejectionReportWriter::WriteBody() {
  LIMS_RETURN_IF_ERROR(NewPage());
  LIMS_RETURN_IF_ERROR(WriteLabBlock());
  LIMS_RETURN_IF_ERROR(WriteTitle());
  LIMS_RETURN_IF_ERROR(WriteKeyFigures());
  if (data_.tested <= 0) {
    Paragraph(Bold(10.0f), kNothingIssued, 1);
    y_ -= kSectionGap;
    return WriteEnd();
  }
  LIMS_RETURN_IF_ERROR(WriteMonthChart());
  LIMS_RETURN_IF_ERROR(WriteRequirementChart());
  LIMS_RETURN_IF_ERROR(WriteTables());
  return WriteEnd();
}

Status RejectionReportWriter::WriteLabBlock() {
  Paragraph(Bold(12.0f), data_.lab_name, 2);
  Paragraph(Regular(kSmallSize), data_.lab_address, 3);
  Paragraph(Regular(kSmallSize), data_.lab_accreditation, 2);
  y_ -= 8.0f;
  Rule(y_, kRuleColor, 0.8f);
  y_ -= 14.0f;
  return Check("writing the lab block");
}

Status RejectionReportWriter::WriteTitle() {
  Paragraph(Bold(16.0f), kTitle, 1);
  Paragraph(Bold(11.0f), DistrictLabel(data_), 2);
  Paragraph(Regular(10.0f), "Period: " + PeriodLabel(data_), 2);
  SetFill(kMuted);
  Paragraph(Regular(kSmallSize), "No. " + data_.number, 1);
  SetFill(kBlack);
  y_ -= 10.0f;
  return Check("writing the title");
}

Status RejectionReportWriter::WriteKeyFigures() {
  const std::array<pdf::Field, 5> figures = {{
      {"Samples tested", Count(data_.tested)},
      {"Rejected", Count(data_.rejected)},
      {"Rejection rate", Percent(data_.tested, data_.rejected)},
      {"Turnaround, median", Hours(data_.turnaround_median_h)},
      {"Turnaround, 90th percentile", Hours(data_.turnaround_p90_h)},
  }};
  const float width = (kContentWidth - kTileGap * (figures.size() - 1)) / static_cast<float>(figures.size());
  for (size_t i = 0; i < figures.size(); ++i) {
    DrawTile(kMargin + static_cast<float>(i) * (width + kTileGap), width, figures[i]);
  }
  y_ -= kTileHeight + 16.0f;
  return Check("writing the key figures");
}

// A shaded box with the figure's name above its value.
void RejectionReportWriter::DrawTile(float x, float width, const pdf::Field& figure) {
  FillRectangle(x, y_ - kTileHeight, width, kTileHeight, kTileFill);
  const Face label = Regular(6.5f);
  SetFill(kMuted);
  DrawLines(label, x + 5.0f, y_ - 4.0f, pdf::Wrap(label, figure.label, width - 10.0f, 2));
  SetFill(kBlack);
  const Face value = Bold(13.0f);
  DrawText(value, x + 5.0f, y_ - kTileHeight + 7.0f, FitToWidth(value, figure.value, width - 10.0f));
}

// Rejection rate per month: one bar per month over horizontal gridlines labelled in percent, month
// names under the bars (thinned when there are many). A month with nothing tested has no rate, so
// no bar.
Status RejectionReportWriter::WriteMonthChart() {
  const Face axis = Regular(kAxisSize);
  const float labels_height = 2 * axis.Leading() + 6.0f;
  LIMS_RETURN_IF_ERROR(EnsureRoom(HeadingHeight() + 8.0f + kPlotHeight + labels_height + 2 * axis.Leading()));
  Heading("Rejection rate by month");
  double max_percent = 0;
  for (const RejectionReportMonth& m : data_.months) {
    max_percent = std::max(max_percent, RatePercent(m.tested, m.rejected).value_or(0.0));
  }
  const RateScale scale = ScaleFor(max_percent);
  const float axis_width = axis.Width(AxisLabel(scale.top, DecimalsOf(scale.step))) + 6.0f;
  const float left = kMargin + axis_width;
  const float width = kContentWidth - axis_width;
  const float bottom = y_ - 6.0f - kPlotHeight;
  DrawRateGrid(scale, left, bottom, width);
  if (!data_.months.empty()) {
    const float slot = width / static_cast<float>(data_.months.size());
    DrawRateBars(scale, left, bottom, slot);
    DrawMonthLabels(left, bottom, slot);
  }
  y_ = bottom - labels_height;
  const bool gaps = std::any_of(data_.months.begin(), data_.months.end(),
                                [](const RejectionReportMonth& m) { return m.tested <= 0; });
  if (gaps) Note("Months with no samples tested have no bar.");
  y_ -= kSectionGap;
  return Check("drawing the chart by month");
}

void RejectionReportWriter::DrawRateGrid(const RateScale& scale, float left, float bottom, float width) {
  const Face axis = Regular(kAxisSize);
  const int decimals = DecimalsOf(scale.step);
  SetFill(kMuted);
  for (int i = 0; i <= scale.divisions; ++i) {
    const float y = bottom + kPlotHeight * static_cast<float>(i) / static_cast<float>(scale.divisions);
    if (i > 0) Line(left, y, left + width, y, kGridColor, 0.4f);
    const std::string label = AxisLabel(scale.step * i, decimals);
    DrawText(axis, left - 4.0f - axis.Width(label), y - axis.size / 3, label);
  }
  SetFill(kBlack);
  Line(left, bottom, left, bottom + kPlotHeight, kRuleColor, 0.8f);
}

void RejectionReportWriter::DrawRateBars(const RateScale& scale, float left, float bottom, float slot) {
  const float bar = std::min(slot * 0.7f, kMaxBarWidth);
  for (size_t i = 0; i < data_.months.size(); ++i) {
    const std::optional<double> rate = RatePercent(data_.months[i].tested, data_.months[i].rejected);
    if (!rate || *rate <= 0) continue;
    const float height = std::max(kMinBarLength, kPlotHeight * static_cast<float>(std::min(*rate / scale.top, 1.0)));
    const float centre = left + slot * (static_cast<float>(i) + 0.5f);
    FillRectangle(centre - bar / 2, bottom, bar, height, kRateBarColor);
  }
  // The baseline goes over the bars' feet.
  Line(left, bottom, left + slot * static_cast<float>(data_.months.size()), bottom, kRuleColor, 0.8f);
}

// A tick and a label under every labelled month, and the year under each January.
void RejectionReportWriter::DrawMonthLabels(float left, float bottom, float slot) {
  const Face axis = Regular(kAxisSize);
  MonthAxis months = ReadMonths(data_.months);
  float widest = 0;
  for (size_t i = 0; i < data_.months.size(); ++i) {
    widest = std::max(widest, axis.Width(MonthText(months, data_.months, i)));
  }
  months.every = LabelEvery(months, std::min(widest, kMaxMonthLabelWidth), slot);
  const float room = static_cast<float>(months.every) * slot - kLabelGap;
  const float baseline = bottom - 3.0f - axis.Leading();
  SetFill(kMuted);
  for (size_t i = 0; i < data_.months.size(); ++i) {
    if (!IsLabelled(months, i)) continue;
    const float centre = left + slot * (static_cast<float>(i) + 0.5f);
    Line(centre, bottom, centre, bottom - 3.0f, kRuleColor, 0.5f);
    const std::string label = FitToWidth(axis, MonthText(months, data_.months, i), room);
    DrawText(axis, centre - axis.Width(label) / 2, baseline, label);
    if (!months.calendar || months.months[i] != 1) continue;
    const std::string year = std::to_string(months.years[i]);
    DrawText(axis, centre - axis.Width(year) / 2, baseline - axis.Leading(), year);
  }
  DrawFirstYear(months, left, slot, baseline - axis.Leading());
  SetFill(kBlack);
}

// The year of the first labelled month when that is not a January (Januaries carry their own):
// under that month, or else at the start of the axis, as long as it keeps clear of the first
// January's year; otherwise left out.
void RejectionReportWriter::DrawFirstYear(const MonthAxis& months, float left, float slot, float baseline) {
  if (!months.calendar) return;
  size_t first = 0;
  while (first < months.months.size() && !IsLabelled(months, first)) ++first;
  if (first == months.months.size() || months.months[first] == 1) return;
  const Face axis = Regular(kAxisSize);
  const std::string year = std::to_string(months.years[first]);
  const float width = axis.Width(year);
  float limit = left + slot * static_cast<float>(months.months.size());
  for (size_t j = first + 1; j < months.months.size(); ++j) {
    if (months.months[j] != 1) continue;
    limit = left + slot * (static_cast<float>(j) + 0.5f) - width / 2 - kLabelGap;
    break;
  }
  float x = left + slot * (static_cast<float>(first) + 0.5f) - width / 2;
  if (x + width > limit) x = left;
  if (x + width <= limit) DrawText(axis, x, baseline, year);
}

// The requirements failed most: a horizontal bar per requirement, as long as its failures, with the
// count at its end.
Status RejectionReportWriter::WriteRequirementChart() {
  const size_t shown = std::min(data_.top_requirements.size(), kMaxChartRequirements);
  const float height = kRequirementRow * static_cast<float>(std::max<size_t>(shown, 1));
  LIMS_RETURN_IF_ERROR(EnsureRoom(HeadingHeight() + height + 2 * Regular(kSmallSize).Leading()));
  Heading("Top failing requirements");
  if (shown == 0) {
    Note("No requirement failed in this period.");
    y_ -= kSectionGap;
    return Check("drawing the chart of requirements");
  }
  int64_t most = 1;
  for (size_t i = 0; i < shown; ++i) most = std::max(most, data_.top_requirements[i].failures);
  const float top = y_;
  for (size_t i = 0; i < shown; ++i) {
    DrawRequirementBar(data_.top_requirements[i], most, top - kRequirementRow * static_cast<float>(i));
  }
  const float axis_x = kMargin + kContentWidth * 0.42f;
  Line(axis_x, top, axis_x, top - height, kRuleColor, 0.8f);
  y_ = top - height - 4.0f;
  if (shown < data_.top_requirements.size()) {
    Note("The first " + std::to_string(shown) + " of " + std::to_string(data_.top_requirements.size()) +
         " requirements; the table lists them all.");
  }
  y_ -= kSectionGap;
  return Check("drawing the chart of requirements");
}

// One row `kRequirementRow` high from `top`: the label on the left, the bar from the axis.
void RejectionReportWriter::DrawRequirementBar(const RejectionReportRequirement& r, int64_t most, float top) {
  const Face face = Regular(kAxisSize + 0.5f);
  const float axis_x = kMargin + kContentWidth * 0.42f;
  const float room = kPageWidth - kMargin - axis_x - face.Width(Count(most)) - 8.0f;
  const float baseline = top - kRequirementRow * 0.68f;
  const std::string label = r.property.empty() ? r.code : r.code + " · " + r.property;
  DrawText(face, kMargin, baseline, FitToWidth(face, label, axis_x - kMargin - 6.0f));
  float length = 0.0f;
  if (r.failures > 0) {
    length = std::max(kMinBarLength, room * static_cast<float>(r.failures) / static_cast<float>(most));
    FillRectangle(axis_x, top - kRequirementRow * 0.85f, length, kRequirementRow * 0.7f, kFailureBarColor);
  }
  DrawText(face, axis_x + length + 4.0f, baseline, Count(r.failures));
}

Status RejectionReportWriter::WriteTables() {
  Rows rows;
  for (const RejectionReportMonth& m : data_.months) {
    rows.push_back({m.month, Count(m.tested), Count(m.rejected), Percent(m.tested, m.rejected)});
  }
  LIMS_RETURN_IF_ERROR(WriteTable("Rejections by month", kMonthColumns, rows, "No months in the period."));
  rows.clear();
  for (const RejectionReportRequirement& r : data_.top_requirements) {
    rows.push_back({r.code, r.standard + " " + r.clause, r.property, Count(r.failures)});
  }
  LIMS_RETURN_IF_ERROR(
      WriteTable("Requirements failed most often", kRequirementColumns, rows, "No requirement failed in this period."));
  rows.clear();
  for (const RejectionReportExporter& e : data_.exporters) {
    rows.push_back({e.exporter, Count(e.tested), Count(e.rejected), Percent(e.tested, e.rejected)});
  }
  LIMS_RETURN_IF_ERROR(
      WriteTable("Exporters with the most rejections", kExporterColumns, rows, "No exporter had a sample rejected."));
  rows.clear();
  for (const RejectionReportOffender& o : data_.repeat_offenders) {
    rows.push_back({o.exporter, o.requirement, Count(o.rejections)});
  }
  return WriteTable("Repeat offenders (the same requirement failed more than once)", kOffenderColumns, rows,
                    "No exporter failed the same requirement more than once.");
}

// A titled table that continues on as many pages as it needs, its title (marked "continued") and
// column headings repeated on each.
Status RejectionReportWriter::WriteTable(const std::string& title, std::span<const Column> columns, const Rows& rows,
                                         std::string_view empty) {
  const pdf::TableStyle style = Table(columns);
  std::vector<pdf::TableRow> laid;
  for (const std::vector<std::string>& texts : rows) laid.push_back(pdf::LayOutTableRow(style, texts, ""));
  const float first = laid.empty() ? Regular(kSmallSize).Leading() : laid.front().height;
  LIMS_RETURN_IF_ERROR(EnsureRoom(HeadingHeight() + pdf::TableHeadingHeight(style) + first));
  Heading(title);
  if (laid.empty()) {
    Note(empty);
    y_ -= kSectionGap;
    return Check("writing the table " + title);
  }
  y_ -= pdf::DrawTableHeading(canvas(), style, y_);
  for (size_t i = 0; i < laid.size(); ++i) {
    if (!Fits(laid[i].height)) {
      LIMS_RETURN_IF_ERROR(NewPage());
      Heading(title + " (continued)");
      y_ -= pdf::DrawTableHeading(canvas(), style, y_);
    }
    pdf::DrawTableRow(canvas(), style, laid[i], y_, kBlack, kMuted);
    y_ -= laid[i].height;
    Rule(y_, kGridColor, 0.4f);
  }
  y_ -= kSectionGap;
  return Check("writing the table " + title);
}

Status RejectionReportWriter::WriteEnd() {
  const Face face = Regular(kSmallSize);
  LIMS_RETURN_IF_ERROR(EnsureRoom(3 * face.Leading() + 14.0f));
  const std::string by = data_.generated_by.empty() ? kNone : data_.generated_by;
  Paragraph(face, "Generated by " + by + " at " + data_.generated_at + ".", 2);
  y_ -= 10.0f;
  const Face end = Bold(kSmallSize);
  const std::string text = "— End of document —";
  DrawText(end, kMargin + (kContentWidth - end.Width(text)) / 2, y_ - end.size, text);
  return Check("writing the end of the document");
}

Status RejectionReportWriter::WriteHeadersAndFooters() {
  return ForEachPage("writing the header and footer",
                     [this](size_t number, size_t total) { DrawPageFrame(number, total); });
}

// The number on every page, with "Page x of y" so that a missing page shows.
void RejectionReportWriter::DrawPageFrame(size_t number, size_t total) {
  DrawDocumentFrame(number, total, data_.number, std::string(kTitle) + " · " + data_.lab_name, kRateNote,
                    DistrictLabel(data_) + " · " + PeriodLabel(data_));
}

void RejectionReportWriter::Heading(const std::string& text) {
  Paragraph(Bold(11.0f), text, 1);
  y_ -= 4.0f;
}

void RejectionReportWriter::Note(std::string_view text) {
  SetFill(kMuted);
  Paragraph(Regular(kSmallSize), text, 2);
  SetFill(kBlack);
}

void RejectionReportWriter::FillRectangle(float x, float y, float width, float height, const Rgb& color) {
  canvas().SetFill(color);
  canvas().Rectangle(x, y, width, height);
  canvas().Fill();
  canvas().SetFill(kBlack);
}

void RejectionReportWriter::Line(float x1, float y1, float x2, float y2, const Rgb& color, float width) {
  canvas().SetStroke(color);
  canvas().SetLineWidth(width);
  canvas().MoveTo(x1, y1);
  canvas().LineTo(x2, y2);
  canvas().Stroke();
}

}  // namespace

lims::Result<std::string> RenderRejectionReport(const RejectionReportData& data, const FontSet& fonts) {
  LIMS_RETURN_IF_ERROR(Validate(data));
  HaruError error;  // declared before the document, which holds its address
  pdf::DocPtr doc = pdf::NewDocument(&error);
  if (doc == nullptr) return Status::Internal("libharu could not create a document");
  RejectionReportWriter writer(doc.get(), &error, data);
  LIMS_RETURN_IF_ERROR(writer.Setup(fonts));
  LIMS_RETURN_IF_ERROR(writer.WriteBody());
  LIMS_RETURN_IF_ERROR(writer.WriteHeadersAndFooters());
  LIMS_RETURN_IF_ERROR(writer.FinishPages());
  return pdf::SaveToString(doc.get(), error);
}

}  // namespace lims::reports
