// Internal to lims_reports: the libharu plumbing every PDF in reports/ shares. A document whose
// errors are recorded instead of thrown, the UTF-8 set-up and embedded TrueType faces of a FontSet,
// text measuring, and saving to bytes. Also the fonts the certificate embeds itself
// (TrueTypeFont, EmbeddedFont) and the Flate helpers for streams it compresses itself.
//
// Not a public header: libharu types appear here, so only reports/*.cc include it. Each document is
// owned by one render call; the only state shared between threads is the process-wide cache of
// parsed font files and compressed constant streams, which is read-only once filled.
#ifndef LIMS_REPORTS_PDF_FONTS_H_
#define LIMS_REPORTS_PDF_FONTS_H_

#include <hpdf.h>

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

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

// ---- Fonts embedded without libharu's font code (certificates) ----
//
// libharu's UTF-8 path (LoadFonts) parses the font file again for every document, looks up all
// 65536 code points in its cmap and writes (and deflates) a 128 KB CIDToGIDMap per face. The
// certificate instead parses each font file once per process (TrueTypeFont) and, per document,
// embeds only the glyphs it prints, with maps sized to them (EmbeddedFont).

// A TrueType font file, parsed once per process and immutable afterwards: its metrics, the
// characters of its Unicode cmap, and the glyph outlines to cut subsets from.
class TrueTypeFont {
 public:
  // One character of the font's cmap.
  struct Char {
    char32_t code_point;
    uint16_t glyph;
    uint16_t width;  // advance in 1/1000 em, truncated as libharu does (HPDF_TTFontDef_GetCharWidth)
  };

  // The font at `path`, parsed on the first call for that path and shared from then on; the file is
  // not read again. Internal naming the file when it is missing or is not a TrueType font with glyf
  // outlines and a Unicode cmap (format 4 or 12). Thread-safe.
  static Result<std::shared_ptr<const TrueTypeFont>> Load(const std::string& path);

  // Index (from 1) of `code_point` among the font's characters; 0 when the font lacks it.
  uint16_t IndexOf(char32_t code_point) const {
    if (code_point < 0x10000) return pages_[page_of_[code_point >> 8]][code_point & 0xff];
    const auto it = supplementary_.find(code_point);
    return it == supplementary_.end() ? 0 : it->second;
  }
  const Char& CharAt(uint16_t index) const { return chars_[index]; }
  size_t char_count() const { return chars_.size(); }  // including the unused index 0
  uint16_t NotdefWidth() const { return widths_.empty() ? 0 : widths_[0]; }
  // The width of UTF-8 text in 1/1000 em: the sum of its characters' widths, .notdef's for
  // characters the font lacks. Equal to libharu's HPDF_Font_TextWidth for the same file.
  uint32_t Units(std::string_view utf8) const;

  const std::string& postscript_name() const { return postscript_name_; }
  uint16_t glyph_count() const { return static_cast<uint16_t>(widths_.size()); }
  // Font descriptor values, in 1/1000 em.
  int ascent() const { return ascent_; }
  int descent() const { return descent_; }
  int cap_height() const { return cap_height_; }
  int italic_angle() const { return italic_angle_; }
  const int* bbox() const { return bbox_; }
  bool bold() const { return bold_; }

  // A font program for a PDF FontFile2 with only the glyphs flagged in `used` (indexed by glyph
  // id), .notdef and the glyphs their composites refer to. The kept glyphs are numbered afresh in
  // their old order; *renumbered maps old glyph ids to the new ones (0 for glyphs left out). Only
  // the tables a CIDFontType2 needs are kept (head, hhea, maxp, hmtx, loca, glyf, and
  // cvt/fpgm/prep when present).
  std::string Subset(std::vector<uint8_t> used, std::vector<uint16_t>* renumbered) const;

 private:
  struct Table {
    uint32_t tag, offset, length;
  };
  TrueTypeFont() = default;
  static Result<TrueTypeFont> Parse(std::string bytes, const std::string& path);
  std::string_view TableData(uint32_t tag) const;
  bool ParseCmap();
  bool ParseGlyphs();

  std::string bytes_;
  std::vector<Table> tables_;
  std::string postscript_name_;
  uint16_t units_per_em_ = 1000;
  uint16_t hmetrics_ = 0;  // numberOfHMetrics
  bool long_loca_ = false;
  int ascent_ = 0, descent_ = 0, cap_height_ = 0, italic_angle_ = 0;
  int bbox_[4] = {0, 0, 0, 0};
  bool bold_ = false;
  std::vector<uint16_t> widths_;                   // per glyph, 1/1000 em
  std::vector<uint32_t> loca_;                     // glyph_count + 1 offsets into glyf
  std::vector<std::vector<uint16_t>> components_;  // per composite glyph, the glyphs it refers to
  std::vector<Char> chars_;                        // [0] unused; then by ascending code point
  std::vector<std::vector<uint16_t>> pages_;       // [0] all zero; 256 character indexes each
  std::vector<uint16_t> page_of_;                  // 256 entries: code point >> 8 -> page
  std::map<char32_t, uint16_t> supplementary_;     // code points above U+FFFF
};

