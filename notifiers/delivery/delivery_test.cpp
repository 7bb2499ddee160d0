// What every integration shares: rune truncation, the group key hash, the
// retry decision on an HTTP status, the body excerpt in errors, Go's JSON
// encoding and the renderer's first-failure rule.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "notifiers/delivery/field_renderer.h"
#include "notifiers/delivery/group_key.h"
#include "notifiers/delivery/retrier.h"
#include "notifiers/delivery/truncate.h"
#include "notifiers/testing/notifications.h"

namespace tocsin::notifiers {
namespace {

using namespace testutil;

TEST(TruncateInRunes, CountsCharactersNotBytes) {
  EXPECT_EQ(truncate_in_runes("abc", 3).text, "abc");
  EXPECT_FALSE(truncate_in_runes("abc", 3).truncated);
  EXPECT_EQ(truncate_in_runes("h\xc3\xa9llo", 5).text, "h\xc3\xa9llo");
  Truncated cut = truncate_in_runes("h\xc3\xa9llo w\xc3\xb6rld", 5);
  EXPECT_TRUE(cut.truncated);
  EXPECT_EQ(cut.text, "h\xc3\xa9ll\xe2\x80\xa6");
}

TEST(TruncateInRunes, ThreeOrFewerRunesGetNoMarker) {
  Truncated cut = truncate_in_runes("abcdef", 3);
  EXPECT_TRUE(cut.truncated);
  EXPECT_EQ(cut.text, "abc");
  EXPECT_EQ(truncate_in_runes("abcdef", 0).text, "");
}

TEST(TruncateInRunes, InvalidBytesCountAsOneRuneAndBecomeReplacementCharacters) {
  Truncated cut = truncate_in_runes(
      "a\xff"
      "bcdef",
      4);
  EXPECT_EQ(cut.text,
            "a\xef\xbf\xbd"
            "b\xe2\x80\xa6");
}

TEST(GroupKeyHash, IsTheSha256OfTheKeyInHex) {
  EXPECT_EQ(group_key_hash(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(group_key_hash(test_context().group_key),
            "73042dc50d9d7d783a3772aae2a313acab072425608782aea59917e35ef8ec46");
}

TEST(Retrier, TwoHundredsAreSentFiveHundredsRetriedTheRestFinal) {
  Retrier retrier;
  EXPECT_TRUE(retrier.check(200, "").has_value());
  EXPECT_TRUE(retrier.check(202, "ignored").has_value());
  for (int status : {500, 502, 503, 504, 599}) {
    auto failed = retrier.check(status, "");
    ASSERT_FALSE(failed.has_value());
    EXPECT_TRUE(failed.error().retryable) << status;
    EXPECT_EQ(failed.error().message, fmt::format("unexpected status code {}", status));
  }
  // Alertmanager retries 429 only where the integration says so (PagerDuty).
  for (int status : {301, 400, 401, 403, 404, 429}) {
    auto failed = retrier.check(status, "");
    ASSERT_FALSE(failed.has_value());
    EXPECT_FALSE(failed.error().retryable) << status;
  }
}

TEST(Retrier, ExtraCodesAreRetriedAndDetailsFollowTheStatus) {
  Retrier retrier{{429}};
  auto limited = retrier.check(429, "slow down");
  ASSERT_FALSE(limited.has_value());
  EXPECT_TRUE(limited.error().retryable);
  EXPECT_EQ(limited.error().message, "unexpected status code 429: slow down");
  EXPECT_FALSE(retrier.check(403, "").error().retryable);
}

TEST(BodyExcerpt, TrimsEscapesAndCuts) {
  EXPECT_EQ(body_excerpt("  \n"), "");
  EXPECT_EQ(body_excerpt("\n  no such channel \r\n"), "no such channel");
  EXPECT_EQ(body_excerpt("line1\nline2\x1b[31m"), "line1\\nline2\\x1b[31m");
  EXPECT_EQ(body_excerpt(std::string(600, 'x')), std::string(512, 'x') + "...");
  // Never cuts a character in half.
  std::string accents;
  for (int i = 0; i < 300; ++i) accents += "\xc3\xa9";
  std::string cut = body_excerpt(accents, 5);
  EXPECT_EQ(cut, "\xc3\xa9\xc3\xa9\xc3\xa9...");
}

TEST(FieldRenderer, TheFirstFailureWinsAndLaterFieldsRenderEmpty) {
  auto templates = default_templates();
  std::vector<notify::Alert> alerts = {firing_alert("a")};
  auto data = templates->data(test_context(), alerts);
  FieldRenderer render(*templates, *data);
  EXPECT_EQ(render.text("ok", "{{ .Status }}"), "firing");
  EXPECT_FALSE(render.failed());
  EXPECT_EQ(render.text("first", "{{ fail }}"), "");
  EXPECT_EQ(render.text("later", "{{ .Status }}"), "");
  EXPECT_EQ(render.html("again", "{{ nope }}"), "");
  ASSERT_TRUE(render.failed());
  notify::Failure failure = render.failure("failed to template X");
  EXPECT_FALSE(failure.retryable);
  EXPECT_TRUE(failure.message.starts_with("failed to template X: first: template"))
      << failure.message;
  EXPECT_EQ(failure.message,
            "failed to template X: first: template: :1: function \"fail\" not defined");
}

}  // namespace
}  // namespace tocsin::notifiers
