#include "reports/history_report.h"

#include <hpdf.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "reports/pdf_fonts.h"
#include "reports/pdf_text.h"

namespace lims::reports {
namespace {

using pdf::Column;
using pdf::DocPtr;
using pdf::Face;
using pdf::HaruError;
using pdf::kBlack;
using pdf::kFailColor;
using pdf::kGridColor;
using pdf::kMuted;
using pdf::kRuleColor;
using pdf::Rgb;
using pdf::UtcStyle;
using pdf::Wrap;

constexpr const char* kTitle = "Rejection history";
constexpr const char* kFootnote = "A sample counts when its first report is issued; rejected: a requirement not met.";

constexpr float kPageWidth = pdf::kA4Width;
constexpr float kPageHeight = pdf::kA4Height;
constexpr float kMargin = 42.0f;
constexpr float kContentWidth = kPageWidth - 2 * kMargin;
constexpr float kBodyBottom = 68.0f;
constexpr float kFooterRuleY = 56.0f;
constexpr float kFooterBaseline = 44.0f;

constexpr float kSmallSize = 8.5f;
constexpr float kCellSize = 8.0f;
constexpr float kAxisSize = 6.5f;
constexpr float kCellPad = 3.0f;
constexpr float kFieldLabelWidth = 112.0f;

constexpr float kMonthChartHeight = 150.0f;  // the plot area, without its labels
constexpr float kBarRowHeight = 15.0f;       // one requirement in the horizontal chart
constexpr size_t kMaxMonths = 240;
constexpr Rgb kBarColor = {0.75f, 0.1f, 0.1f};  // kFailColor: the charts show failures

constexpr std::array<Column, 4> kMonthColumns = {{
    {"Month", 0.31f},
    {"Samples issued", 0.23f},
    {"Rejected", 0.23f},
    {"Rejection rate", 0.23f},
}};
constexpr std::array<Column, 4> kRequirementColumns = {{
    {"Requirement", 0.28f},
    {"Standard and clause", 0.27f},
    {"Property", 0.33f},
    {"Failures", 0.12f},
}};
constexpr std::array<Column, 4> kExporterColumns = {{
    {"Exporter", 0.52f},
    {"Samples issued", 0.16f},
    {"Rejected", 0.16f},
    {"Rejection rate", 0.16f},
}};
constexpr std::array<Column, 3> kOffenderColumns = {{
    {"Exporter", 0.5f},
    {"Requirement", 0.36f},
    {"Rejections", 0.14f},
}};

Status Validate(const HistoryReportData& d) {
  std::vector<FieldError> errors;
  if (d.number.empty()) errors.push_back({"number", "is required: every page prints it"});
  if (d.period_from.empty() || d.period_to.empty()) errors.push_back({"period", "needs both ends"});
  HPDF_Date date;
  if (!pdf::ParseRfc3339(d.generated_at, UtcStyle::kZulu, &date)) {
    errors.push_back({"generated_at", "is not an RFC 3339 timestamp"});
  }
  if (d.months.size() > kMaxMonths) errors.push_back({"months", "at most 240 months fit the chart"});
  if (errors.empty()) return Status::Ok();
  return Status::InvalidArgument("invalid rejection report data", std::move(errors));
}

double Rate(int64_t tested, int64_t rejected) {
  return tested <= 0 ? 0.0 : static_cast<double>(rejected) / static_cast<double>(tested);
}

std::string Percent(double rate) {
  char buf[32];
  std::snprintf(buf, sizeof buf, rate * 100 < 10 ? "%.2f %%" : "%.1f %%", rate * 100);
  return buf;
}

std::string Hours(const std::optional<double>& h) {
  if (!h) return "—";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f h (%.1f days)", *h, *h / 24);
  return buf;
}

// The top of the rate axis: the smallest 1, 2 or 5 × 10^k percent at or above the highest rate,
// so gridlines fall on round numbers.
double AxisTop(double max_rate) {
  if (max_rate <= 0) return 0.01;
  const double magnitude = std::pow(10.0, std::floor(std::log10(max_rate)));
  for (double step : {1.0, 2.0, 5.0, 10.0}) {
    if (step * magnitude >= max_rate * (1 - 1e-12)) return step * magnitude;
  }
  return 10 * magnitude;
}

// "2026-03" → "Mar 26"; anything else as it is.
std::string MonthLabel(const std::string& month) {
  static constexpr std::array<const char*, 12> kNames = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (month.size() != 7 || month[4] != '-') return month;
  const int m = (month[5] - '0') * 10 + (month[6] - '0');
  if (m < 1 || m > 12) return month;
  return std::string(kNames[static_cast<size_t>(m - 1)]) + " " + month.substr(2, 2);
}

class HistoryWriter : public pdf::PageWriter {
 public:
  HistoryWriter(HPDF_Doc doc, const HaruError* error, const HistoryReportData& data)
      : PageWriter(doc, error, kMargin), data_(data) {}

