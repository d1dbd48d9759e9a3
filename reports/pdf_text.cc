#include "reports/pdf_text.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>

#include "reports/sample_report.h"  // FontSet

namespace lims::reports::pdf {
namespace {

constexpr const char* kEllipsis = "…";

// ---- RFC 3339 ----

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

bool ParseOffset(std::string_view s, size_t* pos, UtcStyle utc, HPDF_Date* date) {
  if (Skip(s, pos, "Zz")) {
    date->ind = utc == UtcStyle::kZulu ? 'Z' : '+';
    return true;
  }
  if (!Skip(s, pos, "+-")) return false;
  date->ind = s[*pos - 1];
  return ReadNumber(s, pos, 2, &date->off_hour) && Skip(s, pos, ":") && ReadNumber(s, pos, 2, &date->off_minutes);
}

int DaysInMonth(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[static_cast<size_t>(month - 1)];
}

bool IsValidDate(const HPDF_Date& d) {
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > DaysInMonth(d.year, d.month)) return false;
  return d.hour <= 23 && d.minutes <= 59 && d.seconds <= 59 && d.off_hour <= 23 && d.off_minutes <= 59;
}

// ---- Wrapping ----

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

// Calls word(w) for each run of non-space characters of `text`, in order, until it returns false.
template <typename Word>
void ForEachWord(std::string_view text, const Word& word) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  size_t start = text.find_first_not_of(kSpace);
  while (start != std::string_view::npos) {
    const size_t end = std::min(text.find_first_of(kSpace, start), text.size());
    if (!word(text.substr(start, end - start))) return;
    start = text.find_first_not_of(kSpace, end);
  }
}

// Splits a word wider than the column (a long CAS number, a URL) at character boundaries. The
// last piece is left in *line, and its units in *line_units, so that the next word can follow it.
// Stops once past `max_lines`, since the rest would be cut anyway.
void BreakLongWord(const Face& face, float width, std::string_view word, size_t max_lines,
                   std::vector<std::string>* lines, std::string* line, uint32_t* line_units) {
  std::string piece;
  uint32_t piece_units = 0;
  for (size_t i = 0; i < word.size() && lines->size() <= max_lines;) {
    const size_t n = std::min(SequenceLength(static_cast<unsigned char>(word[i])), word.size() - i);
    const std::string_view next = word.substr(i, n);
    const uint32_t next_units = face.Units(next);
    if (!piece.empty() && face.WidthOfUnits(piece_units + next_units) > width) {
      lines->push_back(std::move(piece));
      piece.clear();
      piece_units = 0;
    }
    piece.append(next);
    piece_units += next_units;
    i += n;
  }
  *line = std::move(piece);
  *line_units = piece_units;
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

}  // namespace

bool ParseRfc3339(std::string_view s, UtcStyle utc, HPDF_Date* date) {
  HPDF_Date d = {};
  size_t pos = 0;
  const bool ok = ReadNumber(s, &pos, 4, &d.year) && Skip(s, &pos, "-") && ReadNumber(s, &pos, 2, &d.month) &&
                  Skip(s, &pos, "-") && ReadNumber(s, &pos, 2, &d.day) && Skip(s, &pos, "Tt") &&
                  ReadNumber(s, &pos, 2, &d.hour) && Skip(s, &pos, ":") && ReadNumber(s, &pos, 2, &d.minutes) &&
                  Skip(s, &pos, ":") && ReadNumber(s, &pos, 2, &d.seconds);
  if (!ok) return false;
  SkipFraction(s, &pos);
  if (!ParseOffset(s, &pos, utc, &d) || pos != s.size() || !IsValidDate(d)) return false;
  *date = d;
  return true;
}

bool IsValidDocumentNumber(std::string_view number) {
  if (number.empty()) return false;
  return std::all_of(number.begin(), number.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '/' || c == '_';
  });
}

