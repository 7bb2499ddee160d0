// Go's encoding/json Encoder as the notifiers' payloads use it.
#include "gocompat/json_writer.h"

#include <chrono>
#include <limits>

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

TEST(GoJsonWriter, WritesNumbersRawValuesAndUnescapedStringsAsGoDoes) {
  JsonWriter json(/*escape_html=*/false);
  json.begin_array();
  json.string("<a&b>");
  json.integer(-5);
  json.float64(2);
  json.float64(0.5);
  json.float64(1e21);
  json.float64(1e-7);
  json.float64(std::numeric_limits<double>::quiet_NaN());
  json.raw(R"({"x":"\u003c"})");
  json.end_array();
  // SetEscapeHTML(false); floats as encoding/json's floatEncoder; a
  // MarshalJSON result copied in; json.Marshal adds no newline.
  EXPECT_EQ(std::move(json).marshal(), R"(["<a&b>",-5,2,0.5,1e+21,1e-7,null,{"x":"\u003c"}])");
}

}  // namespace
}  // namespace tocsin::gocompat