  Status Setup(const FontSet& fonts);
  Status WriteBody();
  Status WriteFooters();
  using PageWriter::FinishPages;

 private:
  Status NewPage() { return AddPage(kPageHeight - kMargin); }
  Status ContinuePage();
  Status EnsureRoom(float height);

  Status WriteHeader();
  Status WriteKeyFigures();
  Status WriteMonthChart();
  Status WriteRequirementChart();
  Status WriteTable(const char* heading, std::span<const Column> columns,
                    const std::vector<std::vector<std::string>>& rows, const char* empty);
  Status WriteEnd();

  void FillRect(float x, float y, float width, float height, const Rgb& color);
  void Line(float x1, float y1, float x2, float y2, const Rgb& color, float width);
  void Heading(const std::string& text);
  void DrawFooter(size_t number, size_t total);

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
            .max_cell_lines = 3,
            .max_note_lines = 1};
  }
  bool Fits(float height) const { return y_ - height >= kBodyBottom; }

  const HistoryReportData& data_;
};

Status HistoryWriter::Setup(const FontSet& fonts) {
  // Fonts embedded as per-document subsets and pages written directly (as the certificate does):
  // smaller, faster, and a ToUnicode map every reader accepts.
  LIMS_RETURN_IF_ERROR(EmbedFaces(fonts));
  const std::string title = std::string(kTitle) + " " + data_.number;
  HPDF_SetInfoAttr(doc_, HPDF_INFO_TITLE, title.c_str());
  HPDF_SetInfoAttr(doc_, HPDF_INFO_AUTHOR, data_.lab_name.c_str());
  LIMS_RETURN_IF_ERROR(Check("setting the document information"));
  HPDF_Date date;
  pdf::ParseRfc3339(data_.generated_at, UtcStyle::kZulu, &date);  // checked by Validate
  HPDF_SetInfoDateAttr(doc_, HPDF_INFO_CREATION_DATE, date);
  return Check("setting the creation date");
}

// A continuation page says which report it belongs to, since pages get separated.
Status HistoryWriter::ContinuePage() {
  LIMS_RETURN_IF_ERROR(NewPage());
  SetFill(kMuted);
  Paragraph(Regular(kSmallSize), std::string(kTitle) + " · " + data_.number + " (continued)", 1);
  SetFill(kBlack);
  y_ -= 10.0f;
  return Check("starting page " + std::to_string(pages_.size()));
}

Status HistoryWriter::EnsureRoom(float height) {
  return Fits(height) ? Status::Ok() : ContinuePage();
}

