#include "gocompat/strconv.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "gocompat/fmt.h"

namespace tocsin::gocompat {
namespace {

// Expected strings are what Go's strconv.FormatFloat and fmt print.
TEST(GoFormat, ShortestG) {
  EXPECT_EQ(sprint_float(0), "0");
  EXPECT_EQ(sprint_float(1), "1");
  EXPECT_EQ(sprint_float(0.1), "0.1");
  EXPECT_EQ(sprint_float(12.345), "12.345");
  EXPECT_EQ(sprint_float(123456), "123456");
  EXPECT_EQ(sprint_float(1234567), "1.234567e+06");
  EXPECT_EQ(sprint_float(1e6), "1e+06");
  EXPECT_EQ(sprint_float(0.0001), "0.0001");
  EXPECT_EQ(sprint_float(0.00001), "1e-05");
  EXPECT_EQ(sprint_float(-2.5), "-2.5");
  EXPECT_EQ(sprint_float(1e21), "1e+21");
  EXPECT_EQ(sprint_float(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(sprint_float(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(sprint_float(std::nan("")), "NaN");
}

TEST(GoFormat, PrecisionG) {
  EXPECT_EQ(format_float(1234.5678, 'g', 4), "1235");
  EXPECT_EQ(format_float(1.2345678, 'g', 4), "1.235");
  EXPECT_EQ(format_float(1234567, 'g', 4), "1.235e+06");
  EXPECT_EQ(format_float(1, 'g', 4), "1");
  EXPECT_EQ(format_float(100000, 'g', 4), "1e+05");
  EXPECT_EQ(format_float(100, 'g', 3), "100");
  EXPECT_EQ(format_float(0.000012345, 'g', 4), "1.234e-05");
  EXPECT_EQ(format_float(0.0012345, 'g', 4), "0.001234");  // 0.0012345 is below ...45 in binary
  EXPECT_EQ(format_float(0, 'g', 4), "0");
}

TEST(GoFormat, EAndF) {
  EXPECT_EQ(format_float(1, 'e', -1), "1e+00");
  EXPECT_EQ(format_float(0, 'e', -1), "0e+00");
  EXPECT_EQ(format_float(0.25, 'e', -1), "2.5e-01");
  EXPECT_EQ(format_float(123.456, 'e', -1), "1.23456e+02");
  EXPECT_EQ(format_float(1e100, 'e', -1), "1e+100");
  EXPECT_EQ(format_float(123.456, 'e', 2), "1.23e+02");
  EXPECT_EQ(format_float(0.1234, 'f', -1), "0.1234");
  EXPECT_EQ(format_float(1e21, 'f', -1), "1000000000000000000000");
  EXPECT_EQ(format_float(12.3456, 'f', 2), "12.35");
  EXPECT_EQ(format_float(0.125, 'f', 2), "0.12");  // exact tie rounds to even
  EXPECT_EQ(format_float(5, 'f', 0), "5");
  EXPECT_EQ(format_float(0.001, 'f', 2), "0.00");
}

TEST(GoFormat, Quote) {
  EXPECT_EQ(quote("plain"), "\"plain\"");
  EXPECT_EQ(quote("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(quote("tab\there\n"), R"("tab\there\n")");
  EXPECT_EQ(quote("\x01"), R"("\x01")");
  EXPECT_EQ(quote("\xff"), R"("\xff")");
  EXPECT_EQ(quote("héllo"), "\"héllo\"");
  EXPECT_EQ(quote("\u200b"), R"("\u200b")");
  EXPECT_EQ(quote("\u00a0"), R"("\u00a0")");  // a space separator: not printable in Go
}

}  // namespace
}  // namespace tocsin::gocompat
