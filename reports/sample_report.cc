#include "reports/sample_report.h"

#include <hpdf.h>

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "reports/pdf_fonts.h"
#include "reports/pdf_text.h"

namespace lims::reports {
namespace {

using pdf::CheckHaru;
using pdf::Column;
using pdf::DocPtr;
using pdf::Face;
using pdf::HaruError;
using pdf::kBlack;
using pdf::kFailColor;
using pdf::kGridColor;
using pdf::kMuted;
using pdf::kPassColor;
using pdf::kRuleColor;
using pdf::Rgb;
using pdf::UtcStyle;
using pdf::Wrap;

constexpr const char* kTitle = "Preliminary test report — not a certificate";
constexpr const char* kDisclaimer = "The results relate only to the items tested.";

constexpr float kPageWidth = pdf::kA4Width;
constexpr float kPageHeight = pdf::kA4Height;
constexpr float kMargin = 42.0f;  // about 15 mm
constexpr float kContentWidth = kPageWidth - 2 * kMargin;
// Body text stays above kBodyBottom so that it never runs into the footer.
constexpr float kBodyBottom = 68.0f;
constexpr float kFooterRuleY = 56.0f;
constexpr float kFooterBaseline = 44.0f;

constexpr float kSmallSize = 8.5f;
constexpr float kCellSize = 8.0f;
constexpr float kExplanationSize = 7.5f;
constexpr float kCellPad = 3.0f;
constexpr float kFieldLabelWidth = 80.0f;
constexpr float kFieldGap = 8.0f;

// Rows are capped so that even the tallest one fits on a fresh page; otherwise a page break could
// never make room for it. (A continuation page spends under 60 pt on its running head and the
// table header.)
constexpr size_t kMaxCellLines = 12;
constexpr size_t kMaxExplanationLines = 6;
static_assert(2 * kCellPad + (kMaxCellLines * kCellSize + kMaxExplanationLines * kExplanationSize) * 1.25f <
                  kPageHeight - kMargin - kBodyBottom - 60.0f,
              "the tallest table row must fit on a continuation page");

constexpr size_t kColumnCount = 7;
constexpr size_t kVerdictColumn = 6;
constexpr std::array<Column, kColumnCount> kColumns = {{
    {"Requirement", 0.18f},
    {"Property", 0.19f},
    {"Method", 0.14f},
    {"Values", 0.12f},
    {"Unit", 0.12f},
    {"Limit", 0.15f},
    {"Verdict", 0.10f},
}};

// ---- Input checks ----

bool IsKnownVerdict(std::string_view verdict) {
  return verdict == "pass" || verdict == "conditional_pass" || verdict == "conditional_fail" || verdict == "fail" ||
         verdict == "pending";
}

Status Validate(const SampleReportData& data) {
  std::vector<FieldError> errors;
  if (data.sample_number.empty()) {
    errors.push_back({"sample_number", "is required: every page prints it"});
  }
  HPDF_Date date;
  if (!data.generated_at.empty() && !pdf::ParseRfc3339(data.generated_at, UtcStyle::kZulu, &date)) {
    errors.push_back({"generated_at", "is not an RFC 3339 timestamp"});
  }
  for (size_t i = 0; i < data.rows.size(); ++i) {
    if (IsKnownVerdict(data.rows[i].verdict)) continue;
    errors.push_back({"rows[" + std::to_string(i) + "].verdict",
                      "must be pass, conditional_pass, conditional_fail, fail or pending"});
  }
  if (errors.empty()) return Status::Ok();
  return Status::InvalidArgument("invalid sample report data", std::move(errors));
}

// ---- Report content ----

std::string VerdictLabel(std::string_view verdict) {
  if (verdict == "pass") return "✓ Pass";
  if (verdict == "fail") return "✗ Fail";
  // ILAC-G8 4.2.3 statements under a guarded decision rule.
  if (verdict == "conditional_pass") return "Conditional pass";
  if (verdict == "conditional_fail") return "Conditional fail";
  return "Pending";
}

Rgb VerdictColor(std::string_view verdict) {
  if (verdict == "pass") return kPassColor;
  if (verdict == "fail" || verdict == "conditional_fail") return kFailColor;
  if (verdict == "conditional_pass") return kPassColor;
  return kMuted;
}

std::array<std::string, kColumnCount> CellTexts(const ReportResultRow& row) {
  return {row.requirement, row.property, row.method, row.values, row.unit, row.limit, VerdictLabel(row.verdict)};
}

// "in_testing" is a code, not prose.
std::string DisplayStatus(std::string status) {
  std::replace(status.begin(), status.end(), '_', ' ');
  return status;
}

using Field = pdf::Field;

using RowLayout = pdf::TableRow;

// Draws one report into a fresh document. Footers say "page x of y", and y is known only once the
// body is laid out, so pages are kept and the footers written last.
class ReportWriter : public pdf::PageWriter {
 public:
  ReportWriter(HPDF_Doc doc, const HaruError* error, const SampleReportData& data)
      : PageWriter(doc, error, kMargin), data_(data) {}

