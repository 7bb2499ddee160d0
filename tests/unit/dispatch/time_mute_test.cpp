#include "dispatch/time_mute.h"

#include <gtest/gtest.h>

#include "config/alertmanager_config.h"
#include "dispatch/route.h"
#include "notifiers/notifier_registry.h"
#include "support/fake_clock.h"

namespace tocsin::dispatch {
namespace {

using namespace std::chrono_literals;
using test::at;

// 2024-05-01 is a Wednesday; 2024-05-04 a Saturday.
const config::AlertmanagerConfig& routing() {
  static const config::AlertmanagerConfig config = [] {
    auto c = config::parse_alertmanager_config(R"(route:
  receiver: default
  routes:
    - receiver: default
      mute_time_intervals: [weekends]
      active_time_intervals: [business-hours]
    - receiver: default
      mute_time_intervals: [nights, weekends]
receivers: [{name: default}]
mute_time_intervals:
  - name: weekends
    time_intervals: [{weekdays: [saturday, sunday]}]
time_intervals:
  - name: business-hours
    time_intervals:
      - times: [{start_time: '09:00', end_time: '17:00'}]
        weekdays: ['monday:friday']
  - name: nights
    time_intervals:
      - times: [{start_time: '22:00', end_time: '24:00'}]
      - times: [{start_time: '00:00', end_time: '06:00'}]
  - name: never
    time_intervals: []
  - name: always
    time_intervals: [{}]
)",
                                               "alertmanager.yml", notifiers::receiver_kinds());
    EXPECT_TRUE(c.has_value()) << (c ? "" : c.error()[0].to_string());
    return *c;
  }();
  return config;
}

TimeMute make(std::vector<std::string> mute, std::vector<std::string> active) {
  auto t = TimeMute::create(mute, active, routing().time_intervals);
  EXPECT_TRUE(t.has_value()) << (t ? "" : t.error().message());
  return *t;
}

TEST(TimeMute, TimeMute_RouteWithoutIntervalsNeverMutes) {
  TimeMute none = make({}, {});
  EXPECT_FALSE(none.should_mute(at("2024-05-04T03:00:00Z")));
  EXPECT_TRUE(none.in_active_time(at("2024-05-04T03:00:00Z")));
  EXPECT_FALSE(none.in_mute_time(at("2024-05-04T03:00:00Z")));
}

TEST(TimeMute, TimeMute_MutesInsideAMuteInterval) {
  TimeMute weekends = make({"weekends"}, {});
  EXPECT_FALSE(weekends.should_mute(at("2024-05-03T23:59:59.999Z")));  // Friday
  EXPECT_TRUE(weekends.should_mute(at("2024-05-04T00:00:00Z")));       // Saturday
  EXPECT_TRUE(weekends.should_mute(at("2024-05-05T23:59:59Z")));       // Sunday
  EXPECT_FALSE(weekends.should_mute(at("2024-05-06T00:00:00Z")));      // Monday
}

TEST(TimeMute, TimeMute_MutesOutsideEveryActiveInterval) {
  TimeMute business = make({}, {"business-hours"});
  EXPECT_TRUE(business.should_mute(at("2024-05-01T08:59:59Z")));
  EXPECT_FALSE(business.should_mute(at("2024-05-01T09:00:00Z")));
  EXPECT_FALSE(business.should_mute(at("2024-05-01T16:59:59Z")));
  EXPECT_TRUE(business.should_mute(at("2024-05-01T17:00:00Z")));  // the end is exclusive
  EXPECT_TRUE(business.should_mute(at("2024-05-04T12:00:00Z")));  // Saturday
}

TEST(TimeMute, TimeMute_AnyIntervalOfAnyNamedIntervalCounts) {
  TimeMute quiet = make({"nights", "weekends"}, {});
  EXPECT_TRUE(quiet.should_mute(at("2024-05-01T23:00:00Z")));
  EXPECT_TRUE(quiet.should_mute(at("2024-05-01T05:59:00Z")));
  EXPECT_FALSE(quiet.should_mute(at("2024-05-01T06:00:00Z")));
  EXPECT_TRUE(quiet.should_mute(at("2024-05-04T12:00:00Z")));
}

TEST(TimeMute, TimeMute_MuteIntervalWinsOverActiveInterval) {
  TimeMute both = make({"weekends"}, {"always"});
  EXPECT_TRUE(both.in_active_time(at("2024-05-04T12:00:00Z")));
  EXPECT_TRUE(both.should_mute(at("2024-05-04T12:00:00Z")));
  EXPECT_FALSE(both.should_mute(at("2024-05-01T12:00:00Z")));
}

TEST(TimeMute, TimeMute_ActiveIntervalWithoutAnyTimeNeverLetsThrough) {
  TimeMute never = make({}, {"never"});
  EXPECT_TRUE(never.should_mute(at("2024-05-01T12:00:00Z")));
  TimeMute mute_never = make({"never"}, {});
  EXPECT_FALSE(mute_never.should_mute(at("2024-05-01T12:00:00Z")));
}

TEST(TimeMute, TimeMute_UnknownIntervalIsAnError) {
  std::vector<std::string> names{"business-hours", "nope"};
  auto t = TimeMute::create({}, names, routing().time_intervals);
  ASSERT_FALSE(t.has_value());
  EXPECT_EQ(t.error().message(), "time interval nope doesn't exist in config");
}

TEST(TimeMute, TimeMute_BuiltFromTheRouteTree) {
  auto tree = Route::build(routing().route);
  const Route& business_route = *tree->routes()[0];
  auto t = TimeMute::create(business_route.mute_time_intervals(),
                            business_route.active_time_intervals(), routing().time_intervals);
  ASSERT_TRUE(t.has_value());
  EXPECT_FALSE(t->should_mute(at("2024-05-01T10:00:00Z")));
  EXPECT_TRUE(t->should_mute(at("2024-05-01T18:00:00Z")));
  EXPECT_TRUE(t->should_mute(at("2024-05-04T10:00:00Z")));
}

}  // namespace
}  // namespace tocsin::dispatch