// One face as one document uses it: a Type0 font with Identity-H encoding whose CIDs are the
// font's character indexes (TrueTypeFont::IndexOf, in code point order), so that text is two bytes
// a character and the ToUnicode CMap is mostly ranges; characters the font lacks (shown as
// .notdef) get CIDs after those, in order of first use, so that they still extract as themselves,
// as do characters that share a glyph (µ and μ). Finish writes the CID font with only the glyphs
// used, their widths, CIDToGIDMap, CIDSet (PDF/A-1) and ToUnicode.
class EmbeddedFont {
 public:
  // `resource` is the name pages give the font ("F1").
  EmbeddedFont(std::shared_ptr<const TrueTypeFont> font, std::string resource);
  EmbeddedFont(const EmbeddedFont&) = delete;
  EmbeddedFont& operator=(const EmbeddedFont&) = delete;

  const TrueTypeFont& font() const { return *font_; }
  const std::string& resource() const { return resource_; }
  bool used() const { return any_used_; }

  // Appends `utf8` as a PDF literal string of two-byte CIDs. Malformed UTF-8 counts one U+FFFD per
  // bad byte.
  void AppendEncoded(std::string_view utf8, std::string* out);

  // The Type0 font dictionary in `doc`, created on the first call; it is filled in by Finish.
  HPDF_Dict Dict(HPDF_Doc doc);
  // Writes the font objects for every character encoded so far. Call once, after all text.
  Status Finish(HPDF_Doc doc, const HaruError& error);

 private:
  uint16_t CidOf(char32_t code_point);
  char32_t CodePointOf(size_t cid) const;

  std::shared_ptr<const TrueTypeFont> font_;
  std::string resource_;
  HPDF_Dict dict_ = nullptr;
  std::vector<uint8_t> used_;  // by CID
  bool any_used_ = false;
  std::map<char32_t, uint16_t> cid_of_missing_;  // characters the font lacks
  std::vector<char32_t> missing_;                // their code points, from CID font().char_count()
  // Entries libharu writes verbatim into dictionaries (WriteRawEntries) and stream data
  // (NewStream); they must live until the document is saved, which the owner of this object
  // guarantees.
  std::vector<std::unique_ptr<std::string>> raw_entries_;
};

// A font at a size: what text is measured and drawn with. Either a libharu font (`font`) or, for
// documents that embed their own fonts, `embedded` (then `font` is null).
struct Face {
  HPDF_Font font;
  float size;
  EmbeddedFont* embedded = nullptr;

  float Leading() const { return size * 1.25f; }
  // The width of `text` in 1/1000 em: the sum of its characters' widths, so that the units of a
  // concatenation are the sum of its parts' (what Wrap relies on to measure word by word).
  // HPDF_Font_TextWidth understands the UTF-8 encoder; HPDF_Font_MeasureText does not (it can
  // return a byte count that splits a multi-byte character), so wrapping is done by the callers.
  uint32_t Units(std::string_view text) const {
    if (text.empty()) return 0;
    if (embedded != nullptr) return embedded->font().Units(text);
    return HPDF_Font_TextWidth(font, reinterpret_cast<const HPDF_BYTE*>(text.data()),
                               static_cast<HPDF_UINT>(text.size()))
        .width;
  }
  // Points at this size for `units` from Units.
  float WidthOfUnits(uint32_t units) const { return static_cast<float>(units) * size / 1000.0f; }
  float Width(std::string_view text) const { return text.empty() ? 0.0f : WidthOfUnits(Units(text)); }
};

// ---- Streams compressed here rather than by libharu ----

// `data` in zlib format (what /FlateDecode reads) at zlib `level`. Reuses one compressor per thread.
Result<std::string> Deflate(std::string_view data, int level);

// The file at `path` compressed at the best level, read and compressed on the first call for that
// path and shared from then on (constant streams such as an ICC profile). Internal naming `what`
// and the path when the file is missing or unreadable. Thread-safe.
Result<std::shared_ptr<const std::string>> DeflatedFile(const std::string& path, const char* what);

// "/Filter /FlateDecode\n": the entry NewDeflatedStream's dictionaries need.
const std::string& FlateFilterEntry();

// Has libharu write `entries` verbatim ("/Filter /FlateDecode\n/Length1 1234\n") into `dict`, after
// its own entries: for entries libharu would spell wrongly, slowly or not at all. `entries` must
// outlive the document's saving; a dictionary holds at most one such string.
void SetRawEntries(HPDF_Dict dict, const std::string* entries);

// Makes `bytes` the data of stream dictionary `dict` (replacing its memory stream), written as they
// are when the document is saved; they are not copied and must outlive the saving. Returns the new
// stream, null on failure.
HPDF_Stream SetStreamBytes(HPDF_Dict dict, std::string_view bytes);

// A new stream object in `doc` whose data are `bytes`, written as they are when the document is
// saved (they are not copied: they must outlive the saving), with the raw `entries` (may be null).
// Null on failure (the error is in the document's HaruError).
HPDF_Dict NewStream(HPDF_Doc doc, std::string_view bytes, const std::string* entries = nullptr);

// NewStream for zlib data; `entries` must include the filter (by default just FlateFilterEntry()).
HPDF_Dict NewDeflatedStream(HPDF_Doc doc, std::string_view deflated, const std::string* entries = nullptr);

// Removes the last UTF-8 code point of *s (a stray continuation byte counts as part of it).
void PopCodePoint(std::string* s);

// `text` if it is at most `width` points wide in `face`; otherwise its longest prefix that fits
// together with a trailing ellipsis, cut at a code point boundary.
std::string FitToWidth(const Face& face, std::string_view text, float width);

}  // namespace pdf
}  // namespace lims::reports

#endif  // LIMS_REPORTS_PDF_FONTS_H_