  Status Setup(const FontSet& fonts);
  Status WriteBody();
  Status WriteFooters();

 private:
  Status SetInfo();
  Status NewPage();
  Status ContinuePage();

  Status WriteLabHeader();
  Status WriteTitle();
  Status WriteSampleBlock();
  Status WriteResults();
  Status WriteRows(const std::vector<RowLayout>& rows);

  float DrawField(float x, const Field& field);
  RowLayout LayOutRow(const ReportResultRow& row) const;
  void DrawTableHeader();
  void DrawRow(const RowLayout& row, std::string_view verdict);
  void DrawFooter(size_t number, size_t total);

  pdf::TableStyle Table() const {
    return {.columns = kColumns,
            .left = kMargin,
            .width = kContentWidth,
            .pad = kCellPad,
            .heading = Bold(kCellSize),
            .cell = Regular(kCellSize),
            .verdict_cell = Bold(kCellSize),
            .verdict_column = kVerdictColumn,
            .note = Regular(kExplanationSize),
            .max_cell_lines = kMaxCellLines,
            .max_note_lines = kMaxExplanationLines};
  }

  float HeaderHeight() const { return pdf::TableHeadingHeight(Table()); }
  bool Fits(float height) const { return y_ - height >= kBodyBottom; }

  const SampleReportData& data_;
};

Status ReportWriter::Setup(const FontSet& fonts) {
  LIMS_RETURN_IF_ERROR(LoadFaces(fonts));
  return SetInfo();
}

// No /ID and no clock: the only date is the record's own, so that output is reproducible.
Status ReportWriter::SetInfo() {
  const std::string title = "Preliminary test report " + data_.sample_number;
  HPDF_SetInfoAttr(doc_, HPDF_INFO_TITLE, title.c_str());
  LIMS_RETURN_IF_ERROR(Check("setting the document title"));
  HPDF_Date date;
  if (!pdf::ParseRfc3339(data_.generated_at, UtcStyle::kZulu, &date)) return Status::Ok();  // empty: no date
  HPDF_SetInfoDateAttr(doc_, HPDF_INFO_CREATION_DATE, date);
  return Check("setting the creation date");
}

Status ReportWriter::NewPage() {
  return AddPage(kPageHeight - kMargin);
}

// A continuation page repeats which report it belongs to, since pages get separated.
Status ReportWriter::ContinuePage() {
  LIMS_RETURN_IF_ERROR(NewPage());
  SetFill(kMuted);
  Paragraph(Regular(kSmallSize), std::string(kTitle) + " · " + data_.sample_number + " (continued)", 1);
  SetFill(kBlack);
  y_ -= 10.0f;
  return Check("starting page " + std::to_string(pages_.size()));
}

Status ReportWriter::WriteBody() {
  LIMS_RETURN_IF_ERROR(NewPage());
  LIMS_RETURN_IF_ERROR(WriteLabHeader());
  LIMS_RETURN_IF_ERROR(WriteTitle());
  LIMS_RETURN_IF_ERROR(WriteSampleBlock());
  return WriteResults();
}

Status ReportWriter::WriteLabHeader() {
  Paragraph(Bold(12.0f), data_.lab_name, 2);
  Paragraph(Regular(kSmallSize), data_.lab_address, 3);
  Paragraph(Regular(kSmallSize), data_.lab_accreditation, 2);
  y_ -= 6.0f;
  Rule(y_, kRuleColor, 0.8f);
  y_ -= 16.0f;
  return Check("writing the lab header");
}

Status ReportWriter::WriteTitle() {
  Paragraph(Bold(15.0f), kTitle, 2);
  y_ -= 8.0f;
  return Check("writing the title");
}

Status ReportWriter::WriteSampleBlock() {
  const std::array<Field, 12> fields = {{
      {"Sample number", data_.sample_number},
      {"Destination", data_.destination},
      {"Exporter", data_.exporter_name},
      {"Condition", data_.condition},
      {"Product", data_.product},
      {"Received", data_.received_at},
      {"Article", data_.article},
      {"Status", DisplayStatus(data_.status)},
      {"Lot", data_.lot},
      {"Generated", data_.generated_at},
      // ISO/IEC 17025 7.8.6.2 c: the decision rule applied to the statements of conformity.
      {"Decision rule", data_.decision_rule},
      {"Verdict so far", data_.overall_verdict},
  }};
  for (size_t i = 0; i < fields.size(); i += 2) {
    const float left = DrawField(kMargin, fields[i]);
    const float right = DrawField(kMargin + kContentWidth / 2, fields[i + 1]);
    y_ -= std::max(left, right) + 2.0f;
  }
  y_ -= 14.0f;
  return Check("writing the sample block");
}

// Draws "label  value" at the cursor; returns the height used, which the value's wrapping decides.
float ReportWriter::DrawField(float x, const Field& field) {
  const float value_width = kContentWidth / 2 - kFieldLabelWidth - kFieldGap;
  const std::string value = field.value.empty() ? "—" : field.value;
  const std::vector<std::string> lines = Wrap(Regular(kSmallSize), value, value_width, 3);
  DrawLines(Bold(kSmallSize), x, y_, {field.label});
  return DrawLines(Regular(kSmallSize), x + kFieldLabelWidth, y_, lines);
}

Status ReportWriter::WriteResults() {
  std::vector<RowLayout> rows;
  for (const ReportResultRow& row : data_.rows) rows.push_back(LayOutRow(row));
  // Keep the heading with the table header and the first row rather than alone at a page foot.
  const float first_row = rows.empty() ? Regular(kSmallSize).Leading() : rows.front().height;
  if (!Fits(Bold(11.0f).Leading() + 4.0f + HeaderHeight() + first_row)) {
    LIMS_RETURN_IF_ERROR(ContinuePage());
  }
  Paragraph(Bold(11.0f), "Results", 1);
  y_ -= 4.0f;
  if (rows.empty()) {
    Paragraph(Regular(kSmallSize), "No results have been entered yet.", 1);
    return Check("writing the results");
  }
  return WriteRows(rows);
}

Status ReportWriter::WriteRows(const std::vector<RowLayout>& rows) {
  DrawTableHeader();
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!Fits(rows[i].height)) {
      LIMS_RETURN_IF_ERROR(ContinuePage());
      DrawTableHeader();
    }
    DrawRow(rows[i], data_.rows[i].verdict);
    LIMS_RETURN_IF_ERROR(Check("writing results row " + std::to_string(i + 1)));
  }
  return Status::Ok();
}

