#include "lims/http/json_io.h"

#include <gtest/gtest.h>

namespace lims::http {
namespace {

bool HasError(const Status& s, const std::string& field) {
  for (const FieldError& e : s.field_errors()) {
    if (e.field == field) return true;
  }
  return false;
}

TEST(BodyReader, ReadsTypedFields) {
  BodyReader in(R"({"name":"boot","quantity":6,"exporter":"12","sizes":["42","43"]})");
  EXPECT_EQ(in.RequiredString("name"), "boot");
  EXPECT_EQ(in.RequiredInteger("quantity"), 6);
  EXPECT_EQ(in.RequiredId("exporter"), 12);
  EXPECT_EQ(in.StringArray("sizes", true), (std::vector<std::string>{"42", "43"}));
  EXPECT_TRUE(in.Finish().ok());
}

TEST(BodyReader, MalformedJsonIsInvalidArgument) {
  BodyReader in("{\"a\":");
  Status s = in.Finish();
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("JSON"), std::string::npos);
}

TEST(BodyReader, NonObjectBodyIsRejected) {
  BodyReader in("[1,2]");
  EXPECT_EQ(in.Finish().code(), Status::Code::kInvalidArgument);
}

TEST(BodyReader, CollectsEveryFieldError) {
  BodyReader in(R"({"quantity":"six","values":["1",2],"typo":1})");
  in.RequiredString("name");
  in.RequiredInteger("quantity");
  in.StringArray("values", true);
  Status s = in.Finish();
  EXPECT_TRUE(HasError(s, "name"));
  EXPECT_TRUE(HasError(s, "quantity"));
  EXPECT_TRUE(HasError(s, "values[1]"));
  EXPECT_TRUE(HasError(s, "typo"));
}

TEST(BodyReader, NullCountsAsAbsent) {
  BodyReader in(R"({"uncertainty":null})");
  EXPECT_FALSE(in.NullableString("uncertainty").has_value());
  EXPECT_TRUE(in.Finish().ok());
}

TEST(BodyReader, IdRejectsNonDigits) {
  BodyReader in(R"({"exporter":"12a"})");
  in.RequiredId("exporter");
  EXPECT_TRUE(HasError(in.Finish(), "exporter"));
}

TEST(BodyReader, InvalidUtf8IsMalformed) {
  for (const std::string& body : {std::string("{\"name\":\"\xC3\"}"), std::string("{\"name\":\"\xED\xA0\x80\"}"),
                                  std::string("{\"name\":\"\xC0\xAF\"}")}) {
    BodyReader in(body);
    Status s = in.Finish();
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
    EXPECT_NE(s.message().find("UTF-8"), std::string::npos) << s.message();
  }
}

TEST(BodyReader, ValidMultibyteUtf8IsAccepted) {
  BodyReader in("{\"unit\":\"\xC2\xB5g/cm\xC2\xB2\",\"sign\":\"\xE2\x89\xA4\"}");
  EXPECT_EQ(in.RequiredString("unit"), "\xC2\xB5g/cm\xC2\xB2");
  in.Ignore("sign");
  EXPECT_TRUE(in.Finish().ok());
}

TEST(BodyReader, DeepNestingIsRefused) {
  std::string deep = "{\"a\":";
  for (size_t i = 0; i < kMaxJsonDepth + 5; ++i) deep += "[";
  for (size_t i = 0; i < kMaxJsonDepth + 5; ++i) deep += "]";
  deep += "}";
  BodyReader in(deep);
  EXPECT_EQ(in.Finish().code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace lims::http
