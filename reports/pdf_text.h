// Internal to lims_reports: the text and page helpers that the sample report and the certificate
// renderers share. RFC 3339 timestamps read into PDF dates, greedy UTF-8 word wrap, the drawing
// primitives (text runs, line stacks, rules), the results table, and PageWriter, the page state
// and cursor both writers derive from.
//
// Not a public header: libharu types appear here, so only reports/*.cc include it.
#ifndef LIMS_REPORTS_PDF_TEXT_H_
#define LIMS_REPORTS_PDF_TEXT_H_

#include <hpdf.h>

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lims/core/status.h"
#include "reports/pdf_fonts.h"

namespace lims::reports::pdf {

// ---- RFC 3339 timestamps ----

// How a UTC timestamp ("Z") is written into the PDF date.
enum class UtcStyle {
  kZulu,        // ind = 'Z'
  kZeroOffset,  // ind = '+', offset 00'00': HPDF_PDFA_SetPDFAConformance fails on 'Z' and leaves the
                // document unusable (stack-notes, libharu)
};

// Reads "YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)" into *date; false (and *date untouched) when `s` is
// not such a timestamp or names an impossible date. Checked here so that a bad date is the caller's
// InvalidArgument rather than libharu's HPDF_INVALID_DATE_TIME surfacing as Internal. PDF dates
// have whole seconds, so a fraction is read and dropped; leap seconds are refused (PDF stops at :59).
bool ParseRfc3339(std::string_view s, UtcStyle utc, HPDF_Date* date);

// ---- Text wrapping ----

// Greedy word wrap of `text` into lines no wider than `width` points in `face`; whitespace runs
// become one space. A word wider than the line is split at code point boundaries. More than
// `max_lines` lines are cut to `max_lines`, the last ending in an ellipsis.
std::vector<std::string> Wrap(const Face& face, std::string_view text, float width, size_t max_lines);

// ---- Drawing ----

struct Rgb {
  float r, g, b;
};
inline constexpr Rgb kBlack = {0.0f, 0.0f, 0.0f};
inline constexpr Rgb kMuted = {0.35f, 0.35f, 0.35f};
inline constexpr Rgb kRuleColor = {0.6f, 0.6f, 0.6f};
inline constexpr Rgb kGridColor = {0.8f, 0.8f, 0.8f};
inline constexpr Rgb kHeaderFill = {0.9f, 0.9f, 0.9f};
inline constexpr Rgb kPassColor = {0.0f, 0.45f, 0.15f};
inline constexpr Rgb kFailColor = {0.75f, 0.1f, 0.1f};

// A4 portrait in points, the same figures libharu uses for HPDF_PAGE_SIZE_A4.
inline constexpr float kA4Width = 595.276f;
inline constexpr float kA4Height = 841.89f;

// Adds an A4 portrait page, page `number` (from 1) of the document, naming it in any error.
Result<HPDF_Page> AddA4Page(HPDF_Doc doc, const HaruError& error, size_t number);

inline void SetFill(HPDF_Page page, const Rgb& color) {
  HPDF_Page_SetRGBFill(page, color.r, color.g, color.b);
}

// One line of text with its baseline at (x, baseline); nothing for empty text.
void DrawText(HPDF_Page page, const Face& face, float x, float baseline, const std::string& text);

// `lines` one below the other, `top` being the top of the first line box; returns their height.
float DrawLines(HPDF_Page page, const Face& face, float x, float top, const std::vector<std::string>& lines);

// A horizontal line from `left` to `right` at height `y`.
void HorizontalRule(HPDF_Page page, float left, float right, float y, const Rgb& color, float width);

// A table column: its heading and its share of the table width.
// A labelled value in a document's key-value blocks ("Lot", "L-2026-118").
struct Field {
  const char* label;
  std::string value;
};

struct Column {
  const char* title;
  float share;
};

// Left edge of `column` in a table that starts at `left` and is `width` wide.
float ColumnX(std::span<const Column> columns, float left, float width, size_t column);

// The results table of both documents: a shaded heading row, then per result one row of wrapped
// cells with a note (an explanation, a statement) across the whole width under them.
struct TableStyle {
  std::span<const Column> columns;
  float left;   // x of the table's left edge
  float width;  // the table's width; columns take their share of it
  float pad;    // inside every cell, on all sides
  Face heading;
  Face cell;
  Face verdict_cell;  // for the cells of verdict_column
  size_t verdict_column;
  Face note;
  size_t max_cell_lines;
  size_t max_note_lines;
};

// A result row broken into lines, measured before drawing so that a page break can come before the
// row rather than through it.
struct TableRow {
  std::vector<std::vector<std::string>> cells;  // one per column
  std::vector<std::string> note;
  float cells_height = 0.0f;
  float height = 0.0f;  // cells, note and padding
};

float TableHeadingHeight(const TableStyle& style);

// `texts` has one entry per column of the style.
TableRow LayOutTableRow(const TableStyle& style, std::span<const std::string> texts, std::string_view note);

// Draws the heading row with its top at `top`; returns its height. Leaves the fill black.
float DrawTableHeading(HPDF_Page page, const TableStyle& style, float top);

// Draws `row` with its top at `top`: cells in black, the verdict cell in `verdict_color`, the note
// in `note_color`. Leaves the fill black. The row takes row.height; the caller draws any rule.
void DrawTableRow(HPDF_Page page, const TableStyle& style, const TableRow& row, float top, const Rgb& verdict_color,
                  const Rgb& note_color);

// The page state the report writers share: the document and its error slot, the two faces, the
// pages drawn so far, the current page and the cursor on it, with drawing helpers bound to the
// current page. A4 portrait pages with the same left and right `margin`.
class PageWriter {
 public:
  PageWriter(const PageWriter&) = delete;
  PageWriter& operator=(const PageWriter&) = delete;

