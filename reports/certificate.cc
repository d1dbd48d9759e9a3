#include "reports/certificate.h"

#include <hpdf.h>
#include <zint.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "reports/pdf_fonts.h"

namespace lims::reports {
namespace {

using pdf::CheckHaru;
using pdf::Face;
using pdf::HaruError;
using pdf::PopCodePoint;

constexpr const char* kDisclaimer = "The results relate only to the items tested.";
constexpr const char* kReproduction =
    "This document shall not be reproduced except in full without the written approval of the laboratory.";
constexpr const char* kEllipsis = "…";
constexpr const char* kNone = "—";
// The ICC registry's name for the profile that LIMS_ICC_PROFILE holds.
constexpr const char* kOutputCondition = "sRGB IEC61966-2.1";

// A4 portrait in points, as HPDF_PAGE_SIZE_A4.
constexpr float kPageWidth = 595.276f;
constexpr float kPageHeight = 841.89f;
constexpr float kMargin = 42.0f;
constexpr float kContentWidth = kPageWidth - 2 * kMargin;
// Running header at the top of every page, footer at the bottom; the body stays between them.
constexpr float kHeaderBaseline = kPageHeight - 28.0f;
constexpr float kHeaderRuleY = kPageHeight - 34.0f;
constexpr float kBodyTop = kPageHeight - 46.0f;
constexpr float kBodyBottom = 66.0f;
constexpr float kFooterRuleY = 56.0f;
constexpr float kFooterBaseline = 45.0f;

constexpr float kSmallSize = 8.5f;
constexpr float kCellSize = 7.5f;
constexpr float kStatementSize = 7.0f;
constexpr float kCellPad = 3.0f;
constexpr float kFieldLabelWidth = 90.0f;
constexpr float kFieldGap = 6.0f;
constexpr float kLogoSide = 44.0f;
constexpr float kQrSide = 66.0f;          // the symbol without quiet zone, ≈ 23 mm
constexpr float kQrColumnWidth = 118.0f;  // the QR code and the URL under it
constexpr int kQrQuiet = 4;               // modules, ISO/IEC 18004

// Capped so that the tallest row still fits on a continuation page below the table header.
constexpr size_t kMaxCellLines = 12;
constexpr size_t kMaxStatementLines = 6;
static_assert(2 * kCellPad + (kMaxCellLines * kCellSize + kMaxStatementLines * kStatementSize) * 1.25f <
                  kBodyTop - kBodyBottom - 40.0f,
              "the tallest table row must fit on a continuation page");

struct Column {
  const char* title;
  float share;  // of the content width
};
constexpr size_t kColumnCount = 8;
constexpr size_t kVerdictColumn = 7;
constexpr std::array<Column, kColumnCount> kColumns = {{
    {"Requirement", 0.17f},
    {"Property", 0.13f},
    {"Method", 0.12f},
    {"Values", 0.10f},
    {"Unit", 0.12f},
    {"U (k = 2)", 0.08f},
    {"Limit", 0.14f},
    {"Verdict", 0.14f},
}};

struct Rgb {
  float r, g, b;
};
constexpr Rgb kBlack = {0.0f, 0.0f, 0.0f};
constexpr Rgb kMuted = {0.35f, 0.35f, 0.35f};
constexpr Rgb kRuleColor = {0.6f, 0.6f, 0.6f};
constexpr Rgb kGridColor = {0.8f, 0.8f, 0.8f};
constexpr Rgb kHeaderFill = {0.9f, 0.9f, 0.9f};
constexpr Rgb kFailFill = {0.99f, 0.9f, 0.9f};
constexpr Rgb kPassColor = {0.0f, 0.45f, 0.15f};
constexpr Rgb kFailColor = {0.75f, 0.1f, 0.1f};
constexpr Rgb kMarkColor = {0.1f, 0.25f, 0.5f};

// ---- RFC 3339 timestamps (for the PDF dates) ----
// The same grammar as sample_report.cc, which keeps its parser private.

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

bool Skip(std::string_view s, size_t* pos, std::string_view accepted) {
  if (*pos >= s.size() || accepted.find(s[*pos]) == std::string_view::npos) return false;
  ++*pos;
  return true;
}

void SkipFraction(std::string_view s, size_t* pos) {
  if (!Skip(s, pos, ".")) return;
  while (*pos < s.size() && s[*pos] >= '0' && s[*pos] <= '9') ++*pos;
}

// UTC is written as "+00'00'", never 'Z': HPDF_PDFA_SetPDFAConformance fails on 'Z' and leaves the
// document unusable (stack-notes, libharu).
bool ParseOffset(std::string_view s, size_t* pos, HPDF_Date* date) {
  if (Skip(s, pos, "Zz")) {
    date->ind = '+';
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

bool IsKnownVerdict(std::string_view v) {
  return v == "pass" || v == "fail" || v == "conditional_pass" || v == "conditional_fail";
}

bool IsFailing(std::string_view v) {
  return v == "fail" || v == "conditional_fail";
}

// The number goes into the XMP packet unescaped (libharu copies the title as is), so it is kept
// to characters that need no escaping in XML or PDF strings.
bool IsValidNumber(std::string_view number) {
  if (number.empty()) return false;
  return std::all_of(number.begin(), number.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '/' || c == '_';
  });
}

void CheckRows(const CertificateData& data, std::vector<FieldError>* errors) {
  for (size_t i = 0; i < data.rows.size(); ++i) {
    const std::string field = "rows[" + std::to_string(i) + "].verdict";
    if (!IsKnownVerdict(data.rows[i].verdict)) {
      errors->push_back({field, "must be pass, fail, conditional_pass or conditional_fail"});
    } else if (data.kind == CertificateKind::kConformity && IsFailing(data.rows[i].verdict)) {
      errors->push_back({field, "a certificate of conformity cannot contain a requirement not met"});
    }
  }
}

Status Validate(const CertificateData& data) {
  std::vector<FieldError> errors;
  if (!IsValidNumber(data.number)) {
    errors.push_back({"number", "is required, with letters, digits and - . / _ only"});
  }
  HPDF_Date date;
  if (!ParseRfc3339(data.issued_at, &date)) errors.push_back({"issued_at", "is not an RFC 3339 timestamp"});
  if (data.verification_url.empty()) errors.push_back({"verification_url", "is required: the QR code encodes it"});
  if (data.signatory_name.empty()) errors.push_back({"signatory_name", "is required (ISO/IEC 17025 7.8.2.1 o)"});
  CheckRows(data, &errors);
  if (errors.empty()) return Status::Ok();
  return Status::InvalidArgument("invalid certificate data", std::move(errors));
}

// ---- Text wrapping (as in sample_report.cc) ----

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

// Splits a word wider than the column at code point boundaries; the last piece stays in *line.
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

void Truncate(const Face& face, float width, size_t max_lines, std::vector<std::string>* lines) {
  if (lines->size() <= max_lines) return;
  lines->resize(max_lines);
  if (lines->empty()) return;
  std::string& last = lines->back();
  while (!last.empty() && face.Width(last + kEllipsis) > width) PopCodePoint(&last);
  last += kEllipsis;
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

// ---- QR code (libzint) ----

struct SymbolDeleter {
  void operator()(zint_symbol* symbol) const { ZBarcode_Delete(symbol); }
};
using SymbolPtr = std::unique_ptr<zint_symbol, SymbolDeleter>;

// Dark modules as [row][column]; libzint packs each row as bits, least significant first.
using Modules = std::vector<std::vector<bool>>;

Result<Modules> EncodeQr(const std::string& url) {
  SymbolPtr symbol(ZBarcode_Create());
  if (symbol == nullptr) return Status::Internal("libzint could not allocate a symbol");
  symbol->symbology = BARCODE_QRCODE;
  symbol->input_mode = DATA_MODE;
  const int rc =
      ZBarcode_Encode(symbol.get(), reinterpret_cast<const unsigned char*>(url.data()), static_cast<int>(url.size()));
  if (rc >= ZINT_ERROR) return Status::Internal(std::string("libzint could not encode the URL: ") + symbol->errtxt);
  Modules modules(static_cast<size_t>(symbol->rows));
  for (int row = 0; row < symbol->rows; ++row) {
    for (int column = 0; column < symbol->width; ++column) {
      modules[static_cast<size_t>(row)].push_back(((symbol->encoded_data[row][column >> 3] >> (column & 7)) & 1) != 0);
    }
  }
  return modules;
}

// One rectangle per horizontal run of dark modules, filled as one path (no seams between rows).
void DrawModules(HPDF_Page page, const Modules& m, float left, float top, float module) {
  for (size_t row = 0; row < m.size(); ++row) {
    const float y = top - static_cast<float>(row + 1) * module;
    for (size_t column = 0; column < m[row].size();) {
      if (!m[row][column]) {
        ++column;
        continue;
      }
      const size_t start = column;
      while (column < m[row].size() && m[row][column]) ++column;
      HPDF_Page_Rectangle(page, left + static_cast<float>(start) * module, y,
                          static_cast<float>(column - start) * module, module);
    }
  }
  HPDF_Page_Fill(page);
}

// ---- Content ----

std::string VerdictLabel(std::string_view verdict) {
  if (verdict == "pass") return "✓ Pass";
  if (verdict == "fail") return "✗ Fail";
  if (verdict == "conditional_pass") return "Conditional pass";
  return "Conditional fail";
}

Rgb VerdictColor(std::string_view verdict) {
  return IsFailing(verdict) ? kFailColor : kPassColor;
}

std::string OrNone(const std::string& s) {
  return s.empty() ? kNone : s;
}

std::array<std::string, kColumnCount> CellTexts(const CertificateRow& row) {
  return {row.requirement,          row.property, row.method, row.values, row.unit, OrNone(row.uncertainty), row.limit,
          VerdictLabel(row.verdict)};
}

std::string TestingDates(const CertificateData& d) {
  if (d.testing_from.empty() || d.testing_to.empty() || d.testing_from == d.testing_to) {
    return d.testing_from.empty() ? d.testing_to : d.testing_from;
  }
  return d.testing_from + " to " + d.testing_to;
}

std::string ConditionText(const CertificateData& d) {
  if (d.condition_note.empty()) return d.condition;
  return d.condition.empty() ? d.condition_note : d.condition + ". " + d.condition_note;
}

std::string ReplacementNote(const CertificateData& d) {
  if (d.supersedes_number.empty()) return "";
  const char* what = d.kind == CertificateKind::kConformity ? "This certificate" : "This report";
  std::string note = std::string(what) + " replaces " + d.supersedes_number;
  return d.supersedes_reason.empty() ? note : note + ": " + d.supersedes_reason;
}

std::string FailureResult(const CertificateRow& row) {
  std::string text = "Result: " + OrNone(row.values) + (row.unit.empty() ? "" : " " + row.unit);
  if (!row.uncertainty.empty()) text += " (U = " + row.uncertainty + ")";
  return text + "; limit: " + OrNone(row.limit) + "; verdict: " + VerdictLabel(row.verdict) + ".";
}

float ColumnX(size_t column) {
  float x = kMargin;
  for (size_t i = 0; i < column; ++i) x += kColumns[i].share * kContentWidth;
  return x;
}

float ColumnTextWidth(size_t column) {
  return kColumns[column].share * kContentWidth - 2 * kCellPad;
}

Result<std::string> ReadBinaryFile(const std::string& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Internal(std::string(what) + " not readable: " + path);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

struct Field {
  const char* label;
  std::string value;
};

struct RowLayout {
  std::array<std::vector<std::string>, kColumnCount> cells;
  std::vector<std::string> statement;
  float cells_height = 0.0f;
  float height = 0.0f;
};

// Draws one certificate into a fresh document. "Page x of y" needs y, known only once the body is
// laid out, so pages are kept and the running headers and footers are written last.
class CertificateWriter {
 public:
  CertificateWriter(HPDF_Doc doc, const HaruError* error, const CertificateData& data)
      : doc_(doc), error_(error), data_(data) {}

  CertificateWriter(const CertificateWriter&) = delete;
  CertificateWriter& operator=(const CertificateWriter&) = delete;

  Status Setup(const FontSet& fonts);
  Status WriteBody();
  Status WriteHeadersAndFooters();

 private:
  Status Check(std::string_view step) const { return CheckHaru(*error_, step); }
  Status SetInfo();
  Status SetDeterministicId();
  Status MakePdfA();
  Status FixMetadataSubtype();
  Status AddOutputIntent();
  Status NewPage();
  Status EnsureRoom(float height);

  Status WriteTopBlock();
  Status WriteLabBlock(float width);
  Status DrawLogo(float top);
  void DrawMark(float top);
  Status WriteQr(float* height);
  Status WriteTitle();
  Status WriteFields();
  Status WriteResults();
  Status WriteFailures();
  Status WriteConformityStatement();
  Status WriteSignature();

  RowLayout LayOutRow(const CertificateRow& row) const;
  void DrawTableHeader();
  void DrawRow(const RowLayout& row, std::string_view verdict);
  float DrawField(float x, float width, const Field& field);
  void DrawPageFrame(size_t number, size_t total);

  Face Regular(float size) const { return Face{regular_, size}; }
  Face Bold(float size) const { return Face{bold_, size}; }
  Face CellFace(size_t column) const { return column == kVerdictColumn ? Bold(kCellSize) : Regular(kCellSize); }
  float HeaderHeight() const { return 2 * kCellPad + Bold(kCellSize).Leading(); }
  bool Fits(float height) const { return y_ - height >= kBodyBottom; }
  bool IsReport() const { return data_.kind == CertificateKind::kTestReport; }

  void Paragraph(const Face& face, std::string_view text, size_t max_lines, float x = kMargin,
                 float width = kContentWidth);
  float DrawLines(const Face& face, float x, float top, const std::vector<std::string>& lines);
  void DrawText(const Face& face, float x, float baseline, const std::string& text);
  void SetFill(const Rgb& c) { HPDF_Page_SetRGBFill(page_, c.r, c.g, c.b); }
  void Rule(float y, const Rgb& color, float width);

  HPDF_Doc doc_;
  const HaruError* error_;
  const CertificateData& data_;
  HPDF_Font regular_ = nullptr;
  HPDF_Font bold_ = nullptr;
  std::vector<HPDF_Page> pages_;
  HPDF_Page page_ = nullptr;
  float y_ = 0.0f;  // top of the next block, in points from the bottom of the page
};

Status CertificateWriter::Setup(const FontSet& fonts) {
  Result<pdf::Fonts> loaded = pdf::LoadFonts(doc_, *error_, fonts);
  if (!loaded.ok()) return loaded.status();
  regular_ = loaded->regular;
  bold_ = loaded->bold;
  LIMS_RETURN_IF_ERROR(SetInfo());
  return MakePdfA();
}

// Only ASCII goes into the Info dictionary: libharu copies these strings unescaped into the XMP
// packet, and the lab's name may hold '&'.
Status CertificateWriter::SetInfo() {
  const std::string title = std::string(CertificateTitle(data_.kind)) + " " + data_.number;
  HPDF_SetInfoAttr(doc_, HPDF_INFO_TITLE, title.c_str());
  HPDF_SetInfoAttr(doc_, HPDF_INFO_CREATOR, "Pramaan LIMS");
  LIMS_RETURN_IF_ERROR(Check("setting the document title"));
  HPDF_Date date;
  ParseRfc3339(data_.issued_at, &date);  // checked by Validate
  HPDF_SetInfoDateAttr(doc_, HPDF_INFO_CREATION_DATE, date);
  HPDF_SetInfoDateAttr(doc_, HPDF_INFO_MOD_DATE, date);
  return Check("setting the document dates");
}

// PDF/A needs a trailer /ID. libharu's own (HPDF_PDFA_GenerateID) hashes the clock, but it keeps an
// /ID that is already there, so one derived from the record goes in first.
Status CertificateWriter::SetDeterministicId() {
  HPDF_MD5_CTX ctx;
  HPDF_MD5Init(&ctx);
  const std::string seed = std::string("Pramaan certificate\n") + CertificateTitle(data_.kind) + "\n" + data_.number +
                           "\n" + data_.issued_at + "\n" + data_.sample_number;
  HPDF_MD5Update(&ctx, reinterpret_cast<const HPDF_BYTE*>(seed.data()), static_cast<HPDF_UINT32>(seed.size()));
  HPDF_BYTE digest[HPDF_MD5_KEY_LEN];
  HPDF_MD5Final(digest, &ctx);
  HPDF_Array id = HPDF_Array_New(doc_->mmgr);
  if (id == nullptr) return Check("creating the trailer /ID");
  if (HPDF_Dict_Add(doc_->trailer, "ID", id) != HPDF_OK ||
      HPDF_Array_Add(id, HPDF_Binary_New(doc_->mmgr, digest, HPDF_MD5_KEY_LEN)) != HPDF_OK ||
      HPDF_Array_Add(id, HPDF_Binary_New(doc_->mmgr, digest, HPDF_MD5_KEY_LEN)) != HPDF_OK) {
    LIMS_RETURN_IF_ERROR(Check("writing the trailer /ID"));
    return Status::Internal("libharu failed while writing the trailer /ID");
  }
  return Check("writing the trailer /ID");
}

// Must follow SetInfo: libharu copies the Info attributes into the XMP packet at call time.
Status CertificateWriter::MakePdfA() {
  LIMS_RETURN_IF_ERROR(SetDeterministicId());
  const HPDF_STATUS rc = HPDF_PDFA_SetPDFAConformance(doc_, HPDF_PDFA_1B);
  LIMS_RETURN_IF_ERROR(Check("writing the PDF/A metadata"));
  if (rc != HPDF_OK) return pdf::HaruFailure("writing the PDF/A metadata", rc, 0);
  LIMS_RETURN_IF_ERROR(FixMetadataSubtype());
  return AddOutputIntent();
}

// libharu writes /SubType; the key PDF readers and validators look for is /Subtype.
Status CertificateWriter::FixMetadataSubtype() {
  HPDF_Dict xmp = static_cast<HPDF_Dict>(HPDF_Dict_GetItem(doc_->catalog, "Metadata", HPDF_OCLASS_DICT));
  if (xmp == nullptr) return Status::Internal("libharu wrote no PDF/A metadata stream");
  HPDF_Dict_RemoveElement(xmp, "SubType");
  if (HPDF_Dict_AddName(xmp, "Subtype", "XML") != HPDF_OK) return Check("fixing the metadata /Subtype");
  return Check("fixing the metadata /Subtype");
}

// Built here rather than with HPDF_PDFA_AppendOutputIntents, which spells the key
// "DestOutputProfile " (trailing space) so that no reader finds the profile.
Status CertificateWriter::AddOutputIntent() {
  Result<std::string> icc = ReadBinaryFile(LIMS_ICC_PROFILE, "ICC profile");
  if (!icc.ok()) return icc.status();
  HPDF_Dict profile = HPDF_DictStream_New(doc_->mmgr, doc_->xref);
  if (profile == nullptr) return Check("creating the ICC profile stream");
  profile->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
  HPDF_STATUS rc = HPDF_Dict_AddNumber(profile, "N", 3);
  rc |= HPDF_Dict_AddName(profile, "Alternate", "DeviceRGB");
  rc |= HPDF_Stream_Write(profile->stream, reinterpret_cast<const HPDF_BYTE*>(icc->data()),
                          static_cast<HPDF_UINT>(icc->size()));
  HPDF_Dict intent = HPDF_Dict_New(doc_->mmgr);
  HPDF_Array intents = HPDF_Array_New(doc_->mmgr);
  if (rc != HPDF_OK || intent == nullptr || intents == nullptr) return Check("writing the ICC profile");
  rc |= HPDF_Dict_AddName(intent, "Type", "OutputIntent");
  rc |= HPDF_Dict_AddName(intent, "S", "GTS_PDFA1");
  rc |= HPDF_Dict_Add(intent, "OutputConditionIdentifier", HPDF_String_New(doc_->mmgr, kOutputCondition, nullptr));
  rc |= HPDF_Dict_Add(intent, "Info", HPDF_String_New(doc_->mmgr, kOutputCondition, nullptr));
  rc |= HPDF_Dict_Add(intent, "RegistryName", HPDF_String_New(doc_->mmgr, "http://www.color.org", nullptr));
  rc |= HPDF_Dict_Add(intent, "DestOutputProfile", profile);
  rc |= HPDF_Array_Add(intents, intent);
  rc |= HPDF_Dict_Add(doc_->catalog, "OutputIntents", intents);
  LIMS_RETURN_IF_ERROR(Check("writing the output intent"));
  if (rc != HPDF_OK) return Status::Internal("libharu failed while writing the output intent");
  return Status::Ok();
}

Status CertificateWriter::NewPage() {
  page_ = HPDF_AddPage(doc_);
  LIMS_RETURN_IF_ERROR(Check("adding page " + std::to_string(pages_.size() + 1)));
  HPDF_Page_SetSize(page_, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
  pages_.push_back(page_);
  y_ = kBodyTop;
  return Check("sizing page " + std::to_string(pages_.size()));
}

Status CertificateWriter::EnsureRoom(float height) {
  return Fits(height) ? Status::Ok() : NewPage();
}

Status CertificateWriter::WriteBody() {
  LIMS_RETURN_IF_ERROR(NewPage());
  LIMS_RETURN_IF_ERROR(WriteTopBlock());
  LIMS_RETURN_IF_ERROR(WriteTitle());
  LIMS_RETURN_IF_ERROR(WriteFields());
  LIMS_RETURN_IF_ERROR(WriteResults());
  LIMS_RETURN_IF_ERROR(IsReport() ? WriteFailures() : WriteConformityStatement());
  return WriteSignature();
}

// Lab identity on the left (7.8.2.1 b), the verification QR code on the right.
Status CertificateWriter::WriteTopBlock() {
  const float top = y_;
  float qr_height = 0.0f;
  LIMS_RETURN_IF_ERROR(WriteQr(&qr_height));
  if (data_.logo_png_path.empty()) {
    DrawMark(top);
  } else {
    LIMS_RETURN_IF_ERROR(DrawLogo(top));
  }
  LIMS_RETURN_IF_ERROR(WriteLabBlock(kContentWidth - kQrColumnWidth - kLogoSide - 24.0f));
  y_ = std::min({y_, top - kLogoSide, top - qr_height}) - 8.0f;
  Rule(y_, kRuleColor, 0.8f);
  y_ -= 14.0f;
  return Check("writing the lab block");
}

Status CertificateWriter::WriteLabBlock(float width) {
  const float x = kMargin + kLogoSide + 10.0f;
  Paragraph(Bold(12.0f), data_.lab_name, 2, x, width);
  Paragraph(Regular(kSmallSize), data_.lab_address, 3, x, width);
  Paragraph(Regular(kSmallSize), data_.lab_accreditation, 2, x, width);
  if (!data_.test_location.empty()) {
    Paragraph(Regular(kSmallSize), "Tests performed at: " + data_.test_location, 2, x, width);
  }
  return Check("writing the lab name");
}

Status CertificateWriter::DrawLogo(float top) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(data_.logo_png_path, ec)) {
    return Status::Internal("logo file not found: " + data_.logo_png_path);
  }
  HPDF_Image image = HPDF_LoadPngImageFromFile(doc_, data_.logo_png_path.c_str());
  LIMS_RETURN_IF_ERROR(Check("loading the logo " + data_.logo_png_path));
  // PDF/A-1 forbids soft masks, which is how libharu carries a PNG's alpha channel.
  if (HPDF_Dict_GetItem(image, "SMask", HPDF_OCLASS_DICT) != nullptr) {
    return Status::InvalidArgument("invalid certificate data",
                                   {{"logo_png_path", "has an alpha channel, which PDF/A-1 forbids"}});
  }
  const float w = static_cast<float>(HPDF_Image_GetWidth(image));
  const float h = static_cast<float>(HPDF_Image_GetHeight(image));
  const float scale = std::min(kLogoSide / w, kLogoSide / h);
  HPDF_Page_DrawImage(page_, image, kMargin, top - h * scale, w * scale, h * scale);
  return Check("drawing the logo");
}

// Without a logo: a ring around a tick, in the lab's colour.
void CertificateWriter::DrawMark(float top) {
  const float cx = kMargin + kLogoSide / 2;
  const float cy = top - kLogoSide / 2;
  HPDF_Page_SetRGBStroke(page_, kMarkColor.r, kMarkColor.g, kMarkColor.b);
  HPDF_Page_SetLineWidth(page_, 3.0f);
  HPDF_Page_Circle(page_, cx, cy, kLogoSide / 2 - 2.0f);
  HPDF_Page_Stroke(page_);
  HPDF_Page_SetLineWidth(page_, 4.0f);
  HPDF_Page_MoveTo(page_, cx - 10.0f, cy);
  HPDF_Page_LineTo(page_, cx - 3.0f, cy - 8.0f);
  HPDF_Page_LineTo(page_, cx + 11.0f, cy + 9.0f);
  HPDF_Page_Stroke(page_);
}

Status CertificateWriter::WriteQr(float* height) {
  Result<Modules> qr = EncodeQr(data_.verification_url);
  if (!qr.ok()) return qr.status();
  const float module = kQrSide / static_cast<float>(qr->size());
  // The quiet zone lies inside the column's top and right; the page margin is white too.
  const float left = kPageWidth - kMargin - kQrSide;
  const float top = y_ - static_cast<float>(kQrQuiet) * module / 2;
  SetFill(kBlack);
  DrawModules(page_, *qr, left, top, module);
  const Face face = Regular(6.0f);
  const float column_left = kPageWidth - kMargin - kQrColumnWidth;
  const std::vector<std::string> url = Wrap(face, data_.verification_url, kQrColumnWidth, 3);
  const float text_top = top - kQrSide - static_cast<float>(kQrQuiet) * module;
  DrawLines(face, column_left, text_top, {"Verify this document at:"});
  const float text_height = DrawLines(face, column_left, text_top - face.Leading(), url) + face.Leading();
  *height = y_ - text_top + text_height;
  return Check("drawing the QR code");
}

Status CertificateWriter::WriteTitle() {
  Paragraph(Bold(16.0f), CertificateTitle(data_.kind), 1);
  Paragraph(Bold(11.0f), "No. " + data_.number, 1);
  y_ -= 4.0f;
  const std::string note = ReplacementNote(data_);
  if (!note.empty()) {
    SetFill(kFailColor);
    Paragraph(Bold(kSmallSize), note, 3);
    SetFill(kBlack);
  }
  y_ -= 8.0f;
  return Check("writing the title");
}

// ISO/IEC 17025 7.8.2.1 e, g, h, i, j, and 7.8.6.2 c (the decision rule).
Status CertificateWriter::WriteFields() {
  const std::array<Field, 14> pairs = {{
      {"Customer", data_.customer_name},
      {"Sample number", data_.sample_number},
      {"Address", data_.customer_address},
      {"Item", data_.sample_description},
      {"IEC", data_.customer_iec},
      {"Article", data_.article},
      {"Received", data_.received_at},
      {"Lot", data_.lot},
      {"Tested", TestingDates(data_)},
      {"Sizes", data_.sizes},
      {"Date of issue", data_.issued_at},
      {"Condition", ConditionText(data_)},
      {"Markings claimed", data_.markings_claimed},
      {"", ""},
  }};
  const float half = kContentWidth / 2;
  for (size_t i = 0; i < pairs.size(); i += 2) {
    const float left = DrawField(kMargin, half, pairs[i]);
    const float right = pairs[i + 1].label[0] == '\0' ? 0.0f : DrawField(kMargin + half, half, pairs[i + 1]);
    y_ -= std::max(left, right) + 2.0f;
  }
  y_ -= DrawField(kMargin, kContentWidth, {"Decision rule", data_.decision_rule}) + 2.0f;
  const bool failing =
      std::any_of(data_.rows.begin(), data_.rows.end(), [](const CertificateRow& r) { return IsFailing(r.verdict); });
  DrawLines(Bold(kSmallSize), kMargin, y_, {"Overall verdict"});
  SetFill(failing ? kFailColor : kPassColor);
  y_ -= DrawLines(Bold(10.0f), kMargin + kFieldLabelWidth, y_,
                  Wrap(Bold(10.0f), OrNone(data_.overall_verdict), kContentWidth - kFieldLabelWidth, 2));
  SetFill(kBlack);
  y_ -= 12.0f;
  return Check("writing the sample block");
}

float CertificateWriter::DrawField(float x, float width, const Field& field) {
  const float value_width = width - kFieldLabelWidth - kFieldGap;
  const std::vector<std::string> lines = Wrap(Regular(kSmallSize), OrNone(field.value), value_width, 3);
  DrawLines(Bold(kSmallSize), x, y_, {field.label});
  return DrawLines(Regular(kSmallSize), x + kFieldLabelWidth, y_, lines);
}

Status CertificateWriter::WriteResults() {
  std::vector<RowLayout> rows;
  for (const CertificateRow& row : data_.rows) rows.push_back(LayOutRow(row));
  const float first = rows.empty() ? Regular(kSmallSize).Leading() : rows.front().height;
  LIMS_RETURN_IF_ERROR(EnsureRoom(Bold(11.0f).Leading() + 4.0f + HeaderHeight() + first));
  Paragraph(Bold(11.0f), "Results", 1);
  y_ -= 4.0f;
  if (rows.empty()) {
    Paragraph(Regular(kSmallSize), "No results.", 1);
    return Check("writing the results");
  }
  DrawTableHeader();
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!Fits(rows[i].height)) {
      LIMS_RETURN_IF_ERROR(NewPage());
      DrawTableHeader();
    }
    DrawRow(rows[i], data_.rows[i].verdict);
    LIMS_RETURN_IF_ERROR(Check("writing results row " + std::to_string(i + 1)));
  }
  y_ -= 14.0f;
  return Status::Ok();
}

RowLayout CertificateWriter::LayOutRow(const CertificateRow& row) const {
  RowLayout layout;
  const std::array<std::string, kColumnCount> texts = CellTexts(row);
  size_t lines = 1;
  for (size_t i = 0; i < kColumnCount; ++i) {
    layout.cells[i] = Wrap(CellFace(i), texts[i], ColumnTextWidth(i), kMaxCellLines);
    lines = std::max(lines, layout.cells[i].size());
  }
  const Face statement = Regular(kStatementSize);
  layout.statement = Wrap(statement, row.statement, kContentWidth - 2 * kCellPad, kMaxStatementLines);
  layout.cells_height = static_cast<float>(lines) * Regular(kCellSize).Leading();
  layout.height =
      2 * kCellPad + layout.cells_height + static_cast<float>(layout.statement.size()) * statement.Leading();
  return layout;
}

void CertificateWriter::DrawTableHeader() {
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

void CertificateWriter::DrawRow(const RowLayout& row, std::string_view verdict) {
  if (IsFailing(verdict)) {
    SetFill(kFailFill);
    HPDF_Page_Rectangle(page_, kMargin, y_ - row.height, kContentWidth, row.height);
    HPDF_Page_Fill(page_);
  }
  const float top = y_ - kCellPad;
  for (size_t i = 0; i < kColumnCount; ++i) {
    SetFill(i == kVerdictColumn ? VerdictColor(verdict) : kBlack);
    DrawLines(CellFace(i), ColumnX(i) + kCellPad, top, row.cells[i]);
  }
  SetFill(kMuted);
  DrawLines(Regular(kStatementSize), kMargin + kCellPad, top - row.cells_height, row.statement);
  SetFill(kBlack);
  y_ -= row.height;
  Rule(y_, kGridColor, 0.4f);
}

// 7.8.6.2 b: which requirements are not met, each with its value, limit and reason.
Status CertificateWriter::WriteFailures() {
  std::vector<const CertificateRow*> failing;
  for (const CertificateRow& row : data_.rows) {
    if (IsFailing(row.verdict)) failing.push_back(&row);
  }
  if (failing.empty()) return Status::Ok();
  LIMS_RETURN_IF_ERROR(EnsureRoom(Bold(11.0f).Leading() + 40.0f));
  Paragraph(Bold(11.0f), "Requirements not met", 1);
  y_ -= 4.0f;
  for (const CertificateRow* row : failing) {
    LIMS_RETURN_IF_ERROR(EnsureRoom(4 * Regular(kSmallSize).Leading() + 6.0f));
    Paragraph(Bold(kSmallSize), row->requirement + " — " + row->property, 2);
    Paragraph(Regular(kSmallSize), FailureResult(*row), 3, kMargin + 10.0f, kContentWidth - 10.0f);
    Paragraph(Regular(kSmallSize), "Reason: " + OrNone(row->statement), 4, kMargin + 10.0f, kContentWidth - 10.0f);
    y_ -= 6.0f;
  }
  y_ -= 8.0f;
  return Check("writing the requirements not met");
}

// 7.8.6.2 a and b: what the statement of conformity covers.
Status CertificateWriter::WriteConformityStatement() {
  std::string text =
      "On the basis of the results above and the decision rule stated, the item tested meets every requirement "
      "listed";
  text += data_.markings_claimed.empty() ? "." : ", supporting the marking " + data_.markings_claimed + ".";
  LIMS_RETURN_IF_ERROR(EnsureRoom(Bold(11.0f).Leading() + 3 * Regular(kSmallSize).Leading()));
  Paragraph(Bold(11.0f), "Statement of conformity", 1);
  Paragraph(Regular(kSmallSize), text, 3);
  y_ -= 12.0f;
  return Check("writing the statement of conformity");
}

Status CertificateWriter::WriteSignature() {
  LIMS_RETURN_IF_ERROR(EnsureRoom(70.0f));
  Paragraph(Regular(kSmallSize), "Authorized for issue by", 1);
  Paragraph(Bold(10.0f), data_.signatory_name, 1);
  Paragraph(Regular(kSmallSize), data_.signatory_role, 1);
  Paragraph(Regular(kSmallSize), "Date of issue: " + data_.issued_at, 1);
  y_ -= 10.0f;
  const Face face = Bold(kSmallSize);
  const std::string end = IsReport() ? "— End of test report —" : "— End of certificate —";
  DrawText(face, kMargin + (kContentWidth - face.Width(end)) / 2, y_ - face.size, end);
  return Check("writing the signature block");
}

Status CertificateWriter::WriteHeadersAndFooters() {
  for (size_t i = 0; i < pages_.size(); ++i) {
    page_ = pages_[i];
    DrawPageFrame(i + 1, pages_.size());
    LIMS_RETURN_IF_ERROR(Check("writing the header and footer of page " + std::to_string(i + 1)));
  }
  return Status::Ok();
}

// 7.8.2.1 d: the number on every page, with "Page x of y" so that the end is clear.
void CertificateWriter::DrawPageFrame(size_t number, size_t total) {
  const Face head = Regular(7.5f);
  const std::string label = data_.number + " · Page " + std::to_string(number) + " of " + std::to_string(total);
  const float label_x = kPageWidth - kMargin - head.Width(label);
  SetFill(kMuted);
  DrawText(head, kMargin, kHeaderBaseline,
           pdf::FitToWidth(head, std::string(CertificateTitle(data_.kind)) + " · " + data_.lab_name,
                           label_x - kMargin - 12.0f));
  DrawText(head, label_x, kHeaderBaseline, label);
  Rule(kHeaderRuleY, kRuleColor, 0.5f);
  Rule(kFooterRuleY, kRuleColor, 0.5f);
  DrawText(Bold(7.5f), kMargin, kFooterBaseline, kDisclaimer);
  DrawText(Regular(7.0f), kMargin, kFooterBaseline - 10.0f, kReproduction);
  SetFill(kBlack);
}

void CertificateWriter::Paragraph(const Face& face, std::string_view text, size_t max_lines, float x, float width) {
  y_ -= DrawLines(face, x, y_, Wrap(face, text, width, max_lines));
}

float CertificateWriter::DrawLines(const Face& face, float x, float top, const std::vector<std::string>& lines) {
  for (size_t i = 0; i < lines.size(); ++i) {
    DrawText(face, x, top - face.size - static_cast<float>(i) * face.Leading(), lines[i]);
  }
  return static_cast<float>(lines.size()) * face.Leading();
}

void CertificateWriter::DrawText(const Face& face, float x, float baseline, const std::string& text) {
  if (text.empty()) return;
  HPDF_Page_BeginText(page_);
  HPDF_Page_SetFontAndSize(page_, face.font, face.size);
  HPDF_Page_TextOut(page_, x, baseline, text.c_str());
  HPDF_Page_EndText(page_);
}

void CertificateWriter::Rule(float y, const Rgb& color, float width) {
  HPDF_Page_SetLineWidth(page_, width);
  HPDF_Page_SetRGBStroke(page_, color.r, color.g, color.b);
  HPDF_Page_MoveTo(page_, kMargin, y);
  HPDF_Page_LineTo(page_, kPageWidth - kMargin, y);
  HPDF_Page_Stroke(page_);
}

}  // namespace

const char* CertificateTitle(CertificateKind kind) {
  return kind == CertificateKind::kConformity ? "Certificate of conformity" : "Test report";
}

lims::Result<std::string> RenderCertificate(const CertificateData& data, const FontSet& fonts) {
  LIMS_RETURN_IF_ERROR(Validate(data));
  // Declared before the document so that it outlives it: the handler holds its address.
  HaruError error;
  pdf::DocPtr doc = pdf::NewDocument(&error);
  if (doc == nullptr) return Status::Internal("libharu could not create a document");
  CertificateWriter writer(doc.get(), &error, data);
  LIMS_RETURN_IF_ERROR(writer.Setup(fonts));
  LIMS_RETURN_IF_ERROR(writer.WriteBody());
  LIMS_RETURN_IF_ERROR(writer.WriteHeadersAndFooters());
  return pdf::SaveToString(doc.get(), error);
}

}  // namespace lims::reports
