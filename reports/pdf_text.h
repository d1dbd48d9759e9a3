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
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
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

// ---- Document numbers ----

// Whether `number` can name a document: not empty, letters, digits and - . / _ only. The number
// goes into the XMP packet unescaped (libharu copies the title as is), so it is kept to characters
// that need no escaping in XML or PDF strings.
bool IsValidDocumentNumber(std::string_view number);

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

// ---- Drawing on a Canvas ----

// The content stream of one page, written directly as text rather than through libharu's drawing
// calls, for documents whose faces are EmbeddedFonts (PageWriter::EmbedFaces). Coordinates are
// written to 1/1000 point; colours, line widths and the font are written only when they change, and
// consecutive lines of text share one text object. PageWriter::FinishPages puts the bytes (deflated)
// into the page.
class Canvas {
 public:
  void SetFill(const Rgb& color);
  void SetStroke(const Rgb& color);
  void SetLineWidth(float width);
  void MoveTo(float x, float y);
  void LineTo(float x, float y);
  void Rectangle(float x, float y, float width, float height);
  // A circle as four Bézier curves, the same path as HPDF_Page_Circle.
  void Circle(float x, float y, float radius);
  void Fill();
  void Stroke();
  // Until EndGrid, coordinates are whole cells of `cell` points with the origin at (x, y) and y
  // growing upwards: compact for a QR code's modules. Only GridRectangle and Fill in between.
  void BeginGrid(float cell, float x, float y);
  void GridRectangle(int x, int y, int width, int height);
  void EndGrid();
  // Draws the image XObject the page's resources call `name` into the given box.
  void Image(const char* name, float x, float y, float width, float height);
  // One line of text with its baseline at (x, baseline); face.embedded must be set.
  void Text(const Face& face, float x, float baseline, std::string_view text);

  // The content so far, with any open text object closed.
  const std::string& Finish();
  // The fonts the text used, in order of first use.
  const std::vector<EmbeddedFont*>& fonts() const { return fonts_; }

 private:
  struct State {
    Rgb fill{0.0f, 0.0f, 0.0f};
    Rgb stroke{0.0f, 0.0f, 0.0f};
    float line_width = 1.0f;
    const EmbeddedFont* font = nullptr;
    float font_size = 0.0f;
    int64_t leading = 0;  // TL, in 1/1000 point
  };
  void EndText();
  void Number(float value);  // up to 3 decimals, then a space
  void Color(const Rgb& color, const char* op);

  std::string out_;
  State state_;
  State saved_;  // across q ... Q
  bool in_text_ = false;
  int64_t text_x_ = 0, text_y_ = 0;  // start of the current text line, in 1/1000 point
  std::vector<EmbeddedFont*> fonts_;
};

void SetFill(Canvas& canvas, const Rgb& color);
void DrawText(Canvas& canvas, const Face& face, float x, float baseline, std::string_view text);
float DrawLines(Canvas& canvas, const Face& face, float x, float top, const std::vector<std::string>& lines);
void HorizontalRule(Canvas& canvas, float left, float right, float y, const Rgb& color, float width);

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
float DrawTableHeading(Canvas& canvas, const TableStyle& style, float top);

// Draws `row` with its top at `top`: cells in black, the verdict cell in `verdict_color`, the note
// in `note_color`. Leaves the fill black. The row takes row.height; the caller draws any rule.
void DrawTableRow(HPDF_Page page, const TableStyle& style, const TableRow& row, float top, const Rgb& verdict_color,
                  const Rgb& note_color);
void DrawTableRow(Canvas& canvas, const TableStyle& style, const TableRow& row, float top, const Rgb& verdict_color,
                  const Rgb& note_color);

