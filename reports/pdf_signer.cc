#include "reports/pdf_signer.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lims::reports {
namespace {

// ---- Lexing: just enough PDF syntax to find the extent of any object value ----

constexpr int kMaxNesting = 64;

bool IsWhite(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}
bool IsDelimiter(char c) {
  return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' || c == '}' || c == '/' ||
         c == '%';
}
bool IsRegular(char c) {
  return !IsWhite(c) && !IsDelimiter(c);
}

class Scanner {
 public:
  Scanner(std::string_view text, size_t pos) : s_(text), pos_(std::min(pos, text.size())) {}

  size_t pos() const { return pos_; }
  bool AtEnd() const { return pos_ >= s_.size(); }
  bool LookingAt(std::string_view lit) const { return s_.substr(pos_, lit.size()) == lit; }

  // Whitespace and comments.
  void SkipSpace() {
    while (pos_ < s_.size()) {
      if (IsWhite(s_[pos_])) {
        ++pos_;
      } else if (s_[pos_] == '%') {
        while (pos_ < s_.size() && s_[pos_] != '\n' && s_[pos_] != '\r') ++pos_;
      } else {
        return;
      }
    }
  }

  // A run of regular characters ("obj", "R", "123"), after any whitespace.
  std::string_view ReadToken() {
    SkipSpace();
    const size_t start = pos_;
    while (pos_ < s_.size() && IsRegular(s_[pos_])) ++pos_;
    return s_.substr(start, pos_ - start);
  }

  bool ReadKeyword(std::string_view keyword) { return ReadToken() == keyword; }

  std::optional<uint64_t> ReadUnsigned() {
    const std::string_view token = ReadToken();
    if (token.empty() || token.size() > 18) return std::nullopt;
    uint64_t value = 0;
    for (const char c : token) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + static_cast<uint64_t>(c - '0');
    }
    return value;
  }

  // Skips one complete value (dictionary, array, string, name, number, keyword or "n g R").
  bool SkipValue(int depth = 0) {
    SkipSpace();
    if (AtEnd() || depth > kMaxNesting) return false;
    if (LookingAt("<<")) return SkipDict(depth);
    switch (s_[pos_]) {
      case '<':
        return SkipPast('>');
      case '(':
        return SkipLiteralString();
      case '[':
        return SkipArray(depth);
      case '/':
        ++pos_;
        while (pos_ < s_.size() && IsRegular(s_[pos_])) ++pos_;
        return true;
      default:
        return SkipTokenOrReference();
    }
  }

 private:
  bool SkipPast(char end) {
    const size_t found = s_.find(end, pos_);
    if (found == std::string_view::npos) return false;
    pos_ = found + 1;
    return true;
  }

  bool SkipLiteralString() {
    int open = 0;
    for (; pos_ < s_.size(); ++pos_) {
      const char c = s_[pos_];
      if (c == '\\') {
        ++pos_;
      } else if (c == '(') {
        ++open;
      } else if (c == ')' && --open == 0) {
        ++pos_;
        return true;
      }
    }
    return false;
  }

  bool SkipArray(int depth) {
    ++pos_;
    for (;;) {
      SkipSpace();
      if (AtEnd()) return false;
      if (s_[pos_] == ']') {
        ++pos_;
        return true;
      }
      if (!SkipValue(depth + 1)) return false;
    }
  }

  bool SkipDict(int depth) {
    pos_ += 2;
    for (;;) {
      SkipSpace();
      if (LookingAt(">>")) {
        pos_ += 2;
        return true;
      }
      if (AtEnd() || s_[pos_] != '/') return false;
      if (!SkipValue(depth + 1) || !SkipValue(depth + 1)) return false;
    }
  }

  // A number may be the start of an indirect reference "12 0 R": look ahead, and back off if not.
  bool SkipTokenOrReference() {
    const std::string_view token = ReadToken();
    if (token.empty()) return false;
    if (token.find_first_not_of("0123456789") != std::string_view::npos) return true;
    const size_t after_number = pos_;
    if (ReadUnsigned().has_value() && ReadKeyword("R")) return true;
    pos_ = after_number;
    return true;
  }

  std::string_view s_;
  size_t pos_;
};

