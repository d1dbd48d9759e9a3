// Internal to lims_reports: the libharu plumbing every PDF in reports/ shares. A document whose
// errors are recorded instead of thrown, the UTF-8 set-up and embedded TrueType faces of a FontSet,
// text measuring, and saving to bytes.
//
// Not a public header: libharu types appear here, so only reports/*.cc include it. Each document is
// owned by one render call, so nothing here is shared between threads.
#ifndef LIMS_REPORTS_PDF_FONTS_H_
#define LIMS_REPORTS_PDF_FONTS_H_

#include <hpdf.h>

#include <memory>
#include <string>
#include <string_view>
#include <type_traits>

#include "lims/core/status.h"

namespace lims::reports {

struct FontSet;

namespace pdf {

// The first error libharu reported for a document. libharu's error handler runs inside C frames,
// where an exception cannot unwind, so the handler only fills this in and every rendering step
// checks it afterwards.
struct HaruError {
  HPDF_STATUS code = HPDF_OK;
  HPDF_STATUS detail = 0;
};

struct DocDeleter {
  void operator()(HPDF_Doc doc) const { HPDF_Free(doc); }
};
using DocPtr = std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, DocDeleter>;

// A new document that records its errors in *error, which must outlive it. Null when libharu
// cannot allocate one.
DocPtr NewDocument(HaruError* error);

Status HaruFailure(std::string_view step, HPDF_STATUS code, HPDF_STATUS detail);
// Internal naming `step` when libharu has reported an error, OK otherwise.
Status CheckHaru(const HaruError& error, std::string_view step);

// The two faces of a FontSet, embedded in one document and selected for UTF-8 text.
struct Fonts {
  HPDF_Font regular = nullptr;
  HPDF_Font bold = nullptr;
};

// Turns on stream compression and the UTF-8 encoder, then embeds both faces. Call it before any
// other content: compression applies only to streams created afterwards. Internal when a font file
// is missing (naming it) or libharu fails.
Result<Fonts> LoadFonts(HPDF_Doc doc, const HaruError& error, const FontSet& fonts);

// The finished document as bytes.
Result<std::string> SaveToString(HPDF_Doc doc, const HaruError& error);

// A font at a size: what text is measured and drawn with.
struct Face {
  HPDF_Font font;
  float size;

  float Leading() const { return size * 1.25f; }
  // HPDF_Font_TextWidth understands the UTF-8 encoder; HPDF_Font_MeasureText does not (it can
  // return a byte count that splits a multi-byte character), so wrapping is done by the callers.
  float Width(std::string_view text) const {
    if (text.empty()) return 0.0f;
    const HPDF_TextWidth width =
        HPDF_Font_TextWidth(font, reinterpret_cast<const HPDF_BYTE*>(text.data()), static_cast<HPDF_UINT>(text.size()));
    return static_cast<float>(width.width) * size / 1000.0f;
  }
};

// Removes the last UTF-8 code point of *s (a stray continuation byte counts as part of it).
void PopCodePoint(std::string* s);

// `text` if it is at most `width` points wide in `face`; otherwise its longest prefix that fits
// together with a trailing ellipsis, cut at a code point boundary.
std::string FitToWidth(const Face& face, std::string_view text, float width);

}  // namespace pdf
}  // namespace lims::reports

#endif  // LIMS_REPORTS_PDF_FONTS_H_
