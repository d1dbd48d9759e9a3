#include "reports/pdf_fonts.h"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <system_error>
#include <utility>

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

// The write function of the stream SaveToString saves into.
static HPDF_STATUS AppendToString(HPDF_Stream stream, const HPDF_BYTE* bytes, HPDF_UINT size) {
  static_cast<std::string*>(stream->attr)->append(reinterpret_cast<const char*>(bytes), size);
  return HPDF_OK;
}

// The stream NewStream gives a dictionary: reads from bytes owned by the caller (what
// HPDF_Stream_WriteToStream copies into the document), instead of a memory stream filled and read
// back a byte at a time.
struct ByteSource {
  const char* data;
  HPDF_UINT size;
  HPDF_UINT pos;
};

static HPDF_STATUS ReadBytes(HPDF_Stream stream, HPDF_BYTE* out, HPDF_UINT* size) {
  auto* source = static_cast<ByteSource*>(stream->attr);
  const HPDF_UINT n = std::min(*size, source->size - source->pos);
  if (n > 0) std::memcpy(out, source->data + source->pos, n);
  source->pos += n;
  *size = n;
  return source->pos == source->size ? HPDF_STREAM_EOF : HPDF_OK;
}

static HPDF_STATUS SeekBytes(HPDF_Stream stream, HPDF_INT pos, HPDF_WhenceMode mode) {
  auto* source = static_cast<ByteSource*>(stream->attr);
  const long base = mode == HPDF_SEEK_SET ? 0 : mode == HPDF_SEEK_CUR ? static_cast<long>(source->pos) : source->size;
  const long target = base + pos;
  if (target < 0 || target > static_cast<long>(source->size)) return HPDF_STREAM_EOF;
  source->pos = static_cast<HPDF_UINT>(target);
  return HPDF_OK;
}

static HPDF_INT32 TellBytes(HPDF_Stream stream) {
  return static_cast<HPDF_INT32>(static_cast<ByteSource*>(stream->attr)->pos);
}

static HPDF_UINT32 SizeOfBytes(HPDF_Stream stream) {
  return static_cast<ByteSource*>(stream->attr)->size;
}

static void FreeByteSource(HPDF_Stream stream) {
  HPDF_FreeMem(stream->mmgr, stream->attr);
}

// Called by HPDF_Dict_Write before the closing ">>" of a dictionary given raw entries.
static HPDF_STATUS WriteRawEntries(HPDF_Dict dict, HPDF_Stream stream) {
  const auto* entries = static_cast<const std::string*>(dict->attr);
  return HPDF_Stream_Write(stream, reinterpret_cast<const HPDF_BYTE*>(entries->data()),
                           static_cast<HPDF_UINT>(entries->size()));
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
  // libharu saves into the document's stream, a memory stream of 4 KB blocks filled a byte at a
  // time, unless the document already has one: a callback stream appends straight to `bytes`.
  std::string bytes;
  bytes.reserve(size_t{64} * 1024);
  if (doc->stream == nullptr) {
    doc->stream = HPDF_CallbackWriter_New(doc->mmgr, AppendToString, &bytes);
    LIMS_RETURN_IF_ERROR(CheckHaru(error, "saving the document"));
    if (doc->stream == nullptr) return Status::Internal("libharu could not create a stream to save into");
  }
  HPDF_SaveToStream(doc);
  // The stream stays with the document; `bytes` does not outlive this call.
  HPDF_Stream_Free(doc->stream);
  doc->stream = nullptr;
  LIMS_RETURN_IF_ERROR(CheckHaru(error, "saving the document"));
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

// ---- TrueType fonts embedded by the certificate ----

namespace {

constexpr uint32_t Tag(const char (&name)[5]) {
  return static_cast<uint32_t>(static_cast<unsigned char>(name[0])) << 24 |
         static_cast<uint32_t>(static_cast<unsigned char>(name[1])) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(name[2])) << 8 |
         static_cast<uint32_t>(static_cast<unsigned char>(name[3]));
}

// Big-endian reads; callers check the bounds first (Fits).
uint16_t U16(std::string_view s, size_t at) {
  return static_cast<uint16_t>(static_cast<unsigned char>(s[at]) << 8 | static_cast<unsigned char>(s[at + 1]));
}
int16_t S16(std::string_view s, size_t at) {
  return static_cast<int16_t>(U16(s, at));
}
uint32_t U32(std::string_view s, size_t at) {
  return static_cast<uint32_t>(U16(s, at)) << 16 | U16(s, at + 2);
}
bool Fits(std::string_view s, size_t at, size_t n) {
  return at <= s.size() && n <= s.size() - at;
}

void Put16(std::string* out, uint16_t v) {
  out->push_back(static_cast<char>(v >> 8));
  out->push_back(static_cast<char>(v & 0xff));
}
void Put32(std::string* out, uint32_t v) {
  Put16(out, static_cast<uint16_t>(v >> 16));
  Put16(out, static_cast<uint16_t>(v & 0xffff));
}
void Set32(std::string* out, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) (*out)[at + static_cast<size_t>(i)] = static_cast<char>(v >> (24 - 8 * i));
}

