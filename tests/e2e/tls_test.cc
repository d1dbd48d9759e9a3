// limsd serving HTTPS itself (tls.cert / tls.key): a self-signed certificate made by openssl for the
// test, checked with curl; the session cookie gets the Secure attribute over TLS.
#include <gtest/gtest.h>

#include <string>

#include "tests/support/limsd_process.h"
#include "tests/support/test_database.h"
#include "tests/support/test_support.h"

namespace lims::testing {
namespace {

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("limsd-tls-");
    std::string out;
    const int rc = RunCommand("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost -keyout " + dir_ +
                                  "/key.pem -out " + dir_ + "/cert.pem",
                              &out);
    ASSERT_EQ(rc, 0) << out;
    limsd_ = std::make_unique<LimsdProcess>(
        db_.config(),
        std::vector<std::string>{"LIMS_TLS_CERT=" + dir_ + "/cert.pem", "LIMS_TLS_KEY=" + dir_ + "/key.pem"});
  }

  std::string Curl(const std::string& args) {
    std::string out;
    RunCommand("curl -sk --max-time 10 " + args, &out);
    return out;
  }
  std::string Url(const std::string& path) { return "https://127.0.0.1:" + std::to_string(limsd_->port()) + path; }

  TestDatabase db_;
  std::string dir_;
  std::unique_ptr<LimsdProcess> limsd_;
};

TEST_F(TlsTest, ServesHttpsAndRefusesPlainHttp) {
  EXPECT_NE(Curl(Url("/health")).find("\"status\":\"ok\""), std::string::npos);
  std::string out;
  const int rc =
      RunCommand("curl -s --max-time 5 http://127.0.0.1:" + std::to_string(limsd_->port()) + "/health", &out);
  EXPECT_EQ(out.find("\"status\":\"ok\""), std::string::npos) << "plain HTTP must not be served on the TLS port";
  (void)rc;
}

TEST_F(TlsTest, SessionCookieIsSecureOverTls) {
  const std::string body = std::string(R"({"username":")") + LimsdProcess::kAdminUser + R"(","password":")" +
                           LimsdProcess::kAdminPassword + R"("})";
  const std::string headers =
      Curl("-D - -o /dev/null -H 'Content-Type: application/json' -d '" + body + "' " + Url("/api/v1/auth/login"));
  EXPECT_NE(headers.find("200"), std::string::npos) << headers;
  EXPECT_NE(headers.find("HttpOnly; SameSite=Strict"), std::string::npos) << headers;
  EXPECT_NE(headers.find("; Secure"), std::string::npos) << headers;
}

}  // namespace
}  // namespace lims::testing