Status HistoryWriter::WriteBody() {
  LIMS_RETURN_IF_ERROR(NewPage());
  LIMS_RETURN_IF_ERROR(WriteHeader());
  LIMS_RETURN_IF_ERROR(WriteKeyFigures());
  if (data_.tested == 0) {
    Paragraph(Regular(10.0f), "No samples were issued in this period.", 1);
    return WriteEnd();
  }
  LIMS_RETURN_IF_ERROR(WriteMonthChart());
  LIMS_RETURN_IF_ERROR(WriteRequirementChart());
  std::vector<std::vector<std::string>> rows;
  for (const HistoryMonth& m : data_.months) {
    rows.push_back({m.month, std::to_string(m.tested), std::to_string(m.rejected),
                    m.tested == 0 ? "—" : Percent(Rate(m.tested, m.rejected))});
  }
  LIMS_RETURN_IF_ERROR(WriteTable("By month", kMonthColumns, rows, "No months in the period."));
  rows.clear();
  for (const HistoryRequirement& r : data_.top_requirements) {
    rows.push_back({r.code, r.standard + " " + r.clause, r.property, std::to_string(r.failures)});
  }
  LIMS_RETURN_IF_ERROR(
      WriteTable("Requirements failed most", kRequirementColumns, rows, "No requirement failed in this period."));
  rows.clear();
  for (const HistoryExporter& e : data_.exporters) {
    rows.push_back(
        {e.exporter, std::to_string(e.tested), std::to_string(e.rejected), Percent(Rate(e.tested, e.rejected))});
  }
  LIMS_RETURN_IF_ERROR(WriteTable("Exporters with the most rejected samples", kExporterColumns, rows,
                                  "No exporter had a sample rejected."));
  rows.clear();
  for (const HistoryOffender& o : data_.repeat_offenders) {
    rows.push_back({o.exporter, o.requirement, std::to_string(o.rejections)});
  }
  LIMS_RETURN_IF_ERROR(WriteTable("Repeat offenders (the same requirement failed more than once)", kOffenderColumns,
                                  rows, "No exporter failed the same requirement twice."));
  return WriteEnd();
}

Status HistoryWriter::WriteHeader() {
  Paragraph(Bold(12.0f), data_.lab_name, 2);
  Paragraph(Regular(kSmallSize), data_.lab_address, 3);
  Paragraph(Regular(kSmallSize), data_.lab_accreditation, 2);
  y_ -= 6.0f;
  Rule(y_, kRuleColor, 0.8f);
  y_ -= 16.0f;
  Paragraph(Bold(15.0f), std::string(kTitle) + " — " + (data_.district.empty() ? "All districts" : data_.district), 2);
  Paragraph(Regular(10.0f), "Period " + data_.period_from + " to " + data_.period_to + " · Report " + data_.number, 2);
  y_ -= 10.0f;
  return Check("writing the header");
}

Status HistoryWriter::WriteKeyFigures() {
  const std::array<pdf::Field, 6> fields = {{
      {"Samples issued", std::to_string(data_.tested)},
      {"Rejected", std::to_string(data_.rejected)},
      {"Rejection rate", Percent(Rate(data_.tested, data_.rejected))},
      {"Turnaround, median", Hours(data_.turnaround_median_h)},
      {"Turnaround, 90th pct", Hours(data_.turnaround_p90_h)},
      {"Generated", data_.generated_at},
  }};
  for (size_t i = 0; i < fields.size(); i += 2) {
    for (size_t k = 0; k < 2; ++k) {
      const float x = kMargin + static_cast<float>(k) * kContentWidth / 2;
      DrawLines(Bold(kSmallSize), x, y_, {fields[i + k].label});
      DrawLines(Regular(kSmallSize), x + kFieldLabelWidth, y_,
                Wrap(Regular(kSmallSize), fields[i + k].value, kContentWidth / 2 - kFieldLabelWidth - 8.0f, 1));
    }
    y_ -= Regular(kSmallSize).Leading() + 2.0f;
  }
  y_ -= 14.0f;
  return Check("writing the key figures");
}

void HistoryWriter::FillRect(float x, float y, float width, float height, const Rgb& color) {
  canvas().SetFill(color);
  canvas().Rectangle(x, y, width, height);
  canvas().Fill();
  canvas().SetFill(kBlack);
}

void HistoryWriter::Line(float x1, float y1, float x2, float y2, const Rgb& color, float width) {
  canvas().SetStroke(color);
  canvas().SetLineWidth(width);
  canvas().MoveTo(x1, y1);
  canvas().LineTo(x2, y2);
  canvas().Stroke();
}