std::vector<std::string> Wrap(const Face& face, std::string_view text, float width, size_t max_lines) {
  // Measured word by word: a candidate line's units are the line's plus a space's plus the word's.
  std::vector<std::string> lines;
  std::string line;
  uint32_t line_units = 0;
  const uint32_t space_units = face.Units(" ");
  ForEachWord(text, [&](std::string_view word) {
    if (lines.size() > max_lines) return false;
    const uint32_t word_units = face.Units(word);
    const uint32_t candidate_units = line.empty() ? word_units : line_units + space_units + word_units;
    if (face.WidthOfUnits(candidate_units) <= width) {
      if (line.empty()) line.reserve(text.size());  // one allocation per line
      if (!line.empty()) line.push_back(' ');
      line.append(word);
      line_units = candidate_units;
      return true;
    }
    if (!line.empty()) lines.push_back(std::move(line));
    line.clear();
    if (face.WidthOfUnits(word_units) <= width) {
      line.reserve(text.size());
      line.assign(word);
      line_units = word_units;
    } else {
      BreakLongWord(face, width, word, max_lines, &lines, &line, &line_units);
    }
    return true;
  });
  if (!line.empty()) lines.push_back(std::move(line));
  Truncate(face, width, max_lines, &lines);
  return lines;
}

Result<HPDF_Page> AddA4Page(HPDF_Doc doc, const HaruError& error, size_t number) {
  HPDF_Page page = HPDF_AddPage(doc);
  LIMS_RETURN_IF_ERROR(CheckHaru(error, "adding page " + std::to_string(number)));
  HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
  LIMS_RETURN_IF_ERROR(CheckHaru(error, "sizing page " + std::to_string(number)));
  return page;
}

void DrawText(HPDF_Page page, const Face& face, float x, float baseline, const std::string& text) {
  if (text.empty()) return;
  HPDF_Page_BeginText(page);
  HPDF_Page_SetFontAndSize(page, face.font, face.size);
  HPDF_Page_TextOut(page, x, baseline, text.c_str());
  HPDF_Page_EndText(page);
}

void DrawText(Canvas& canvas, const Face& face, float x, float baseline, std::string_view text) {
  canvas.Text(face, x, baseline, text);
}

void SetFill(Canvas& canvas, const Rgb& color) {
  canvas.SetFill(color);
}

namespace {

template <typename Surface>
float DrawLinesOn(Surface& surface, const Face& face, float x, float top, const std::vector<std::string>& lines) {
  // One em below the top leaves room for accents on capitals (Ł, Š) within the line box.
  for (size_t i = 0; i < lines.size(); ++i) {
    DrawText(surface, face, x, top - face.size - static_cast<float>(i) * face.Leading(), lines[i]);
  }
  return static_cast<float>(lines.size()) * face.Leading();
}

}  // namespace

float DrawLines(HPDF_Page page, const Face& face, float x, float top, const std::vector<std::string>& lines) {
  return DrawLinesOn(page, face, x, top, lines);
}

float DrawLines(Canvas& canvas, const Face& face, float x, float top, const std::vector<std::string>& lines) {
  return DrawLinesOn(canvas, face, x, top, lines);
}

void HorizontalRule(HPDF_Page page, float left, float right, float y, const Rgb& color, float width) {
  HPDF_Page_SetLineWidth(page, width);
  HPDF_Page_SetRGBStroke(page, color.r, color.g, color.b);
  HPDF_Page_MoveTo(page, left, y);
  HPDF_Page_LineTo(page, right, y);
  HPDF_Page_Stroke(page);
}

void HorizontalRule(Canvas& canvas, float left, float right, float y, const Rgb& color, float width) {
  canvas.SetLineWidth(width);
  canvas.SetStroke(color);
  canvas.MoveTo(left, y);
  canvas.LineTo(right, y);
  canvas.Stroke();
}

float ColumnX(std::span<const Column> columns, float left, float width, size_t column) {
  float x = left;
  for (size_t i = 0; i < column; ++i) x += columns[i].share * width;
  return x;
}

