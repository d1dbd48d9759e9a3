#include "lims/server/settings.h"

#include <Poco/Util/LayeredConfiguration.h>
#include <gtest/gtest.h>

#include "tests/support/test_support.h"

namespace lims::server {
namespace {

TEST(EnvironmentLayer, MapsLimsVariablesToKeys) {
  auto layer = EnvironmentLayer({"LIMS_DB_URL=mysql://a@b/c", "LIMS_HTTP_MAX_BODY_BYTES=10", "HOME=/root",
                                 "LIMS_DB_PASSWORD_FILE=/x", "LIMS_=nothing"});
  EXPECT_EQ(layer->getString("db.url"), "mysql://a@b/c");
  EXPECT_EQ(layer->getString("http.max_body_bytes"), "10");
  EXPECT_EQ(layer->getString("db.password_file"), "/x");
  EXPECT_FALSE(layer->has("home"));
}

TEST(ReadSettings, DefaultsAreSafe) {
  Poco::AutoPtr<Poco::Util::MapConfiguration> empty(new Poco::Util::MapConfiguration);
  Result<Settings> s = ReadSettings(*empty);
  ASSERT_OK(s);
  EXPECT_EQ(s->http_host, "127.0.0.1");
  EXPECT_EQ(s->http_port, 8080);
  EXPECT_EQ(s->lab.code, "AGR");
  EXPECT_TRUE(s->migrate_on_start);
}

TEST(ReadSettings, EnvironmentOverridesFile) {
  Poco::AutoPtr<Poco::Util::MapConfiguration> file(new Poco::Util::MapConfiguration);
  file->setString("http.port", "9000");
  file->setString("log.format", "text");
  Poco::AutoPtr<Poco::Util::LayeredConfiguration> layered(new Poco::Util::LayeredConfiguration);
  layered->add(file, 0);
  layered->add(EnvironmentLayer({"LIMS_HTTP_PORT=9100", "LIMS_LOG_FORMAT=json"}), -100);
  Result<Settings> s = ReadSettings(*layered);
  ASSERT_OK(s);
  EXPECT_EQ(s->http_port, 9100);
  EXPECT_EQ(s->log.format, log::Format::kJson);
}

TEST(ReadSettings, PasswordComesFromFile) {
  const std::string dir = testing::MakeTempDir("settings-");
  testing::WriteFile(dir + "/pw", "s3cret\n");
  Poco::AutoPtr<Poco::Util::MapConfiguration> c(new Poco::Util::MapConfiguration);
  c->setString("db.password_file", dir + "/pw");
  Result<Settings> s = ReadSettings(*c);
  ASSERT_OK(s);
  EXPECT_EQ(s->db.password, "s3cret");
}

TEST(ReadSettings, RejectsBadValuesNamingTheKey) {
  Poco::AutoPtr<Poco::Util::MapConfiguration> c(new Poco::Util::MapConfiguration);
  c->setString("db.url", "postgres://x");
  Result<Settings> s = ReadSettings(*c);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("db.url"), std::string::npos);

  Poco::AutoPtr<Poco::Util::MapConfiguration> d(new Poco::Util::MapConfiguration);
  d->setString("http.port", "eighty");
  EXPECT_FALSE(ReadSettings(*d).ok());
  d->setString("http.port", "70000");
  EXPECT_FALSE(ReadSettings(*d).ok());
}

TEST(ReadSettings, MissingPasswordFileIsAnError) {
  Poco::AutoPtr<Poco::Util::MapConfiguration> c(new Poco::Util::MapConfiguration);
  c->setString("db.password_file", "/nonexistent/pw");
  EXPECT_FALSE(ReadSettings(*c).ok());
}

}  // namespace
}  // namespace lims::server
