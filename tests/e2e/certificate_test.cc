// Certificates over HTTP against one real limsd signing with its demo key: issuing (only when every
// test is approved, by a re-authenticated signatory), the signed PDF checked by poppler, qpdf and a
// QR scanner, the public verification page, API and upload, revocation and amendment, what an
// exporter may see, the verifiable credential checked offline with the openssl CLI, and the audit
// trail. Every tool works on the bytes limsd sent; nothing is taken on the server's word.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/json_test_util.h"
#include "tests/support/limsd_process.h"
#include "tests/support/test_database.h"
#include "tests/support/test_support.h"

namespace lims::testing {
namespace {

using Json = Poco::JSON::Object::Ptr;

constexpr char kPassword[] = "certificate pass phrase 5521";
constexpr char kExporterName[] = "Taj Ganj Leather Exports Pvt Ltd";
constexpr char kOtherExporterName[] = "Kanpur Saddlery Works";
constexpr char kCrViRequirement[] = "REACH-XVII-47-CRVI-LEATHER";
constexpr char kRevokeReason[] = "Sample identity was mixed up at receipt";
constexpr char kAmendReason[] = "Exporter address was misprinted on the first issue";

// ---- Helpers ----

std::string Dump(const Json& object) {
  if (object.isNull()) return "null";
  std::ostringstream out;
  object->stringify(out);
  return out.str();
}

std::vector<Json> JsonObjects(const Json& object, const std::string& key) {
  std::vector<Json> out;
  for (unsigned i = 0; Json item = JsonArrayObject(object, key, i); ++i) out.push_back(item);
  return out;
}

std::string Header(const HttpReply& reply, const std::string& name) {
  for (const auto& [key, value] : reply.headers) {
    if (std::equal(key.begin(), key.end(), name.begin(), name.end(),
                   [](char a, char b) { return std::tolower(a) == std::tolower(b); }))
      return value;
  }
  return "";
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A scratch directory removed at the end of the scope.
class ScratchDir {
 public:
  ScratchDir() : path_(MakeTempDir("certificate-e2e-")) {}
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Runs `command`, returning its output; a non-zero exit fails the test when `must_succeed`.
std::string Shell(const std::string& command, bool must_succeed = true) {
  std::string output;
  const int rc = RunCommand(command, &output);
  if (must_succeed) {
    EXPECT_EQ(rc, 0) << command << "\n" << output;
  }
  return output;
}

std::string Sha256Of(const std::string& bytes) {
  ScratchDir dir;
  WriteFile(dir.File("data"), bytes);
  const std::string out = Shell("sha256sum '" + dir.File("data") + "'");
  return out.substr(0, out.find(' '));
}

std::string PdfSig(const std::string& pdf) {
  ScratchDir dir;
  WriteFile(dir.File("c.pdf"), pdf);
  return Shell("pdfsig '" + dir.File("c.pdf") + "' 2>&1", false);  // pdfsig exits 0 regardless
}

std::string PdfText(const std::string& pdf) {
  ScratchDir dir;
  WriteFile(dir.File("c.pdf"), pdf);
  Shell("pdftotext -layout '" + dir.File("c.pdf") + "' '" + dir.File("c.txt") + "'");
  return ReadFile(dir.File("c.txt"));
}

// The four numbers of the signature's /ByteRange.
std::vector<int64_t> ByteRange(const std::string& pdf) {
  static const std::regex kRange(R"(/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\])");
  std::smatch m;
  std::vector<int64_t> out;
  if (std::regex_search(pdf, m, kRange)) {
    for (int i = 1; i <= 4; ++i) out.push_back(std::stoll(m[i].str()));
  }
  return out;
}

std::string Base64UrlDecode(const std::string& text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
  };
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int v = value(c);
    if (v < 0) throw std::runtime_error(std::string("not base64url: ") + c);
    buffer = (buffer << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  return out;
}

std::string HexDecode(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

// A DER INTEGER of an unsigned big-endian number.
std::string DerInteger(std::string n) {
  while (n.size() > 1 && n[0] == '\0') n.erase(0, 1);
  if (static_cast<unsigned char>(n[0]) & 0x80) n.insert(n.begin(), '\0');
  return std::string{'\x02', static_cast<char>(n.size())} + n;
}

// The DER ECDSA-Sig-Value of a JWS ES256 signature (R || S, 32 bytes each).
std::string EcdsaDer(const std::string& raw) {
  const std::string body = DerInteger(raw.substr(0, 32)) + DerInteger(raw.substr(32, 32));
  return std::string{'\x30', static_cast<char>(body.size())} + body;
}

std::vector<std::string> Split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, sep)) out.push_back(part);
  if (!text.empty() && text.back() == sep) out.push_back("");
  return out;
}

// ---- The suite: one limsd, two exporters, technician, reviewer, signatory, two exporter users ----

class CertificateTest : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    try {
      db_ = std::make_unique<TestDatabase>();
      limsd_ = std::make_unique<LimsdProcess>(db_->config());
      exporter_ = Created(
          Admin("POST", "/api/v1/organizations", OrganizationBody(kExporterName, "AAACT1234F", "09AAACT1234F1ZP")),
          "registering the exporter");
      other_exporter_ =
          Created(Admin("POST", "/api/v1/organizations", OrganizationBody(kOtherExporterName, "0512000001", "")),
                  "registering the other exporter");
      CreateUser("ce-tech", "technician", "");
      CreateUser("ce-reviewer", "reviewer", "");
      CreateUser("ce-signatory", "signatory", "");
      CreateUser("ce-exporter", "exporter", exporter_);
      CreateUser("ce-other-exporter", "exporter", other_exporter_);
      tech_ = limsd_->Login("ce-tech", kPassword);
      reviewer_ = limsd_->Login("ce-reviewer", kPassword);
      signatory_ = limsd_->Login("ce-signatory", kPassword);
      exporter_user_ = limsd_->Login("ce-exporter", kPassword);
      other_exporter_user_ = limsd_->Login("ce-other-exporter", kPassword);
    } catch (const std::exception& e) {
      setup_error_ = e.what();
    }
  }

