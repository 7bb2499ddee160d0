// strfmt.DateTime as Alertmanager 0.25 reads and writes it; the expected
// errors were recorded from it.
#include "api/date_time.h"

#include <gtest/gtest.h>

#include "gocompat/time_parse.h"

namespace tocsin::api {
namespace {

TEST(DateTime, PlainRfc3339TimesReadAsTheLayoutsReadThem) {
  // parse_api_time reads plain RFC 3339 without trying each layout; it must
  // agree with Go's RFC3339Nano layout, which takes all of them.
  constexpr std::string_view kNano = "2006-01-02T15:04:05.999999999Z07:00";
  for (std::string_view text :
       {"2030-01-01T00:00:00Z", "2030-01-01T00:00:00.1Z", "2030-01-01T00:00:00.123456789Z",
        "2030-06-15T23:59:59.999+05:30", "2030-06-15T00:00:00.5-11:45", "1969-12-31T23:59:59.999Z",
        "1969-12-31T23:59:59.9995Z", "0001-01-01T00:00:00Z", "2028-02-29T12:00:00Z",
        "9999-12-31T23:59:59.999999999-23:59", "2030-01-01T00:00:00.000001Z"}) {
    auto fast = parse_api_time(text);
    auto layout = gocompat::time_parse(kNano, text);
    ASSERT_TRUE(fast) << text;
    ASSERT_TRUE(layout) << text;
    EXPECT_EQ(*fast, *layout) << text;
  }
  // Out of range: the layouts' own errors, as before.
  for (std::string_view text : {"2030-02-29T00:00:00Z", "2030-13-01T00:00:00Z",
                                "2030-01-01T24:00:00Z", "2030-01-01T00:60:00Z"}) {
    EXPECT_FALSE(parse_api_time(text)) << text;
  }
}

TEST(DateTime, DateTimesAreReadAsStrfmtReadsThem) {
  auto t = [](std::string_view text) -> std::string {
    auto parsed = parse_api_time(text);
    return parsed ? format_api_time(*parsed) : parsed.error().message();
  };
  EXPECT_EQ(t("2030-01-01T00:00:00Z"), "2030-01-01T00:00:00.000Z");
  EXPECT_EQ(t("2030-01-01T00:00:00.123456789Z"), "2030-01-01T00:00:00.123Z");
  // More digits than nanoseconds hold (a fuzzer's find: the fast path
  // overflowed counting them): time.RFC3339, which has no fraction, takes
  // any number and Go drops those past the ninth.
  EXPECT_EQ(t("2030-01-01T00:00:00.98765432199999999999Z"), "2030-01-01T00:00:00.987Z");
  EXPECT_EQ(t("2024-02-01T14:00:00.552222222222222222722220Z"), "2024-02-01T14:00:00.552Z");
  EXPECT_EQ(t("2030-01-01T02:00:00.5+02:00"), "2030-01-01T00:00:00.500Z");
  EXPECT_EQ(t("2030-01-01T00:00:00.123+0100"), "2029-12-31T23:00:00.123Z");
  EXPECT_EQ(t("2030-01-01T00:00:00.123456-0100"), "2030-01-01T01:00:00.123Z");
  EXPECT_EQ(t("2030-01-01T00:00:00+25:00"), "2029-12-30T23:00:00.000Z");
  EXPECT_EQ(t("2030-01-01T00:00:00.5"), "2030-01-01T00:00:00.500Z");
  EXPECT_EQ(t("2030-01-01T00:00Z"), "2030-01-01T00:00:00.000Z");
  EXPECT_EQ(t("2030-01-01T10:30"), "2030-01-01T10:30:00.000Z");
  EXPECT_EQ(t("2030-01-01T1:00:00Z"), "2030-01-01T01:00:00.000Z");
  EXPECT_EQ(t("2030-01-01 10:00:00"), "2030-01-01T10:00:00.000Z");
  EXPECT_EQ(t(""), "1970-01-01T00:00:00.000Z");
  // Go 1.19's quirks, as Alertmanager shows them: a space matches a run of
  // spaces, missing seconds pass when a fraction follows, offsets go
  // unchecked.
  EXPECT_EQ(t("2030-01-01  10:00:00"), "2030-01-01T10:00:00.000Z");
  EXPECT_EQ(t("2030-02-28T23:59:.999999999Z"), "2030-02-28T23:59:00.999Z");
  EXPECT_EQ(t("2030-01-01 10:00:,5"), "2030-01-01T10:00:00.500Z");
  EXPECT_EQ(t("2030-01-01T10:00:00+-1:00"), "2030-01-01T11:00:00.000Z");
  // What none of its layouts takes is reported against the last of them.
  EXPECT_EQ(
      t("tomorrow"),
      R"(parsing time "tomorrow" as "2006-01-02 15:04:05": cannot parse "tomorrow" as "2006")");
  EXPECT_EQ(t("2030-13-01T00:00:00Z"),
            R"(parsing time "2030-13-01T00:00:00Z": month out of range)");
  EXPECT_EQ(
      t("2030-02-30T00:00:00Z"),
      R"(parsing time "2030-02-30T00:00:00Z" as "2006-01-02 15:04:05": cannot parse "T00:00:00Z" as " ")");
  EXPECT_EQ(t("2030-01-01"),
            R"(parsing time "2030-01-01" as "2006-01-02 15:04:05": cannot parse "" as "15")");
  EXPECT_EQ(
      t("2030-01-01T25:00:00Z"),
      R"(parsing time "2030-01-01T25:00:00Z" as "2006-01-02 15:04:05": cannot parse "T25:00:00Z" as " ")");
  EXPECT_EQ(
      t("2030-01-01T00:00:00.1234+0100"),
      R"(parsing time "2030-01-01T00:00:00.1234+0100" as "2006-01-02 15:04:05": cannot parse "T00:00:00.1234+0100" as " ")");
  EXPECT_EQ(t("2030-01-01 10:00:00 extra"),
            R"(parsing time "2030-01-01 10:00:00 extra": extra text: " extra")");
  EXPECT_EQ(t("2030-01-01 10:61:00"), R"(parsing time "2030-01-01 10:61:00": minute out of range)");
  EXPECT_EQ(t("2030-02-30 10:00:00"), R"(parsing time "2030-02-30 10:00:00": day out of range)");
  // A year that starts with a digit is consumed whole before it is read.
  EXPECT_EQ(
      t("20[]0-01-01T00:00:00Z"),
      R"(parsing time "20[]0-01-01T00:00:00Z" as "2006-01-02 15:04:05": cannot parse "0-01-01T00:00:00Z" as "2006")");
  // The time package quotes non-ASCII and control bytes as \x escapes.
  EXPECT_EQ(
      t("\xc3\xa9"
        "2030"),
      R"(parsing time "\xc3\xa92030" as "2006-01-02 15:04:05": cannot parse "\xc3\xa92030" as "2006")");
  EXPECT_EQ(t("2030-01-01 10:00:00\t"),
            R"(parsing time "2030-01-01 10:00:00\x09": extra text: "\x09")");
}

}  // namespace
}  // namespace tocsin::api
