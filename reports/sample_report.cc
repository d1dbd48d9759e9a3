#include "reports/sample_report.h"

#include <hpdf.h>

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "reports/pdf_fonts.h"

namespace lims::reports {
namespace {

using pdf::CheckHaru;
using pdf::DocPtr;
using pdf::Face;
using pdf::HaruError;
using pdf::PopCodePoint;

constexpr const char* kTitle = "Preliminary test report — not a certificate";
constexpr const char* kDisclaimer = "The results relate only to the items tested.";
constexpr const char* kEllipsis = "…";

// A4 portrait in points, the same figures libharu uses for HPDF_PAGE_SIZE_A4.
constexpr float kPageWidth = 595.276f;
constexpr float kPageHeight = 841.89f;
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

struct Column {
  const char* title;
  float share;  // of the content width
};
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

struct Rgb {
  float r, g, b;
};
constexpr Rgb kBlack = {0.0f, 0.0f, 0.0f};
constexpr Rgb kMuted = {0.35f, 0.35f, 0.35f};
constexpr Rgb kRuleColor = {0.6f, 0.6f, 0.6f};
constexpr Rgb kGridColor = {0.8f, 0.8f, 0.8f};
constexpr Rgb kHeaderFill = {0.9f, 0.9f, 0.9f};
constexpr Rgb kPassColor = {0.0f, 0.45f, 0.15f};
constexpr Rgb kFailColor = {0.75f, 0.1f, 0.1f};

// ---- RFC 3339 timestamps (for the PDF CreationDate) ----

bool ReadNumber(std::string_view s, size_t* pos, size_t digits, int* out) {
  if (s.size() - *pos < digits) return false;
  int value = 0;
  for (size_t i = 0; i < digits; ++i) {
    const char c = s[*pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *pos += digits;
  *out = value;
  return true;
}

// Consumes one character if it is any of `accepted`.
bool Skip(std::string_view s, size_t* pos, std::string_view accepted) {
  if (*pos >= s.size() || accepted.find(s[*pos]) == std::string_view::npos) return false;
  ++*pos;
  return true;
}

// PDF dates have whole seconds, so a fraction is read and dropped.
void SkipFraction(std::string_view s, size_t* pos) {
  if (!Skip(s, pos, ".")) return;
  while (*pos < s.size() && s[*pos] >= '0' && s[*pos] <= '9') ++*pos;
}

bool ParseOffset(std::string_view s, size_t* pos, HPDF_Date* date) {
  if (Skip(s, pos, "Zz")) {
    date->ind = 'Z';
    return true;
  }
  if (!Skip(s, pos, "+-")) return false;
  date->ind = s[*pos - 1];
  return ReadNumber(s, pos, 2, &date->off_hour) && Skip(s, pos, ":") && ReadNumber(s, pos, 2, &date->off_minutes);
}

int DaysInMonth(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// Checked here so that a bad date is the caller's InvalidArgument rather than libharu's
// HPDF_INVALID_DATE_TIME surfacing as Internal. Leap seconds are refused: PDF dates stop at :59.
bool IsValidDate(const HPDF_Date& d) {
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > DaysInMonth(d.year, d.month)) return false;
  return d.hour <= 23 && d.minutes <= 59 && d.seconds <= 59 && d.off_hour <= 23 && d.off_minutes <= 59;
}

bool ParseRfc3339(std::string_view s, HPDF_Date* date) {
  HPDF_Date d = {};
  size_t pos = 0;
  const bool ok = ReadNumber(s, &pos, 4, &d.year) && Skip(s, &pos, "-") && ReadNumber(s, &pos, 2, &d.month) &&
                  Skip(s, &pos, "-") && ReadNumber(s, &pos, 2, &d.day) && Skip(s, &pos, "Tt") &&
                  ReadNumber(s, &pos, 2, &d.hour) && Skip(s, &pos, ":") && ReadNumber(s, &pos, 2, &d.minutes) &&
                  Skip(s, &pos, ":") && ReadNumber(s, &pos, 2, &d.seconds);
  if (!ok) return false;
  SkipFraction(s, &pos);
  if (!ParseOffset(s, &pos, &d) || pos != s.size() || !IsValidDate(d)) return false;
  *date = d;
  return true;
}

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
  if (!data.generated_at.empty() && !ParseRfc3339(data.generated_at, &date)) {
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

// ---- Text measuring and wrapping ----

// Wrapping is done here rather than with HPDF_Font_MeasureText, which can return a byte count that
// splits a multi-byte character; Face::Width (pdf_fonts.h) measures whole UTF-8 strings.

// Byte length of the UTF-8 sequence that starts with `lead`. A stray byte counts as one so that
// malformed input still makes progress.
size_t SequenceLength(unsigned char lead) {
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 1;
}

std::vector<std::string_view> SplitWords(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  std::vector<std::string_view> words;
  size_t start = text.find_first_not_of(kSpace);
  while (start != std::string_view::npos) {
    const size_t end = std::min(text.find_first_of(kSpace, start), text.size());
    words.push_back(text.substr(start, end - start));
    start = text.find_first_not_of(kSpace, end);
  }
  return words;
}

// Splits a word wider than the column (a long CAS number, a URL) at character boundaries. The
// last piece is left in *line so that the next word can follow it. Stops once past `max_lines`,
// since the rest would be cut anyway.
void BreakLongWord(const Face& face, float width, std::string_view word, size_t max_lines,
                   std::vector<std::string>* lines, std::string* line) {
  std::string piece;
  for (size_t i = 0; i < word.size() && lines->size() <= max_lines;) {
    const size_t n = std::min(SequenceLength(static_cast<unsigned char>(word[i])), word.size() - i);
    const std::string_view next = word.substr(i, n);
    if (!piece.empty() && face.Width(piece + std::string(next)) > width) {
      lines->push_back(std::move(piece));
      piece.clear();
    }
    piece.append(next);
    i += n;
  }
  *line = std::move(piece);
}

// Cuts `lines` to `max_lines`, ending the last one with an ellipsis so that the cut is visible.
void Truncate(const Face& face, float width, size_t max_lines, std::vector<std::string>* lines) {
  if (lines->size() <= max_lines) return;
  lines->resize(max_lines);
  if (lines->empty()) return;
  std::string& last = lines->back();
  while (!last.empty() && face.Width(last + kEllipsis) > width) PopCodePoint(&last);
  last += kEllipsis;
}

// Greedy word wrap into lines no wider than `width` points; whitespace runs become one space.
std::vector<std::string> Wrap(const Face& face, std::string_view text, float width, size_t max_lines) {
  std::vector<std::string> lines;
  std::string line;
  for (std::string_view word : SplitWords(text)) {
    if (lines.size() > max_lines) break;
    std::string candidate = line.empty() ? std::string(word) : line + " " + std::string(word);
    if (face.Width(candidate) <= width) {
      line = std::move(candidate);
      continue;
    }
    if (!line.empty()) lines.push_back(std::move(line));
    line.clear();
    if (face.Width(word) <= width) {
      line = std::string(word);
    } else {
      BreakLongWord(face, width, word, max_lines, &lines, &line);
    }
  }
  if (!line.empty()) lines.push_back(std::move(line));
  Truncate(face, width, max_lines, &lines);
  return lines;
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

float ColumnX(size_t column) {
  float x = kMargin;
  for (size_t i = 0; i < column; ++i) x += kColumns[i].share * kContentWidth;
  return x;
}

float ColumnTextWidth(size_t column) {
  return kColumns[column].share * kContentWidth - 2 * kCellPad;
}

struct Field {
  const char* label;
  std::string value;
};

// A results row broken into lines, measured before drawing so that a page break can happen
// before the row rather than through it.
struct RowLayout {
  std::array<std::vector<std::string>, kColumnCount> cells;
  std::vector<std::string> explanation;
  float cells_height = 0.0f;
  float height = 0.0f;
};

// Draws one report into a fresh document. Footers say "page x of y", and y is known only once the
// body is laid out, so pages are kept and the footers written last.
class ReportWriter {
 public:
  ReportWriter(HPDF_Doc doc, const HaruError* error, const SampleReportData& data)
      : doc_(doc), error_(error), data_(data) {}

  ReportWriter(const ReportWriter&) = delete;
  ReportWriter& operator=(const ReportWriter&) = delete;

  Status Setup(const FontSet& fonts);
  Status WriteBody();
  Status WriteFooters();

 private:
  Status Check(std::string_view step) const { return CheckHaru(*error_, step); }
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

  Face Regular(float size) const { return Face{regular_, size}; }
  Face Bold(float size) const { return Face{bold_, size}; }
  Face CellFace(size_t column) const { return column == kVerdictColumn ? Bold(kCellSize) : Regular(kCellSize); }
  float HeaderHeight() const { return 2 * kCellPad + Bold(kCellSize).Leading(); }
  bool Fits(float height) const { return y_ - height >= kBodyBottom; }

  void Paragraph(const Face& face, std::string_view text, size_t max_lines);
  float DrawLines(const Face& face, float x, float top, const std::vector<std::string>& lines);
  void DrawText(const Face& face, float x, float baseline, const std::string& text);
  void SetFill(const Rgb& color) { HPDF_Page_SetRGBFill(page_, color.r, color.g, color.b); }
  void Rule(float y, const Rgb& color, float width);

  HPDF_Doc doc_;
  const HaruError* error_;
  const SampleReportData& data_;
  HPDF_Font regular_ = nullptr;
  HPDF_Font bold_ = nullptr;
  std::vector<HPDF_Page> pages_;
  HPDF_Page page_ = nullptr;
  float y_ = 0.0f;  // top of the next block, in points from the bottom of the page
};

Status ReportWriter::Setup(const FontSet& fonts) {
  Result<pdf::Fonts> loaded = pdf::LoadFonts(doc_, *error_, fonts);
  if (!loaded.ok()) return loaded.status();
  regular_ = loaded->regular;
  bold_ = loaded->bold;
  return SetInfo();
}

// No /ID and no clock: the only date is the record's own, so that output is reproducible.
Status ReportWriter::SetInfo() {
  const std::string title = "Preliminary test report " + data_.sample_number;
  HPDF_SetInfoAttr(doc_, HPDF_INFO_TITLE, title.c_str());
  LIMS_RETURN_IF_ERROR(Check("setting the document title"));
  HPDF_Date date;
  if (!ParseRfc3339(data_.generated_at, &date)) return Status::Ok();  // empty: no date
  HPDF_SetInfoDateAttr(doc_, HPDF_INFO_CREATION_DATE, date);
  return Check("setting the creation date");
}

Status ReportWriter::NewPage() {
  page_ = HPDF_AddPage(doc_);
  LIMS_RETURN_IF_ERROR(Check("adding page " + std::to_string(pages_.size() + 1)));
  HPDF_Page_SetSize(page_, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
  pages_.push_back(page_);
  y_ = kPageHeight - kMargin;
  return Check("sizing page " + std::to_string(pages_.size()));
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
  RowLayout layout;
  const std::array<std::string, kColumnCount> texts = CellTexts(row);
  size_t lines = 1;
  for (size_t i = 0; i < kColumnCount; ++i) {
    layout.cells[i] = Wrap(CellFace(i), texts[i], ColumnTextWidth(i), kMaxCellLines);
    lines = std::max(lines, layout.cells[i].size());
  }
  const Face explanation = Regular(kExplanationSize);
  layout.explanation = Wrap(explanation, row.explanation, kContentWidth - 2 * kCellPad, kMaxExplanationLines);
  layout.cells_height = static_cast<float>(lines) * Regular(kCellSize).Leading();
  layout.height =
      2 * kCellPad + layout.cells_height + static_cast<float>(layout.explanation.size()) * explanation.Leading();
  return layout;
}

void ReportWriter::DrawTableHeader() {
  const float height = HeaderHeight();
  SetFill(kHeaderFill);
  HPDF_Page_Rectangle(page_, kMargin, y_ - height, kContentWidth, height);
  HPDF_Page_Fill(page_);
  SetFill(kBlack);
  for (size_t i = 0; i < kColumnCount; ++i) {
    DrawLines(Bold(kCellSize), ColumnX(i) + kCellPad, y_ - kCellPad, {kColumns[i].title});
  }
  y_ -= height;
}

void ReportWriter::DrawRow(const RowLayout& row, std::string_view verdict) {
  const float top = y_ - kCellPad;
  for (size_t i = 0; i < kColumnCount; ++i) {
    SetFill(i == kVerdictColumn ? VerdictColor(verdict) : kBlack);
    DrawLines(CellFace(i), ColumnX(i) + kCellPad, top, row.cells[i]);
  }
  // The explanation spans the whole row: it is a sentence, too long for any one column.
  SetFill(kMuted);
  DrawLines(Regular(kExplanationSize), kMargin + kCellPad, top - row.cells_height, row.explanation);
  SetFill(kBlack);
  y_ -= row.height;
  Rule(y_, kGridColor, 0.4f);
}

Status ReportWriter::WriteFooters() {
  for (size_t i = 0; i < pages_.size(); ++i) {
    page_ = pages_[i];
    DrawFooter(i + 1, pages_.size());
    LIMS_RETURN_IF_ERROR(Check("writing the footer of page " + std::to_string(i + 1)));
  }
  return Status::Ok();
}

void ReportWriter::DrawFooter(size_t number, size_t total) {
  const Face face = Regular(7.5f);
  const std::string page_label =
      data_.sample_number + " · page " + std::to_string(number) + " of " + std::to_string(total);
  Rule(kFooterRuleY, kRuleColor, 0.5f);
  DrawText(face, kMargin, kFooterBaseline, kDisclaimer);
  DrawText(face, kPageWidth - kMargin - face.Width(page_label), kFooterBaseline, page_label);
}

// Draws wrapped text at the left margin across the full width and moves the cursor below it.
void ReportWriter::Paragraph(const Face& face, std::string_view text, size_t max_lines) {
  y_ -= DrawLines(face, kMargin, y_, Wrap(face, text, kContentWidth, max_lines));
}

// `top` is the top of the first line box; returns the height of all lines.
float ReportWriter::DrawLines(const Face& face, float x, float top, const std::vector<std::string>& lines) {
  // One em below the top leaves room for accents on capitals (Ł, Š) within the line box.
  for (size_t i = 0; i < lines.size(); ++i) {
    DrawText(face, x, top - face.size - static_cast<float>(i) * face.Leading(), lines[i]);
  }
  return static_cast<float>(lines.size()) * face.Leading();
}

void ReportWriter::DrawText(const Face& face, float x, float baseline, const std::string& text) {
  if (text.empty()) return;
  HPDF_Page_BeginText(page_);
  HPDF_Page_SetFontAndSize(page_, face.font, face.size);
  HPDF_Page_TextOut(page_, x, baseline, text.c_str());
  HPDF_Page_EndText(page_);
}

void ReportWriter::Rule(float y, const Rgb& color, float width) {
  HPDF_Page_SetLineWidth(page_, width);
  HPDF_Page_SetRGBStroke(page_, color.r, color.g, color.b);
  HPDF_Page_MoveTo(page_, kMargin, y);
  HPDF_Page_LineTo(page_, kPageWidth - kMargin, y);
  HPDF_Page_Stroke(page_);
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
