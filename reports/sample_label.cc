#include "reports/sample_label.h"

#include <hpdf.h>
#include <zint.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "reports/pdf_fonts.h"
#include "reports/pdf_text.h"

namespace lims::reports {
namespace {

using pdf::CheckHaru;
using pdf::DrawText;
using pdf::Face;
using pdf::HaruError;

// ---- Barcodes (libzint) ----

struct SymbolDeleter {
  void operator()(zint_symbol* symbol) const { ZBarcode_Delete(symbol); }
};
using SymbolPtr = std::unique_ptr<zint_symbol, SymbolDeleter>;

// A barcode as libzint lays it out: `rows` × `width` modules, dark or light. Code 128 is one row.
struct ModuleMatrix {
  int rows = 0;
  int width = 0;
  std::vector<std::vector<bool>> dark;  // [row][column]

  bool IsDark(int row, int column) const { return dark[static_cast<size_t>(row)][static_cast<size_t>(column)]; }
};

// libzint packs each row of encoded_data as bits, least significant first (its module_is_set()).
ModuleMatrix ReadModules(const zint_symbol& symbol) {
  ModuleMatrix matrix{symbol.rows, symbol.width, {}};
  for (int row = 0; row < symbol.rows; ++row) {
    std::vector<bool>& modules = matrix.dark.emplace_back();
    for (int column = 0; column < symbol.width; ++column) {
      modules.push_back(((symbol.encoded_data[row][column >> 3] >> (column & 7)) & 1) != 0);
    }
  }
  return matrix;
}

// Warnings (return values below ZINT_ERROR) still give a valid symbol, so only errors fail.
Result<ModuleMatrix> Encode(int symbology, int input_mode, const std::string& data, std::string_view what) {
  SymbolPtr symbol(ZBarcode_Create());
  if (symbol == nullptr) return Status::Internal("libzint could not allocate a symbol");
  symbol->symbology = symbology;
  symbol->input_mode = input_mode;
  const int rc =
      ZBarcode_Encode(symbol.get(), reinterpret_cast<const unsigned char*>(data.data()), static_cast<int>(data.size()));
  if (rc >= ZINT_ERROR) {
    return Status::Internal("libzint could not encode the " + std::string(what) + ": " + symbol->errtxt);
  }
  return ReadModules(*symbol);
}

// Code 128 holds ISO 8859-1, so the UTF-8 code is converted (libzint refuses anything beyond it).
Result<ModuleMatrix> EncodeCode128(const std::string& code) {
  return Encode(BARCODE_CODE128, UNICODE_MODE, code, "Code 128 barcode");
}

// The QR code carries the bytes as given: a UTF-8 URL stays UTF-8, which phone readers detect.
Result<ModuleMatrix> EncodeQr(const std::string& content) {
  return Encode(BARCODE_QRCODE, DATA_MODE, content, "QR code");
}

// ---- PDF layout, in points from the bottom left of the label ----

constexpr float kLabelWidth = 141.73f;  // 50 mm
constexpr float kLabelHeight = 70.87f;  // 25 mm
constexpr float kEdge = 4.0f;           // white border for print (≈ 1.4 mm)

// The title runs across the top; the rest sits in the band below it.
constexpr float kTitleMaxSize = 10.0f;
constexpr float kTitleMinSize = 7.0f;
constexpr float kBandTop = kLabelHeight - kEdge - kTitleMaxSize * 1.2f;
constexpr float kDetailSize = 6.5f;
constexpr float kDetailLeading = 8.0f;
constexpr float kDetailLines = 2.0f;  // exporter and date of receipt
constexpr float kBarsTopGap = 3.5f;   // between the last text line's baseline and the bars

// ISO/IEC 15417 asks for 10 modules of quiet zone either side of Code 128, ISO/IEC 18004 for 4
// around a QR code. Quiet zones may overlap each other, never ink.
constexpr int kCode128Quiet = 10;
constexpr int kQrQuiet = 4;
constexpr float kQrMaxSide = 40.0f;     // ≈ 14 mm, ample for a phone camera
constexpr float kMaxBarModule = 1.0f;   // a short code need not get fat bars
constexpr float kMinBarModule = 0.33f;  // ≈ 0.12 mm, under one dot of a 203 dpi printer: unreadable below

// Where each element goes. The QR code takes the right of the band under the title and the Code 128
// gets whatever width is left of it, because the bar width is what limits scanning.
struct LabelLayout {
  float qr_module = 0.0f;
  float qr_left = 0.0f;
  float qr_bottom = 0.0f;
  float bar_module = 0.0f;
  float bar_left = 0.0f;
  float bar_bottom = 0.0f;
  float bar_height = 0.0f;
  float column_width = 0.0f;  // for the exporter and date lines
};

LabelLayout PlaceQr(const ModuleMatrix& qr) {
  LabelLayout layout;
  const float n = static_cast<float>(qr.width);
  layout.qr_module = std::min(kBandTop / (n + 2 * kQrQuiet), kQrMaxSide / n);
  const float quiet = kQrQuiet * layout.qr_module;
  layout.qr_left = kLabelWidth - std::max(quiet, kEdge) - n * layout.qr_module;
  layout.qr_bottom = (kBandTop - n * layout.qr_module) / 2;
  layout.column_width = layout.qr_left - quiet - kEdge;
  return layout;
}

Result<LabelLayout> LayOut(const ModuleMatrix& bars, const ModuleMatrix& qr) {
  LabelLayout layout = PlaceQr(qr);
  const float n = static_cast<float>(bars.width);
  const float qr_quiet = kQrQuiet * layout.qr_module;
  // Room for the bars and a quiet zone on each side; the right one may overlap the QR code's.
  layout.bar_module = std::min(
      {kMaxBarModule, layout.qr_left / (n + 2 * kCode128Quiet), (layout.qr_left - qr_quiet) / (n + kCode128Quiet)});
  if (layout.bar_module < kMinBarModule) {
    return Status::Internal("the code is too long for a Code 128 barcode on a 50 mm label");
  }
  layout.bar_left = kCode128Quiet * layout.bar_module;
  layout.bar_bottom = kEdge;
  // Both detail lines are always reserved so that every label's bars have the same height.
  const float last_baseline = kBandTop - kDetailSize - (kDetailLines - 1) * kDetailLeading;
  layout.bar_height = last_baseline - kBarsTopGap - layout.bar_bottom;
  return layout;
}

// ---- PDF drawing ----

// One rectangle per horizontal run of dark modules, all filled at once: a single path leaves no
// anti-aliasing seams between neighbouring rows.
void AddModuleRects(HPDF_Page page, const ModuleMatrix& m, float left, float top, float module_width,
                    float row_height) {
  for (int row = 0; row < m.rows; ++row) {
    const float y = top - static_cast<float>(row + 1) * row_height;
    for (int column = 0; column < m.width;) {
      if (!m.IsDark(row, column)) {
        ++column;
        continue;
      }
      const int start = column;
      while (column < m.width && m.IsDark(row, column)) ++column;
      HPDF_Page_Rectangle(page, left + static_cast<float>(start) * module_width, y,
                          static_cast<float>(column - start) * module_width, row_height);
    }
  }
}

void DrawBarcodes(HPDF_Page page, const ModuleMatrix& bars, const ModuleMatrix& qr, const LabelLayout& l) {
  HPDF_Page_SetGrayFill(page, 0.0f);
  AddModuleRects(page, bars, l.bar_left, l.bar_bottom + l.bar_height, l.bar_module, l.bar_height);
  const float qr_top = l.qr_bottom + static_cast<float>(qr.rows) * l.qr_module;
  AddModuleRects(page, qr, l.qr_left, qr_top, l.qr_module, l.qr_module);
  HPDF_Page_Fill(page);
}

// The title is what people read off a shelf, so it shrinks before it is cut.
Face TitleFace(HPDF_Font bold, const std::string& title, float width) {
  const float at_max = Face{bold, kTitleMaxSize}.Width(title);
  if (at_max <= width) return Face{bold, kTitleMaxSize};
  return Face{bold, std::max(kTitleMinSize, kTitleMaxSize * width / at_max)};
}

void DrawTitle(HPDF_Page page, HPDF_Font bold, const std::string& title) {
  const float width = kLabelWidth - 2 * kEdge;
  const Face face = TitleFace(bold, title, width);
  const float baseline = kLabelHeight - kEdge - face.size * 0.8f;
  DrawText(page, face, kEdge, baseline, pdf::FitToWidth(face, title, width));
}

std::vector<std::string> DetailLines(const LabelData& d) {
  std::vector<std::string> lines;
  if (!d.exporter_short.empty()) lines.push_back(d.exporter_short);
  if (!d.received_date.empty()) lines.push_back("Received " + d.received_date);
  return lines;
}

void DrawDetails(HPDF_Page page, HPDF_Font regular, const std::vector<std::string>& lines, float width) {
  const Face face{regular, kDetailSize};
  float baseline = kBandTop - kDetailSize;
  for (const std::string& line : lines) {
    DrawText(page, face, kEdge, baseline, pdf::FitToWidth(face, line, width));
    baseline -= kDetailLeading;
  }
}

// Everything one label needs before anything is drawn, so that encoding errors come first.
struct LabelContent {
  std::string title;
  std::vector<std::string> details;
  ModuleMatrix bars;
  ModuleMatrix qr;
  LabelLayout layout;
};

Result<LabelContent> Prepare(const LabelData& d) {
  if (d.code.empty()) {
    return Status::InvalidArgument("invalid label data", {{"code", "is required: the barcodes encode it"}});
  }
  Result<ModuleMatrix> bars = EncodeCode128(d.code);
  if (!bars.ok()) return bars.status();
  Result<ModuleMatrix> qr = EncodeQr(d.qr_url.empty() ? d.code : d.qr_url);
  if (!qr.ok()) return qr.status();
  LabelContent content{d.title.empty() ? d.code : d.title, DetailLines(d), std::move(*bars), std::move(*qr), {}};
  Result<LabelLayout> layout = LayOut(content.bars, content.qr);
  if (!layout.ok()) return layout.status();
  content.layout = *layout;
  return content;
}

Status DrawLabel(HPDF_Doc doc, const HaruError& error, const LabelContent& c, const pdf::Fonts& fonts) {
  HPDF_Page page = HPDF_AddPage(doc);
  LIMS_RETURN_IF_ERROR(CheckHaru(error, "adding the page"));
  HPDF_Page_SetWidth(page, kLabelWidth);
  HPDF_Page_SetHeight(page, kLabelHeight);
  LIMS_RETURN_IF_ERROR(CheckHaru(error, "sizing the page"));
  DrawTitle(page, fonts.bold, c.title);
  DrawDetails(page, fonts.regular, c.details, c.layout.column_width);
  LIMS_RETURN_IF_ERROR(CheckHaru(error, "writing the text"));
  DrawBarcodes(page, c.bars, c.qr, c.layout);
  return CheckHaru(error, "drawing the barcodes");
}

// ---- ZPL II, in dots of a 203 dpi printer (8 per mm) ----

constexpr int kZplWidth = 400;
constexpr int kZplHeight = 200;
constexpr int kZplEdge = 12;
constexpr int kZplBandTop = 48;  // below the title
constexpr int kZplBarsTop = 112;
constexpr int kZplBarsHeight = 72;
constexpr int kZplQrMagnification = 3;

// The printer's font 0 is proportional and its metrics are not known here; 0.6 of the character
// width is a safe average for capitals and digits, so text cut to it stays inside its column.
size_t ZplMaxChars(int width_dots, int char_width) {
  return static_cast<size_t>(width_dots / (char_width * 6 / 10));
}

size_t CountCodePoints(std::string_view s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string CutToChars(std::string text, size_t max_chars) {
  if (CountCodePoints(text) <= max_chars) return text;
  while (!text.empty() && CountCodePoints(text) + 3 > max_chars) pdf::PopCodePoint(&text);
  return text + "...";
}

// Under ^FH_ the printer decodes _XX as a byte, so every byte ZPL would act on is written that way:
// ^ and ~ (command prefixes), _ (the indicator itself) and control characters. UTF-8 bytes pass as
// they are, for ^CI28.
std::string EscapeFieldData(std::string_view data) {
  std::string out;
  for (const char c : data) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '^' || c == '~' || c == '_' || byte < 0x20 || byte == 0x7F) {
      char hex[4];
      std::snprintf(hex, sizeof(hex), "_%02X", byte);
      out += hex;
    } else {
      out += c;
    }
  }
  return out;
}

std::string Field(int x, int y, const std::string& command, std::string_view data) {
  return "^FO" + std::to_string(x) + "," + std::to_string(y) + command + "^FH_^FD" + EscapeFieldData(data) + "^FS\n";
}

std::string Font0(int height, int width) {
  return "^A0N," + std::to_string(height) + "," + std::to_string(width);
}

// The QR version a printer will pick for `bytes` of data at error correction level Q, from the
// byte-mode capacities of ISO/IEC 18004 table 7 (versions 1 to 10); longer data gets version 10+.
int QrModulesAtLevelQ(size_t bytes) {
  static constexpr std::array<size_t, 10> kCapacity = {11, 20, 32, 46, 60, 74, 86, 108, 130, 151};
  int version = 1;
  while (version < 10 && bytes > kCapacity[static_cast<size_t>(version - 1)]) ++version;
  return 17 + 4 * version;
}

struct ZplQr {
  int x, y, magnification;
};

// Right of the band under the title, its quiet zone reaching the right edge; magnification 2 only
// for data too long to fit the band at 3 (beyond version 6).
ZplQr PlaceZplQr(size_t bytes) {
  const int modules = QrModulesAtLevelQ(bytes);
  const int room = kZplHeight - kZplBandTop;
  const int magnification = (modules + 2 * kQrQuiet) * kZplQrMagnification <= room ? kZplQrMagnification : 2;
  const int side = modules * magnification;
  return {kZplWidth - kQrQuiet * magnification - side, kZplBandTop + (room - side) / 2, magnification};
}

int ZplBarsLeft(int module) {
  return std::max(kZplEdge, kCode128Quiet * module);
}

// Module width 2 when even an all-subset-B encoding (11 modules per byte, plus start, check and
// stop) fits left of the QR code, quiet zones included; else 1, the printer's narrowest bar.
int ZplBarModule(const std::string& code, const ZplQr& qr) {
  const int modules = 11 * static_cast<int>(code.size()) + 35;
  const int right_quiet = std::max(kCode128Quiet * 2, kQrQuiet * qr.magnification);
  return ZplBarsLeft(2) + 2 * modules + right_quiet <= qr.x ? 2 : 1;
}

std::string ZplBarcode(const std::string& code, const ZplQr& qr) {
  const int module = ZplBarModule(code, qr);
  const std::string height = std::to_string(kZplBarsHeight);
  // Mode A lets the printer switch to subset C for runs of digits, which keeps sample numbers short.
  const std::string command = "^BY" + std::to_string(module) + ",3," + height + "^BCN," + height + ",N,N,N,A";
  return Field(ZplBarsLeft(module), kZplBarsTop, command, code);
}

std::string ZplText(const LabelData& d, int column_right) {
  const std::string title = d.title.empty() ? d.code : d.title;
  const int column = column_right - kZplEdge;
  std::string out = Field(kZplEdge, 10, Font0(32, 28), CutToChars(title, ZplMaxChars(kZplWidth - 2 * kZplEdge, 28)));
  int y = kZplBandTop + 4;
  for (const std::string& line : DetailLines(d)) {
    out += Field(kZplEdge, y, Font0(24, 20), CutToChars(line, ZplMaxChars(column, 20)));
    y += 28;
  }
  return out;
}

}  // namespace