// ---- Dictionaries as ordered (key, raw value) pairs, so that copies keep every value verbatim ----

using Dict = std::vector<std::pair<std::string, std::string>>;

Result<Dict> ParseDict(std::string_view raw) {
  Scanner sc(raw, 0);
  sc.SkipSpace();
  if (!sc.LookingAt("<<")) return Status::InvalidArgument("PDF: expected a dictionary");
  Scanner body(raw, sc.pos() + 2);
  Dict dict;
  for (;;) {
    body.SkipSpace();
    if (body.LookingAt(">>")) return dict;
    const size_t key_start = body.pos();
    if (body.AtEnd() || raw[key_start] != '/' || !body.SkipValue()) {
      return Status::InvalidArgument("PDF: malformed dictionary key");
    }
    std::string key(raw.substr(key_start, body.pos() - key_start));
    body.SkipSpace();
    const size_t value_start = body.pos();
    if (!body.SkipValue()) return Status::InvalidArgument("PDF: malformed value of " + key);
    dict.emplace_back(std::move(key), std::string(raw.substr(value_start, body.pos() - value_start)));
  }
}

const std::string* Find(const Dict& dict, std::string_view key) {
  for (const auto& [k, v] : dict) {
    if (k == key) return &v;
  }
  return nullptr;
}

void Set(Dict* dict, const std::string& key, std::string value) {
  for (auto& [k, v] : *dict) {
    if (k == key) {
      v = std::move(value);
      return;
    }
  }
  dict->emplace_back(key, std::move(value));
}

std::string Serialize(const Dict& dict) {
  std::string out = "<<";
  for (const auto& [k, v] : dict) {
    out += ' ';
    out += k;
    out += ' ';
    out += v;
  }
  return out + " >>";
}

struct Ref {
  uint64_t num = 0;
  uint64_t gen = 0;
  std::string ToString() const { return std::to_string(num) + " " + std::to_string(gen) + " R"; }
};

std::optional<Ref> ParseRefAt(Scanner* sc) {
  const std::optional<uint64_t> num = sc->ReadUnsigned();
  const std::optional<uint64_t> gen = sc->ReadUnsigned();
  if (!num || !gen || !sc->ReadKeyword("R")) return std::nullopt;
  return Ref{*num, *gen};
}

std::optional<Ref> ParseRef(const std::string* raw) {
  if (raw == nullptr) return std::nullopt;
  Scanner sc(*raw, 0);
  std::optional<Ref> ref = ParseRefAt(&sc);
  sc.SkipSpace();
  return sc.AtEnd() ? ref : std::nullopt;
}

// ---- Cross-reference tables ----

constexpr size_t kMaxObjects = 10'000'000;
constexpr int kMaxSections = 64;

struct XrefEntry {
  uint64_t offset = 0;
  uint64_t gen = 0;
  bool in_use = false;
};

struct Document {
  std::string_view bytes;
  std::map<uint64_t, XrefEntry> objects;  // the newest definition of each object
  Dict trailer;                           // the newest trailer
  uint64_t startxref = 0;
};

Result<uint64_t> FindStartXref(std::string_view pdf) {
  const size_t at = pdf.rfind("startxref");
  if (at == std::string_view::npos) return Status::InvalidArgument("PDF: no startxref");
  Scanner sc(pdf, at + 9);
  const std::optional<uint64_t> offset = sc.ReadUnsigned();
  if (!offset || *offset >= pdf.size()) return Status::InvalidArgument("PDF: bad startxref offset");
  return *offset;
}

