#include "query/query_response.h"

#include <cmath>
#include <limits>
#include <string>

#include <gtest/gtest.h>

namespace tocsin::query {
namespace {

Timestamp at_ms(std::int64_t ms) {
  return Timestamp(Duration(ms));
}

TEST(DecodeQueryResponse, VectorGivesEverySampleWithLabelsValueAndTime) {
  auto result = decode_query_response(200, R"({"status":"success","data":{"resultType":"vector",
    "result":[{"metric":{"__name__":"up","job":"api","instance":"a:1"},"value":[1714564800.25,"1"]},
              {"metric":{"job":"db"},"value":[1714564800,"0.5"]}]}})");
  ASSERT_TRUE(result.has_value()) << result.error().to_string();
  ASSERT_EQ(result->size(), 2u);
  EXPECT_EQ((*result)[0].metric, Labels({{"__name__", "up"}, {"job", "api"}, {"instance", "a:1"}}));
  EXPECT_EQ((*result)[0].value, 1.0);
  EXPECT_EQ((*result)[0].timestamp, at_ms(1714564800250));
  EXPECT_EQ((*result)[1].metric, Labels({{"job", "db"}}));
  EXPECT_EQ((*result)[1].value, 0.5);
  EXPECT_EQ((*result)[1].timestamp, at_ms(1714564800000));
}

TEST(DecodeQueryResponse, EmptyVectorIsNoSamples) {
  auto result = decode_query_response(
      200, R"({"status":"success","data":{"resultType":"vector","result":[]}})");
  ASSERT_TRUE(result.has_value());
  EXPECT_TRUE(result->empty());
}

TEST(DecodeQueryResponse, ScalarIsOneSampleWithEmptyLabels) {
  auto result = decode_query_response(
      200, R"({"status":"success","data":{"resultType":"scalar","result":[1714564800.123,"3"]}})");
  ASSERT_TRUE(result.has_value()) << result.error().to_string();
  ASSERT_EQ(result->size(), 1u);
  EXPECT_TRUE((*result)[0].metric.empty());
  EXPECT_EQ((*result)[0].value, 3.0);
  EXPECT_EQ((*result)[0].timestamp, at_ms(1714564800123));
}

TEST(DecodeQueryResponse, MatrixAndStringAreRejectedAsPrometheusRulesDo) {
  for (const char* type : {"matrix", "string"}) {
    std::string body =
        std::string(R"({"status":"success","data":{"resultType":")") + type + R"(","result":[]}})";
    auto result = decode_query_response(200, body);
    ASSERT_FALSE(result.has_value()) << type;
    EXPECT_EQ(result.error().type, "unsupported_result");
    EXPECT_EQ(result.error().message, "rule result is not a vector or scalar");
  }
}

TEST(DecodeQueryResponse, ErrorEnvelopeKeepsPrometheusTypeMessageAndStatus) {
  auto result = decode_query_response(400, R"({"status":"error","errorType":"bad_data",
    "error":"invalid parameter \"query\": 1:16: parse error: unclosed left parenthesis"})");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().type, "bad_data");
  EXPECT_EQ(result.error().message,
            "invalid parameter \"query\": 1:16: parse error: unclosed left parenthesis");
  EXPECT_EQ(result.error().http_status, 400);
  EXPECT_EQ(result.error().to_string(),
            "bad_data: invalid parameter \"query\": 1:16: parse error: unclosed left parenthesis");

  auto timeout = decode_query_response(
      503,
      R"({"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"})");
  ASSERT_FALSE(timeout.has_value());
  EXPECT_EQ(timeout.error().type, "timeout");
  EXPECT_EQ(timeout.error().http_status, 503);
}

TEST(DecodeQueryResponse, NonJsonErrorPageIsAnHttpErrorWithStatusAndSnippet) {
  auto result = decode_query_response(503, "Service Unavailable\n");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().type, "http");
  EXPECT_EQ(result.error().http_status, 503);
  EXPECT_EQ(result.error().message,
            R"(server returned HTTP 503 (not JSON); body: "Service Unavailable\n")");
}

TEST(DecodeQueryResponse, JsonThatIsNotPrometheusFromAProxyIsAnHttpError) {
  auto result = decode_query_response(502, R"({"message":"bad gateway"})");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().type, "http");
  EXPECT_NE(result.error().message.find("HTTP 502"), std::string::npos);
  EXPECT_NE(result.error().message.find("bad gateway"), std::string::npos);
}