lims::Result<std::string> RenderLabelPdf(const LabelData& d, const FontSet& fonts) {
  Result<LabelContent> content = Prepare(d);
  if (!content.ok()) return content.status();
  // Declared before the document so that it outlives it: the handler holds its address.
  HaruError error;
  pdf::DocPtr doc = pdf::NewDocument(&error);
  if (doc == nullptr) return Status::Internal("libharu could not create a document");
  Result<pdf::Fonts> loaded = pdf::LoadFonts(doc.get(), error, fonts);
  if (!loaded.ok()) return loaded.status();
  // No creation date and no /ID: the same label always gives the same bytes.
  HPDF_SetInfoAttr(doc.get(), HPDF_INFO_TITLE, ("Sample label " + d.code).c_str());
  LIMS_RETURN_IF_ERROR(CheckHaru(error, "setting the document title"));
  LIMS_RETURN_IF_ERROR(DrawLabel(doc.get(), error, *content, *loaded));
  return pdf::SaveToString(doc.get(), error);
}

std::string RenderLabelZpl(const LabelData& d) {
  const std::string qr_data = d.qr_url.empty() ? d.code : d.qr_url;
  const ZplQr qr = PlaceZplQr(qr_data.size());
  std::string zpl = "^XA\n^CI28\n^PW" + std::to_string(kZplWidth) + "\n^LL" + std::to_string(kZplHeight) + "\n^LH0,0\n";
  zpl += ZplText(d, qr.x - kQrQuiet * qr.magnification);
  zpl += ZplBarcode(d.code, qr);
  // "Q" asks for error correction level Q, "A" for automatic choice of the data's encoding modes.
  zpl += Field(qr.x, qr.y, "^BQN,2," + std::to_string(qr.magnification), "QA," + qr_data);
  return zpl + "^XZ\n";
}

}  // namespace lims::reports