  static void TearDownTestSuite() {
    limsd_.reset();
    db_.reset();
  }

 protected:
  void SetUp() override { ASSERT_TRUE(setup_error_.empty()) << setup_error_; }

  static HttpReply As(const std::string& token, const std::string& method, const std::string& path,
                      const std::string& body = "") {
    return limsd_->CallAs(token, method, path, body);
  }
  static HttpReply Admin(const std::string& method, const std::string& path, const std::string& body = "") {
    return As(limsd_->admin_token(), method, path, body);
  }
  static HttpReply Public(const std::string& method, const std::string& path, const std::string& body = "") {
    return As("", method, path, body);
  }

  static std::string OrganizationBody(const std::string& name, const std::string& iec, const std::string& gstin) {
    std::string body = R"({"name": ")" + name + R"(", "short_name": "Exporter", "iec": ")" + iec +
                       R"(", "address": "7 Foundry Nagar, Agra 282006", "district": "Agra",)"
                       R"( "odop_product": "Leather footwear")";
    if (!gstin.empty()) body += R"(, "gstin": ")" + gstin + "\"";
    return body + "}";
  }

  // A Cr(VI) sample of the exporter, registered by the technician (null on failure).
  static Json Register(const std::string& product) {
    const std::string body = R"({"exporter": ")" + exporter_ + R"(", "product": ")" + product +
                             R"(", "sizes": ["42"], "quantity": 2, "quantity_unit": "pairs", "destination": "DE",)"
                             R"( "decision_rule": "simple", "condition": "intact", "storage_location": "R1-S1",)"
                             R"( "requirements": [")" +
                             std::string(kCrViRequirement) + "\"]}";
    const HttpReply reply = As(tech_, "POST", "/api/v1/samples", body);
    EXPECT_EQ(reply.status, 201) << reply.body;
    return reply.status == 201 ? ParseJsonObject(reply.body) : nullptr;
  }

  static Json OnlyTest(const Json& sample) {
    const std::vector<Json> tests = JsonObjects(sample, "tests");
    EXPECT_EQ(tests.size(), 1u) << Dump(sample);
    return tests.empty() ? nullptr : tests[0];
  }

  static void Enter(const std::string& test_id, const std::string& value) {
    const HttpReply r = As(tech_, "POST", "/api/v1/tests/" + test_id + "/results",
                           R"({"values": [")" + value +
                               R"("], "unit": "mg/kg", "temperature_c": "23.0",)"
                               R"( "humidity_pct": "50", "remarks": "e2e"})");
    ASSERT_EQ(r.status, 201) << r.body;
  }
  static void Approve(const std::string& test_id) {
    const HttpReply r = As(reviewer_, "POST", "/api/v1/tests/" + test_id + "/review", R"({"decision": "approve"})");
    ASSERT_EQ(r.status, 200) << r.body;
  }

  static HttpReply Issue(const std::string& sample, const std::string& password = kPassword,
                         const std::string& token = "") {
    return As(token.empty() ? signatory_ : token, "POST", "/api/v1/samples/" + sample + "/certificate",
              R"({"password": ")" + password + "\"}");
  }

  // A sample with one approved Cr(VI) result of `value`; returns its number ("" on failure).
  static std::string ApprovedSample(const std::string& value, const std::string& product) {
    const Json sample = Register(product);
    if (sample.isNull()) return "";
    const std::string test_id = JsonString(OnlyTest(sample), "id");
    Enter(test_id, value);
    Approve(test_id);
    return JsonString(sample, "number");
  }

  // Issues a certificate for a fresh approved sample with `value`; returns the 201 body (null on failure).
  static Json IssueFresh(const std::string& value = "1.0", const std::string& product = "Chrome-tanned upper") {
    const std::string number = ApprovedSample(value, product);
    if (number.empty()) return nullptr;
    const HttpReply r = Issue(number);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? ParseJsonObject(r.body) : nullptr;
  }

  static HttpReply GetPdf(const std::string& number, const std::string& token = "") {
    return As(token.empty() ? tech_ : token, "GET", "/api/v1/certificates/" + number + "/pdf");
  }
  static Json GetCertificate(const std::string& number) {
    const HttpReply r = As(tech_, "GET", "/api/v1/certificates/" + number);
    EXPECT_EQ(r.status, 200) << r.body;
    return ParseJsonObject(r.body);
  }

  static HttpReply Lifecycle(const std::string& number, const std::string& act, const std::string& reason) {
    return As(signatory_, "POST", "/api/v1/certificates/" + number + "/" + act,
              R"({"password": ")" + std::string(kPassword) + R"(", "reason": ")" + reason + "\"}");
  }

  static std::vector<std::string> AuditActions(const std::string& number) {
    const HttpReply r = Admin("GET", "/api/v1/audit?entity=certificate&entity_id=" + number);
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> actions;
    for (const Json& e : JsonObjects(ParseJsonObject(r.body), "items")) actions.push_back(JsonString(e, "action"));
    return actions;
  }

  static std::vector<std::string> ListedNumbers(const std::string& token, const std::string& query = "") {
    const HttpReply r = As(token, "GET", "/api/v1/certificates" + query);
    EXPECT_EQ(r.status, 200) << query << ": " << r.body;
    std::vector<std::string> numbers;
    for (const Json& c : JsonObjects(ParseJsonObject(r.body), "items")) numbers.push_back(JsonString(c, "number"));
    return numbers;
  }

  static inline std::unique_ptr<TestDatabase> db_;
  static inline std::unique_ptr<LimsdProcess> limsd_;
  static inline std::string setup_error_;
  static inline std::string exporter_;
  static inline std::string other_exporter_;
  static inline std::string tech_;
  static inline std::string reviewer_;
  static inline std::string signatory_;
  static inline std::string exporter_user_;
  static inline std::string other_exporter_user_;

 private:
  static std::string Created(const HttpReply& reply, const std::string& what) {
    if (reply.status != 201)
      throw std::runtime_error(what + " failed: " + std::to_string(reply.status) + " " + reply.body);
    std::string id = JsonString(ParseJsonObject(reply.body), "id");
    if (id.empty()) throw std::runtime_error(what + ": no id in " + reply.body);
    return id;
  }

  static void CreateUser(const std::string& username, const std::string& role, const std::string& org) {
    std::string body = R"({"username": ")" + username + R"(", "password": ")" + kPassword +
                       R"(", "name": "Certificate )" + role + R"(", "roles": [")" + role + "\"]";
    if (!org.empty()) body += R"(, "organization": ")" + org + "\"";
    Created(Admin("POST", "/api/v1/users", body + "}"), "creating " + username);
  }
};