// The OpenType table checksum: the sum of the big-endian 32-bit words, the last one zero-padded.
uint32_t Checksum(std::string_view data) {
  uint32_t sum = 0;
  size_t i = 0;
  for (; i + 4 <= data.size(); i += 4) sum += U32(data, i);
  if (i < data.size()) {
    char last[4] = {0, 0, 0, 0};
    std::memcpy(last, data.data() + i, data.size() - i);
    sum += U32(std::string_view(last, 4), 0);
  }
  return sum;
}

// The next code point of `s` at *i, advancing *i; U+FFFD (one byte consumed) for malformed input.
char32_t NextCodePoint(std::string_view s, size_t* i) {
  const auto lead = static_cast<unsigned char>(s[*i]);
  if (lead < 0x80) {
    ++*i;
    return lead;
  }
  size_t length = 0;
  char32_t cp = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    cp = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    cp = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    cp = lead & 0x07;
  }
  if (length == 0 || s.size() - *i < length) {
    ++*i;
    return 0xFFFD;
  }
  for (size_t k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(s[*i + k]);
    if ((next & 0xC0) != 0x80) {
      ++*i;
      return 0xFFFD;
    }
    cp = cp << 6 | (next & 0x3F);
  }
  *i += length;
  return cp;
}

Result<std::string> ReadWholeFile(const std::string& path, const char* what) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return Status::Internal(std::string(what) + " not found: " + path);
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  const std::streamoff size = in ? static_cast<std::streamoff>(in.tellg()) : -1;
  if (size < 0) return Status::Internal(std::string(what) + " not readable: " + path);
  std::string bytes(static_cast<size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(bytes.data(), size)) return Status::Internal(std::string(what) + " not readable: " + path);
  return bytes;
}

// Composite glyph flags (OpenType glyf table).
constexpr uint16_t kArgsAreWords = 0x0001;
constexpr uint16_t kHaveScale = 0x0008;
constexpr uint16_t kMoreComponents = 0x0020;
constexpr uint16_t kHaveXYScale = 0x0040;
constexpr uint16_t kHaveTwoByTwo = 0x0080;

// The tables a CIDFontType2 program keeps, in tag order (the order of the table directory).
constexpr uint32_t kKeptTables[] = {Tag("cvt "), Tag("fpgm"), Tag("glyf"), Tag("head"), Tag("hhea"),
                                    Tag("hmtx"), Tag("loca"), Tag("maxp"), Tag("prep")};

}  // namespace

std::string_view TrueTypeFont::TableData(uint32_t tag) const {
  for (const Table& t : tables_) {
    if (t.tag == tag) return std::string_view{bytes_}.substr(t.offset, t.length);
  }
  return {};
}

Result<TrueTypeFont> TrueTypeFont::Parse(std::string bytes, const std::string& path) {
  const Status bad =
      Status::Internal("loading font " + path + ": not a TrueType font with glyf outlines and a Unicode cmap");
  TrueTypeFont font;
  font.bytes_ = std::move(bytes);
  const std::string_view s = font.bytes_;
  if (!Fits(s, 0, 12)) return bad;
  const uint32_t version = U32(s, 0);
  if (version != 0x00010000 && version != Tag("true")) return bad;
  const uint16_t count = U16(s, 4);
  if (!Fits(s, 12, size_t{16} * count)) return bad;
  for (uint16_t i = 0; i < count; ++i) {
    const size_t at = 12 + size_t{16} * i;
    const Table t{U32(s, at), U32(s, at + 8), U32(s, at + 12)};
    if (!Fits(s, t.offset, t.length)) return bad;
    font.tables_.push_back(t);
  }
  const std::string_view head = font.TableData(Tag("head"));
  const std::string_view hhea = font.TableData(Tag("hhea"));
  const std::string_view maxp = font.TableData(Tag("maxp"));
  if (head.size() < 54 || hhea.size() < 36 || maxp.size() < 6) return bad;
  font.units_per_em_ = U16(head, 18);
  if (font.units_per_em_ == 0) return bad;
  const int em = font.units_per_em_;
  for (int i = 0; i < 4; ++i) font.bbox_[i] = S16(head, 36 + 2 * static_cast<size_t>(i)) * 1000 / em;
  font.bold_ = (U16(head, 44) & 1) != 0;
  font.long_loca_ = S16(head, 50) != 0;
  font.ascent_ = S16(hhea, 4) * 1000 / em;
  font.descent_ = S16(hhea, 6) * 1000 / em;
  font.cap_height_ = font.ascent_;
  const std::string_view os2 = font.TableData(Tag("OS/2"));
  if (os2.size() >= 6 && U16(os2, 4) >= 600) font.bold_ = true;
  if (os2.size() >= 90 && U16(os2, 0) >= 2) {
    font.cap_height_ = S16(os2, 88) * 1000 / em;
  }
  const std::string_view post = font.TableData(Tag("post"));
  if (post.size() >= 8) font.italic_angle_ = static_cast<int32_t>(U32(post, 4)) / 65536;

  // hmtx: advances for the first numberOfHMetrics glyphs; the rest repeat the last one.
  const uint16_t glyphs = U16(maxp, 4);
  const uint16_t metrics = U16(hhea, 34);
  const std::string_view hmtx = font.TableData(Tag("hmtx"));
  if (glyphs == 0 || metrics == 0 || metrics > glyphs || hmtx.size() < size_t{4} * metrics) return bad;
  font.hmetrics_ = metrics;
  font.widths_.resize(glyphs);
  for (uint16_t g = 0; g < glyphs; ++g) {
    const uint32_t advance = U16(hmtx, size_t{4} * std::min<uint16_t>(g, static_cast<uint16_t>(metrics - 1)));
    font.widths_[g] = static_cast<uint16_t>(advance * 1000 / font.units_per_em_);
  }
  if (!font.ParseGlyphs() || !font.ParseCmap()) return bad;
  // OS/2 before version 2 has no sCapHeight: take the top of "H".
  if (os2.size() < 90 || U16(os2, 0) < 2) {
    const std::string_view glyf = font.TableData(Tag("glyf"));
    const uint16_t h = font.IndexOf(U'H');
    const uint16_t glyph = h != 0 ? font.chars_[h].glyph : 0;
    if (glyph != 0 && font.loca_[glyph + 1] - font.loca_[glyph] >= 10) {
      font.cap_height_ = S16(glyf, font.loca_[glyph] + 8) * 1000 / em;
    }
  }

  // The PostScript name (name ID 6), from a Windows (UTF-16BE) or Macintosh (Roman) record.
  const std::string_view name = font.TableData(Tag("name"));
  if (name.size() >= 6) {
    const uint16_t records = U16(name, 2);
    const size_t strings = U16(name, 4);
    for (uint16_t i = 0; i < records && Fits(name, 6 + size_t{12} * i, 12) && font.postscript_name_.empty(); ++i) {
      const size_t at = 6 + size_t{12} * i;
      const uint16_t platform = U16(name, at);
      if (U16(name, at + 6) != 6 || (platform != 1 && platform != 3)) continue;
      const size_t length = U16(name, at + 8);
      const size_t offset = strings + U16(name, at + 10);
      if (!Fits(name, offset, length)) continue;
      const size_t step = platform == 3 ? 2 : 1;
      for (size_t k = step - 1; k < length; k += step) {
        const char c = name[offset + k];
        // A PDF name without escapes: printable ASCII other than delimiters.
        if (c > 0x20 && c < 0x7f && std::strchr("()<>[]{}/%#", c) == nullptr) font.postscript_name_ += c;
      }
    }
  }
  if (font.postscript_name_.empty()) font.postscript_name_ = "Font";
  return font;
}