namespace {

float ColumnTextWidth(const TableStyle& style, size_t column) {
  return style.columns[column].share * style.width - 2 * style.pad;
}

const Face& CellFace(const TableStyle& style, size_t column) {
  return column == style.verdict_column ? style.verdict_cell : style.cell;
}

void FillRectangle(HPDF_Page page, float x, float y, float width, float height) {
  HPDF_Page_Rectangle(page, x, y, width, height);
  HPDF_Page_Fill(page);
}

void FillRectangle(Canvas& canvas, float x, float y, float width, float height) {
  canvas.Rectangle(x, y, width, height);
  canvas.Fill();
}

template <typename Surface>
float DrawTableHeadingOn(Surface& surface, const TableStyle& style, float top) {
  const float height = TableHeadingHeight(style);
  SetFill(surface, kHeaderFill);
  FillRectangle(surface, style.left, top - height, style.width, height);
  SetFill(surface, kBlack);
  for (size_t i = 0; i < style.columns.size(); ++i) {
    const float x = ColumnX(style.columns, style.left, style.width, i) + style.pad;
    DrawLines(surface, style.heading, x, top - style.pad, {style.columns[i].title});
  }
  return height;
}

template <typename Surface>
void DrawTableRowOn(Surface& surface, const TableStyle& style, const TableRow& row, float top, const Rgb& verdict_color,
                    const Rgb& note_color) {
  const float cells_top = top - style.pad;
  for (size_t i = 0; i < style.columns.size(); ++i) {
    SetFill(surface, i == style.verdict_column ? verdict_color : kBlack);
    const float x = ColumnX(style.columns, style.left, style.width, i) + style.pad;
    DrawLines(surface, CellFace(style, i), x, cells_top, row.cells[i]);
  }
  SetFill(surface, note_color);
  DrawLines(surface, style.note, style.left + style.pad, cells_top - row.cells_height, row.note);
  SetFill(surface, kBlack);
}

}  // namespace

float TableHeadingHeight(const TableStyle& style) {
  return 2 * style.pad + style.heading.Leading();
}

TableRow LayOutTableRow(const TableStyle& style, std::span<const std::string> texts, std::string_view note) {
  TableRow layout;
  layout.cells.resize(style.columns.size());
  size_t lines = 1;
  for (size_t i = 0; i < style.columns.size(); ++i) {
    layout.cells[i] = Wrap(CellFace(style, i), texts[i], ColumnTextWidth(style, i), style.max_cell_lines);
    lines = std::max(lines, layout.cells[i].size());
  }
  layout.note = Wrap(style.note, note, style.width - 2 * style.pad, style.max_note_lines);
  layout.cells_height = static_cast<float>(lines) * style.cell.Leading();
  layout.height = 2 * style.pad + layout.cells_height + static_cast<float>(layout.note.size()) * style.note.Leading();
  return layout;
}

float DrawTableHeading(HPDF_Page page, const TableStyle& style, float top) {
  return DrawTableHeadingOn(page, style, top);
}

float DrawTableHeading(Canvas& canvas, const TableStyle& style, float top) {
  return DrawTableHeadingOn(canvas, style, top);
}

void DrawTableRow(HPDF_Page page, const TableStyle& style, const TableRow& row, float top, const Rgb& verdict_color,
                  const Rgb& note_color) {
  DrawTableRowOn(page, style, row, top, verdict_color, note_color);
}

void DrawTableRow(Canvas& canvas, const TableStyle& style, const TableRow& row, float top, const Rgb& verdict_color,
                  const Rgb& note_color) {
  DrawTableRowOn(canvas, style, row, top, verdict_color, note_color);
}

// ---- Canvas ----

namespace {

int64_t Milli(float value) {
  return std::llround(static_cast<double>(value) * 1000.0);
}

// `milli` thousandths as a PDF number: "12", "-0.5", "783.89".
void AppendMilli(std::string* out, int64_t milli) {
  char buf[32];
  char* p = buf;
  if (milli < 0) {
    *p++ = '-';
    milli = -milli;
  }
  p = std::to_chars(p, buf + sizeof(buf), milli / 1000).ptr;
  const int64_t fraction = milli % 1000;
  if (fraction != 0) {
    *p++ = '.';
    *p++ = static_cast<char>('0' + fraction / 100);
    *p++ = static_cast<char>('0' + fraction / 10 % 10);
    *p++ = static_cast<char>('0' + fraction % 10);
    while (p[-1] == '0') --p;
  }
  out->append(buf, static_cast<size_t>(p - buf));
}

bool operator!=(const Rgb& a, const Rgb& b) {
  return a.r != b.r || a.g != b.g || a.b != b.b;
}

}  // namespace