// ---- 1. A passing sample: certificate of conformity, a PDF that poppler, qpdf and zbar accept ----

TEST_F(CertificateTest, PassingSampleGetsASignedCertificateOfConformity) {
  const Json sample = Register("Chrome-tanned upper, black");
  ASSERT_FALSE(sample.isNull());
  const std::string sample_number = JsonString(sample, "number");
  const Json test = OnlyTest(sample);
  ASSERT_FALSE(test.isNull());
  // The requirement as printed in the results: standard and clause ("REACH Annex XVII entry 47 ...").
  const std::string requirement = JsonString(test, "standard") + " " + JsonString(test, "clause");
  ASSERT_FALSE(JsonString(test, "clause").empty()) << Dump(test);
  Enter(JsonString(test, "id"), "1.0");
  Approve(JsonString(test, "id"));

  const HttpReply issued = Issue(sample_number);
  ASSERT_EQ(issued.status, 201) << issued.body;
  const Json cert = ParseJsonObject(issued.body);
  const std::string number = JsonString(cert, "number");
  EXPECT_TRUE(std::regex_match(number, std::regex(R"([A-Z]+-C-\d{4}-\d{6})"))) << number;
  EXPECT_EQ(JsonString(cert, "status"), "valid");
  EXPECT_EQ(JsonString(cert, "kind"), "certificate_of_conformity");
  EXPECT_EQ(JsonString(cert, "verdict"), "pass");
  EXPECT_EQ(JsonString(cert, "sample"), sample_number);
  EXPECT_EQ(JsonString(cert->getObject("exporter"), "id"), exporter_);
  EXPECT_EQ(JsonString(cert->getObject("exporter"), "name"), kExporterName);
  EXPECT_EQ(Header(issued, "Location"), "/api/v1/certificates/" + number);
  const std::string sha = JsonString(cert, "sha256");
  EXPECT_EQ(sha.size(), 64u) << issued.body;

  // The sample is issued now.
  const HttpReply after = As(tech_, "GET", "/api/v1/samples/" + sample_number);
  EXPECT_EQ(JsonString(ParseJsonObject(after.body), "status"), "issued") << after.body;

  // The same bytes every time, named by their SHA-256.
  const HttpReply pdf = GetPdf(number);
  ASSERT_EQ(pdf.status, 200) << pdf.body;
  EXPECT_EQ(pdf.content_type, "application/pdf");
  EXPECT_EQ(pdf.body.rfind("%PDF-", 0), 0u);
  const HttpReply again = GetPdf(number);
  ASSERT_EQ(again.status, 200);
  EXPECT_TRUE(pdf.body == again.body) << "the PDF changed between downloads";
  EXPECT_EQ(Sha256Of(pdf.body), sha);
  EXPECT_EQ(Header(pdf, "ETag"), "\"" + sha + "\"");
  EXPECT_EQ(Header(again, "ETag"), Header(pdf, "ETag"));

  // The signature covers the whole document and verifies.
  const std::string sig = PdfSig(pdf.body);
  EXPECT_TRUE(Has(sig, "Signature is Valid.")) << sig;
  EXPECT_TRUE(Has(sig, "Total document signed")) << sig;

  {
    ScratchDir dir;
    WriteFile(dir.File("c.pdf"), pdf.body);
    std::string output;
    EXPECT_EQ(RunCommand("qpdf --check '" + dir.File("c.pdf") + "'", &output), 0) << output;
  }

  const std::string text = PdfText(pdf.body);
  EXPECT_TRUE(Has(text, number)) << text;
  EXPECT_TRUE(Has(text, kExporterName)) << text;
  EXPECT_TRUE(Has(text, requirement)) << "requirement " << requirement << " not printed:\n" << text;
  EXPECT_TRUE(Has(text, "Certificate of conformity")) << text;
  EXPECT_TRUE(std::regex_search(text, std::regex(R"(Overall verdict\s+PASS)"))) << text;
  EXPECT_TRUE(Has(text, sample_number)) << text;

  // The QR code leads to the public verification page of this number.
  {
    ScratchDir dir;
    WriteFile(dir.File("c.pdf"), pdf.body);
    Shell("pdftoppm -r 150 -png -f 1 -l 1 -singlefile '" + dir.File("c.pdf") + "' '" + dir.File("page") + "'");
    const std::string scan = Shell("zbarimg -q '" + dir.File("page.png") + "'");
    std::vector<std::string> qr;
    std::istringstream lines(scan);
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("QR-Code:", 0) == 0) qr.push_back(line.substr(8));
    }
    ASSERT_EQ(qr.size(), 1u) << scan;
    const std::string suffix = "/verify/" + number;
    EXPECT_TRUE(qr[0].size() > suffix.size() && qr[0].compare(qr[0].size() - suffix.size(), suffix.size(), suffix) == 0)
        << qr[0];
  }

  // One byte changed inside the first signed range breaks the signature.
  const std::vector<int64_t> range = ByteRange(pdf.body);
  ASSERT_EQ(range.size(), 4u) << "no /ByteRange";
  EXPECT_EQ(range[0], 0);
  EXPECT_EQ(range[2] + range[3], static_cast<int64_t>(pdf.body.size()));
  std::string tampered = pdf.body;
  // A byte of the first object's body, after the header, well inside [0, range[1]).
  const size_t at = tampered.find(" obj");
  ASSERT_NE(at, std::string::npos);
  ASSERT_LT(static_cast<int64_t>(at + 10), range[1]);
  const size_t flip = tampered.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", at + 4);
  ASSERT_LT(static_cast<int64_t>(flip), range[1]);
  tampered[flip] = tampered[flip] == 'x' ? 'y' : 'x';
  const std::string broken = PdfSig(tampered);
  EXPECT_FALSE(Has(broken, "Signature is Valid.")) << broken;
}

