// time.Time and time.Duration values: printing, Format layouts, methods.
// Expected strings are Go 1.19's for the same template and data.
#include <gtest/gtest.h>

#include "template_test_util.h"

namespace tocsin::tmpl::testing {
namespace {

TEST(Template, Time_PrintsAsGoTimeString) {
  Fixture f;
  EXPECT_EQ(f.run("{{.T}} {{printf \"%v|%s\" .T .T}}"),
            "2024-05-01 12:00:00.25 +0000 UTC 2024-05-01 12:00:00.25 +0000 UTC|2024-05-01 "
            "12:00:00.25 +0000 UTC");
}

TEST(Template, Time_FormatWithReferenceLayouts) {
  Fixture f;
  EXPECT_EQ(f.run("{{.T.Format \"2006-01-02T15:04:05Z07:00\"}}"), "2024-05-01T12:00:00Z");
  EXPECT_EQ(f.run("{{.T.Format \"Mon Jan _2 15:04:05.000 MST 2006 pm -07:00\"}}"),
            "Wed May  1 12:00:00.250 UTC 2024 pm +00:00");
  EXPECT_EQ(f.run("{{.T.Format \"January 2, 2006 3:04:05.999 PM -0700 Z0700 002 __2 .00 ,999\"}}"),
            "May 1, 2024 12:00:00.25 PM +0000 Z 122 122 .25 ,25");
  EXPECT_EQ(f.run("{{.T.Format \"06/1/2 03:4:5 Monday\"}}"), "24/5/1 12:0:0 Wednesday");
}

TEST(Template, Time_Accessors) {
  Fixture f;
  EXPECT_EQ(f.run("{{.T.Unix}} {{.T.UnixMilli}} {{.T.Year}} {{.T.Month}} {{.T.Day}} {{.T.Hour}} "
                  "{{.T.Minute}} {{.T.Second}} {{.T.Weekday}} {{.T.YearDay}} {{.T.Nanosecond}} "
                  "{{.T.IsZero}} {{printf \"%d\" .T.Month}}"),
            "1714564800 1714564800250 2024 May 1 12 0 0 Wednesday 122 250000000 false 5");
}

TEST(Template, Time_Arithmetic) {
  Fixture f;
  EXPECT_EQ(f.run("{{.T.Add .D}} {{(.T.Add .D).Sub .T}} {{.T.Before (.T.Add .D)}} {{.T.After "
                  "(.T.Add .D)}} {{.T.Equal .T}}"),
            "2024-05-01 13:30:01.75 +0000 UTC 1h30m1.5s true false true");
}

TEST(Template, Duration_PrintsAsGoDurationString) {
  Fixture f;
  EXPECT_EQ(f.run("{{.D}} {{printf \"%v|%d|%s\" .D .D .D}} {{.D.Seconds}} {{.D.Minutes}} "
                  "{{.D.Hours}} {{.D.Milliseconds}}"),
            "1h30m1.5s 1h30m1.5s|5401500000000|1h30m1.5s 5401.5 90.025 1.5004166666666667 5401500");
}

}  // namespace
}  // namespace tocsin::tmpl::testing
