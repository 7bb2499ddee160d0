#include "api/postable_alerts.h"

#include <gtest/gtest.h>

namespace tocsin::api {
namespace {

using namespace std::chrono_literals;

TEST(PostableAlertsTest, DecodesEveryField) {
  auto items = decode_posted_alerts(
      R"([{"labels":{"alertname":"A","empty":""},"annotations":{"summary":"s"},
           "startsAt":"2024-05-01T12:00:00Z","endsAt":"2024-05-01T13:00:00.5+01:00",
           "generatorURL":"http://prom/graph"}])",
      AlertsApi::kV2);
  ASSERT_TRUE(items) << items.error().message;
  ASSERT_EQ(items->size(), 1u);
  const PostedAlert& a = *(*items)[0];
  EXPECT_EQ(a.labels, (std::map<std::string, std::string>{{"alertname", "A"}, {"empty", ""}}));
  EXPECT_EQ(a.annotations, (std::map<std::string, std::string>{{"summary", "s"}}));
  EXPECT_EQ(a.starts_at, Timestamp(1'714'564'800'000ms));
  EXPECT_EQ(a.ends_at, Timestamp(1'714'564'800'500ms));
  EXPECT_EQ(a.generator_url, "http://prom/graph");

  notify::Alert alert = to_alert(a);
  EXPECT_EQ(alert.labels, (Labels{{"alertname", "A"}}));  // removeEmptyLabels
}

TEST(PostableAlertsTest, GoZeroTimeAndNullAreUnset) {
  auto items = decode_posted_alerts(
      R"([{"labels":{"a":"b"},"startsAt":"0001-01-01T00:00:00Z","endsAt":null}])", AlertsApi::kV2);
  ASSERT_TRUE(items);
  EXPECT_FALSE((*items)[0]->starts_at.has_value());
  EXPECT_FALSE((*items)[0]->ends_at.has_value());
}

TEST(PostableAlertsTest, NullItemsStayNull) {
  auto items = decode_posted_alerts(R"([null,{"labels":{"a":"b"}}])", AlertsApi::kV2);
  ASSERT_TRUE(items);
  ASSERT_EQ(items->size(), 2u);
  EXPECT_FALSE((*items)[0].has_value());
  EXPECT_TRUE((*items)[1].has_value());
}

TEST(PostableAlertsTest, AbortingErrorsWinOverTypeMismatches) {
  // The annotation's type mismatch is remembered, the bad time stops Go.
  auto items = decode_posted_alerts(
      R"([{"annotations":{"a":1},"startsAt":"nope","labels":{"a":"b"}}])", AlertsApi::kV2);
  ASSERT_FALSE(items);
  EXPECT_EQ(items.error().message,
            "parsing alerts body from \"\" failed, because parsing time \"nope\" as "
            "\"2006-01-02 15:04:05\": cannot parse \"nope\" as \"2006\"");
  // Mismatches in the annotations stop the item before its labels are read.
  items = decode_posted_alerts(R"([{"labels":{"a":1},"annotations":{"a":1}}])", AlertsApi::kV2);
  ASSERT_FALSE(items);
  EXPECT_NE(items.error().message.find("field .annotations"), std::string::npos);
}

TEST(PostableAlertsTest, ChecksAsModelAlertValidateDoes) {
  using Map = std::map<std::string, std::string>;
  PostedAlert posted;
  posted.labels = Map{{"ok", "1"}, {"bad-name", "x"}, {"2x", "y"}};
  notify::Alert completed = to_alert(posted);
  completed.starts_at = Timestamp(10s);
  completed.ends_at = Timestamp(20s);
  EXPECT_EQ(check_alert(posted, completed), "invalid label set: invalid name \"2x\"");

  posted.labels = Map{{"bad-name", ""}};  // dropped before validation, so no labels left
  completed = to_alert(posted);
  completed.starts_at = Timestamp(10s);
  completed.ends_at = Timestamp(20s);
  EXPECT_EQ(check_alert(posted, completed), "at least one label pair required");

  posted.labels = Map{{"a", "b"}};
  posted.annotations = Map{{"a b", ""}};  // annotations keep empty values: still checked
  completed = to_alert(posted);
  completed.starts_at = Timestamp(10s);
  completed.ends_at = Timestamp(20s);
  EXPECT_EQ(check_alert(posted, completed), "invalid annotations: invalid name \"a b\"");

  completed.ends_at = Timestamp(5s);
  EXPECT_EQ(check_alert(posted, completed), "start time must be before end time");
}

TEST(PostableAlertsTest, V1ReadsTypesAlert) {
  auto items = decode_posted_alerts(
      R"([{"labels":{"a":"b"},"startsAt":"2024-05-01T12:00:00Z","Timeout":true,
           "updatedAt":"2024-05-01T12:00:00Z"}])",
      AlertsApi::kV1);
  ASSERT_TRUE(items) << items.error().message;
  EXPECT_TRUE((*items)[0]->timeout);
  EXPECT_EQ((*items)[0]->starts_at, Timestamp(1'714'564'800'000ms));

  // A mismatch is remembered while later items are still read.
  items = decode_posted_alerts(R"([5, {"labels":{"a-b":"c"}}])", AlertsApi::kV1);
  ASSERT_FALSE(items);
  EXPECT_EQ(items.error().message, "\"a-b\" is not a valid label name");
  items = decode_posted_alerts(R"([5, {"labels":{"a":"c"}}])", AlertsApi::kV1);
  ASSERT_FALSE(items);
  EXPECT_EQ(items.error().message,
            "json: cannot unmarshal number into Go value of type types.Alert");
  items = decode_posted_alerts(R"([{"labels":{"a":"b"},"startsAt":5}])", AlertsApi::kV1);
  ASSERT_FALSE(items);
  EXPECT_EQ(items.error().message,
            R"(parsing time "5" as "\"2006-01-02T15:04:05Z07:00\"": cannot parse "5" as "\"")");
}

TEST(PostableAlertsTest, RequestUrisAsGoParsesThem) {
  for (const char* ok :
       {"http://prom:9090/graph?g0.expr=up&g0.tab=1", "/relative/path", "*", "mailto:someone",
        "x:y", "http://[::1]:9090/", "http://h/p#frag", "http://user:pa%20ss@host/",
        "http://host:/", "https://h/a%20b", "http://[fe80::1%25en0]/", "http://h?", "HTTP://H"}) {
    EXPECT_TRUE(is_request_uri(ok)) << ok;
  }
  for (const char* bad :
       {"", "not a url", "relative/path", ":nope", "http://a b/", "http://h:port/", "http://[::1/",
        "http://h/%zz", "http://h/%4", "http://us er@h/", "http://h#frag", "http://h/\x01",
        "1http://h", "http://%41/"}) {
    EXPECT_FALSE(is_request_uri(bad)) << bad;
  }
}

}  // namespace
}  // namespace tocsin::api
