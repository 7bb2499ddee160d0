#include "config/time_interval.h"

#include <gtest/gtest.h>

namespace tocsin::config {
namespace {

using namespace std::chrono;

Timestamp at(int y, unsigned m, unsigned d, int hh = 0, int mm = 0, int ss = 0) {
  return Timestamp(sys_days(year(y) / month(m) / day(d)) + hours(hh) + minutes(mm) + seconds(ss));
}

std::string error_of(const Result<InclusiveRange>& r) {
  return r ? "" : r.error().message();
}

TEST(TimeIntervalParse, ClockTimes) {
  EXPECT_EQ(parse_clock_minutes("00:00"), 0);
  EXPECT_EQ(parse_clock_minutes("09:30"), 570);
  EXPECT_EQ(parse_clock_minutes("23:59"), 1439);
  EXPECT_EQ(parse_clock_minutes("24:00"), 1440);
  for (const char* bad : {"24:01", "9:00", "12:60", "25:00", "1200", "ab:cd"}) {
    EXPECT_EQ(parse_clock_minutes(bad).error().message(),
              std::string("couldn't parse timestamp ") + bad + ", invalid format");
  }
  EXPECT_EQ(parse_time_range("17:00", "24:00"), (TimeRange{1020, 1440}));
  EXPECT_EQ(parse_time_range("", "10:00").error().message(),
            "both start and end times must be provided");
  EXPECT_EQ(parse_time_range("10:00", "10:00").error().message(),
            "start time cannot be equal or greater than end time");
}

TEST(TimeIntervalParse, WeekdaysByNameAndRangeInAnyCase) {
  EXPECT_EQ(parse_weekday_range("monday:friday"), (InclusiveRange{1, 5}));
  EXPECT_EQ(parse_weekday_range("Saturday"), (InclusiveRange{6, 6}));
  EXPECT_EQ(parse_weekday_range("SUNDAY:Monday"), (InclusiveRange{0, 1}));
  EXPECT_EQ(error_of(parse_weekday_range("friday:monday")), "start day cannot be before end day");
  EXPECT_EQ(error_of(parse_weekday_range("Funday")), "funday is not a valid weekday");
  EXPECT_EQ(error_of(parse_weekday_range("1")), "1 is not a valid weekday");
  EXPECT_EQ(error_of(parse_weekday_range("monday:tuesday:friday")),
            "couldn't parse range monday:tuesday:friday, invalid format");
}

TEST(TimeIntervalParse, DaysOfMonthAllowNegativeDaysFromTheEnd) {
  EXPECT_EQ(parse_day_of_month_range("1:5"), (InclusiveRange{1, 5}));
  EXPECT_EQ(parse_day_of_month_range("-3:-1"), (InclusiveRange{-3, -1}));
  EXPECT_EQ(parse_day_of_month_range("10:-1"), (InclusiveRange{10, -1}));
  EXPECT_EQ(error_of(parse_day_of_month_range("0")),
            "0 is not a valid day of the month: out of range");
  EXPECT_EQ(error_of(parse_day_of_month_range("1:32")),
            "32 is not a valid day of the month: out of range");
  EXPECT_EQ(error_of(parse_day_of_month_range("-1:1")),
            "end day must be negative if start day is negative");
  EXPECT_EQ(error_of(parse_day_of_month_range("25:-10")),
            "end day -10 is always before start day 25");
  EXPECT_EQ(error_of(parse_day_of_month_range("first")),
            "strconv.Atoi: parsing \"first\": invalid syntax");
}

TEST(TimeIntervalParse, MonthsByNameOrNumberAndYears) {
  EXPECT_EQ(parse_month_range("May:August"), (InclusiveRange{5, 8}));
  EXPECT_EQ(parse_month_range("1:3"), (InclusiveRange{1, 3}));
  EXPECT_EQ(parse_month_range("december"), (InclusiveRange{12, 12}));
  EXPECT_EQ(parse_month_range("13"),
            (InclusiveRange{13, 13}));  // as Alertmanager: loads, never matches
  EXPECT_EQ(error_of(parse_month_range("march:january")),
            "end month january is before start month march");
  EXPECT_EQ(error_of(parse_month_range("smarch")), "smarch is not a valid month");
  EXPECT_EQ(parse_year_range("2020:2022"), (InclusiveRange{2020, 2022}));
  EXPECT_EQ(error_of(parse_year_range("2025:2020")), "end year 2020 is before start year 2025");
}

TEST(TimeIntervalParse, FormatsAsAlertmanagerWritesBack) {
  EXPECT_EQ(format_clock_minutes(1440), "24:00");
  EXPECT_EQ(format_clock_minutes(545), "09:05");
  EXPECT_EQ(format_weekday_range({1, 5}), "monday:friday");
  EXPECT_EQ(format_weekday_range({6, 6}), "saturday");
  EXPECT_EQ(format_month_range({5, 8}), "may:august");
  EXPECT_EQ(format_number_range({-3, -1}), "-3:-1");
  EXPECT_EQ(format_number_range({7, 7}), "7");
}

TimeInterval business_hours() {
  TimeInterval ti;
  ti.times = std::vector<TimeRange>{{9 * 60, 17 * 60}};
  ti.weekdays = std::vector<InclusiveRange>{{1, 5}};
  return ti;
}

TEST(TimeIntervalContains, WeekdayRangeAndTimesWithExclusiveEnd) {
  TimeInterval ti = business_hours();
  EXPECT_TRUE(ti.contains(at(2024, 1, 15, 9, 0)));    // Monday
  EXPECT_TRUE(ti.contains(at(2024, 1, 19, 16, 59)));  // Friday
  EXPECT_FALSE(ti.contains(at(2024, 1, 15, 17, 0)));  // end is exclusive
  EXPECT_FALSE(ti.contains(at(2024, 1, 15, 8, 59)));
  EXPECT_FALSE(ti.contains(at(2024, 1, 20, 12, 0)));  // Saturday
  EXPECT_FALSE(ti.contains(at(2024, 1, 14, 12, 0)));  // Sunday
}

TEST(TimeIntervalContains, EndOfDayAt2400) {
  TimeInterval ti;
  ti.times = std::vector<TimeRange>{{17 * 60, 24 * 60}};
  EXPECT_TRUE(ti.contains(at(2024, 1, 15, 23, 59, 59)));
  EXPECT_FALSE(ti.contains(at(2024, 1, 16, 0, 0)));
  EXPECT_TRUE(ti.contains(at(2024, 1, 16, 17, 0)));
}

TEST(TimeIntervalContains, NegativeDaysOfMonthCountFromTheMonthsEnd) {
  TimeInterval last_day;
  last_day.days_of_month = std::vector<InclusiveRange>{{-1, -1}};
  EXPECT_TRUE(last_day.contains(at(2024, 2, 29, 12)));  // leap year
  EXPECT_FALSE(last_day.contains(at(2024, 2, 28, 12)));
  EXPECT_TRUE(last_day.contains(at(2023, 2, 28, 12)));
  EXPECT_TRUE(last_day.contains(at(2024, 4, 30, 12)));
  EXPECT_TRUE(last_day.contains(at(2024, 12, 31, 23, 59)));

  TimeInterval last_week;
  last_week.days_of_month = std::vector<InclusiveRange>{{-7, -1}};
  EXPECT_TRUE(last_week.contains(at(2024, 1, 25)));
  EXPECT_FALSE(last_week.contains(at(2024, 1, 24, 23, 59)));
}

TEST(TimeIntervalContains, DaysBeyondTheMonthAreClampedOrSkipped) {
  TimeInterval whole_month;
  whole_month.days_of_month = std::vector<InclusiveRange>{{1, 31}};
  EXPECT_TRUE(whole_month.contains(at(2023, 2, 28)));
  TimeInterval the_31st;
  the_31st.days_of_month = std::vector<InclusiveRange>{{31, 31}};
  EXPECT_FALSE(the_31st.contains(at(2024, 4, 30)));  // April has no 31st
  EXPECT_TRUE(the_31st.contains(at(2024, 5, 31)));
}

TEST(TimeIntervalContains, MonthsAndYears) {
  TimeInterval ti;
  ti.months = std::vector<InclusiveRange>{{12, 12}, {1, 2}};
  ti.years = std::vector<InclusiveRange>{{2024, 2025}};
  EXPECT_TRUE(ti.contains(at(2024, 12, 24)));
  EXPECT_TRUE(ti.contains(at(2025, 2, 1)));
  EXPECT_FALSE(ti.contains(at(2025, 3, 1)));
  EXPECT_FALSE(ti.contains(at(2026, 1, 1)));
}

TEST(TimeIntervalContains, AbsentFieldsMatchAnythingAndEmptyListsNothing) {
  EXPECT_TRUE(TimeInterval().contains(at(2024, 6, 1, 3)));
  TimeInterval none;
  none.weekdays = std::vector<InclusiveRange>{};
  EXPECT_FALSE(none.contains(at(2024, 6, 1, 3)));
}

TEST(TimeIntervalContains, ReadsTheWallClockOfItsLocation) {
  TimeInterval ti = business_hours();
  ti.location = *gocompat::TimeZone::locate("Australia/Sydney");
  // Sunday 23:30 UTC is Monday 10:30 in Sydney.
  EXPECT_TRUE(ti.contains(at(2024, 1, 14, 23, 30)));
  EXPECT_FALSE(business_hours().contains(at(2024, 1, 14, 23, 30)));
  // Friday 07:00 UTC is Friday 18:00 in Sydney.
  EXPECT_FALSE(ti.contains(at(2024, 1, 19, 7, 0)));
}

TEST(TimeIntervalContains, MonthLengthIsRightOnDaylightSavingDays) {
  // March 2024 in Berlin is an hour short; the last day is still the 31st.
  TimeInterval ti;
  ti.days_of_month = std::vector<InclusiveRange>{{-1, -1}};
  ti.location = *gocompat::TimeZone::locate("Europe/Berlin");
  EXPECT_TRUE(ti.contains(at(2024, 3, 31, 12)));
  EXPECT_FALSE(ti.contains(at(2024, 3, 30, 12)));
  // 23:30 UTC on the 31st is already April 1st in Berlin.
  EXPECT_FALSE(ti.contains(at(2024, 3, 31, 23, 30)));
}

TEST(NamedTimeInterval, ContainsWhenAnyIntervalDoes) {
  NamedTimeInterval named;
  named.name = "off-hours";
  TimeInterval weekend;
  weekend.weekdays = std::vector<InclusiveRange>{{0, 0}, {6, 6}};
  TimeInterval nights;
  nights.times = std::vector<TimeRange>{{0, 8 * 60}, {18 * 60, 24 * 60}};
  named.time_intervals = {weekend, nights};
  EXPECT_TRUE(named.contains(at(2024, 1, 20, 12)));   // Saturday noon
  EXPECT_TRUE(named.contains(at(2024, 1, 16, 3)));    // Tuesday night
  EXPECT_FALSE(named.contains(at(2024, 1, 16, 12)));  // Tuesday noon
}

}  // namespace
}  // namespace tocsin::config