// ---- 2. A failing sample: a test report naming the failed requirement ----

TEST_F(CertificateTest, FailingSampleGetsATestReport) {
  const Json sample = Register("Chrome-tanned upper, tan");
  ASSERT_FALSE(sample.isNull());
  const Json test = OnlyTest(sample);
  ASSERT_FALSE(test.isNull());
  Enter(JsonString(test, "id"), "4.2");
  Approve(JsonString(test, "id"));
  const HttpReply issued = Issue(JsonString(sample, "number"));
  ASSERT_EQ(issued.status, 201) << issued.body;
  const Json cert = ParseJsonObject(issued.body);
  EXPECT_EQ(JsonString(cert, "kind"), "test_report");
  EXPECT_EQ(JsonString(cert, "verdict"), "fail");
  const HttpReply pdf = GetPdf(JsonString(cert, "number"));
  ASSERT_EQ(pdf.status, 200) << pdf.body;
  const std::string text = PdfText(pdf.body);
  EXPECT_TRUE(Has(text, JsonString(test, "standard") + " " + JsonString(test, "clause"))) << text;
  EXPECT_TRUE(Has(text, "4.2")) << text;
  EXPECT_TRUE(std::regex_search(text, std::regex(R"(Overall verdict\s+FAIL)"))) << text;
  EXPECT_FALSE(Has(text, "Certificate of conformity")) << "a failing sample got a certificate of conformity:\n" << text;
  EXPECT_TRUE(Has(PdfSig(pdf.body), "Signature is Valid."));
}

// ---- 3. When a certificate may not be issued ----

TEST_F(CertificateTest, IssuingNeedsApprovedTestsTheSignatoryAndItsPassword) {
  const Json sample = Register("Chrome-tanned upper, brown");
  ASSERT_FALSE(sample.isNull());
  const std::string number = JsonString(sample, "number");
  const std::string test_id = JsonString(OnlyTest(sample), "id");

  const HttpReply pending = Issue(number);
  EXPECT_EQ(pending.status, 409) << pending.body;
  EXPECT_TRUE(Has(JsonString(ParseJsonObject(pending.body), "detail"), test_id + " (pending)")) << pending.body;

  Enter(test_id, "1.0");
  const HttpReply entered = Issue(number);
  EXPECT_EQ(entered.status, 409) << entered.body;
  const std::string detail = JsonString(ParseJsonObject(entered.body), "detail");
  EXPECT_TRUE(Has(detail, test_id + " (entered)")) << entered.body;

  Approve(test_id);
  EXPECT_EQ(Issue(number, "not the signatory's password").status, 422);
  EXPECT_EQ(Issue(number, kPassword, tech_).status, 403);
  EXPECT_EQ(Issue(number, kPassword, reviewer_).status, 403);
  EXPECT_EQ(Issue(number, kPassword, exporter_user_).status, 403);
  EXPECT_EQ(As("", "POST", "/api/v1/samples/" + number + "/certificate", R"({"password": "x"})").status, 401);
  // None of the refusals issued anything.
  EXPECT_EQ(
      db_->QueryValue("SELECT COUNT(*) FROM certificates c JOIN samples s ON s.id = c.sample_id WHERE s.number = '" +
                      number + "'"),
      "0");

  const HttpReply first = Issue(number);
  ASSERT_EQ(first.status, 201) << first.body;
  const HttpReply twice = Issue(number);
  EXPECT_EQ(twice.status, 409) << twice.body;
  EXPECT_EQ(Issue("AGR-2026-999999").status, 404);
}