RowLayout ReportWriter::LayOutRow(const ReportResultRow& row) const {
  return pdf::LayOutTableRow(Table(), CellTexts(row), row.explanation);
}

void ReportWriter::DrawTableHeader() {
  y_ -= pdf::DrawTableHeading(page_, Table(), y_);
}

void ReportWriter::DrawRow(const RowLayout& row, std::string_view verdict) {
  // The explanation spans the whole row: it is a sentence, too long for any one column.
  pdf::DrawTableRow(page_, Table(), row, y_, VerdictColor(verdict), kMuted);
  y_ -= row.height;
  Rule(y_, kGridColor, 0.4f);
}

Status ReportWriter::WriteFooters() {
  return ForEachPage("writing the footer", [this](size_t number, size_t total) { DrawFooter(number, total); });
}

void ReportWriter::DrawFooter(size_t number, size_t total) {
  const Face face = Regular(7.5f);
  const std::string page_label =
      data_.sample_number + " · page " + std::to_string(number) + " of " + std::to_string(total);
  Rule(kFooterRuleY, kRuleColor, 0.5f);
  DrawText(face, kMargin, kFooterBaseline, kDisclaimer);
  DrawText(face, kPageWidth - kMargin - face.Width(page_label), kFooterBaseline, page_label);
}

}  // namespace

FontSet FontSet::Default() {
  const std::string dir = LIMS_DEFAULT_FONT_DIR;
  return FontSet{dir + "/DejaVuSans-subset.ttf", dir + "/DejaVuSans-Bold-subset.ttf"};
}

lims::Result<std::string> RenderSampleReport(const SampleReportData& data, const FontSet& fonts) {
  LIMS_RETURN_IF_ERROR(Validate(data));
  // Declared before the document so that it outlives it: the handler holds its address.
  HaruError error;
  DocPtr doc = pdf::NewDocument(&error);
  if (doc == nullptr) return Status::Internal("libharu could not create a document");
  ReportWriter writer(doc.get(), &error, data);
  LIMS_RETURN_IF_ERROR(writer.Setup(fonts));
  LIMS_RETURN_IF_ERROR(writer.WriteBody());
  LIMS_RETURN_IF_ERROR(writer.WriteFooters());
  return pdf::SaveToString(doc.get(), error);
}

}  // namespace lims::reports