void Canvas::Number(float value) {
  AppendMilli(&out_, Milli(value));
  out_.push_back(' ');
}

void Canvas::EndText() {
  if (!in_text_) return;
  out_ += "ET\n";
  in_text_ = false;
}

void Canvas::Color(const Rgb& color, const char* op) {
  Number(color.r);
  Number(color.g);
  Number(color.b);
  out_ += op;
  out_.push_back('\n');
}

void Canvas::SetFill(const Rgb& color) {
  if (!(color != state_.fill)) return;
  state_.fill = color;
  Color(color, "rg");
}

void Canvas::SetStroke(const Rgb& color) {
  if (!(color != state_.stroke)) return;
  state_.stroke = color;
  Color(color, "RG");
}

void Canvas::SetLineWidth(float width) {
  if (width == state_.line_width) return;
  state_.line_width = width;
  Number(width);
  out_ += "w\n";
}

void Canvas::MoveTo(float x, float y) {
  EndText();
  Number(x);
  Number(y);
  out_ += "m\n";
}

void Canvas::LineTo(float x, float y) {
  Number(x);
  Number(y);
  out_ += "l\n";
}

void Canvas::Rectangle(float x, float y, float width, float height) {
  EndText();
  Number(x);
  Number(y);
  Number(width);
  Number(height);
  out_ += "re\n";
}

void Canvas::Circle(float x, float y, float radius) {
  constexpr float kKappa = 0.552f;  // libharu's HPDF_KAPPA
  const float k = radius * kKappa;
  MoveTo(x - radius, y);
  const float curves[4][6] = {
      {x - radius, y + k, x - k, y + radius, x, y + radius},
      {x + k, y + radius, x + radius, y + k, x + radius, y},
      {x + radius, y - k, x + k, y - radius, x, y - radius},
      {x - k, y - radius, x - radius, y - k, x - radius, y},
  };
  for (const auto& c : curves) {
    for (const float v : c) Number(v);
    out_ += "c\n";
  }
}

void Canvas::Fill() {
  out_ += "f\n";
}

void Canvas::Stroke() {
  out_ += "S\n";
}

void Canvas::BeginGrid(float cell, float x, float y) {
  EndText();
  saved_ = state_;
  char matrix[96];
  std::snprintf(matrix, sizeof(matrix), "q %.5f 0 0 %.5f %.3f %.3f cm\n", static_cast<double>(cell),
                static_cast<double>(cell), static_cast<double>(x), static_cast<double>(y));
  out_ += matrix;
}

void Canvas::GridRectangle(int x, int y, int width, int height) {
  char buf[64];
  char* p = buf;
  for (const int v : {x, y, width, height}) {
    p = std::to_chars(p, buf + sizeof(buf), v).ptr;
    *p++ = ' ';
  }
  out_.append(buf, static_cast<size_t>(p - buf));
  out_ += "re\n";
}

void Canvas::EndGrid() {
  out_ += "Q\n";
  state_ = saved_;
}

void Canvas::Image(const char* name, float x, float y, float width, float height) {
  EndText();
  out_ += "q ";
  Number(width);
  out_ += "0 0 ";
  Number(height);
  Number(x);
  Number(y);
  out_ += "cm /";
  out_ += name;
  out_ += " Do Q\n";
}