// ---- 3b. A batch: one signing act, consecutive numbers, all or nothing ----

TEST_F(CertificateTest, BatchIssuesConsecutiveNumbersAllOrNothing) {
  std::vector<std::string> ready;
  for (const char* value : {"1.0", "2.0", "5.0"}) ready.push_back(ApprovedSample(value, "Batch upper"));
  for (const std::string& n : ready) ASSERT_FALSE(n.empty());
  const Json open_sample = Register("Batch upper, not yet tested");
  ASSERT_FALSE(open_sample.isNull());
  const std::string open_number = JsonString(open_sample, "number");
  auto batch = [](const std::vector<std::string>& samples, const std::string& password = kPassword) {
    std::string list;
    for (const std::string& n : samples) list += (list.empty() ? "\"" : ", \"") + n + "\"";
    return As(signatory_, "POST", "/api/v1/certificates/batch",
              R"({"samples": [)" + list + R"(], "password": ")" + password + "\"}");
  };
  const std::string before = db_->QueryValue("SELECT COUNT(*) FROM certificates");

  // One sample not ready: 409 naming it, nothing issued, no number used up.
  const HttpReply refused = batch({ready[0], open_number, ready[1]});
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_TRUE(Has(refused.body, JsonString(OnlyTest(open_sample), "id"))) << refused.body;
  EXPECT_EQ(db_->QueryValue("SELECT COUNT(*) FROM certificates"), before);
  EXPECT_EQ(batch({ready[0], ready[0]}).status, 400);
  EXPECT_EQ(batch({}).status, 400);
  EXPECT_EQ(batch({ready[0]}, "wrong password for the batch").status, 422);
  EXPECT_EQ(As(tech_, "POST", "/api/v1/certificates/batch", R"({"samples": [")" + ready[0] + R"("], "password": "x"})")
                .status,
            403);

  const HttpReply issued = batch({ready[2], ready[0], ready[1]});
  ASSERT_EQ(issued.status, 201) << issued.body;
  const std::vector<Json> certificates = JsonObjects(ParseJsonObject(issued.body), "certificates");
  ASSERT_EQ(certificates.size(), 3u);
  // Sorted by sample number, numbered consecutively, each its own signed PDF with its own e-signature.
  int64_t previous = -1;
  std::set<std::string> signatures;
  for (size_t i = 0; i < certificates.size(); ++i) {
    const std::string number = JsonString(certificates[i], "number");
    EXPECT_EQ(JsonString(certificates[i], "sample"), ready[i]);
    const int64_t sequence = std::stoll(number.substr(number.rfind('-') + 1));
    if (previous >= 0) {
      EXPECT_EQ(sequence, previous + 1) << number;
    }
    previous = sequence;
    const HttpReply pdf = GetPdf(number);
    ASSERT_EQ(pdf.status, 200);
    const std::string sig = PdfSig(pdf.body);
    EXPECT_TRUE(Has(sig, "Signature is Valid.")) << sig;
    EXPECT_TRUE(Has(PdfText(pdf.body), number));
    EXPECT_TRUE(Has(PdfText(pdf.body), ready[i]));
    EXPECT_EQ(AuditActions(number), std::vector<std::string>{"certificate.issue"});
    signatures.insert(db_->QueryValue("SELECT signature_id FROM certificates WHERE number = '" + number + "'"));
  }
  EXPECT_EQ(signatures.size(), 3u);
  // A sample already issued cannot be in a later batch.
  EXPECT_EQ(batch({ready[1]}).status, 409);
  // The list finds a sample's certificates and pages as asked.
  EXPECT_EQ(ListedNumbers(tech_, "?sample=" + ready[1]),
            std::vector<std::string>{JsonString(certificates[1], "number")});
  EXPECT_EQ(ListedNumbers(tech_, "?limit=1").size(), 1u);
  EXPECT_EQ(As(tech_, "GET", "/api/v1/certificates?limit=0").status, 400);
}

// ---- 4. Public verification ----