bool TrueTypeFont::ParseGlyphs() {
  const std::string_view loca = TableData(Tag("loca"));
  const std::string_view glyf = TableData(Tag("glyf"));
  const size_t glyphs = widths_.size();
  if (loca.size() < (glyphs + 1) * (long_loca_ ? 4 : 2)) return false;
  loca_.resize(glyphs + 1);
  for (size_t g = 0; g <= glyphs; ++g) {
    loca_[g] = long_loca_ ? U32(loca, 4 * g) : uint32_t{U16(loca, 2 * g)} * 2;
    if (loca_[g] > glyf.size() || (g > 0 && loca_[g] < loca_[g - 1])) return false;
  }
  components_.resize(glyphs);
  for (size_t g = 0; g < glyphs; ++g) {
    const std::string_view data = glyf.substr(loca_[g], loca_[g + 1] - loca_[g]);
    if (data.size() < 10 || S16(data, 0) >= 0) continue;
    size_t at = 10;
    uint16_t flags = kMoreComponents;
    while ((flags & kMoreComponents) != 0) {
      if (!Fits(data, at, 4)) return false;
      flags = U16(data, at);
      const uint16_t component = U16(data, at + 2);
      if (component >= glyphs) return false;
      components_[g].push_back(component);
      at += 4 + ((flags & kArgsAreWords) != 0 ? 4 : 2);
      if ((flags & kHaveScale) != 0) {
        at += 2;
      } else if ((flags & kHaveXYScale) != 0) {
        at += 4;
      } else if ((flags & kHaveTwoByTwo) != 0) {
        at += 8;
      }
    }
  }
  return true;
}