// One subsection's entries; older sections never override what a newer one defined.
Status ReadSubsection(Scanner* sc, uint64_t first, uint64_t count, size_t file_size, Document* doc) {
  if (count > kMaxObjects || first > kMaxObjects || count > file_size / 18) {
    return Status::InvalidArgument("PDF: implausible xref subsection");
  }
  for (uint64_t i = 0; i < count; ++i) {
    const std::optional<uint64_t> offset = sc->ReadUnsigned();
    const std::optional<uint64_t> gen = sc->ReadUnsigned();
    const std::string_view type = sc->ReadToken();
    if (!offset || !gen || (type != "n" && type != "f")) return Status::InvalidArgument("PDF: malformed xref entry");
    doc->objects.try_emplace(first + i, XrefEntry{*offset, *gen, type == "n"});
  }
  return Status::Ok();
}

Result<Dict> ReadXrefSection(uint64_t offset, Document* doc) {
  Scanner sc(doc->bytes, offset);
  const std::string_view keyword = sc.ReadToken();
  if (keyword != "xref") {
    if (!keyword.empty() && keyword.find_first_not_of("0123456789") == std::string_view::npos) {
      return Status::Unprocessable("PDF: cross-reference streams are not supported");
    }
    return Status::InvalidArgument("PDF: startxref does not point at an xref table");
  }
  for (;;) {
    sc.SkipSpace();
    if (sc.LookingAt("trailer")) break;
    const std::optional<uint64_t> first = sc.ReadUnsigned();
    const std::optional<uint64_t> count = sc.ReadUnsigned();
    if (!first || !count) return Status::InvalidArgument("PDF: malformed xref table");
    LIMS_RETURN_IF_ERROR(ReadSubsection(&sc, *first, *count, doc->bytes.size(), doc));
  }
  sc.ReadToken();  // "trailer"
  sc.SkipSpace();
  const size_t start = sc.pos();
  if (!sc.SkipValue()) return Status::InvalidArgument("PDF: malformed trailer");
  return ParseDict(doc->bytes.substr(start, sc.pos() - start));
}

Result<Document> LoadDocument(std::string_view pdf) {
  if (pdf.substr(0, 5) != "%PDF-") return Status::InvalidArgument("not a PDF: no %PDF- header");
  Document doc;
  doc.bytes = pdf;
  Result<uint64_t> offset = FindStartXref(pdf);
  if (!offset.ok()) return offset.status();
  doc.startxref = *offset;
  std::set<uint64_t> seen;
  for (int section = 0; section < kMaxSections; ++section) {
    if (!seen.insert(*offset).second) return Status::InvalidArgument("PDF: /Prev loop in xref chain");
    Result<Dict> trailer = ReadXrefSection(*offset, &doc);
    if (!trailer.ok()) return trailer.status();
    if (Find(*trailer, "/XRefStm") != nullptr) return Status::Unprocessable("PDF: hybrid xref files are not supported");
    if (section == 0) doc.trailer = *trailer;
    const std::string* prev = Find(*trailer, "/Prev");
    if (prev == nullptr) return doc;
    Scanner sc(*prev, 0);
    const std::optional<uint64_t> next = sc.ReadUnsigned();
    if (!next || *next >= pdf.size()) return Status::InvalidArgument("PDF: bad /Prev offset");
    *offset = *next;
  }
  return Status::InvalidArgument("PDF: too many xref sections");
}

// The raw text of an indirect object's value ("<< ... >>", "[ ... ]", ...).
Result<std::string> ReadObject(const Document& doc, const Ref& ref) {
  const auto it = doc.objects.find(ref.num);
  const std::string name = "object " + std::to_string(ref.num) + " " + std::to_string(ref.gen);
  if (it == doc.objects.end() || !it->second.in_use || it->second.gen != ref.gen) {
    return Status::InvalidArgument("PDF: " + name + " is not in the xref table");
  }
  Scanner sc(doc.bytes, it->second.offset);
  if (sc.ReadUnsigned() != ref.num || sc.ReadUnsigned() != ref.gen || !sc.ReadKeyword("obj")) {
    return Status::InvalidArgument("PDF: " + name + " is not at its xref offset");
  }
  sc.SkipSpace();
  const size_t start = sc.pos();
  if (!sc.SkipValue()) return Status::InvalidArgument("PDF: " + name + " is malformed");
  return std::string(doc.bytes.substr(start, sc.pos() - start));
}