TEST(DecodeQueryResponse, UnreadableSuccessIsADecodeError) {
  struct Case {
    const char* body;
    const char* why;
  };
  for (
      const Case& c : {
          Case{"<html>hello</html>", "not JSON"},
          Case{"[]", "not a JSON object"},
          Case{R"({"data":{}})", "no \"status\""},
          Case{R"({"status":"weird"})", "status is \"weird\""},
          Case{R"({"status":"success"})", "no \"data\" object"},
          Case{R"({"status":"success","data":{"resultType":"vector"}})",
               "no \"resultType\" or \"result\""},
          Case{R"({"status":"success","data":{"resultType":"vector","result":{}}})",
               "vector result is not an array"},
          Case{
              R"({"status":"success","data":{"resultType":"vector","result":[{"value":[1,"1"]}]}})",
              "a vector element has no metric"},
          Case{
              R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":1},"value":[1,"1"]}]}})",
              "label a is not a string"},
          Case{
              R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,1]}]}})",
              "a sample value is not [<time>, \"<value>\"]"},
          Case{
              R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"one"]}]}})",
              "sample value \"one\" is not a number"},
          Case{
              R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"histogram":[1,{}]}]}})",
              "native histogram samples are not supported"},
          Case{R"({"status":"success","data":{"resultType":"scalar","result":"3"}})",
               "a sample value is not [<time>, \"<value>\"]"},
      }) {
    auto result = decode_query_response(200, c.body);
    ASSERT_FALSE(result.has_value()) << c.body;
    EXPECT_EQ(result.error().type, "decode") << c.body;
    EXPECT_EQ(result.error().http_status, 200);
    EXPECT_NE(result.error().message.find(std::string("(HTTP 200): ") + c.why), std::string::npos)
        << result.error().message;
  }
}

TEST(DecodeQueryResponse, SpecialValuesAsPrometheusWritesThem) {
  auto result = decode_query_response(200, R"({"status":"success","data":{"resultType":"vector",
    "result":[{"metric":{"v":"nan"},"value":[1,"NaN"]},{"metric":{"v":"pinf"},"value":[1,"+Inf"]},
              {"metric":{"v":"ninf"},"value":[1,"-Inf"]},{"metric":{"v":"neg"},"value":[1,"-0.25"]},
              {"metric":{"v":"big"},"value":[1,"1e+300"]}]}})");
  ASSERT_TRUE(result.has_value()) << result.error().to_string();
  ASSERT_EQ(result->size(), 5u);
  EXPECT_TRUE(std::isnan((*result)[0].value));
  EXPECT_EQ((*result)[1].value, std::numeric_limits<double>::infinity());
  EXPECT_EQ((*result)[2].value, -std::numeric_limits<double>::infinity());
  EXPECT_EQ((*result)[3].value, -0.25);
  EXPECT_EQ((*result)[4].value, 1e300);
}

TEST(ParseSampleValue, AcceptsOnlyWhatPrometheusWrites) {
  EXPECT_EQ(parse_sample_value("42").value(), 42.0);
  EXPECT_EQ(parse_sample_value("0.1").value(), 0.1);
  EXPECT_EQ(parse_sample_value("-Inf").value(), -std::numeric_limits<double>::infinity());
  for (const char* bad : {"", "inf", "nan", "Inf", "1 ", " 1", "1x", "0x10"}) {
    EXPECT_FALSE(parse_sample_value(bad).has_value()) << bad;
  }
}

TEST(BodySnippet, QuotesEscapesAndCutsOnACharacterBoundary) {
  EXPECT_EQ(body_snippet("ok"), "\"ok\"");
  EXPECT_EQ(body_snippet("a\"b\\c\n\t\x01"), R"("a\"b\\c\n\t\x01")");
  EXPECT_EQ(body_snippet(std::string(300, 'x')), "\"" + std::string(200, 'x') + "\"...");
  // "é" is two bytes; a cut after its first byte backs off to before it.
  EXPECT_EQ(body_snippet("abé", 3), "\"ab\"...");
}

TEST(QueryError, PrintsTypeThenMessage) {
  EXPECT_EQ((QueryError{"connection", "cannot query x: refused", 0}).to_string(),
            "connection: cannot query x: refused");
}

}  // namespace
}  // namespace tocsin::query