void Canvas::Text(const Face& face, float x, float baseline, std::string_view text) {
  if (text.empty() || face.embedded == nullptr) return;
  if (!in_text_) {
    out_ += "BT\n";
    in_text_ = true;
    text_x_ = 0;
    text_y_ = 0;
  }
  if (face.embedded != state_.font || face.size != state_.font_size) {
    state_.font = face.embedded;
    state_.font_size = face.size;
    out_.push_back('/');
    out_ += face.embedded->resource();
    out_.push_back(' ');
    Number(face.size);
    out_ += "Tf\n";
    if (std::find(fonts_.begin(), fonts_.end(), face.embedded) == fonts_.end()) fonts_.push_back(face.embedded);
  }
  // Td moves from the start of the previous line: the difference of rounded positions is exact.
  // A line right below the previous one by the face's leading (DrawLines) uses ' instead, which
  // moves down by TL.
  const int64_t mx = Milli(x), my = Milli(baseline);
  const int64_t leading = Milli(face.Leading());
  const bool next_line = mx == text_x_ && text_y_ - my == leading;
  if (next_line && state_.leading != leading) {
    state_.leading = leading;
    AppendMilli(&out_, leading);
    out_ += " TL\n";
  }
  if (!next_line) {
    AppendMilli(&out_, mx - text_x_);
    out_.push_back(' ');
    AppendMilli(&out_, my - text_y_);
    out_ += " Td ";
  }
  text_x_ = mx;
  text_y_ = my;
  face.embedded->AppendEncoded(text, &out_);
  out_ += next_line ? "'\n" : " Tj\n";
}

const std::string& Canvas::Finish() {
  EndText();
  return out_;
}

Status PageWriter::LoadFaces(const FontSet& fonts) {
  Result<Fonts> loaded = LoadFonts(doc_, *error_, fonts);
  if (!loaded.ok()) return loaded.status();
  regular_ = loaded->regular;
  bold_ = loaded->bold;
  return Status::Ok();
}

Status PageWriter::EmbedFaces(const FontSet& fonts) {
  // libharu compresses only the logo; fonts and page contents are deflated here.
  HPDF_SetCompressionMode(doc_, HPDF_COMP_IMAGE);
  LIMS_RETURN_IF_ERROR(Check("enabling compression"));
  Result<std::shared_ptr<const TrueTypeFont>> regular = TrueTypeFont::Load(fonts.regular);
  if (!regular.ok()) return regular.status();
  Result<std::shared_ptr<const TrueTypeFont>> bold = TrueTypeFont::Load(fonts.bold);
  if (!bold.ok()) return bold.status();
  regular_embedded_ = std::make_unique<EmbeddedFont>(std::move(regular).value(), "F1");
  bold_embedded_ = std::make_unique<EmbeddedFont>(std::move(bold).value(), "F2");
  return Status::Ok();
}

Status PageWriter::AddPage(float top) {
  Result<HPDF_Page> page = AddA4Page(doc_, *error_, pages_.size() + 1);
  if (!page.ok()) return page.status();
  page_ = *page;
  pages_.push_back(page_);
  if (regular_embedded_ != nullptr) {
    canvases_.push_back(std::make_unique<Canvas>());
    canvas_ = canvases_.back().get();
  }
  y_ = top;
  return Status::Ok();
}

Status PageWriter::ForEachPage(std::string_view step, const std::function<void(size_t, size_t)>& draw) {
  for (size_t i = 0; i < pages_.size(); ++i) {
    page_ = pages_[i];
    if (!canvases_.empty()) canvas_ = canvases_[i].get();
    draw(i + 1, pages_.size());
    LIMS_RETURN_IF_ERROR(Check(std::string(step) + " of page " + std::to_string(i + 1)));
  }
  return Status::Ok();
}

void PageWriter::DrawDocumentFrame(size_t number, size_t total, const std::string& document_number,
                                   const std::string& title, std::string_view footer_bold,
                                   std::string_view footer_regular) {
  using namespace document;  // NOLINT(google-build-using-namespace)
  const Face head = Regular(7.5f);
  const std::string label = document_number + " · Page " + std::to_string(number) + " of " + std::to_string(total);
  const float label_x = kPageWidth - kMargin - head.Width(label);
  SetFill(kMuted);
  DrawText(head, kMargin, kHeaderBaseline, FitToWidth(head, title, label_x - kMargin - 12.0f));
  DrawText(head, label_x, kHeaderBaseline, label);
  Rule(kHeaderRuleY, kRuleColor, 0.5f);
  Rule(kFooterRuleY, kRuleColor, 0.5f);
  DrawText(Bold(7.5f), kMargin, kFooterBaseline, FitToWidth(Bold(7.5f), footer_bold, kContentWidth));
  DrawText(Regular(7.0f), kMargin, kFooterBaseline - 10.0f, FitToWidth(Regular(7.0f), footer_regular, kContentWidth));
  SetFill(kBlack);
}