bool TrueTypeFont::ParseCmap() {
  const std::string_view cmap = TableData(Tag("cmap"));
  if (cmap.size() < 4) return false;
  // The best Unicode subtable: full repertoire (format 12) before BMP-only (format 4).
  size_t best = 0;
  int best_rank = 0;
  const uint16_t subtables = U16(cmap, 2);
  for (uint16_t i = 0; i < subtables && Fits(cmap, 4 + size_t{8} * i, 8); ++i) {
    const size_t at = 4 + size_t{8} * i;
    const uint16_t platform = U16(cmap, at), encoding = U16(cmap, at + 2);
    const size_t offset = U32(cmap, at + 4);
    if (!Fits(cmap, offset, 2)) continue;
    const uint16_t format = U16(cmap, offset);
    const bool unicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10));
    const int rank = !unicode ? 0 : format == 12 ? 2 : format == 4 ? 1 : 0;
    if (rank > best_rank) {
      best_rank = rank;
      best = offset;
    }
  }
  if (best_rank == 0) return false;
  std::vector<std::pair<char32_t, uint16_t>> mapping;
  const std::string_view table = cmap.substr(best);
  const size_t glyphs = widths_.size();
  if (best_rank == 2) {
    if (!Fits(table, 0, 16)) return false;
    const uint32_t groups = U32(table, 12);
    if (!Fits(table, 16, size_t{12} * groups)) return false;
    for (uint32_t i = 0; i < groups; ++i) {
      const size_t at = 16 + size_t{12} * i;
      const uint32_t first = U32(table, at), last = std::min<uint32_t>(U32(table, at + 4), 0x10FFFF);
      const uint32_t glyph = U32(table, at + 8);
      for (uint32_t cp = first; cp <= last && cp - first + glyph < glyphs; ++cp) {
        if (cp - first + glyph != 0) mapping.emplace_back(cp, static_cast<uint16_t>(cp - first + glyph));
      }
    }
  } else {
    if (!Fits(table, 0, 14)) return false;
    const size_t segments = U16(table, 6) / 2;
    if (!Fits(table, 14, 8 * segments + 2)) return false;
    const size_t ends = 14, starts = ends + 2 * segments + 2, deltas = starts + 2 * segments,
                 ranges = deltas + 2 * segments;
    for (size_t i = 0; i < segments; ++i) {
      const uint32_t end = U16(table, ends + 2 * i), start = U16(table, starts + 2 * i);
      const uint16_t delta = U16(table, deltas + 2 * i), range = U16(table, ranges + 2 * i);
      for (uint32_t cp = start; cp <= end && cp != 0xFFFF; ++cp) {
        uint16_t glyph = 0;
        if (range == 0) {
          glyph = static_cast<uint16_t>(cp + delta);
        } else {
          const size_t at = ranges + 2 * i + range + size_t{2} * (cp - start);
          if (!Fits(table, at, 2)) break;
          const uint16_t raw = U16(table, at);
          if (raw != 0) glyph = static_cast<uint16_t>(raw + delta);
        }
        if (glyph != 0 && glyph < glyphs) mapping.emplace_back(cp, glyph);
      }
    }
  }
  std::sort(mapping.begin(), mapping.end());
  mapping.erase(
      std::unique(mapping.begin(), mapping.end(), [](const auto& a, const auto& b) { return a.first == b.first; }),
      mapping.end());
  if (mapping.empty() || mapping.size() >= 0xFFFF) return false;
  chars_.reserve(mapping.size() + 1);
  chars_.push_back(Char{0, 0, 0});
  pages_.assign(1, std::vector<uint16_t>(256, 0));
  page_of_.assign(256, 0);
  for (const auto& [cp, glyph] : mapping) {
    const auto index = static_cast<uint16_t>(chars_.size());
    chars_.push_back(Char{cp, glyph, widths_[glyph]});
    if (cp >= 0x10000) {
      supplementary_.emplace(cp, index);
      continue;
    }
    uint16_t& page = page_of_[cp >> 8];
    if (page == 0) {
      page = static_cast<uint16_t>(pages_.size());
      pages_.emplace_back(256, 0);
    }
    pages_[page][cp & 0xff] = index;
  }
  return true;
}

Result<std::shared_ptr<const TrueTypeFont>> TrueTypeFont::Load(const std::string& path) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const TrueTypeFont>> cache;
  std::lock_guard<std::mutex> lock(mutex);
  const auto it = cache.find(path);
  if (it != cache.end()) return it->second;
  Result<std::string> bytes = ReadWholeFile(path, "font file");
  if (!bytes.ok()) return bytes.status();
  Result<TrueTypeFont> font = Parse(std::move(bytes).value(), path);
  if (!font.ok()) return font.status();
  auto shared = std::shared_ptr<const TrueTypeFont>(new TrueTypeFont(std::move(font).value()));
  cache.emplace(path, shared);
  return shared;
}

uint32_t TrueTypeFont::Units(std::string_view utf8) const {
  uint32_t units = 0;
  for (size_t i = 0; i < utf8.size();) {
    const uint16_t index = IndexOf(NextCodePoint(utf8, &i));
    units += index != 0 ? chars_[index].width : NotdefWidth();
  }
  return units;
}

