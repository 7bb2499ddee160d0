#include "core/log.h"

#include <gtest/gtest.h>

namespace tocsin::log {
namespace {

TEST(Log, LogfmtQuotesOnlyWhatNeedsQuoting) {
  EXPECT_EQ(
      render(Level::kInfo, "Loaded configuration", {{"file", "/etc/tocsin.yml"}, {"groups", 3}},
             Format::kLogfmt, "2024-05-01T12:00:00Z"),
      R"(ts=2024-05-01T12:00:00Z level=info msg="Loaded configuration" file=/etc/tocsin.yml groups=3)");
  EXPECT_EQ(render(Level::kWarn, "x", {{"err", "a \"b\"\nc"}, {"empty", ""}}, Format::kLogfmt, ""),
            R"(level=warn msg=x err="a \"b\"\nc" empty="")");
}

TEST(Log, JsonIsOneObjectPerLine) {
  EXPECT_EQ(
      render(Level::kError, "failed", {{"rule", "A"}, {"index", 2}}, Format::kJson,
             "2024-05-01T12:00:00Z"),
      R"({"ts":"2024-05-01T12:00:00Z","level":"error","msg":"failed","rule":"A","index":"2"})");
}

TEST(Log, ParsesLevelsAndFormats) {
  EXPECT_EQ(parse_level("debug").value(), Level::kDebug);
  EXPECT_EQ(parse_format("json").value(), Format::kJson);
  EXPECT_FALSE(parse_level("verbose").has_value());
  EXPECT_EQ(parse_format("xml").error().message(),
            "unknown log format \"xml\": want logfmt or json");
}

}  // namespace
}  // namespace tocsin::log