// zlib level for page contents: level 6 (libharu's) makes a typical certificate's first page 12 %
// smaller (2.7 KB instead of 3.1 KB) but takes twice as long.
constexpr int kContentDeflateLevel = 1;

Status PageWriter::FinishPages() {
  for (size_t i = 0; i < canvases_.size(); ++i) {
    const std::string step = "writing the content of page " + std::to_string(i + 1);
    Canvas& canvas = *canvases_[i];
    const std::string& content = canvas.Finish();
    auto* attr = static_cast<HPDF_PageAttr>(pages_[i]->attr);
    if (!canvas.fonts().empty()) {
      auto* resources = static_cast<HPDF_Dict>(HPDF_Page_GetInheritableItem(pages_[i], "Resources", HPDF_OCLASS_DICT));
      HPDF_Dict font_resources = HPDF_Dict_New(doc_->mmgr);
      if (resources == nullptr || font_resources == nullptr ||
          HPDF_Dict_Add(resources, "Font", font_resources) != HPDF_OK) {
        LIMS_RETURN_IF_ERROR(Check(step));
        return Status::Internal("libharu failed while " + step);
      }
      attr->fonts = font_resources;
      for (EmbeddedFont* font : canvas.fonts()) {
        HPDF_Dict dict = font->Dict(doc_);
        if (dict == nullptr || HPDF_Dict_Add(font_resources, font->resource().c_str(), dict) != HPDF_OK) {
          LIMS_RETURN_IF_ERROR(Check(step));
          return Status::Internal("libharu failed while " + step);
        }
      }
    }
    Result<std::string> deflated = Deflate(content, kContentDeflateLevel);
    if (!deflated.ok()) return deflated.status();
    contents_.push_back(std::move(deflated).value());
    HPDF_Stream stream = SetStreamBytes(attr->contents, contents_.back());
    if (stream == nullptr) {
      LIMS_RETURN_IF_ERROR(Check(step));
      return Status::Internal("libharu failed while " + step);
    }
    attr->stream = stream;  // the page's drawing stream is its contents' stream
    SetRawEntries(attr->contents, &FlateFilterEntry());
  }
  for (EmbeddedFont* font : {regular_embedded_.get(), bold_embedded_.get()}) {
    if (font != nullptr && font->used()) LIMS_RETURN_IF_ERROR(font->Finish(doc_, *error_));
  }
  return Check("writing the pages");
}

// ---- PDF/A-1b ----