Result<Dict> ReadDict(const Document& doc, const Ref& ref) {
  Result<std::string> raw = ReadObject(doc, ref);
  if (!raw.ok()) return raw.status();
  return ParseDict(*raw);
}

// An array value, following one level of indirection (/Kids 5 0 R, /Annots 9 0 R).
Result<std::string> ResolveArray(const Document& doc, const std::string& raw) {
  if (!raw.empty() && raw[0] == '[') return raw;
  const std::optional<Ref> ref = ParseRef(&raw);
  if (!ref) return Status::InvalidArgument("PDF: expected an array or a reference");
  Result<std::string> target = ReadObject(doc, *ref);
  if (!target.ok()) return target.status();
  if (target->empty() || (*target)[0] != '[') return Status::InvalidArgument("PDF: expected an array");
  return target;
}

struct Page {
  Ref ref;
  Dict dict;
};

// Walks /Pages → /Kids[0] down to the first leaf page.
Result<Page> FirstPage(const Document& doc, const Dict& catalog) {
  std::optional<Ref> ref = ParseRef(Find(catalog, "/Pages"));
  for (int depth = 0; ref && depth < kMaxNesting; ++depth) {
    Result<Dict> node = ReadDict(doc, *ref);
    if (!node.ok()) return node.status();
    const std::string* type = Find(*node, "/Type");
    if (type != nullptr && *type == "/Page") return Page{*ref, std::move(node).value()};
    const std::string* kids_raw = Find(*node, "/Kids");
    if (kids_raw == nullptr) return Status::InvalidArgument("PDF: page tree node without /Kids");
    Result<std::string> kids = ResolveArray(doc, *kids_raw);
    if (!kids.ok()) return kids.status();
    Scanner sc(*kids, 1);
    ref = ParseRefAt(&sc);
  }
  return Status::InvalidArgument("PDF: cannot find the first page");
}

// ---- Writing the update ----

constexpr size_t kByteRangeWidth = 36;  // "[0 a b c]" with three 10-digit numbers, padded inside

// A PDF text string: a literal for printable ASCII, else UTF-16BE with a byte-order mark, in hex.
Result<std::string> TextString(std::string_view utf8) {
  const bool ascii = std::all_of(utf8.begin(), utf8.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
  if (ascii) {
    std::string out = "(";
    for (const char c : utf8) {
      if (c == '(' || c == ')' || c == '\\') out += '\\';
      out += c;
    }
    return out + ")";
  }
  std::string out = "<FEFF";
  auto put16 = [&out](uint32_t unit) {
    char buf[5];
    std::snprintf(buf, sizeof(buf), "%04X", unit);
    out += buf;
  };
  for (size_t i = 0; i < utf8.size();) {
    const auto lead = static_cast<unsigned char>(utf8[i]);
    const size_t len = lead < 0x80 ? 1 : (lead >> 5) == 6 ? 2 : (lead >> 4) == 14 ? 3 : (lead >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > utf8.size()) return Status::InvalidArgument("signature text is not valid UTF-8");
    uint32_t cp = len == 1 ? lead : lead & (0x7f >> len);
    for (size_t k = 1; k < len; ++k) {
      const auto cont = static_cast<unsigned char>(utf8[i + k]);
      if ((cont & 0xc0) != 0x80) return Status::InvalidArgument("signature text is not valid UTF-8");
      cp = (cp << 6) | (cont & 0x3f);
    }
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return Status::InvalidArgument("signature text is not valid UTF-8");
    }
    if (cp >= 0x10000) {
      put16(0xd800 + ((cp - 0x10000) >> 10));
      put16(0xdc00 + ((cp - 0x10000) & 0x3ff));
    } else {
      put16(cp);
    }
    i += len;
  }
  return out + ">";
}