std::string TrueTypeFont::Subset(std::vector<uint8_t> used, std::vector<uint16_t>* renumbered) const {
  const size_t glyphs = widths_.size();
  used.resize(glyphs, 0);
  used[0] = 1;
  // Composite glyphs draw other glyphs, which must be kept too (at any depth).
  std::vector<uint16_t> pending;
  for (size_t g = 0; g < glyphs; ++g) {
    if (used[g] != 0 && !components_[g].empty()) pending.push_back(static_cast<uint16_t>(g));
  }
  while (!pending.empty()) {
    const uint16_t g = pending.back();
    pending.pop_back();
    for (const uint16_t c : components_[g]) {
      if (used[c] != 0) continue;
      used[c] = 1;
      pending.push_back(c);
    }
  }
  // The kept glyphs are numbered afresh (in their old order), so that hmtx and loca list only them.
  renumbered->assign(glyphs, 0);
  std::vector<uint16_t> kept;
  for (size_t g = 0; g < glyphs; ++g) {
    if (used[g] == 0) continue;
    (*renumbered)[g] = static_cast<uint16_t>(kept.size());
    kept.push_back(static_cast<uint16_t>(g));
  }
  const auto count = static_cast<uint16_t>(kept.size());

  const std::string_view glyf = TableData(Tag("glyf"));
  const std::string_view hmtx = TableData(Tag("hmtx"));
  std::string new_glyf, new_loca, new_hmtx;
  new_loca.reserve((size_t{count} + 1) * (long_loca_ ? 4 : 2));
  new_hmtx.reserve(size_t{count} * 4);
  for (const uint16_t g : kept) {
    if (long_loca_) {
      Put32(&new_loca, static_cast<uint32_t>(new_glyf.size()));
    } else {
      Put16(&new_loca, static_cast<uint16_t>(new_glyf.size() / 2));
    }
    const size_t at = new_glyf.size();
    new_glyf.append(glyf.substr(loca_[g], loca_[g + 1] - loca_[g]));
    if (!long_loca_ && new_glyf.size() % 2 != 0) new_glyf.push_back('\0');
    // A composite's components, checked by ParseGlyphs, get their new numbers.
    size_t component = at + 10;
    for (size_t k = 0; k < components_[g].size(); ++k) {
      const uint16_t flags = U16(new_glyf, component);
      const uint16_t number = (*renumbered)[components_[g][k]];
      new_glyf[component + 2] = static_cast<char>(number >> 8);
      new_glyf[component + 3] = static_cast<char>(number & 0xff);
      component += 4 + ((flags & kArgsAreWords) != 0 ? 4 : 2);
      if ((flags & kHaveScale) != 0) {
        component += 2;
      } else if ((flags & kHaveXYScale) != 0) {
        component += 4;
      } else if ((flags & kHaveTwoByTwo) != 0) {
        component += 8;
      }
    }
    // Every kept glyph gets a full metric (advance, left side bearing).
    const size_t metric = std::min<size_t>(g, size_t{hmetrics_} - 1);
    Put16(&new_hmtx, U16(hmtx, 4 * metric));
    const size_t lsb = g < hmetrics_ ? 4 * size_t{g} + 2 : 4 * size_t{hmetrics_} + 2 * (g - size_t{hmetrics_});
    Put16(&new_hmtx, Fits(hmtx, lsb, 2) ? U16(hmtx, lsb) : 0);
  }
  if (long_loca_) {
    Put32(&new_loca, static_cast<uint32_t>(new_glyf.size()));
  } else {
    Put16(&new_loca, static_cast<uint16_t>(new_glyf.size() / 2));
  }
  std::string new_hhea(TableData(Tag("hhea")));
  new_hhea[34] = static_cast<char>(count >> 8);
  new_hhea[35] = static_cast<char>(count & 0xff);
  std::string new_maxp(TableData(Tag("maxp")));
  new_maxp[4] = static_cast<char>(count >> 8);
  new_maxp[5] = static_cast<char>(count & 0xff);

  struct Out {
    uint32_t tag;
    std::string_view data;
  };
  std::vector<Out> tables;
  for (const uint32_t tag : kKeptTables) {
    std::string_view data;
    if (tag == Tag("glyf")) {
      data = new_glyf;
    } else if (tag == Tag("loca")) {
      data = new_loca;
    } else if (tag == Tag("hmtx")) {
      data = new_hmtx;
    } else if (tag == Tag("hhea")) {
      data = new_hhea;
    } else if (tag == Tag("maxp")) {
      data = new_maxp;
    } else {
      data = TableData(tag);
      if (data.empty()) continue;
    }
    tables.push_back({tag, data});
  }
  const auto table_count = static_cast<uint16_t>(tables.size());
  uint16_t power = 1, log2 = 0;
  while (power * 2 <= table_count) {
    power = static_cast<uint16_t>(power * 2);
    ++log2;
  }
  std::string out;
  size_t total = 12 + size_t{16} * table_count;
  for (const Out& t : tables) total += (t.data.size() + 3) & ~size_t{3};
  out.reserve(total);
  Put32(&out, 0x00010000);
  Put16(&out, table_count);
  Put16(&out, static_cast<uint16_t>(power * 16));
  Put16(&out, log2);
  Put16(&out, static_cast<uint16_t>(table_count * 16 - power * 16));
  size_t directory = out.size();
  out.resize(12 + size_t{16} * table_count);
  size_t head_at = 0;
  for (const Out& t : tables) {
    const size_t at = out.size();
    out.append(t.data);
    if (t.tag == Tag("head")) {
      head_at = at;
      Set32(&out, at + 8, 0);  // checkSumAdjustment, computed below
    }
    out.resize((out.size() + 3) & ~size_t{3}, '\0');
    Set32(&out, directory, t.tag);
    Set32(&out, directory + 4, Checksum(std::string_view{out}.substr(at, t.data.size())));
    Set32(&out, directory + 8, static_cast<uint32_t>(at));
    Set32(&out, directory + 12, static_cast<uint32_t>(t.data.size()));
    directory += 16;
  }
  if (head_at != 0) Set32(&out, head_at + 8, 0xB1B0AFBAu - Checksum(out));
  return out;
}

EmbeddedFont::EmbeddedFont(std::shared_ptr<const TrueTypeFont> font, std::string resource)
    : font_(std::move(font)), resource_(std::move(resource)) {
  used_.assign(font_->char_count(), 0);
}

uint16_t EmbeddedFont::CidOf(char32_t code_point) {
  any_used_ = true;
  if (const uint16_t index = font_->IndexOf(code_point); index != 0) {
    used_[index] = 1;
    return index;
  }
  // CIDs are two bytes; a document with more distinct missing characters shows the rest as CID 0.
  const auto [it, inserted] = cid_of_missing_.try_emplace(code_point, 0);
  if (inserted && used_.size() <= 0xFFFF) {
    it->second = static_cast<uint16_t>(used_.size());
    used_.push_back(1);
    missing_.push_back(code_point);
  }
  return it->second;
}

