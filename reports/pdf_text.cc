#include "reports/pdf_text.h"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

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

float DrawLines(HPDF_Page page, const Face& face, float x, float top, const std::vector<std::string>& lines) {
  // One em below the top leaves room for accents on capitals (Ł, Š) within the line box.
  for (size_t i = 0; i < lines.size(); ++i) {
    DrawText(page, face, x, top - face.size - static_cast<float>(i) * face.Leading(), lines[i]);
  }
  return static_cast<float>(lines.size()) * face.Leading();
}

void HorizontalRule(HPDF_Page page, float left, float right, float y, const Rgb& color, float width) {
  HPDF_Page_SetLineWidth(page, width);
  HPDF_Page_SetRGBStroke(page, color.r, color.g, color.b);
  HPDF_Page_MoveTo(page, left, y);
  HPDF_Page_LineTo(page, right, y);
  HPDF_Page_Stroke(page);
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
  const float height = TableHeadingHeight(style);
  SetFill(page, kHeaderFill);
  HPDF_Page_Rectangle(page, style.left, top - height, style.width, height);
  HPDF_Page_Fill(page);
  SetFill(page, kBlack);
  for (size_t i = 0; i < style.columns.size(); ++i) {
    const float x = ColumnX(style.columns, style.left, style.width, i) + style.pad;
    DrawLines(page, style.heading, x, top - style.pad, {style.columns[i].title});
  }
  return height;
}

void DrawTableRow(HPDF_Page page, const TableStyle& style, const TableRow& row, float top, const Rgb& verdict_color,
                  const Rgb& note_color) {
  const float cells_top = top - style.pad;
  for (size_t i = 0; i < style.columns.size(); ++i) {
    SetFill(page, i == style.verdict_column ? verdict_color : kBlack);
    const float x = ColumnX(style.columns, style.left, style.width, i) + style.pad;
    DrawLines(page, CellFace(style, i), x, cells_top, row.cells[i]);
  }
  SetFill(page, note_color);
  DrawLines(page, style.note, style.left + style.pad, cells_top - row.cells_height, row.note);
  SetFill(page, kBlack);
}

Status PageWriter::LoadFaces(const FontSet& fonts) {
  Result<Fonts> loaded = LoadFonts(doc_, *error_, fonts);
  if (!loaded.ok()) return loaded.status();
  regular_ = loaded->regular;
  bold_ = loaded->bold;
  return Status::Ok();
}

Status PageWriter::AddPage(float top) {
  Result<HPDF_Page> page = AddA4Page(doc_, *error_, pages_.size() + 1);
  if (!page.ok()) return page.status();
  page_ = *page;
  pages_.push_back(page_);
  y_ = top;
  return Status::Ok();
}

Status PageWriter::ForEachPage(std::string_view step, const std::function<void(size_t, size_t)>& draw) {
  for (size_t i = 0; i < pages_.size(); ++i) {
    page_ = pages_[i];
    draw(i + 1, pages_.size());
    LIMS_RETURN_IF_ERROR(Check(std::string(step) + " of page " + std::to_string(i + 1)));
  }
  return Status::Ok();
}

void PageWriter::Paragraph(const Face& face, std::string_view text, size_t max_lines) {
  Paragraph(face, text, max_lines, margin_, ContentWidth());
}

void PageWriter::Paragraph(const Face& face, std::string_view text, size_t max_lines, float x, float width) {
  y_ -= DrawLines(face, x, y_, Wrap(face, text, width, max_lines));
}

}  // namespace lims::reports::pdf