TEST_F(CertificateTest, AnyoneCanVerifyANumberOrTheBytes) {
  const Json cert = IssueFresh();
  ASSERT_FALSE(cert.isNull());
  const std::string number = JsonString(cert, "number");
  const std::string sha = JsonString(cert, "sha256");

  const HttpReply api = Public("GET", "/api/v1/verify/" + number);
  ASSERT_EQ(api.status, 200) << api.body;
  const Json v = ParseJsonObject(api.body);
  EXPECT_EQ(JsonString(v, "number"), number);
  EXPECT_EQ(JsonString(v, "status"), "valid");
  EXPECT_EQ(JsonString(v, "kind"), "certificate_of_conformity");
  EXPECT_EQ(JsonString(v, "verdict"), "pass");
  EXPECT_EQ(JsonString(v, "exporter"), kExporterName);
  EXPECT_EQ(JsonString(v, "sha256"), sha);
  EXPECT_TRUE(v->has("superseded_by") && v->isNull("superseded_by")) << api.body;

  const HttpReply page = Public("GET", "/verify/" + number);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(Has(page.content_type, "text/html")) << page.content_type;
  EXPECT_TRUE(Has(page.body, "VALID: " + number)) << page.body;
  EXPECT_TRUE(Has(page.body, sha)) << page.body;

  for (const std::string unknown : {"AGR-C-2026-999999", "not-a-number"}) {
    EXPECT_EQ(Public("GET", "/api/v1/verify/" + unknown).status, 404) << unknown;
    const HttpReply missing = Public("GET", "/verify/" + unknown);
    EXPECT_EQ(missing.status, 404) << unknown;
    EXPECT_FALSE(Has(missing.body, "VALID")) << missing.body;
  }

  const HttpReply pdf = GetPdf(number);
  ASSERT_EQ(pdf.status, 200);
  const HttpReply genuine = Public("POST", "/api/v1/verify", pdf.body);
  ASSERT_EQ(genuine.status, 200) << genuine.body;
  const Json g = ParseJsonObject(genuine.body);
  EXPECT_EQ(g->optValue<bool>("issued_here", false), true) << genuine.body;
  EXPECT_EQ(JsonString(g, "sha256"), sha);
  EXPECT_EQ(JsonString(g->getObject("certificate"), "number"), number) << genuine.body;

  std::string changed = pdf.body;
  changed[changed.size() / 2] ^= 0x01;
  const HttpReply forged = Public("POST", "/api/v1/verify", changed);
  ASSERT_EQ(forged.status, 200) << forged.body;
  const Json f = ParseJsonObject(forged.body);
  EXPECT_EQ(f->optValue<bool>("issued_here", true), false) << forged.body;
  EXPECT_EQ(JsonString(f, "sha256"), Sha256Of(changed));
  EXPECT_FALSE(f->has("certificate") && !f->isNull("certificate")) << forged.body;

  EXPECT_EQ(Public("POST", "/api/v1/verify", "hello, this is not a PDF").status, 400);
  EXPECT_EQ(Public("POST", "/api/v1/verify", "").status, 400);
}

// ---- 5. Revocation and amendment ----

TEST_F(CertificateTest, RevokedAndAmendedCertificatesSayWhatHappened) {
  const Json revoked = IssueFresh();
  ASSERT_FALSE(revoked.isNull());
  const std::string r_number = JsonString(revoked, "number");
  EXPECT_EQ(Lifecycle(r_number, "revoke", "too short").status, 422);
  EXPECT_EQ(As(tech_, "POST", "/api/v1/certificates/" + r_number + "/revoke",
               R"({"password": ")" + std::string(kPassword) + R"(", "reason": ")" + kRevokeReason + "\"}")
                .status,
            403);
  const HttpReply r = Lifecycle(r_number, "revoke", kRevokeReason);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(JsonString(ParseJsonObject(r.body), "status"), "revoked");
  const Json got = GetCertificate(r_number);
  EXPECT_EQ(JsonString(got, "status"), "revoked");
  EXPECT_EQ(JsonString(got, "revocation_reason"), kRevokeReason);
  EXPECT_FALSE(JsonString(got, "revoked_at").empty()) << Dump(got);
  EXPECT_EQ(JsonString(ParseJsonObject(Public("GET", "/api/v1/verify/" + r_number).body), "status"), "revoked");
  const HttpReply r_page = Public("GET", "/verify/" + r_number);
  EXPECT_EQ(r_page.status, 200);
  EXPECT_TRUE(Has(r_page.body, "REVOKED")) << r_page.body;
  EXPECT_TRUE(Has(r_page.body, kRevokeReason)) << r_page.body;
  EXPECT_FALSE(Has(r_page.body, "VALID:")) << r_page.body;
  EXPECT_EQ(Lifecycle(r_number, "revoke", kRevokeReason).status, 409);
  EXPECT_EQ(Lifecycle(r_number, "amend", kAmendReason).status, 409);
  // A revoked certificate's PDF is still the same bytes (the record of what was issued).
  const HttpReply r_pdf = GetPdf(r_number);
  EXPECT_EQ(r_pdf.status, 200);
  EXPECT_EQ(Sha256Of(r_pdf.body), JsonString(revoked, "sha256"));

  const Json old = IssueFresh();
  ASSERT_FALSE(old.isNull());
  const std::string old_number = JsonString(old, "number");
  EXPECT_EQ(Lifecycle(old_number, "amend", "short").status, 422);
  EXPECT_EQ(As(signatory_, "POST", "/api/v1/certificates/" + old_number + "/amend",
               R"({"password": "wrong password entirely", "reason": ")" + std::string(kAmendReason) + "\"}")
                .status,
            422);
  EXPECT_EQ(JsonString(GetCertificate(old_number), "status"), "valid") << "a refused amendment changed the original";
  const HttpReply amended = Lifecycle(old_number, "amend", kAmendReason);
  ASSERT_EQ(amended.status, 201) << amended.body;
  const Json next = ParseJsonObject(amended.body);
  const std::string new_number = JsonString(next, "number");
  EXPECT_NE(new_number, old_number);
  EXPECT_EQ(JsonString(next, "status"), "valid");
  EXPECT_EQ(JsonString(next, "supersedes"), old_number);
  EXPECT_EQ(JsonString(next, "sample"), JsonString(old, "sample"));
  EXPECT_NE(JsonString(next, "sha256"), JsonString(old, "sha256"));
  const Json old_now = GetCertificate(old_number);
  EXPECT_EQ(JsonString(old_now, "status"), "superseded");
  EXPECT_EQ(JsonString(old_now, "superseded_by"), new_number);
  const Json old_public = ParseJsonObject(Public("GET", "/api/v1/verify/" + old_number).body);
  EXPECT_EQ(JsonString(old_public, "status"), "superseded");
  EXPECT_EQ(JsonString(old_public, "superseded_by"), new_number);
  const HttpReply old_page = Public("GET", "/verify/" + old_number);
  EXPECT_TRUE(Has(old_page.body, "SUPERSEDED")) << old_page.body;
  EXPECT_TRUE(Has(old_page.body, "href=\"/verify/" + new_number + "\"")) << old_page.body;
  EXPECT_TRUE(Has(Public("GET", "/verify/" + new_number).body, "VALID: " + new_number));
  EXPECT_EQ(Lifecycle(old_number, "amend", kAmendReason).status, 409);
  EXPECT_EQ(Lifecycle(old_number, "revoke", kRevokeReason).status, 409);

  // The amendment is a signed document of its own that names the one it replaces.
  const HttpReply new_pdf = GetPdf(new_number);
  ASSERT_EQ(new_pdf.status, 200);
  EXPECT_TRUE(Has(PdfSig(new_pdf.body), "Signature is Valid."));
  const std::string text = PdfText(new_pdf.body);
  EXPECT_TRUE(Has(text, new_number)) << text;
  EXPECT_TRUE(Has(text, old_number)) << text;

  EXPECT_EQ(Lifecycle("AGR-C-2026-999999", "revoke", kRevokeReason).status, 404);
}

