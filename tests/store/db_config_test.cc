#include "lims/store/db_config.h"

#include <gtest/gtest.h>

#include "tests/support/test_support.h"

namespace lims::store {
namespace {

TEST(ParseDbUrl, ReadsTcpUrl) {
  Result<DbConfig> c = ParseDbUrl("mysql://pramaan@db.example.org:3310/lims_prod");
  ASSERT_OK(c);
  EXPECT_EQ(c->user, "pramaan");
  EXPECT_EQ(c->host, "db.example.org");
  EXPECT_EQ(c->port, 3310);
  EXPECT_EQ(c->database, "lims_prod");
  EXPECT_TRUE(c->socket.empty());
  EXPECT_TRUE(c->password.empty());
}

TEST(ParseDbUrl, DefaultsToPort3306) {
  Result<DbConfig> c = ParseDbUrl("mysql://app@10.0.0.5/lims");
  ASSERT_OK(c);
  EXPECT_EQ(c->host, "10.0.0.5");
  EXPECT_EQ(c->port, 3306);
}

TEST(ParseDbUrl, ReadsSocketUrl) {
  Result<DbConfig> c = ParseDbUrl("mysql://pramaan@localhost/pramaan?socket=/work/var/db/mysqld.sock");
  ASSERT_OK(c);
  EXPECT_EQ(c->user, "pramaan");
  EXPECT_EQ(c->database, "pramaan");
  EXPECT_EQ(c->socket, "/work/var/db/mysqld.sock");
}

TEST(ParseDbUrl, RefusesPasswordInUrl) {
  Result<DbConfig> c = ParseDbUrl("mysql://pramaan:hunter2@localhost:3306/pramaan");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(c.status().message().find("password"), std::string::npos) << c.status().message();
  EXPECT_EQ(c.status().message().find("hunter2"), std::string::npos) << "the secret leaked into the message";
}

TEST(ParseDbUrl, RefusesBadPorts) {
  for (const char* url :
       {"mysql://u@h:0/d", "mysql://u@h:65536/d", "mysql://u@h:33o6/d", "mysql://u@h:/d", "mysql://u@h:-1/d"}) {
    Result<DbConfig> c = ParseDbUrl(url);
    ASSERT_FALSE(c.ok()) << url;
    EXPECT_EQ(c.status().code(), Status::Code::kInvalidArgument) << url;
    EXPECT_NE(c.status().message().find("port"), std::string::npos) << url << ": " << c.status().message();
  }
}

TEST(ParseDbUrl, RefusesMissingDatabase) {
  for (const char* url : {"mysql://u@h:3306/", "mysql://u@h:3306", "mysql://u@localhost/?socket=/tmp/s.sock"}) {
    Result<DbConfig> c = ParseDbUrl(url);
    EXPECT_FALSE(c.ok()) << url;
    EXPECT_EQ(c.status().code(), Status::Code::kInvalidArgument) << url;
  }
}

TEST(ParseDbUrl, RefusesOtherSchemesAndMissingUser) {
  EXPECT_FALSE(ParseDbUrl("postgres://u@h/d").ok());
  EXPECT_FALSE(ParseDbUrl("mysql://h:3306/d").ok());
  EXPECT_FALSE(ParseDbUrl("mysql://@h/d").ok());
}

TEST(ParseDbUrl, RefusesUnknownOptions) {
  Result<DbConfig> c = ParseDbUrl("mysql://u@h/d?ssl=true");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("ssl"), std::string::npos) << c.status().message();
}

TEST(DbConfig, DescribeOmitsThePassword) {
  Result<DbConfig> c = ParseDbUrl("mysql://pramaan@localhost/pramaan?socket=/s/mysqld.sock");
  ASSERT_OK(c);
  c->password = "s3cr3t-value";
  const std::string described = c->Describe();
  EXPECT_EQ(described.find("s3cr3t-value"), std::string::npos) << described;
  EXPECT_NE(described.find("/s/mysqld.sock"), std::string::npos) << described;
}

}  // namespace
}  // namespace lims::store

namespace lims::store {
namespace {

// Found by fuzz_sql_script: "@:3306" passed the host check before the port was removed.
TEST(ParseDbUrlRegression, EmptyHostBeforeAPortIsRefused) {
  EXPECT_FALSE(ParseDbUrl("mysql://lims@:3306/pramaan").ok());
}

}  // namespace
}  // namespace lims::store