// "(D:20261124080000+00'00')": UTC, with the zero offset spelled out as PDF/A prefers.
std::string PdfDate(Timestamp t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd(day);
  const std::chrono::hh_mm_ss hms(t - day);
  char buf[40];
  std::snprintf(buf, sizeof(buf), "(D:%04d%02u%02u%02d%02d%02lld+00'00')", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<long long>(hms.seconds().count()));
  return buf;
}

struct Update {
  std::string pdf;  // the original bytes plus the update
  size_t byte_range_at = 0;
  size_t contents_at = 0;   // the '<' of /Contents
  size_t contents_end = 0;  // one past its '>'
};

struct NewObject {
  Ref ref;
  size_t offset = 0;
};

Result<std::string> SigDictionary(const SignatureInfo& info, const SigningKey& key) {
  std::string out;
  out.reserve(2 * kSignatureReserve + 512);
  out += "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter ";
  out += info.sub_filter == SubFilter::kEtsiCadesDetached ? "/ETSI.CAdES.detached" : "/adbe.pkcs7.detached";
  out += " /ByteRange ";
  out.append(kByteRangeWidth, ' ');
  out += " /Contents <";
  out.append(2 * kSignatureReserve, '0');
  out += "> /M ";
  out += PdfDate(info.signing_time);
  const std::pair<const char*, std::string> fields[] = {
      {"/Name", info.signer_name.empty() ? key.SubjectCommonName() : info.signer_name},
      {"/Reason", info.reason},
      {"/Location", info.location},
      {"/ContactInfo", info.contact}};
  for (const auto& [name, text] : fields) {
    if (text.empty()) continue;
    Result<std::string> encoded = TextString(text);
    if (!encoded.ok()) return encoded.status();
    out += std::string(" ") + name + " " + *encoded;
  }
  return out + " >>";
}

void AppendObject(Update* update, std::vector<NewObject>* objects, const Ref& ref, const std::string& body) {
  objects->push_back(NewObject{ref, update->pdf.size()});
  std::string& out = update->pdf;
  out += std::to_string(ref.num);
  out += ' ';
  out += std::to_string(ref.gen);
  out += " obj\n";
  out += body;
  out += "\nendobj\n";
}

// A classic xref section over the new objects, grouped into runs of consecutive numbers.
std::string XrefSection(std::vector<NewObject> objects) {
  std::sort(objects.begin(), objects.end(),
            [](const NewObject& a, const NewObject& b) { return a.ref.num < b.ref.num; });
  std::string out = "xref\n";
  for (size_t i = 0; i < objects.size();) {
    size_t j = i + 1;
    while (j < objects.size() && objects[j].ref.num == objects[j - 1].ref.num + 1) ++j;
    out += std::to_string(objects[i].ref.num) + " " + std::to_string(j - i) + "\n";
    for (; i < j; ++i) {
      char entry[24];
      std::snprintf(entry, sizeof(entry), "%010llu %05llu n\r\n", static_cast<unsigned long long>(objects[i].offset),
                    static_cast<unsigned long long>(objects[i].ref.gen));
      out += entry;
    }
  }
  return out;
}

std::string Trailer(const Document& doc, const Ref& root, uint64_t size) {
  Dict trailer = {{"/Size", std::to_string(size)}, {"/Root", root.ToString()}};
  for (const char* key : {"/Info", "/ID"}) {
    if (const std::string* value = Find(doc.trailer, key)) trailer.emplace_back(key, *value);
  }
  trailer.emplace_back("/Prev", std::to_string(doc.startxref));
  return "trailer\n" + Serialize(trailer) + "\n";
}

Result<std::string> PageWithWidget(const Document& doc, Page page, const Ref& widget) {
  std::string annots = "[" + widget.ToString() + "]";
  if (const std::string* existing = Find(page.dict, "/Annots")) {
    Result<std::string> array = ResolveArray(doc, *existing);
    if (!array.ok()) return array.status();
    annots = array->substr(0, array->rfind(']')) + " " + widget.ToString() + "]";
  }
  Set(&page.dict, "/Annots", annots);
  return Serialize(page.dict);
}