char32_t EmbeddedFont::CodePointOf(size_t cid) const {
  return cid < font_->char_count() ? font_->CharAt(static_cast<uint16_t>(cid)).code_point
                                   : missing_[cid - font_->char_count()];
}

void EmbeddedFont::AppendEncoded(std::string_view utf8, std::string* out) {
  // A literal string of two bytes per character; only ( ) \ and CR need escaping (an unescaped
  // CR would be read as LF). At most four bytes per input byte, written in place.
  const size_t start = out->size();
  out->resize(start + 2 + 4 * utf8.size());
  char* p = out->data() + start;
  auto put = [&p](uint8_t byte) {
    if (byte == '(' || byte == ')' || byte == '\\') {
      *p++ = '\\';
    } else if (byte == '\r') {
      *p++ = '\\';
      byte = 'r';
    }
    *p++ = static_cast<char>(byte);
  };
  *p++ = '(';
  for (size_t i = 0; i < utf8.size();) {
    const uint16_t cid = CidOf(NextCodePoint(utf8, &i));
    put(static_cast<uint8_t>(cid >> 8));
    put(static_cast<uint8_t>(cid & 0xff));
  }
  *p++ = ')';
  out->resize(static_cast<size_t>(p - out->data()));
}

namespace {

// Six capital letters naming a subset (PDF 9.6.4), derived from what it holds so that the same
// document always gets the same tag.
std::string SubsetTag(const std::vector<uint8_t>& used) {
  uint64_t hash = 14695981039346656037ull;
  for (size_t g = 0; g < used.size(); ++g) {
    if (used[g] == 0) continue;
    hash = (hash ^ g) * 1099511628211ull;
  }
  std::string tag(6, 'A');
  for (char& c : tag) {
    c = static_cast<char>('A' + hash % 26);
    hash /= 26;
  }
  return tag;
}

void AppendHex4(std::string* out, uint32_t v) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  const char digits[4] = {kHex[(v >> 12) & 0xf], kHex[(v >> 8) & 0xf], kHex[(v >> 4) & 0xf], kHex[v & 0xf]};
  out->append(digits, 4);
}

void AppendUtf16Hex(std::string* out, char32_t cp) {
  if (cp >= 0x10000) {
    cp -= 0x10000;
    AppendHex4(out, 0xD800 + (cp >> 10));
    AppendHex4(out, 0xDC00 + (cp & 0x3FF));
  } else {
    AppendHex4(out, cp);
  }
}

// A ToUnicode CMap giving each used CID its character (`code_point_of`): runs of CIDs whose
// characters are consecutive as bfrange, within one 256-block on both sides as the CMap rules ask;
// the rest as bfchar.
template <typename CodePointOf>
std::string ToUnicodeCMap(const std::vector<uint8_t>& used, const CodePointOf& code_point_of) {
  struct Range {
    size_t first, last;
    char32_t code_point;
  };
  std::vector<Range> ranges, singles;
  for (size_t cid = 1; cid < used.size(); ++cid) {
    if (used[cid] == 0) continue;
    const char32_t cp = code_point_of(cid);
    if (!ranges.empty()) {
      Range& r = ranges.back();
      const size_t n = r.last - r.first + 1;
      if (r.last + 1 == cid && r.code_point + n == cp && cp < 0x10000 && (cid & 0xff) != 0 && (cp & 0xff) != 0) {
        r.last = cid;
        continue;
      }
    }
    ranges.push_back(Range{cid, cid, cp});
  }
  std::vector<Range> spans;
  for (const Range& r : ranges) (r.first == r.last ? singles : spans).push_back(r);
  std::string out =
      "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
      "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
      "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
  out.reserve(out.size() + 24 * spans.size() + 16 * singles.size() + 200);
  for (size_t first = 0; first < spans.size(); first += 100) {
    const size_t last = std::min(spans.size(), first + 100);
    out += std::to_string(last - first) + " beginbfrange\n";
    for (size_t i = first; i < last; ++i) {
      out.push_back('<');
      AppendHex4(&out, static_cast<uint32_t>(spans[i].first));
      out += "> <";
      AppendHex4(&out, static_cast<uint32_t>(spans[i].last));
      out += "> <";
      AppendUtf16Hex(&out, spans[i].code_point);
      out += ">\n";
    }
    out += "endbfrange\n";
  }
  for (size_t first = 0; first < singles.size(); first += 100) {
    const size_t last = std::min(singles.size(), first + 100);
    out += std::to_string(last - first) + " beginbfchar\n";
    for (size_t i = first; i < last; ++i) {
      out.push_back('<');
      AppendHex4(&out, static_cast<uint32_t>(singles[i].first));
      out += "> <";
      AppendUtf16Hex(&out, singles[i].code_point);
      out += ">\n";
    }
    out += "endbfchar\n";
  }
  out += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
  return out;
}

// zlib level for the small per-font streams (ToUnicode, CIDToGIDMap): level 6 saves 6 % (35 bytes a
// CMap) and takes 75 % longer.
constexpr int kFontStreamDeflateLevel = 1;

}  // namespace