// The page state the report writers share: the document and its error slot, the two faces, the
// pages drawn so far, the current page and the cursor on it, with drawing helpers bound to the
// current page. A4 portrait pages with the same left and right `margin`.
//
// Two ways to draw: after LoadFaces, through libharu (its fonts and its drawing calls on page_);
// after EmbedFaces, on one Canvas per page with EmbeddedFonts, which FinishPages writes into the
// pages (replacing their content streams, so HPDF_Page drawing calls must not be mixed in). The
// helpers below draw the right way in either case.
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
  // Embeds the faces of `fonts` as EmbeddedFonts and draws on canvases; call before any content,
  // instead of LoadFaces. Compression is on for images only: the rest is compressed here.
  Status EmbedFaces(const FontSet& fonts);
  // Makes the document PDF/A-1b (best effort): a trailer /ID that is the MD5 of `id_seed` (libharu's
  // own hashes the clock), libharu's XMP metadata with its /Subtype spelt right, and an /OutputIntents
  // entry with the sRGB profile LIMS_ICC_PROFILE. Call after the Info dictionary is complete:
  // libharu copies its attributes into the XMP packet at call time. Internal when the profile cannot
  // be read or libharu fails.
  Status MakePdfA1b(std::string_view id_seed);
  // After EmbedFaces and all drawing: writes every canvas (deflated) into its page, with the fonts
  // it used as resources, and the fonts themselves.
  Status FinishPages();
  // The current page's canvas (EmbedFaces only).
  Canvas& canvas() { return *canvas_; }
  // Adds a page, makes it the current one and puts the cursor at `top`.
  Status AddPage(float top);
  // Makes each page current in turn and calls draw(number, total) on it, numbers from 1; `step`
  // ("writing the footer") names the failing page in an error.
  Status ForEachPage(std::string_view step, const std::function<void(size_t, size_t)>& draw);
  // The frame of a signed document's page (certificate, rejection report; pdf::document geometry):
  // a running header "<title>  …  <number> · Page x of y" over a rule, and a footer of a bold line
  // and a regular line under a rule, each fitted to the width. Leaves the fill black.
  void DrawDocumentFrame(size_t number, size_t total, const std::string& document_number, const std::string& title,
                         std::string_view footer_bold, std::string_view footer_regular);

  Face Regular(float size) const { return Face{regular_, size, regular_embedded_.get()}; }
  Face Bold(float size) const { return Face{bold_, size, bold_embedded_.get()}; }
  float ContentWidth() const { return kA4Width - 2 * margin_; }

  // Wrapped text from `x` across `width` (the margins, by default) at the cursor, which moves below it.
  void Paragraph(const Face& face, std::string_view text, size_t max_lines);
  void Paragraph(const Face& face, std::string_view text, size_t max_lines, float x, float width);
  float DrawLines(const Face& face, float x, float top, const std::vector<std::string>& lines) {
    return canvas_ != nullptr ? pdf::DrawLines(*canvas_, face, x, top, lines)
                              : pdf::DrawLines(page_, face, x, top, lines);
  }
  void DrawText(const Face& face, float x, float baseline, const std::string& text) {
    if (canvas_ != nullptr) {
      pdf::DrawText(*canvas_, face, x, baseline, text);
    } else {
      pdf::DrawText(page_, face, x, baseline, text);
    }
  }
  void SetFill(const Rgb& color) {
    if (canvas_ != nullptr) {
      canvas_->SetFill(color);
    } else {
      pdf::SetFill(page_, color);
    }
  }
  // A rule from margin to margin.
  void Rule(float y, const Rgb& color, float width) {
    if (canvas_ != nullptr) {
      HorizontalRule(*canvas_, margin_, kA4Width - margin_, y, color, width);
    } else {
      HorizontalRule(page_, margin_, kA4Width - margin_, y, color, width);
    }
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
  // EmbedFaces only.
  std::unique_ptr<EmbeddedFont> regular_embedded_;
  std::unique_ptr<EmbeddedFont> bold_embedded_;
  std::vector<std::unique_ptr<Canvas>> canvases_;  // one per page
  Canvas* canvas_ = nullptr;                       // the current page's
  std::deque<std::string> contents_;               // deflated canvases, read when the document is saved
};

// ---- The page of the lab's signed documents ----

// One geometry for the certificate and the rejection report, so that the lab's documents look
// alike: A4 portrait, a running header above the body and a footer below it.
namespace document {
inline constexpr float kPageWidth = kA4Width;
inline constexpr float kPageHeight = kA4Height;
inline constexpr float kMargin = 42.0f;  // about 15 mm
inline constexpr float kContentWidth = kPageWidth - 2 * kMargin;
inline constexpr float kHeaderBaseline = kPageHeight - 28.0f;
inline constexpr float kHeaderRuleY = kPageHeight - 34.0f;
inline constexpr float kBodyTop = kPageHeight - 46.0f;
inline constexpr float kBodyBottom = 66.0f;
inline constexpr float kFooterRuleY = 56.0f;
inline constexpr float kFooterBaseline = 45.0f;
inline constexpr float kSmallSize = 8.5f;
inline constexpr float kCellSize = 7.5f;
inline constexpr float kCellPad = 3.0f;
}  // namespace document

}  // namespace lims::reports::pdf

#endif  // LIMS_REPORTS_PDF_TEXT_H_
