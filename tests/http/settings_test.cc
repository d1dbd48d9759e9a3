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

TEST(ReadSettings, NoReplicaByDefault) {
  Poco::AutoPtr<Poco::Util::MapConfiguration> c(new Poco::Util::MapConfiguration);
  Result<Settings> s = ReadSettings(*c);
  ASSERT_OK(s);
  EXPECT_FALSE(s->read_db.has_value());
}

TEST(ReadSettings, AReplicaInheritsThePrimarysPasswordAndPoolUnlessGivenItsOwn) {
  const std::string dir = testing::MakeTempDir("settings-");
  testing::WriteFile(dir + "/pw", "primary-secret\n");
  testing::WriteFile(dir + "/rpw", "replica-secret\n");
  Poco::AutoPtr<Poco::Util::MapConfiguration> c(new Poco::Util::MapConfiguration);
  c->setString("db.password_file", dir + "/pw");
  c->setString("db.pool_size", "12");
  Poco::AutoPtr<Poco::Util::LayeredConfiguration> layered(new Poco::Util::LayeredConfiguration);
  layered->add(c, 0);
  layered->add(EnvironmentLayer({"LIMS_DB_READ_URL=mysql://auditor@10.0.0.12:3306/pramaan"}), -100);
  Result<Settings> s = ReadSettings(*layered);
  ASSERT_OK(s);
  ASSERT_TRUE(s->read_db.has_value());
  EXPECT_EQ(s->read_db->host, "10.0.0.12");
  EXPECT_EQ(s->read_db->user, "auditor");
  EXPECT_EQ(s->read_db->password, "primary-secret");
  EXPECT_EQ(s->read_db->pool_size, 12);
  EXPECT_EQ(s->db.host, "127.0.0.1");  // the primary is untouched

  c->setString("db.read_password_file", dir + "/rpw");
  c->setString("db.read_pool_size", "4");
  s = ReadSettings(*layered);
  ASSERT_OK(s);
  EXPECT_EQ(s->read_db->password, "replica-secret");
  EXPECT_EQ(s->read_db->pool_size, 4);
}

TEST(ReadSettings, ABadReplicaSettingNamesItsKey) {
  Poco::AutoPtr<Poco::Util::MapConfiguration> c(new Poco::Util::MapConfiguration);
  c->setString("db.read_url", "postgres://x");
  Result<Settings> s = ReadSettings(*c);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("db.read_url"), std::string::npos) << s.status().message();
  c->setString("db.read_url", "mysql://a@b/c");
  c->setString("db.read_password_file", "/nonexistent/pw");
  s = ReadSettings(*c);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("db.read_password_file"), std::string::npos) << s.status().message();
}

TEST(ReadSettings, AReplicaPasswordFromTheEnvironmentWinsAndIsNeverDescribed) {
  const std::string dir = testing::MakeTempDir("settings-");
  testing::WriteFile(dir + "/rpw", "file-secret\n");
  Poco::AutoPtr<Poco::Util::MapConfiguration> file(new Poco::Util::MapConfiguration);
  file->setString("db.read_password_file", dir + "/rpw");
  Poco::AutoPtr<Poco::Util::LayeredConfiguration> layered(new Poco::Util::LayeredConfiguration);
  layered->add(file, 0);
  layered->add(EnvironmentLayer({"LIMS_DB_READ_URL=mysql://reader@127.0.0.1:3308/pramaan?socket=/run/r.sock",
                                 "LIMS_DB_READ_PASSWORD=env-secret", "LIMS_DB_PASSWORD=primary-secret"}),
               -100);
  Result<Settings> s = ReadSettings(*layered);
  ASSERT_OK(s);
  ASSERT_TRUE(s->read_db.has_value());
  EXPECT_EQ(s->read_db->password, "env-secret");
  EXPECT_EQ(s->read_db->socket, "/run/r.sock");  // the same URL syntax as db.url
  EXPECT_EQ(s->db.password, "primary-secret");
  EXPECT_EQ(s->read_db->Describe().find("secret"), std::string::npos) << s->read_db->Describe();
}

TEST(ReadSettings, ABadReplicaPoolSizeNamesItsKey) {
  for (const char* bad : {"many", "0", "-2", "3.5"}) {
    Poco::AutoPtr<Poco::Util::MapConfiguration> c(new Poco::Util::MapConfiguration);
    c->setString("db.read_url", "mysql://a@b/c");
    c->setString("db.read_pool_size", bad);
    Result<Settings> s = ReadSettings(*c);
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_NE(s.status().message().find("db.read_pool_size"), std::string::npos) << s.status().message();
  }
  // Without db.read_url the replica's keys are not read at all.
  Poco::AutoPtr<Poco::Util::MapConfiguration> c(new Poco::Util::MapConfiguration);
  c->setString("db.read_pool_size", "many");
  Result<Settings> s = ReadSettings(*c);
  ASSERT_OK(s);
  EXPECT_FALSE(s->read_db.has_value());
}

TEST(ReadSettings, ANonNumericDatabaseSettingNamesItsKey) {
  for (const char* key : {"db.pool_size", "db.connect_timeout_s", "db.read_timeout_s", "db.start_wait_s"}) {
    Poco::AutoPtr<Poco::Util::MapConfiguration> c(new Poco::Util::MapConfiguration);
    c->setString(key, "soon");
    Result<Settings> s = ReadSettings(*c);
    ASSERT_FALSE(s.ok()) << key;
    EXPECT_NE(s.status().message().find(key), std::string::npos) << s.status().message();
  }
}

}  // namespace
}  // namespace lims::server