 protected:
  PageWriter(HPDF_Doc doc, const HaruError* error, float margin) : doc_(doc), error_(error), margin_(margin) {}
  ~PageWriter() = default;

  Status Check(std::string_view step) const { return CheckHaru(*error_, step); }
  // Embeds the faces of `fonts` (pdf::LoadFonts); call before any content.
  Status LoadFaces(const FontSet& fonts);
  // Adds a page, makes it the current one and puts the cursor at `top`.
  Status AddPage(float top);
  // Makes each page current in turn and calls draw(number, total) on it, numbers from 1; `step`
  // ("writing the footer") names the failing page in an error.
  Status ForEachPage(std::string_view step, const std::function<void(size_t, size_t)>& draw);

  Face Regular(float size) const { return Face{regular_, size}; }
  Face Bold(float size) const { return Face{bold_, size}; }
  float ContentWidth() const { return kA4Width - 2 * margin_; }

  // Wrapped text from `x` across `width` (the margins, by default) at the cursor, which moves below it.
  void Paragraph(const Face& face, std::string_view text, size_t max_lines);
  void Paragraph(const Face& face, std::string_view text, size_t max_lines, float x, float width);
  float DrawLines(const Face& face, float x, float top, const std::vector<std::string>& lines) {
    return pdf::DrawLines(page_, face, x, top, lines);
  }
  void DrawText(const Face& face, float x, float baseline, const std::string& text) {
    pdf::DrawText(page_, face, x, baseline, text);
  }
  void SetFill(const Rgb& color) { pdf::SetFill(page_, color); }
  // A rule from margin to margin.
  void Rule(float y, const Rgb& color, float width) {
    HorizontalRule(page_, margin_, kA4Width - margin_, y, color, width);
  }

  HPDF_Doc doc_;
  std::vector<HPDF_Page> pages_;
  HPDF_Page page_ = nullptr;
  float y_ = 0.0f;  // top of the next block, in points from the bottom of the page

 private:
  const HaruError* error_;
  float margin_;
  HPDF_Font regular_ = nullptr;
  HPDF_Font bold_ = nullptr;
};

}  // namespace lims::reports::pdf

#endif  // LIMS_REPORTS_PDF_TEXT_H_
