#include "reports/certificate.h"

#include <hpdf.h>
#include <zint.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "reports/pdf_fonts.h"
#include "reports/pdf_text.h"

namespace lims::reports {
namespace {

using pdf::Column;
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
// The page geometry the lab's signed documents share (pdf_text.h).
using namespace pdf::document;  // NOLINT(google-build-using-namespace)

constexpr const char* kDisclaimer = "The results relate only to the items tested.";
constexpr const char* kReproduction =
    "This document shall not be reproduced except in full without the written approval of the laboratory.";
constexpr const char* kNone = "—";

constexpr float kStatementSize = 7.0f;
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

constexpr Rgb kFailFill = {0.99f, 0.9f, 0.9f};
constexpr Rgb kMarkColor = {0.1f, 0.25f, 0.5f};

// ---- Input checks ----

bool IsKnownVerdict(std::string_view v) {
  return v == "pass" || v == "fail" || v == "conditional_pass" || v == "conditional_fail";
}

bool IsFailing(std::string_view v) {
  return v == "fail" || v == "conditional_fail";
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
  if (!pdf::IsValidDocumentNumber(data.number)) {
    errors.push_back({"number", "is required, with letters, digits and - . / _ only"});
  }
  HPDF_Date date;
  if (!pdf::ParseRfc3339(data.issued_at, UtcStyle::kZeroOffset, &date))
    errors.push_back({"issued_at", "is not an RFC 3339 timestamp"});
  if (data.verification_url.empty()) errors.push_back({"verification_url", "is required: the QR code encodes it"});
  if (data.signatory_name.empty()) errors.push_back({"signatory_name", "is required (ISO/IEC 17025 7.8.2.1 o)"});
  CheckRows(data, &errors);
  if (errors.empty()) return Status::Ok();
  return Status::InvalidArgument("invalid certificate data", std::move(errors));
}

// ---- QR code (libzint) ----

struct SymbolDeleter {
  void operator()(zint_symbol* symbol) const { ZBarcode_Delete(symbol); }
};
using SymbolPtr = std::unique_ptr<zint_symbol, SymbolDeleter>;

// Dark modules as [row][column]; libzint packs each row as bits, least significant first.
using Modules = std::vector<std::vector<bool>>;

// The data mask (ISO/IEC 18004:2015 7.8) is chosen here rather than by libzint, whose evaluation
// of the eight masks takes most of its encoding time (its branches on module values mispredict):
// libzint encodes with mask 0, the data modules are unmasked, and each mask is scored on rows of
// bits. For versions 1 to 6 (up to 41 modules: one alignment pattern, no version information,
// URLs up to about 100 characters); larger symbols keep libzint's own choice. The scores follow
// 7.8.3.1 with the outside of the symbol counted as light, which is how libzint scores, so the
// symbol is the one libzint would have drawn.
namespace qr {

constexpr int kMaxSize = 41;
constexpr int kMasks = 8;
using Lines = std::array<uint64_t, kMaxSize>;  // bit c of line r: module (r, c) is dark

// Finder patterns with separators and format information, timing patterns, the alignment pattern
// and the dark module: everything that is not data.
bool IsFunctionModule(int size, int r, int c) {
  if (r <= 8 && (c <= 8 || c >= size - 8)) return true;
  if (r >= size - 8 && c <= 8) return true;
  if (r == 6 || c == 6) return true;
  const int a = size - 7;  // the alignment pattern's centre (versions 2 to 6)
  return size > 21 && std::abs(r - a) <= 2 && std::abs(c - a) <= 2;
}

// Table 10: whether mask `p` inverts module (i, j).
bool Inverts(int p, int i, int j) {
  switch (p) {
    case 0:
      return (i + j) % 2 == 0;
    case 1:
      return i % 2 == 0;
    case 2:
      return j % 3 == 0;
    case 3:
      return (i + j) % 3 == 0;
    case 4:
      return (i / 2 + j / 3) % 2 == 0;
    case 5:
      return (i * j) % 2 + (i * j) % 3 == 0;
    case 6:
      return ((i * j) % 2 + (i * j) % 3) % 2 == 0;
    default:
      return ((i + j) % 2 + (i * j) % 3) % 2 == 0;
  }
}

// The data modules each mask inverts, as rows and as columns, for each size (21, 25, ... 41).
struct MaskSet {
  std::array<Lines, kMasks> rows{}, columns{};
};
const MaskSet& Masks(int size) {
  static const std::array<MaskSet, 6> sets = [] {
    std::array<MaskSet, 6> all{};
    for (size_t v = 0; v < all.size(); ++v) {
      const int n = 21 + 4 * static_cast<int>(v);
      for (int p = 0; p < kMasks; ++p) {
        for (int r = 0; r < n; ++r) {
          for (int c = 0; c < n; ++c) {
            if (IsFunctionModule(n, r, c) || !Inverts(p, r, c)) continue;
            all[v].rows[p][r] |= uint64_t{1} << c;
            all[v].columns[p][c] |= uint64_t{1} << r;
          }
        }
      }
    }
    return all;
  }();
  return sets[static_cast<size_t>((size - 21) / 4)];
}

// 7.9: the 15 format bits for error correction level bits `ecc` and mask `p`, a BCH(15,5) code
// (generator 10100110111) XOR 101010000010010.
uint32_t FormatBits(uint32_t ecc, uint32_t p) {
  const uint32_t data = ecc << 3 | p;
  uint32_t remainder = data << 10;
  for (int bit = 14; bit >= 10; --bit) {
    if (((remainder >> bit) & 1) != 0) remainder ^= 0x537u << (bit - 10);
  }
  return (data << 10 | remainder) ^ 0x5412u;
}

// Figure 25: the two places of format bit k (0 = least significant).
struct Position {
  int r, c;
};
std::array<Position, 2> FormatPositions(int size, int k) {
  // Beside the top left finder: up column 8 (bits 0-7, skipping the timing row), then left along row 8.
  const Position first = k < 6    ? Position{k, 8}
                         : k < 8  ? Position{k + 1, 8}
                         : k == 8 ? Position{8, 7}
                                  : Position{8, 14 - k};
  // Row 8 from the right edge (bits 0-7), then column 8 down to the bottom edge (bits 8-14).
  const Position second = k < 8 ? Position{8, size - 1 - k} : Position{size - 15 + k, 8};
  return {first, second};
}

// N1 for one row or column of n modules: 3 + (length - 5) for each run of five or more.
int RunPenalty(uint64_t line, int n) {
  const uint64_t same = ~(line ^ (line >> 1)) & ((uint64_t{1} << (n - 1)) - 1);  // module k == k + 1
  const uint64_t fives = same & (same >> 1) & (same >> 2) & (same >> 3);         // k .. k + 4 alike
  return std::popcount(fives) + 2 * std::popcount(fives & ~(fives << 1));
}

// N3: dark-light-dark-dark-dark-light-dark with four light modules before or after it.
int FinderLikePenalty(uint64_t line, int n) {
  const uint64_t x = line << 4;  // four light modules outside each end
  const uint64_t light = ~x & ((uint64_t{1} << (n + 8)) - 1);
  const uint64_t pattern = x & (light >> 1) & (x >> 2) & (x >> 3) & (x >> 4) & (light >> 5) & (x >> 6);
  const uint64_t light4 = light & (light >> 1) & (light >> 2) & (light >> 3);  // k .. k + 3 light
  return 40 * std::popcount(pattern & ((light4 << 4) | (light4 >> 7)));
}

// 7.8.3.1: N1 + N2 + N3 + N4 over rows and columns.
int Penalty(const Lines& rows, const Lines& columns, int n) {
  int score = 0, dark = 0;
  for (int i = 0; i < n; ++i) {
    dark += std::popcount(rows[i]);
    score += RunPenalty(rows[i], n) + RunPenalty(columns[i], n);
    score += FinderLikePenalty(rows[i], n) + FinderLikePenalty(columns[i], n);
  }
  const uint64_t inner = (uint64_t{1} << (n - 1)) - 1;
  for (int r = 0; r + 1 < n; ++r) {
    const uint64_t vertical = ~(rows[r] ^ rows[r + 1]), horizontal = ~(rows[r] ^ (rows[r] >> 1));
    score += 3 * std::popcount(vertical & (vertical >> 1) & horizontal & inner);  // N2: 2 x 2 blocks
  }
  return score + 10 * (std::abs(20 * dark - 10 * n * n) / (n * n));  // N4: 10 per 5 % off half dark
}

// Rewrites `rows` (encoded with mask 0) with the best mask. False when the symbol is too large or
// its format information is not what mask 0 gives, in which case it is left alone.
bool ApplyBestMask(int n, Lines* rows) {
  if (n < 21 || n > kMaxSize || (n - 21) % 4 != 0) return false;
  auto dark = [&](const Position& at) { return (((*rows)[at.r] >> at.c) & 1) != 0; };
  uint32_t format = 0;
  for (int k = 0; k < 15; ++k) {
    const std::array<Position, 2> at = FormatPositions(n, k);
    if (dark(at[0]) != dark(at[1])) return false;
    format |= static_cast<uint32_t>(dark(at[0])) << k;
  }
  const uint32_t ecc = (format ^ 0x5412u) >> 13;
  if (FormatBits(ecc, 0) != format) return false;

  const MaskSet& masks = Masks(n);
  Lines data = *rows, data_columns{};
  for (int r = 0; r < n; ++r) {
    data[r] ^= masks.rows[0][r];
    for (int c = 0; c < n; ++c) data_columns[c] |= ((data[r] >> c) & 1) << r;
  }
  int best_score = 0;
  Lines best_rows{};
  for (int p = 0; p < kMasks; ++p) {
    Lines r = data, c = data_columns;
    for (int i = 0; i < n; ++i) {
      r[i] ^= masks.rows[p][i];
      c[i] ^= masks.columns[p][i];
    }
    const uint32_t bits = FormatBits(ecc, static_cast<uint32_t>(p));
    for (int k = 0; k < 15; ++k) {
      const uint64_t bit = (bits >> k) & 1;
      for (const Position& at : FormatPositions(n, k)) {
        r[at.r] = (r[at.r] & ~(uint64_t{1} << at.c)) | bit << at.c;
        c[at.c] = (c[at.c] & ~(uint64_t{1} << at.r)) | bit << at.r;
      }
    }
    const int score = Penalty(r, c, n);
    if (p == 0 || score < best_score) {
      best_score = score;
      best_rows = r;
    }
  }
  *rows = best_rows;
  return true;
}

}  // namespace qr

SymbolPtr NewQrSymbol(const std::string& url, int mask, int* rc) {
  SymbolPtr symbol(ZBarcode_Create());
  if (symbol == nullptr) return symbol;
  symbol->symbology = BARCODE_QRCODE;
  symbol->input_mode = DATA_MODE;
  symbol->option_3 = mask < 0 ? 0 : (mask + 1) << 8;  // libzint: (mask + 1) << 8 forces a mask
  *rc = ZBarcode_Encode(symbol.get(), reinterpret_cast<const unsigned char*>(url.data()), static_cast<int>(url.size()));
  return symbol;
}

Result<Modules> EncodeQr(const std::string& url) {
  int rc = 0;
  SymbolPtr symbol = NewQrSymbol(url, 0, &rc);
  if (symbol == nullptr) return Status::Internal("libzint could not allocate a symbol");
  if (rc >= ZINT_ERROR) return Status::Internal(std::string("libzint could not encode the URL: ") + symbol->errtxt);
  const int n = symbol->rows;
  qr::Lines rows{};
  if (n == symbol->width && n <= qr::kMaxSize) {
    for (int r = 0; r < n; ++r) {
      for (int byte = 0; byte * 8 < n; ++byte) rows[r] |= uint64_t{symbol->encoded_data[r][byte]} << (8 * byte);
      rows[r] &= (uint64_t{1} << n) - 1;
    }
  }
  if (n != symbol->width || !qr::ApplyBestMask(n, &rows)) {
    symbol = NewQrSymbol(url, -1, &rc);  // libzint's own mask choice
    if (symbol == nullptr) return Status::Internal("libzint could not allocate a symbol");
    if (rc >= ZINT_ERROR) return Status::Internal(std::string("libzint could not encode the URL: ") + symbol->errtxt);
    Modules modules(static_cast<size_t>(symbol->rows));
    for (int row = 0; row < symbol->rows; ++row) {
      for (int column = 0; column < symbol->width; ++column) {
        modules[static_cast<size_t>(row)].push_back(((symbol->encoded_data[row][column >> 3] >> (column & 7)) & 1) !=
                                                    0);
      }
    }
    return modules;
  }
  Modules modules(static_cast<size_t>(n), std::vector<bool>(static_cast<size_t>(n)));
  for (int r = 0; r < n; ++r) {
    for (int c = 0; c < n; ++c) modules[static_cast<size_t>(r)][static_cast<size_t>(c)] = ((rows[r] >> c) & 1) != 0;
  }
  return modules;
}

// One rectangle per horizontal run of dark modules, filled as one path (no seams between rows), in
// a grid of whole modules whose origin is the symbol's top left corner.
void DrawModules(pdf::Canvas& canvas, const Modules& m, float left, float top, float module) {
  canvas.BeginGrid(module, left, top);
  for (size_t row = 0; row < m.size(); ++row) {
    const int y = -static_cast<int>(row + 1);
    for (size_t column = 0; column < m[row].size();) {
      if (!m[row][column]) {
        ++column;
        continue;
      }
      const size_t start = column;
      while (column < m[row].size() && m[row][column]) ++column;
      canvas.GridRectangle(static_cast<int>(start), y, static_cast<int>(column - start), 1);
    }
  }
  canvas.Fill();
  canvas.EndGrid();
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

using Field = pdf::Field;

using RowLayout = pdf::TableRow;

// Draws one certificate into a fresh document. "Page x of y" needs y, known only once the body is
// laid out, so pages are kept and the running headers and footers are written last.
class CertificateWriter : public pdf::PageWriter {
 public:
  CertificateWriter(HPDF_Doc doc, const HaruError* error, const CertificateData& data)
      : PageWriter(doc, error, kMargin), data_(data) {}

  Status Setup(const FontSet& fonts);
  Status WriteBody();
  Status WriteHeadersAndFooters();
  using PageWriter::FinishPages;

 private:
  Status SetInfo();
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

  pdf::TableStyle Table() const {
    return {.columns = kColumns,
            .left = kMargin,
            .width = kContentWidth,
            .pad = kCellPad,
            .heading = Bold(kCellSize),
            .cell = Regular(kCellSize),
            .verdict_cell = Bold(kCellSize),
            .verdict_column = kVerdictColumn,
            .note = Regular(kStatementSize),
            .max_cell_lines = kMaxCellLines,
            .max_note_lines = kMaxStatementLines};
  }

  float HeaderHeight() const { return pdf::TableHeadingHeight(Table()); }
  bool Fits(float height) const { return y_ - height >= kBodyBottom; }
  bool IsReport() const { return data_.kind == CertificateKind::kTestReport; }

  const CertificateData& data_;
};

Status CertificateWriter::Setup(const FontSet& fonts) {
  LIMS_RETURN_IF_ERROR(EmbedFaces(fonts));
  LIMS_RETURN_IF_ERROR(SetInfo());
  // The trailer /ID derives from the record, never from the clock.
  return MakePdfA1b(std::string("Pramaan certificate\n") + CertificateTitle(data_.kind) + "\n" + data_.number + "\n" +
                    data_.issued_at + "\n" + data_.sample_number);
}

// Only ASCII goes into the Info dictionary: libharu copies these strings unescaped into the XMP
// packet, and the lab's name may hold '&'.
Status CertificateWriter::SetInfo() {
  const std::string title = std::string(CertificateTitle(data_.kind)) + " " + data_.number;
  HPDF_SetInfoAttr(doc_, HPDF_INFO_TITLE, title.c_str());
  HPDF_SetInfoAttr(doc_, HPDF_INFO_CREATOR, "Pramaan LIMS");
  LIMS_RETURN_IF_ERROR(Check("setting the document title"));
  HPDF_Date date;
  pdf::ParseRfc3339(data_.issued_at, UtcStyle::kZeroOffset, &date);  // checked by Validate
  HPDF_SetInfoDateAttr(doc_, HPDF_INFO_CREATION_DATE, date);
  HPDF_SetInfoDateAttr(doc_, HPDF_INFO_MOD_DATE, date);
  return Check("setting the document dates");
}

Status CertificateWriter::NewPage() {
  return AddPage(kBodyTop);
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
  const char* name = HPDF_Page_GetXObjectName(page_, image);  // adds it to the page's resources
  LIMS_RETURN_IF_ERROR(Check("drawing the logo"));
  if (name == nullptr) return Status::Internal("libharu gave the logo no resource name");
  canvas().Image(name, kMargin, top - h * scale, w * scale, h * scale);
  return Status::Ok();
}

// Without a logo: a ring around a tick, in the lab's colour.
void CertificateWriter::DrawMark(float top) {
  const float cx = kMargin + kLogoSide / 2;
  const float cy = top - kLogoSide / 2;
  pdf::Canvas& c = canvas();
  c.SetStroke(kMarkColor);
  c.SetLineWidth(3.0f);
  c.Circle(cx, cy, kLogoSide / 2 - 2.0f);
  c.Stroke();
  c.SetLineWidth(4.0f);
  c.MoveTo(cx - 10.0f, cy);
  c.LineTo(cx - 3.0f, cy - 8.0f);
  c.LineTo(cx + 11.0f, cy + 9.0f);
  c.Stroke();
}

Status CertificateWriter::WriteQr(float* height) {
  Result<Modules> qr = EncodeQr(data_.verification_url);
  if (!qr.ok()) return qr.status();
  const float module = kQrSide / static_cast<float>(qr->size());
  // The quiet zone lies inside the column's top and right; the page margin is white too.
  const float left = kPageWidth - kMargin - kQrSide;
  const float top = y_ - static_cast<float>(kQrQuiet) * module / 2;
  SetFill(kBlack);
  DrawModules(canvas(), *qr, left, top, module);
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
  return pdf::LayOutTableRow(Table(), CellTexts(row), row.statement);
}

void CertificateWriter::DrawTableHeader() {
  y_ -= pdf::DrawTableHeading(canvas(), Table(), y_);
}

void CertificateWriter::DrawRow(const RowLayout& row, std::string_view verdict) {
  if (IsFailing(verdict)) {
    SetFill(kFailFill);
    canvas().Rectangle(kMargin, y_ - row.height, kContentWidth, row.height);
    canvas().Fill();
  }
  pdf::DrawTableRow(canvas(), Table(), row, y_, VerdictColor(verdict), kMuted);
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
  return ForEachPage("writing the header and footer",
                     [this](size_t number, size_t total) { DrawPageFrame(number, total); });
}

// 7.8.2.1 d: the number on every page, with "Page x of y" so that the end is clear.
void CertificateWriter::DrawPageFrame(size_t number, size_t total) {
  DrawDocumentFrame(number, total, data_.number, std::string(CertificateTitle(data_.kind)) + " · " + data_.lab_name,
                    kDisclaimer, kReproduction);
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
  LIMS_RETURN_IF_ERROR(writer.FinishPages());
  return pdf::SaveToString(doc.get(), error);
}

}  // namespace lims::reports