// ---- 6. Exporters see their own certificates only ----

TEST_F(CertificateTest, ExportersSeeOnlyTheirOwnCertificates) {
  const Json cert = IssueFresh("1.0", "Exporter-visible upper");
  ASSERT_FALSE(cert.isNull());
  const std::string number = JsonString(cert, "number");

  const std::vector<std::string> own = ListedNumbers(exporter_user_);
  EXPECT_NE(std::find(own.begin(), own.end(), number), own.end()) << ::testing::PrintToString(own);
  // Asking for another exporter does not widen an exporter's view.
  const std::vector<std::string> sneaky = ListedNumbers(exporter_user_, "?exporter=" + other_exporter_);
  EXPECT_NE(std::find(sneaky.begin(), sneaky.end(), number), sneaky.end()) << ::testing::PrintToString(sneaky);
  const HttpReply got = As(exporter_user_, "GET", "/api/v1/certificates/" + number);
  EXPECT_EQ(got.status, 200) << got.body;
  const HttpReply pdf = GetPdf(number, exporter_user_);
  ASSERT_EQ(pdf.status, 200) << pdf.body;
  EXPECT_EQ(Sha256Of(pdf.body), JsonString(cert, "sha256"));
  EXPECT_EQ(As(exporter_user_, "GET", "/api/v1/certificates/" + number + "/credential").status, 200);

  EXPECT_TRUE(ListedNumbers(other_exporter_user_).empty());
  EXPECT_TRUE(ListedNumbers(other_exporter_user_, "?exporter=" + exporter_).empty());
  for (const std::string suffix : {"", "/pdf", "/credential"}) {
    const HttpReply hidden = As(other_exporter_user_, "GET", "/api/v1/certificates/" + number + suffix);
    EXPECT_EQ(hidden.status, 404) << suffix << ": " << hidden.body;
    EXPECT_FALSE(Has(hidden.body, "%PDF")) << suffix;
  }
  EXPECT_EQ(As(other_exporter_user_, "POST", "/api/v1/certificates/" + number + "/revoke",
               R"({"password": ")" + std::string(kPassword) + R"(", "reason": ")" + kRevokeReason + "\"}")
                .status,
            403);

  // Staff filters: by exporter and by issue time.
  const std::vector<std::string> by_exporter = ListedNumbers(tech_, "?exporter=" + exporter_);
  EXPECT_NE(std::find(by_exporter.begin(), by_exporter.end(), number), by_exporter.end());
  EXPECT_TRUE(ListedNumbers(tech_, "?exporter=" + other_exporter_).empty());
  EXPECT_TRUE(ListedNumbers(tech_, "?from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z").empty());
  const std::vector<std::string> recent = ListedNumbers(tech_, "?from=2000-01-01T00:00:00Z");
  EXPECT_NE(std::find(recent.begin(), recent.end(), number), recent.end());
  EXPECT_NE(As(tech_, "GET", "/api/v1/certificates?from=yesterday").status, 200);
  EXPECT_EQ(As("", "GET", "/api/v1/certificates").status, 401);
}

// ---- 7. The verifiable credential, checked offline with openssl ----

