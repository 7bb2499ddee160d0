// Go's time formatting on plain Unix times. Expected strings are Go 1.19's.
#include "gocompat/time_format.h"

#include <gtest/gtest.h>

namespace tocsin::gocompat {
namespace {

TEST(GoTime, DurationStringMatchesGo) {
  EXPECT_EQ(duration_string(0), "0s");
  EXPECT_EQ(duration_string(1), "1ns");
  EXPECT_EQ(duration_string(1500), "1.5µs");
  EXPECT_EQ(duration_string(2'500'000), "2.5ms");
  EXPECT_EQ(duration_string(-61'000'000'000), "-1m1s");
  EXPECT_EQ(duration_string(3'600'000'000'000), "1h0m0s");
}

TEST(GoTime, ZeroTimeAndNegativeTimes) {
  EXPECT_EQ(time_string(-62135596800, 0), "0001-01-01 00:00:00 +0000 UTC");
  EXPECT_EQ(time_string(-1, 500'000'000), "1969-12-31 23:59:59.5 +0000 UTC");
  EXPECT_EQ(format_time(951782400, 0, "2006-01-02 Mon 002"), "2000-02-29 Tue 060");
}

}  // namespace
}  // namespace tocsin::gocompat