void HistoryWriter::Heading(const std::string& text) {
  Paragraph(Bold(11.0f), text, 1);
  y_ -= 4.0f;
}

// Rejection rate per month: one bar per month, gridlines at a fifth of the axis, labels thinned so
// that they never overlap (every k-th month when there are many).
Status HistoryWriter::WriteMonthChart() {
  const Face axis = Regular(kAxisSize);
  const float label_room = axis.Leading() + 4.0f;
  LIMS_RETURN_IF_ERROR(EnsureRoom(Bold(11.0f).Leading() + 8.0f + kMonthChartHeight + label_room + 16.0f));
  Heading("Rejection rate by month");
  double max_rate = 0;
  for (const HistoryMonth& m : data_.months) max_rate = std::max(max_rate, Rate(m.tested, m.rejected));
  const double top = AxisTop(max_rate);
  const float axis_width = axis.Width("100.0 %") + 6.0f;
  const float left = kMargin + axis_width;
  const float width = kContentWidth - axis_width;
  const float bottom = y_ - 4.0f - kMonthChartHeight;
  for (int i = 0; i <= 5; ++i) {
    const float y = bottom + kMonthChartHeight * static_cast<float>(i) / 5.0f;
    Line(left, y, left + width, y, i == 0 ? kRuleColor : kGridColor, i == 0 ? 0.8f : 0.4f);
    const std::string label = Percent(top * i / 5.0);
    DrawText(axis, left - 4.0f - axis.Width(label), y - axis.size / 3, label);
  }
  const size_t n = std::max<size_t>(data_.months.size(), 1);
  const float slot = width / static_cast<float>(n);
  const float label_width = axis.Width("Mar 26") + 4.0f;
  const size_t every = std::max<size_t>(1, static_cast<size_t>(std::ceil(label_width / slot)));
  for (size_t i = 0; i < data_.months.size(); ++i) {
    const HistoryMonth& m = data_.months[i];
    const float x = left + slot * static_cast<float>(i);
    const double rate = Rate(m.tested, m.rejected);
    if (rate > 0) {
      const float h = kMonthChartHeight * static_cast<float>(rate / top);
      FillRect(x + slot * 0.15f, bottom, slot * 0.7f, h, kBarColor);
    }
    if (i % every == 0) {
      const std::string label = MonthLabel(m.month);
      DrawText(axis, x + slot / 2 - axis.Width(label) / 2, bottom - axis.Leading(), label);
    }
  }
  y_ = bottom - label_room - 16.0f;
  return Check("drawing the chart by month");
}

// The requirements failed most: a horizontal bar per requirement, longest first, its count at the end.
Status HistoryWriter::WriteRequirementChart() {
  if (data_.top_requirements.empty()) return Status::Ok();
  const Face label = Regular(kAxisSize + 0.5f);
  const float height = kBarRowHeight * static_cast<float>(data_.top_requirements.size());
  LIMS_RETURN_IF_ERROR(EnsureRoom(Bold(11.0f).Leading() + 8.0f + height + 16.0f));
  Heading("Requirements failed most");
  int64_t most = 1;
  for (const HistoryRequirement& r : data_.top_requirements) most = std::max(most, r.failures);
  const float label_width = kContentWidth * 0.42f;
  const float bar_left = kMargin + label_width + 6.0f;
  const float bar_room = kContentWidth - label_width - 6.0f - label.Width("000000") - 4.0f;
  float y = y_ - 2.0f;
  for (const HistoryRequirement& r : data_.top_requirements) {
    const std::vector<std::string> text = Wrap(label, r.code + " · " + r.property, label_width, 1);
    DrawText(label, kMargin, y - kBarRowHeight * 0.68f, text.empty() ? r.code : text.front());
    const float length = bar_room * static_cast<float>(r.failures) / static_cast<float>(most);
    FillRect(bar_left, y - kBarRowHeight * 0.85f, std::max(length, 0.5f), kBarRowHeight * 0.7f, kBarColor);
    DrawText(label, bar_left + length + 4.0f, y - kBarRowHeight * 0.68f, std::to_string(r.failures));
    y -= kBarRowHeight;
  }
  Line(bar_left, y_ - 2.0f, bar_left, y, kRuleColor, 0.8f);
  y_ = y - 16.0f;
  return Check("drawing the chart of requirements");
}