Result<Update> BuildUpdate(const Document& doc, const SigningKey& key, const SignatureInfo& info) {
  const std::optional<Ref> root = ParseRef(Find(doc.trailer, "/Root"));
  const std::string* size_raw = Find(doc.trailer, "/Size");
  if (!root || size_raw == nullptr) return Status::InvalidArgument("PDF: trailer lacks /Root or /Size");
  Scanner size_scan(*size_raw, 0);
  const std::optional<uint64_t> size = size_scan.ReadUnsigned();
  if (!size || *size == 0 || *size > kMaxObjects) return Status::InvalidArgument("PDF: bad trailer /Size");
  Result<Dict> catalog = ReadDict(doc, *root);
  if (!catalog.ok()) return catalog.status();
  if (Find(*catalog, "/AcroForm") != nullptr) {
    return Status::Unprocessable("PDF: the document already has an /AcroForm (signing it again is not supported)");
  }
  Result<Page> page = FirstPage(doc, *catalog);
  if (!page.ok()) return page.status();
  const Ref widget{*size, 0};
  const Ref sig{*size + 1, 0};
  Result<std::string> page_body = PageWithWidget(doc, *page, widget);
  Result<std::string> sig_body = SigDictionary(info, key);
  if (!page_body.ok()) return page_body.status();
  if (!sig_body.ok()) return sig_body.status();
  Set(&*catalog, "/AcroForm", "<< /Fields [" + widget.ToString() + "] /SigFlags 3 >>");

  Update update;
  update.pdf.reserve(doc.bytes.size() + sig_body->size() + 4096);
  update.pdf.assign(doc.bytes);
  if (update.pdf.back() != '\n' && update.pdf.back() != '\r') update.pdf += '\n';
  std::vector<NewObject> objects;
  AppendObject(&update, &objects, *root, Serialize(*catalog));
  AppendObject(&update, &objects, page->ref, *page_body);
  AppendObject(&update, &objects, widget,
               "<< /Type /Annot /Subtype /Widget /FT /Sig /Rect [0 0 0 0] /F 132 /T (Signature1) /V " + sig.ToString() +
                   " /P " + page->ref.ToString() + " >>");
  const size_t sig_at = update.pdf.size();
  AppendObject(&update, &objects, sig, *sig_body);
  update.byte_range_at = update.pdf.find("/ByteRange ", sig_at) + 11;
  update.contents_at = update.pdf.find("/Contents <", sig_at) + 10;
  update.contents_end = update.contents_at + 2 * kSignatureReserve + 2;
  const size_t xref_at = update.pdf.size();
  update.pdf += XrefSection(objects) + Trailer(doc, *root, *size + 2);
  update.pdf += "startxref\n" + std::to_string(xref_at) + "\n%%EOF\n";
  return update;
}

// ---- CMS ----

struct CmsFree {
  void operator()(CMS_ContentInfo* p) const { CMS_ContentInfo_free(p); }
};
struct BioFreeAll {
  void operator()(BIO* p) const { BIO_free_all(p); }
};
struct Asn1TimeFree {
  void operator()(ASN1_TIME* p) const { ASN1_TIME_free(p); }
};

Status CmsError(const std::string& what) {
  std::string out = "CMS signing failed: " + what;
  while (const unsigned long code = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof(buf));
    out += std::string("; ") + buf;
  }
  return Status::Internal(out);
}

