#include <gtest/gtest.h>

#include <tocsin/time.h>

namespace tocsin {
namespace {

using namespace std::chrono_literals;

TEST(Duration, ParsesPrometheusSyntax) {
  EXPECT_EQ(parse_duration("0").value(), 0ms);
  EXPECT_EQ(parse_duration("5m").value(), 5min);
  EXPECT_EQ(parse_duration("1h30m").value(), 90min);
  EXPECT_EQ(parse_duration("1d").value(), 24h);
  EXPECT_EQ(parse_duration("2w").value(), 14 * 24h);
  EXPECT_EQ(parse_duration("1y").value(), 365 * 24h);
  EXPECT_EQ(parse_duration("10s500ms").value(), 10500ms);
  EXPECT_EQ(parse_duration("250ms").value(), 250ms);
  EXPECT_EQ(parse_duration("1h0m").value(), 1h);
}

TEST(Duration, RejectsWhatPrometheusRejects) {
  for (const char* bad :
       {"", "5", "1.5h", "m", "5x", "1m1h", "1s1s", "-1m", " 5m", "5m ", "1ms1s"}) {
    auto d = parse_duration(bad);
    ASSERT_FALSE(d.has_value()) << bad;
    EXPECT_EQ(d.error().message(), std::string("not a valid duration string: \"") + bad + "\"");
  }
  EXPECT_FALSE(parse_duration("9999999999999999999y").has_value());
  EXPECT_FALSE(parse_duration("300y").has_value());  // overflows Go's int64 nanoseconds
}

TEST(Duration, FormatsLikeModelDuration) {
  EXPECT_EQ(format_duration(0ms), "0s");
  EXPECT_EQ(format_duration(90min), "1h30m");
  EXPECT_EQ(format_duration(90 * 24h), "90d");  // not 12w6d
  EXPECT_EQ(format_duration(14 * 24h), "2w");
  EXPECT_EQ(format_duration(365 * 24h), "1y");
  EXPECT_EQ(format_duration(1500ms), "1s500ms");
  EXPECT_EQ(format_duration(30s), "30s");
}

TEST(Time, Rfc3339RoundTrip) {
  Timestamp t = parse_time("2024-05-01T12:00:00Z").value();
  EXPECT_EQ(t.time_since_epoch().count(), 1714564800000);
  EXPECT_EQ(format_rfc3339(t), "2024-05-01T12:00:00Z");
  EXPECT_EQ(format_rfc3339(t + 250ms), "2024-05-01T12:00:00.25Z");
  EXPECT_EQ(parse_time("2024-05-01T14:00:00.5+02:00").value(), t + 500ms);
}

TEST(Time, UnixSeconds) {
  EXPECT_EQ(parse_time("1714564800").value().time_since_epoch().count(), 1714564800000);
  EXPECT_EQ(parse_time("1714564800.25").value().time_since_epoch().count(), 1714564800250);
  EXPECT_EQ(format_unix_seconds(Timestamp(1714564800250ms)), "1714564800.250");
  EXPECT_EQ(format_unix_seconds(Timestamp(1714564800000ms)), "1714564800");
  EXPECT_FALSE(parse_time("yesterday").has_value());
  EXPECT_FALSE(parse_time("2024-13-01T00:00:00Z").has_value());
}

}  // namespace
}  // namespace tocsin