HPDF_Dict EmbeddedFont::Dict(HPDF_Doc doc) {
  if (dict_ != nullptr) return dict_;
  HPDF_Dict dict = HPDF_Dict_New(doc->mmgr);
  if (dict == nullptr || HPDF_Xref_Add(doc->xref, dict) != HPDF_OK) return nullptr;  // Xref_Add frees on failure
  dict_ = dict;
  return dict_;
}

Status EmbeddedFont::Finish(HPDF_Doc doc, const HaruError& error) {
  const std::string step = "embedding font " + font_->postscript_name();
  HPDF_Dict type0 = Dict(doc);
  if (type0 == nullptr) return CheckHaru(error, step);

  const TrueTypeFont& f = *font_;
  const size_t chars = f.char_count();
  auto glyph_of = [&](size_t cid) -> uint16_t { return cid < chars ? f.CharAt(static_cast<uint16_t>(cid)).glyph : 0; };
  auto width_of = [&](size_t cid) -> uint16_t {
    return cid < chars && cid != 0 ? f.CharAt(static_cast<uint16_t>(cid)).width : f.NotdefWidth();
  };
  size_t last_cid = 0;
  std::vector<uint8_t> glyphs(f.glyph_count(), 0);
  for (size_t cid = 1; cid < used_.size(); ++cid) {
    if (used_[cid] == 0) continue;
    last_cid = cid;
    glyphs[glyph_of(cid)] = 1;
  }
  const std::string base_font = SubsetTag(glyphs) + "+" + f.postscript_name();
  std::vector<uint16_t> renumbered;
  std::string program = f.Subset(std::move(glyphs), &renumbered);
  Result<std::string> to_unicode_z =
      Deflate(ToUnicodeCMap(used_, [this](size_t cid) { return CodePointOf(cid); }), kFontStreamDeflateLevel);
  if (!to_unicode_z.ok()) return to_unicode_z.status();

  auto raw = [this](std::string text) {
    raw_entries_.push_back(std::make_unique<std::string>(std::move(text)));
    return raw_entries_.back().get();
  };
  // The CIDToGIDMap covers every CID up to the last one used, mostly zeros: deflated, 670 bytes
  // become 150. The CIDSet is a few dozen bytes. The font program is not compressed: zlib takes
  // about 100 instructions a byte on glyph outlines, so deflating the two programs (10 KB for a
  // typical certificate) took a third of the render to save 3.5 KB.
  std::string map, set(last_cid / 8 + 1, '\0');
  map.reserve(2 * (last_cid + 1));
  for (size_t cid = 0; cid <= last_cid; ++cid) {
    const bool present = cid == 0 || used_[cid] != 0;
    Put16(&map, present ? renumbered[glyph_of(cid)] : 0);
    if (present) set[cid / 8] = static_cast<char>(set[cid / 8] | (0x80 >> (cid % 8)));
  }
  const std::string* program_bytes = raw(std::move(program));
  HPDF_Dict font_file = NewStream(doc, *program_bytes, raw("/Length1 " + std::to_string(program_bytes->size()) + "\n"));
  HPDF_Dict to_unicode = NewDeflatedStream(doc, *raw(std::move(to_unicode_z).value()));
  Result<std::string> map_z = Deflate(map, kFontStreamDeflateLevel);
  if (!map_z.ok()) return map_z.status();
  HPDF_Dict cid_to_gid = NewDeflatedStream(doc, *raw(std::move(map_z).value()));
  HPDF_Dict cid_set = NewStream(doc, *raw(std::move(set)));
  if (font_file == nullptr || to_unicode == nullptr || cid_to_gid == nullptr || cid_set == nullptr) {
    LIMS_RETURN_IF_ERROR(CheckHaru(error, step));
    return Status::Internal("libharu failed while " + step);
  }
  HPDF_STATUS rc = HPDF_OK;

  char numbers[256];
  std::snprintf(numbers, sizeof(numbers),
                "/Flags %d\n/FontBBox [%d %d %d %d]\n/ItalicAngle %d\n/Ascent %d\n/Descent %d\n/CapHeight %d\n"
                "/StemV 0\n",
                f.bold() ? 0x40020 : 0x20, f.bbox()[0], f.bbox()[1], f.bbox()[2], f.bbox()[3], f.italic_angle(),
                f.ascent(), f.descent(), f.cap_height());
  HPDF_Dict descriptor = HPDF_Dict_New(doc->mmgr);
  if (descriptor == nullptr || HPDF_Xref_Add(doc->xref, descriptor) != HPDF_OK) return CheckHaru(error, step);
  SetRawEntries(descriptor, raw("/Type /FontDescriptor\n/FontName /" + base_font + "\n" + numbers));
  rc |= HPDF_Dict_Add(descriptor, "FontFile2", font_file);
  rc |= HPDF_Dict_Add(descriptor, "CIDSet", cid_set);

  // Widths of the used CIDs, a run of consecutive CIDs per entry: [c [w1 w2 ...] ...].
  std::string widths = "/W [";
  widths.reserve(widths.size() + 6 * (last_cid + 1) + 8);
  for (size_t cid = 1; cid <= last_cid; ++cid) {
    if (used_[cid] == 0) continue;
    if (cid == 1 || used_[cid - 1] == 0) {
      if (widths.back() == ']') widths += ' ';
      widths += std::to_string(cid) + " [";
    } else {
      widths += ' ';
    }
    widths += std::to_string(width_of(cid));
    if (cid == last_cid || used_[cid + 1] == 0) widths += ']';
  }
  widths += "]\n";
  HPDF_Dict cid_font = HPDF_Dict_New(doc->mmgr);
  if (cid_font == nullptr || HPDF_Xref_Add(doc->xref, cid_font) != HPDF_OK) return CheckHaru(error, step);
  SetRawEntries(cid_font, raw("/Type /Font\n/Subtype /CIDFontType2\n/BaseFont /" + base_font +
                              "\n/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>\n/DW " +
                              std::to_string(f.NotdefWidth()) + "\n" + widths));
  rc |= HPDF_Dict_Add(cid_font, "FontDescriptor", descriptor);
  rc |= HPDF_Dict_Add(cid_font, "CIDToGIDMap", cid_to_gid);

  HPDF_Array descendants = HPDF_Array_New(doc->mmgr);
  if (descendants == nullptr) return CheckHaru(error, step);
  rc |= HPDF_Dict_Add(type0, "DescendantFonts", descendants);
  rc |= HPDF_Array_Add(descendants, cid_font);
  rc |= HPDF_Dict_Add(type0, "ToUnicode", to_unicode);
  SetRawEntries(type0, raw("/Type /Font\n/Subtype /Type0\n/BaseFont /" + base_font + "\n/Encoding /Identity-H\n"));
  LIMS_RETURN_IF_ERROR(CheckHaru(error, step));
  if (rc != HPDF_OK) return Status::Internal("libharu failed while " + step);
  return Status::Ok();
}

