// Bodies nested as deep as Go's encoding/json allows (10,000 levels) are
// decoded without recursing once per level: on a thread with a small stack,
// where a recursive copy or walk of the document would overflow, the
// decoders answer Alertmanager's errors.
#include <functional>
#include <string>

#include <gtest/gtest.h>

#include "api/postable_alerts.h"
#include "api/silence_json.h"
#include "support/stack.h"

namespace tocsin::api {
namespace {

constexpr std::size_t kSmallStack = 256 * 1024;

void run_on_small_stack(std::function<void()> fn) {
  test::run_on_stack(kSmallStack, std::move(fn));
}

std::string nested_arrays(int depth) {
  return std::string(static_cast<std::size_t>(depth), '[') +
         std::string(static_cast<std::size_t>(depth), ']');
}

TEST(DeepBodies, ASilenceNestedToGosLimitIsRefusedWithoutRecursing) {
  std::string whole, comment;
  run_on_small_stack([&] {
    auto a = parse_postable_silence(nested_arrays(10000));
    whole = a ? "accepted" : a.error().message;
    auto b = parse_postable_silence(R"({"comment":)" + nested_arrays(9999) + "}");
    comment = b ? "accepted" : b.error().message;
  });
  EXPECT_EQ(
      whole,
      R"(parsing silence body from "" failed, because json: cannot unmarshal array into Go value of type struct { ID string "json:\"id,omitempty\"" })");
  EXPECT_EQ(comment,
            "parsing silence body from \"\" failed, because json: cannot unmarshal array into Go "
            "struct field Silence.comment of type string");
}

TEST(DeepBodies, AlertsNestedToGosLimitAreRefusedWithoutRecursing) {
  std::string v2, v1;
  run_on_small_stack([&] {
    auto a = decode_posted_alerts(nested_arrays(10000), AlertsApi::kV2);
    v2 = a ? "accepted" : a.error().message;
    auto b = decode_posted_alerts(nested_arrays(10000), AlertsApi::kV1);
    v1 = b ? "accepted" : b.error().message;
  });
  // Alertmanager 0.25's words (the differential test compares them).
  EXPECT_EQ(
      v2,
      R"(parsing alerts body from "" failed, because json: cannot unmarshal array into Go value of type struct { Annotations models.LabelSet "json:\"annotations,omitempty\""; EndsAt strfmt.DateTime "json:\"endsAt,omitempty\""; StartsAt strfmt.DateTime "json:\"startsAt,omitempty\"" })");
  EXPECT_EQ(v1, "json: cannot unmarshal array into Go value of type types.Alert");
}

}  // namespace
}  // namespace tocsin::api
