// Go's encoding/json Encoder as the notifiers' payloads use it.
#include "gocompat/json_writer.h"

#include <chrono>

#include <gtest/gtest.h>

namespace tocsin::gocompat {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

Timestamp at(year_month_day day, milliseconds time_of_day) {
  return Timestamp(sys_days(day)) + time_of_day;
}

TEST(GoJsonWriter, WritesWhatGosEncoderWrites) {
  JsonWriter json;
  json.begin_object();
  json.field("s", "<a&b>\"\\\x7f\xe2\x80\xa9");
  json.field_omitempty("gone", "");
  json.key("t0");
  json.time(Timestamp{});
  json.key("t");
  json.time(at(2024y / May / 1, 11h + 50min + 120ms));  // 2024-05-01T11:50:00.120Z
  json.key("m");
  json.string_map({{"b", "2"}, {"a", "1"}});
  json.key("l");
  json.string_array({});
  json.key("n");
  json.number(18446744073709551615ULL);
  json.key("z");
  json.null();
  json.key("nested");
  json.begin_array();
  json.begin_object();
  json.end_object();
  json.boolean(false);
  json.end_array();
  json.end_object();
  EXPECT_EQ(std::move(json).finish(),
            R"({"s":"\u003ca\u0026b\u003e\"\\)"
            "\x7f"
            R"(\u2029","t0":"0001-01-01T00:00:00Z","t":"2024-05-01T11:50:00.12Z",)"
            R"("m":{"a":"1","b":"2"},"l":[],"n":18446744073709551615,"z":null,)"
            R"("nested":[{},false]})"
            "\n");
}

}  // namespace
}  // namespace tocsin::gocompat