// ---- Streams compressed here ----

Result<std::string> Deflate(std::string_view data, int level) {
  struct Compressor {
    z_stream stream{};
    int level = 0;
    bool ready = false;
    ~Compressor() {
      if (ready) deflateEnd(&stream);
    }
  };
  thread_local Compressor compressor;
  z_stream& z = compressor.stream;
  if (compressor.ready && compressor.level != level) {
    deflateEnd(&z);
    compressor.ready = false;
  }
  if (!compressor.ready) {
    z = z_stream{};
    if (deflateInit(&z, level) != Z_OK) return Status::Internal("zlib could not start a compressor");
    compressor.ready = true;
    compressor.level = level;
  } else if (deflateReset(&z) != Z_OK) {
    return Status::Internal("zlib could not reset its compressor");
  }
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  if (deflate(&z, Z_FINISH) != Z_STREAM_END) return Status::Internal("zlib could not compress a stream");
  out.resize(z.total_out);
  return out;
}

const std::string& FlateFilterEntry() {
  static const std::string entry = "/Filter /FlateDecode\n";
  return entry;
}

void SetRawEntries(HPDF_Dict dict, const std::string* entries) {
  dict->attr = const_cast<std::string*>(entries);
  dict->write_fn = WriteRawEntries;
}

HPDF_Stream SetStreamBytes(HPDF_Dict dict, std::string_view bytes) {
  auto* source = static_cast<ByteSource*>(HPDF_GetMem(dict->mmgr, sizeof(ByteSource)));
  if (source == nullptr) return nullptr;
  *source = ByteSource{bytes.data(), static_cast<HPDF_UINT>(bytes.size()), 0};
  HPDF_Stream reader = HPDF_CallbackReader_New(dict->mmgr, ReadBytes, SeekBytes, TellBytes, SizeOfBytes, source);
  if (reader == nullptr) {
    HPDF_FreeMem(dict->mmgr, source);
    return nullptr;
  }
  reader->free_fn = FreeByteSource;
  HPDF_Stream_Free(dict->stream);
  dict->stream = reader;
  dict->filter = HPDF_STREAM_FILTER_NONE;  // written as they are
  return reader;
}

HPDF_Dict NewStream(HPDF_Doc doc, std::string_view bytes, const std::string* entries) {
  HPDF_Dict dict = HPDF_DictStream_New(doc->mmgr, doc->xref);
  if (dict == nullptr || SetStreamBytes(dict, bytes) == nullptr) return nullptr;
  if (entries != nullptr) SetRawEntries(dict, entries);
  return dict;
}

HPDF_Dict NewDeflatedStream(HPDF_Doc doc, std::string_view deflated, const std::string* entries) {
  return NewStream(doc, deflated, entries != nullptr ? entries : &FlateFilterEntry());
}

Result<std::shared_ptr<const std::string>> DeflatedFile(const std::string& path, const char* what) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const std::string>> cache;
  std::lock_guard<std::mutex> lock(mutex);
  const auto it = cache.find(path);
  if (it != cache.end()) return it->second;
  Result<std::string> bytes = ReadWholeFile(path, what);
  if (!bytes.ok()) return bytes.status();
  // Compressed once per process, so the best level costs nothing per document.
  Result<std::string> deflated = Deflate(*bytes, Z_BEST_COMPRESSION);
  if (!deflated.ok()) return deflated.status();
  auto shared = std::make_shared<const std::string>(std::move(deflated).value());
  cache.emplace(path, shared);
  return shared;
}

}  // namespace lims::reports::pdf