namespace {

// The ICC registry's name for the profile that LIMS_ICC_PROFILE holds.
constexpr const char* kOutputCondition = "sRGB IEC61966-2.1";

// libharu keeps a trailer /ID that is already there, so this one goes in before the PDF/A call.
Status SetDeterministicId(HPDF_Doc doc, const HaruError& error, std::string_view seed) {
  HPDF_MD5_CTX ctx;
  HPDF_MD5Init(&ctx);
  HPDF_MD5Update(&ctx, reinterpret_cast<const HPDF_BYTE*>(seed.data()), static_cast<HPDF_UINT32>(seed.size()));
  HPDF_BYTE digest[HPDF_MD5_KEY_LEN];
  HPDF_MD5Final(digest, &ctx);
  HPDF_Array id = HPDF_Array_New(doc->mmgr);
  if (id == nullptr) return CheckHaru(error, "creating the trailer /ID");
  if (HPDF_Dict_Add(doc->trailer, "ID", id) != HPDF_OK ||
      HPDF_Array_Add(id, HPDF_Binary_New(doc->mmgr, digest, HPDF_MD5_KEY_LEN)) != HPDF_OK ||
      HPDF_Array_Add(id, HPDF_Binary_New(doc->mmgr, digest, HPDF_MD5_KEY_LEN)) != HPDF_OK) {
    LIMS_RETURN_IF_ERROR(CheckHaru(error, "writing the trailer /ID"));
    return Status::Internal("libharu failed while writing the trailer /ID");
  }
  return CheckHaru(error, "writing the trailer /ID");
}

// libharu writes /SubType; the key PDF readers and validators look for is /Subtype.
Status FixMetadataSubtype(HPDF_Doc doc, const HaruError& error) {
  HPDF_Dict xmp = static_cast<HPDF_Dict>(HPDF_Dict_GetItem(doc->catalog, "Metadata", HPDF_OCLASS_DICT));
  if (xmp == nullptr) return Status::Internal("libharu wrote no PDF/A metadata stream");
  HPDF_Dict_RemoveElement(xmp, "SubType");
  if (HPDF_Dict_AddName(xmp, "Subtype", "XML") != HPDF_OK) return CheckHaru(error, "fixing the metadata /Subtype");
  return CheckHaru(error, "fixing the metadata /Subtype");
}

// Built here rather than with HPDF_PDFA_AppendOutputIntents, which spells the key
// "DestOutputProfile " (trailing space) so that no reader finds the profile. The profile is read
// and compressed once per process.
Status AddOutputIntent(HPDF_Doc doc, const HaruError& error) {
  Result<std::shared_ptr<const std::string>> icc = DeflatedFile(LIMS_ICC_PROFILE, "ICC profile");
  if (!icc.ok()) return icc.status();
  HPDF_Dict profile = NewDeflatedStream(doc, **icc);
  if (profile == nullptr) return CheckHaru(error, "creating the ICC profile stream");
  HPDF_STATUS rc = HPDF_Dict_AddNumber(profile, "N", 3);
  rc |= HPDF_Dict_AddName(profile, "Alternate", "DeviceRGB");
  HPDF_Dict intent = HPDF_Dict_New(doc->mmgr);
  HPDF_Array intents = HPDF_Array_New(doc->mmgr);
  if (rc != HPDF_OK || intent == nullptr || intents == nullptr) return CheckHaru(error, "writing the ICC profile");
  rc |= HPDF_Dict_AddName(intent, "Type", "OutputIntent");
  rc |= HPDF_Dict_AddName(intent, "S", "GTS_PDFA1");
  rc |= HPDF_Dict_Add(intent, "OutputConditionIdentifier", HPDF_String_New(doc->mmgr, kOutputCondition, nullptr));
  rc |= HPDF_Dict_Add(intent, "Info", HPDF_String_New(doc->mmgr, kOutputCondition, nullptr));
  rc |= HPDF_Dict_Add(intent, "RegistryName", HPDF_String_New(doc->mmgr, "http://www.color.org", nullptr));
  rc |= HPDF_Dict_Add(intent, "DestOutputProfile", profile);
  rc |= HPDF_Array_Add(intents, intent);
  rc |= HPDF_Dict_Add(doc->catalog, "OutputIntents", intents);
  LIMS_RETURN_IF_ERROR(CheckHaru(error, "writing the output intent"));
  if (rc != HPDF_OK) return Status::Internal("libharu failed while writing the output intent");
  return Status::Ok();
}

}  // namespace

Status PageWriter::MakePdfA1b(std::string_view id_seed) {
  LIMS_RETURN_IF_ERROR(SetDeterministicId(doc_, *error_, id_seed));
  const HPDF_STATUS rc = HPDF_PDFA_SetPDFAConformance(doc_, HPDF_PDFA_1B);
  LIMS_RETURN_IF_ERROR(Check("writing the PDF/A metadata"));
  if (rc != HPDF_OK) return HaruFailure("writing the PDF/A metadata", rc, 0);
  LIMS_RETURN_IF_ERROR(FixMetadataSubtype(doc_, *error_));
  return AddOutputIntent(doc_, *error_);
}

void PageWriter::Paragraph(const Face& face, std::string_view text, size_t max_lines) {
  Paragraph(face, text, max_lines, margin_, ContentWidth());
}

void PageWriter::Paragraph(const Face& face, std::string_view text, size_t max_lines, float x, float width) {
  y_ -= DrawLines(face, x, y_, Wrap(face, text, width, max_lines));
}

}  // namespace lims::reports::pdf
