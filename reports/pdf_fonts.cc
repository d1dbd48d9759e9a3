#include "reports/pdf_fonts.h"

#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>

#include "reports/sample_report.h"

// C linkage because libharu calls it through a C function pointer. Later errors are usually
// consequences of the first, so only the first is kept.
extern "C" {
static void RecordHaruError(HPDF_STATUS code, HPDF_STATUS detail, void* user_data) {
  auto* error = static_cast<lims::reports::pdf::HaruError*>(user_data);
  if (error->code != HPDF_OK) return;
  error->code = code;
  error->detail = detail;
}
}

namespace lims::reports::pdf {
namespace {

constexpr const char* kEllipsis = "…";

Status LoadFont(HPDF_Doc doc, const HaruError& error, const std::string& path, HPDF_Font* font) {
  // libharu would only say "file open error"; the caller needs to know which file.
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Status::Internal("font file not found: " + path);
  }
  // Embedded, so that the document prints the same where DejaVu is not installed.
  const char* name = HPDF_LoadTTFontFromFile(doc, path.c_str(), HPDF_TRUE);
  LIMS_RETURN_IF_ERROR(CheckHaru(error, "loading font " + path));
  if (name == nullptr) return Status::Internal("libharu returned no font name for " + path);
  *font = HPDF_GetFont(doc, name, "UTF-8");
  return CheckHaru(error, "selecting font " + path);
}

}  // namespace

DocPtr NewDocument(HaruError* error) {
  return DocPtr(HPDF_New(&RecordHaruError, error));
}

Status HaruFailure(std::string_view step, HPDF_STATUS code, HPDF_STATUS detail) {
  char numbers[64];
  std::snprintf(numbers, sizeof(numbers), ": error 0x%04lX, detail %lu", static_cast<unsigned long>(code),
                static_cast<unsigned long>(detail));
  return Status::Internal("libharu failed while " + std::string(step) + numbers);
}

Status CheckHaru(const HaruError& error, std::string_view step) {
  if (error.code == HPDF_OK) return Status::Ok();
  return HaruFailure(step, error.code, error.detail);
}

Result<Fonts> LoadFonts(HPDF_Doc doc, const HaruError& error, const FontSet& fonts) {
  // Compression applies only to streams created afterwards, so it must precede the fonts:
  // uncompressed, libharu's CID-to-glyph map alone is 128 KB per font.
  HPDF_SetCompressionMode(doc, HPDF_COMP_ALL);
  LIMS_RETURN_IF_ERROR(CheckHaru(error, "enabling compression"));
  HPDF_UseUTFEncodings(doc);
  LIMS_RETURN_IF_ERROR(CheckHaru(error, "enabling UTF encodings"));
  HPDF_SetCurrentEncoder(doc, "UTF-8");
  LIMS_RETURN_IF_ERROR(CheckHaru(error, "selecting the UTF-8 encoder"));
  Fonts loaded;
  LIMS_RETURN_IF_ERROR(LoadFont(doc, error, fonts.regular, &loaded.regular));
  LIMS_RETURN_IF_ERROR(LoadFont(doc, error, fonts.bold, &loaded.bold));
  return loaded;
}

Result<std::string> SaveToString(HPDF_Doc doc, const HaruError& error) {
  HPDF_SaveToStream(doc);
  LIMS_RETURN_IF_ERROR(CheckHaru(error, "saving the document"));
  const HPDF_UINT32 size = HPDF_GetStreamSize(doc);
  HPDF_ResetStream(doc);
  std::string bytes(size, '\0');
  HPDF_UINT32 read = size;
  const HPDF_STATUS status = HPDF_ReadFromStream(doc, reinterpret_cast<HPDF_BYTE*>(bytes.data()), &read);
  LIMS_RETURN_IF_ERROR(CheckHaru(error, "reading the saved document"));
  // Reaching the end of the stream is reported as HPDF_STREAM_EOF, which here means success.
  if (status != HPDF_OK && status != HPDF_STREAM_EOF) {
    return HaruFailure("reading the saved document", status, 0);
  }
  if (read != size) return Status::Internal("libharu returned a truncated document");
  return bytes;
}

void PopCodePoint(std::string* s) {
  while (!s->empty() && (static_cast<unsigned char>(s->back()) & 0xC0) == 0x80) s->pop_back();
  if (!s->empty()) s->pop_back();
}

std::string FitToWidth(const Face& face, std::string_view text, float width) {
  std::string fitted(text);
  if (face.Width(fitted) <= width) return fitted;
  while (!fitted.empty() && face.Width(fitted + kEllipsis) > width) PopCodePoint(&fitted);
  // A word cut mid-way reads better without the space before the ellipsis.
  while (!fitted.empty() && fitted.back() == ' ') fitted.pop_back();
  return fitted + kEllipsis;
}

}  // namespace lims::reports::pdf