Status HistoryWriter::WriteTable(const char* heading, std::span<const Column> columns,
                                 const std::vector<std::vector<std::string>>& rows, const char* empty) {
  const pdf::TableStyle style = Table(columns);
  std::vector<pdf::TableRow> laid;
  for (const auto& texts : rows) laid.push_back(pdf::LayOutTableRow(style, texts, ""));
  const float first = laid.empty() ? Regular(kSmallSize).Leading() : laid.front().height;
  LIMS_RETURN_IF_ERROR(EnsureRoom(Bold(11.0f).Leading() + 4.0f + pdf::TableHeadingHeight(style) + first));
  Heading(heading);
  if (laid.empty()) {
    Paragraph(Regular(kSmallSize), empty, 1);
    y_ -= 12.0f;
    return Check(std::string("writing ") + heading);
  }
  y_ -= pdf::DrawTableHeading(canvas(), style, y_);
  for (const pdf::TableRow& row : laid) {
    if (!Fits(row.height)) {
      LIMS_RETURN_IF_ERROR(ContinuePage());
      y_ -= pdf::DrawTableHeading(canvas(), style, y_);
    }
    pdf::DrawTableRow(canvas(), style, row, y_, kBlack, kMuted);
    y_ -= row.height;
    Rule(y_, kGridColor, 0.4f);
  }
  y_ -= 14.0f;
  return Check(std::string("writing ") + heading);
}

Status HistoryWriter::WriteEnd() {
  LIMS_RETURN_IF_ERROR(EnsureRoom(3 * Regular(kSmallSize).Leading() + 8.0f));
  y_ -= 6.0f;
  Paragraph(Regular(kSmallSize), "Generated by " + data_.generated_by + " at " + data_.generated_at + ".", 2);
  Paragraph(Regular(kSmallSize), "Signed electronically by " + data_.lab_name + ".", 2);
  Paragraph(Bold(kSmallSize), "End of document", 1);
  return Check("writing the end");
}

Status HistoryWriter::WriteFooters() {
  return ForEachPage("writing the footer", [this](size_t number, size_t total) { DrawFooter(number, total); });
}

void HistoryWriter::DrawFooter(size_t number, size_t total) {
  const Face face = Regular(7.0f);
  const std::string page_label = data_.number + " · page " + std::to_string(number) + " of " + std::to_string(total);
  Rule(kFooterRuleY, kRuleColor, 0.5f);
  const float note_width = kContentWidth - face.Width(page_label) - 12.0f;
  DrawText(face, kMargin, kFooterBaseline, Wrap(face, kFootnote, note_width, 1).front());
  DrawText(face, kPageWidth - kMargin - face.Width(page_label), kFooterBaseline, page_label);
}

}  // namespace

lims::Result<std::string> RenderHistoryReport(const HistoryReportData& data, const FontSet& fonts) {
  LIMS_RETURN_IF_ERROR(Validate(data));
  HaruError error;  // declared before the document, which holds its address
  DocPtr doc = pdf::NewDocument(&error);
  if (doc == nullptr) return Status::Internal("libharu could not create a document");
  HistoryWriter writer(doc.get(), &error, data);
  LIMS_RETURN_IF_ERROR(writer.Setup(fonts));
  LIMS_RETURN_IF_ERROR(writer.WriteBody());
  LIMS_RETURN_IF_ERROR(writer.WriteFooters());
  LIMS_RETURN_IF_ERROR(writer.FinishPages());
  return pdf::SaveToString(doc.get(), error);
}

}  // namespace lims::reports
