#include "query/query_form.h"

#include <gtest/gtest.h>

namespace tocsin::query {
namespace {

using namespace std::chrono_literals;

TEST(FormEncode, EscapesLikeAnHtmlForm) {
  EXPECT_EQ(form_encode(
                {{"query", R"(sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) > 0.1)"}}),
            "query=sum+by+%28job%29+%28rate%28http_requests_total%7Bcode%3D~%225..%22%7D%5B5m%5D%"
            "29%29+%3E+0.1");
  EXPECT_EQ(form_encode({{"a", "x&y=z+1"}, {"b", "é/%"}}), "a=x%26y%3Dz%2B1&b=%C3%A9%2F%25");
  EXPECT_EQ(form_encode({{"safe", "AZaz09-_.~"}}), "safe=AZaz09-_.~");
  EXPECT_EQ(form_encode({{"empty", ""}}), "empty=");
}

TEST(FormatTimeoutSeconds, WritesSecondsPrometheusParses) {
  EXPECT_EQ(format_timeout_seconds(2min), "120");
  EXPECT_EQ(format_timeout_seconds(1500ms), "1.5");
  EXPECT_EQ(format_timeout_seconds(250ms), "0.25");
  EXPECT_EQ(format_timeout_seconds(1001ms), "1.001");
}

TEST(InstantQueryForm, CarriesTheEvaluationTimeAndTimeout) {
  Timestamp at(Duration(1714564800123));
  EXPECT_EQ(instant_query_form("up == 0", at, 2min),
            "query=up+%3D%3D+0&time=1714564800.123&timeout=120");
  EXPECT_EQ(instant_query_form("up", Timestamp(Duration(1714564800000)), 10s),
            "query=up&time=1714564800&timeout=10");
}

}  // namespace
}  // namespace tocsin::query