// Detached CMS over the bytes of `parts` (hashed in place, one after the other), its signingTime
// set to the claimed time (OpenSSL would otherwise add the clock's time in CMS_final).
Result<std::string> SignDetached(std::initializer_list<std::string_view> parts, const SigningKey& key,
                                 Timestamp signing_time) {
  ERR_clear_error();
  const unsigned int flags = CMS_DETACHED | CMS_BINARY | CMS_NOSMIMECAP | CMS_CADES;
  std::unique_ptr<CMS_ContentInfo, CmsFree> cms(CMS_sign(nullptr, nullptr, key.chain(), nullptr, flags | CMS_PARTIAL));
  if (!cms) return CmsError("CMS_sign");
  CMS_SignerInfo* si = CMS_add1_signer(cms.get(), key.cert(), key.pkey(), EVP_sha256(), flags | CMS_PARTIAL);
  if (si == nullptr) return CmsError("CMS_add1_signer");
  std::unique_ptr<ASN1_TIME, Asn1TimeFree> when(
      ASN1_TIME_set(nullptr, std::chrono::system_clock::to_time_t(signing_time)));
  if (!when ||
      CMS_signed_add1_attr_by_NID(si, NID_pkcs9_signingTime, ASN1_STRING_type(when.get()), when.get(), -1) != 1) {
    return CmsError("signingTime");
  }
  // What CMS_final does with CMS_BINARY, minus copying the data through a memory BIO first.
  std::unique_ptr<BIO, BioFreeAll> content(CMS_dataInit(cms.get(), nullptr));
  if (!content) return CmsError("CMS_dataInit");
  for (const std::string_view part : parts) {
    for (size_t at = 0; at < part.size();) {
      const int n = static_cast<int>(std::min<size_t>(part.size() - at, 1 << 30));
      if (BIO_write(content.get(), part.data() + at, n) != n) return CmsError("hashing the document");
      at += static_cast<size_t>(n);
    }
  }
  static_cast<void>(BIO_flush(content.get()));
  if (CMS_dataFinal(cms.get(), content.get()) != 1) return CmsError("CMS_dataFinal");
  const int len = i2d_CMS_ContentInfo(cms.get(), nullptr);
  if (len <= 0) return CmsError("DER encoding");
  std::string der(static_cast<size_t>(len), '\0');
  auto* out = reinterpret_cast<unsigned char*>(der.data());
  if (i2d_CMS_ContentInfo(cms.get(), &out) != len) return CmsError("DER encoding");
  return der;
}

Status FillByteRange(Update* update) {
  const size_t after = update->pdf.size() - update->contents_end;
  std::string range = "[0 " + std::to_string(update->contents_at) + " " + std::to_string(update->contents_end) + " " +
                      std::to_string(after);
  if (range.size() + 1 > kByteRangeWidth) return Status::InvalidArgument("PDF too large for the /ByteRange field");
  range.resize(kByteRangeWidth - 1, ' ');
  update->pdf.replace(update->byte_range_at, kByteRangeWidth, range + "]");
  return Status::Ok();
}

Status EmbedSignature(Update* update, const std::string& der) {
  if (der.size() > kSignatureReserve) {
    return Status::Internal("CMS signature of " + std::to_string(der.size()) + " bytes exceeds the " +
                            std::to_string(kSignatureReserve) + " bytes reserved");
  }
  static constexpr char kHex[] = "0123456789ABCDEF";
  char* out = update->pdf.data() + update->contents_at + 1;
  for (const char c : der) {
    const auto byte = static_cast<unsigned char>(c);
    *out++ = kHex[byte >> 4];
    *out++ = kHex[byte & 0x0f];
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> SignPdf(const std::string& pdf, const SigningKey& key, const SignatureInfo& info) {
  Result<Document> doc = LoadDocument(pdf);
  if (!doc.ok()) return doc.status();
  Result<Update> update = BuildUpdate(*doc, key, info);
  if (!update.ok()) return update.status();
  LIMS_RETURN_IF_ERROR(FillByteRange(&*update));
  const std::string_view bytes = update->pdf;
  // The /ByteRange: everything but the /Contents value.
  Result<std::string> der =
      SignDetached({bytes.substr(0, update->contents_at), bytes.substr(update->contents_end)}, key, info.signing_time);
  if (!der.ok()) return der.status();
  LIMS_RETURN_IF_ERROR(EmbedSignature(&*update, *der));
  return std::move(update->pdf);
}

}  // namespace lims::reports