TEST_F(CertificateTest, CredentialIsAnEs256JwsThatVerifiesOfflineWithTheLabKey) {
  const Json cert = IssueFresh();
  ASSERT_FALSE(cert.isNull());
  const std::string number = JsonString(cert, "number");

  const HttpReply reply = As(tech_, "GET", "/api/v1/certificates/" + number + "/credential");
  ASSERT_EQ(reply.status, 200) << reply.body;
  const Json credential = ParseJsonObject(reply.body);
  EXPECT_EQ(JsonString(credential, "format"), "vc+jwt");
  EXPECT_EQ(JsonString(credential, "status"), "valid");
  EXPECT_TRUE(Has(JsonString(credential, "jwks"), "/.well-known/jwks.json")) << reply.body;
  const std::string jws = JsonString(credential, "jws");
  const std::vector<std::string> parts = Split(jws, '.');
  ASSERT_EQ(parts.size(), 3u) << jws;

  const Json header = ParseJsonObject(Base64UrlDecode(parts[0]));
  ASSERT_FALSE(header.isNull()) << parts[0];
  EXPECT_EQ(JsonString(header, "alg"), "ES256") << Dump(header);
  const std::string payload = Base64UrlDecode(parts[1]);
  EXPECT_TRUE(Has(payload, number)) << payload;
  EXPECT_TRUE(Has(payload, "DigitalConformityCredential")) << payload;
  EXPECT_TRUE(Has(payload, kExporterName)) << payload;
  const std::string signature = Base64UrlDecode(parts[2]);
  ASSERT_EQ(signature.size(), 64u);

  const HttpReply jwks = Public("GET", "/.well-known/jwks.json");
  ASSERT_EQ(jwks.status, 200) << jwks.body;
  const Json key = JsonArrayObject(ParseJsonObject(jwks.body), "keys", 0);
  ASSERT_FALSE(key.isNull()) << jwks.body;
  EXPECT_EQ(JsonString(key, "kty"), "EC");
  EXPECT_EQ(JsonString(key, "crv"), "P-256");
  EXPECT_EQ(JsonString(key, "alg"), "ES256");
  EXPECT_FALSE(JsonString(key, "kid").empty());
  EXPECT_EQ(JsonString(key, "kid"), JsonString(header, "kid")) << Dump(header) << " " << jwks.body;
  EXPECT_FALSE(key->has("d")) << "the JWKS publishes the private key";
  const std::string x = Base64UrlDecode(JsonString(key, "x"));
  const std::string y = Base64UrlDecode(JsonString(key, "y"));
  ASSERT_EQ(x.size(), 32u);
  ASSERT_EQ(y.size(), 32u);

  ScratchDir dir;
  WriteFile(dir.File("pub.der"), HexDecode("3059301306072a8648ce3d020106082a8648ce3d030107034200") + '\x04' + x + y);
  Shell("openssl pkey -pubin -inform DER -in '" + dir.File("pub.der") + "' -outform PEM -out '" + dir.File("pub.pem") +
        "'");
  WriteFile(dir.File("input"), parts[0] + "." + parts[1]);
  WriteFile(dir.File("sig.der"), EcdsaDer(signature));
  const std::string verify = "openssl dgst -sha256 -verify '" + dir.File("pub.pem") + "' -signature '" +
                             dir.File("sig.der") + "' '" + dir.File("input") + "'";
  EXPECT_TRUE(Has(Shell(verify), "Verified OK"));

  // A changed payload does not verify with the same signature.
  std::string other = parts[1];
  other[other.size() / 2] = other[other.size() / 2] == 'A' ? 'B' : 'A';
  WriteFile(dir.File("input"), parts[0] + "." + other);
  const std::string rejected = Shell(verify, false);
  EXPECT_FALSE(Has(rejected, "Verified OK")) << rejected;
}

// ---- 8. The audit trail ----

TEST_F(CertificateTest, IssuingAndRevokingAreAudited) {
  const Json cert = IssueFresh();
  ASSERT_FALSE(cert.isNull());
  const std::string number = JsonString(cert, "number");
  std::vector<std::string> actions = AuditActions(number);
  EXPECT_NE(std::find(actions.begin(), actions.end(), "certificate.issue"), actions.end())
      << ::testing::PrintToString(actions);
  EXPECT_EQ(std::find(actions.begin(), actions.end(), "certificate.revoke"), actions.end());

  ASSERT_EQ(Lifecycle(number, "revoke", kRevokeReason).status, 200);
  actions = AuditActions(number);
  EXPECT_NE(std::find(actions.begin(), actions.end(), "certificate.issue"), actions.end());
  EXPECT_NE(std::find(actions.begin(), actions.end(), "certificate.revoke"), actions.end())
      << ::testing::PrintToString(actions);
  const HttpReply events = Admin("GET", "/api/v1/audit?entity=certificate&entity_id=" + number);
  for (const Json& e : JsonObjects(ParseJsonObject(events.body), "items")) {
    if (JsonString(e, "action") == "certificate.revoke") {
      EXPECT_EQ(JsonString(e, "reason"), kRevokeReason);
    }
  }

  const HttpReply verified = Admin("GET", "/api/v1/audit/verify");
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_TRUE(ParseJsonObject(verified.body)->optValue<bool>("ok", false)) << verified.body;
}

}  // namespace
}  // namespace lims::testing

namespace lims::testing {
namespace {

// The public verification endpoints answer 429 past the per-client limit, with Retry-After.
TEST(CertificateVerificationLimit, PublicChecksAreRateLimitedPerClient) {
  TestDatabase db;
  LimsdProcess limsd(db.config(), {"LIMS_VERIFY_RATE_PER_MINUTE=3"});
  for (int i = 0; i < 3; ++i) {
    const HttpReply reply = limsd.CallAs("", "GET", "/api/v1/verify/AGR-C-2026-000001", "");
    EXPECT_EQ(reply.status, 404) << reply.body;
  }
  const HttpReply limited = limsd.CallAs("", "GET", "/verify/AGR-C-2026-000001", "");
  EXPECT_EQ(limited.status, 429) << limited.body;
  auto retry = limited.headers.find("Retry-After");
  ASSERT_NE(retry, limited.headers.end());
  EXPECT_GE(std::stoi(retry->second), 1);
  EXPECT_EQ(limsd.CallAs("", "POST", "/api/v1/verify", "%PDF-1.4").status, 429);
}

}  // namespace
}  // namespace lims::testing
