#include "gocompat/zone.h"

#include <cstdlib>
#include <optional>

#include <gtest/gtest.h>

namespace tocsin::gocompat {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

sys_seconds at(int y, unsigned m, unsigned d, int hh = 0, int mm = 0, int ss = 0) {
  return sys_days(year(y) / month(m) / day(d)) + hours(hh) + minutes(mm) + seconds(ss);
}

TimeZone zone(std::string_view name) {
  auto z = TimeZone::locate(name);
  EXPECT_TRUE(z.has_value()) << z.error().message();
  return z ? *z : TimeZone();
}

TEST(TimeZone, UtcIsTheDefaultAndNeedsNoFiles) {
  EXPECT_EQ(TimeZone().name(), "UTC");
  EXPECT_EQ(zone("").name(), "UTC");
  EXPECT_EQ(zone("UTC").offset_at(at(2024, 7, 1)), 0s);
}

TEST(TimeZone, ReadsTransitionsFromTheTzDatabase) {
  TimeZone berlin = zone("Europe/Berlin");
  EXPECT_EQ(berlin.name(), "Europe/Berlin");
  EXPECT_EQ(berlin.offset_at(at(2024, 1, 15, 12)), 1h);
  EXPECT_EQ(berlin.offset_at(at(2024, 7, 15, 12)), 2h);
  // Summer time starts 2024-03-31 at 01:00 UTC.
  EXPECT_EQ(berlin.offset_at(at(2024, 3, 31, 0, 59, 59)), 1h);
  EXPECT_EQ(berlin.offset_at(at(2024, 3, 31, 1)), 2h);

  TimeZone new_york = zone("America/New_York");
  EXPECT_EQ(new_york.offset_at(at(2030, 3, 10, 6, 59, 59)), -5h);
  EXPECT_EQ(new_york.offset_at(at(2030, 3, 10, 7)), -4h);
}

TEST(TimeZone, UsesTheFooterRuleAfterTheLastListedTransition) {
  EXPECT_EQ(zone("Europe/Berlin").offset_at(at(2100, 7, 1)), 2h);
  EXPECT_EQ(zone("Europe/Berlin").offset_at(at(2100, 12, 1)), 1h);
  EXPECT_EQ(zone("Australia/Sydney").offset_at(at(2100, 1, 10)), 11h);
  EXPECT_EQ(zone("Australia/Sydney").offset_at(at(2100, 7, 10)), 10h);
}

TEST(TimeZone, FooterRuleAgreesWithListedTransitions) {
  struct Case {
    const char* zone;
    const char* rule;
  } cases[] = {{"Europe/Berlin", "CET-1CEST,M3.5.0,M10.5.0/3"},
               {"America/New_York", "EST5EDT,M3.2.0,M11.1.0"},
               {"Australia/Sydney", "AEST-10AEDT,M10.1.0,M4.1.0/3"}};
  for (const Case& c : cases) {
    TimeZone tz = zone(c.zone);
    auto rule = PosixTz::parse(c.rule);
    ASSERT_TRUE(rule.has_value()) << c.rule;
    for (sys_seconds t = at(2025, 1, 1); t < at(2036, 1, 1); t += 1h + 7min) {
      ASSERT_EQ(tz.offset_at(t), rule->offset_at(t))
          << c.zone << " at " << t.time_since_epoch().count();
    }
  }
}

TEST(TimeZone, UnknownAndInvalidNamesAreErrors) {
  EXPECT_EQ(TimeZone::locate("Mars/Olympus_Mons").error().message(),
            "unknown time zone Mars/Olympus_Mons");
  EXPECT_EQ(TimeZone::locate("../../etc/passwd").error().message(), "time: invalid location name");
  EXPECT_EQ(TimeZone::locate("/etc/localtime").error().message(), "time: invalid location name");
  EXPECT_FALSE(TimeZone::locate("zone.tab").has_value());  // not TZif data
}

TEST(TimeZone, LocalFollowsTheTzEnvironmentVariable) {
  const char* saved = std::getenv("TZ");
  std::optional<std::string> old = saved ? std::optional<std::string>(saved) : std::nullopt;
  setenv("TZ", "Asia/Tokyo", 1);
  TimeZone local = zone("Local");
  EXPECT_EQ(local.name(), "Local");
  EXPECT_EQ(local.offset_at(at(2024, 1, 1)), 9h);
  setenv("TZ", "", 1);
  EXPECT_EQ(zone("Local").offset_at(at(2024, 1, 1)), 0s);
  if (old) {
    setenv("TZ", old->c_str(), 1);
  } else {
    unsetenv("TZ");
  }
}

TEST(TimeZone, CivilTimeGivesTheWallClockReading) {
  // 2024-01-14 23:30 UTC is Monday 10:30 in Sydney.
  CivilTime c = zone("Australia/Sydney").civil(Timestamp(at(2024, 1, 14, 23, 30)));
  EXPECT_EQ(c.date, year(2024) / January / day(15));
  EXPECT_EQ(c.weekday, Monday);
  EXPECT_EQ(c.minute_of_day, 10 * 60 + 30);
  EXPECT_EQ(c.offset, 11h);
}

TEST(PosixTz, ParsesTheRuleForms) {
  EXPECT_EQ(PosixTz::parse("<+03>-3")->offset_at(at(2024, 6, 1)), 3h);
  EXPECT_EQ(PosixTz::parse("IST-5:30")->offset_at(at(2024, 6, 1)), 5h + 30min);
  // Julian days without Feb 29: J60 is March 1 in a leap year too.
  auto julian = PosixTz::parse("AAA0BBB,J60/0,J300/0");
  ASSERT_TRUE(julian.has_value());
  EXPECT_EQ(julian->offset_at(at(2024, 2, 29, 23)), 0s);
  EXPECT_EQ(julian->offset_at(at(2024, 3, 1, 0)), 1h);
  // Zero-based days count Feb 29: day 59 is Feb 29 in a leap year.
  auto zero_based = PosixTz::parse("AAA0BBB,59/0,300/0");
  EXPECT_EQ(zero_based->offset_at(at(2024, 2, 29, 0)), 1h);
  // TZif v3 extension: hours beyond 24 (all-year daylight time).
  auto all_year = PosixTz::parse("EST5EDT,0/0,J365/25");
  ASSERT_TRUE(all_year.has_value());
  EXPECT_EQ(all_year->offset_at(at(2024, 7, 1)), -4h);
  EXPECT_EQ(all_year->offset_at(at(2024, 1, 1, 12)), -4h);
}

TEST(PosixTz, RejectsMalformedRules) {
  for (const char* bad : {"", "XX-1", "CET", "CET-1CEST,M13.1.0,M10.5.0", "CET-1CEST,M3.5.0",
                          "CET-1CEST,M3.5.0,M10.5.0/3x"}) {
    EXPECT_FALSE(PosixTz::parse(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace tocsin::gocompat
