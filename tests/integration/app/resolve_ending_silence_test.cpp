// A silence posted with "endsWhenResolved": true (tocsin's extension to
// POST /api/v2/silences), with the tocsin binary: it mutes its alert while
// it fires and expires by itself once the alert has resolved, which the
// history records; the receiver hears nothing of the silenced alert.
#include <optional>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/http.h"
#include "support/recording_server.h"
#include "support/tocsin_server.h"
#include "support/wait.h"

namespace tocsin::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

TEST(ResolveEndingSilenceTest, ASilenceEndsOnceTheAlertsItSilencedHaveResolved) {
  RecordingServer receiver;  // before tocsin, so that it outlives it
  ASSERT_TRUE(receiver.listening());
  TocsinServer tocsin;
  tocsin.write("tocsin.yml", fmt::format(R"(datasource: {{url: 'http://127.0.0.1:1'}}
alerting:
  route:
    receiver: hook
    group_by: [alertname]
    group_wait: 1s
    group_interval: 1s
  receivers:
    - name: hook
      webhook_configs: [{{url: '{}/hook', send_resolved: true}}]
)",
                                         receiver.url()));
  Status started = tocsin.start("tocsin.yml");
  ASSERT_TRUE(started) << started.error().message();

  HttpResponse created = http_post(tocsin.url() + "/api/v2/silences", R"({
    "matchers": [{"name": "alertname", "value": "ServiceDown", "isRegex": false}],
    "startsAt": "2020-01-01T00:00:00Z", "endsAt": "2100-01-01T00:00:00Z",
    "createdBy": "ops", "comment": "until it recovers", "endsWhenResolved": true})");
  ASSERT_EQ(created.status, 200) << created.body;
  std::string id = json::parse(created.body)["silenceID"];
  auto silence = [&] { return tocsin.get_json("/api/v2/silence/" + id).value_or(json()); };
  EXPECT_EQ(silence()["endsWhenResolved"], true) << silence().dump();

  const std::string firing = R"([{"labels":{"alertname":"ServiceDown","service":"api"}}])";
  ASSERT_EQ(http_post(tocsin.url() + "/api/v2/alerts", firing).status, 200);
  ASSERT_TRUE(wait_until(
      [&] { return tocsin.log().find("Silence matched a firing alert") != std::string::npos; },
      kStepTimeout))
      << tocsin.log();
  EXPECT_EQ(silence()["status"]["state"], "active");

  const std::string resolved =
      fmt::format(R"([{{"labels":{{"alertname":"ServiceDown","service":"api"}},"endsAt":"{}"}}])",
                  format_rfc3339(Clock::system().now()));
  ASSERT_EQ(http_post(tocsin.url() + "/api/v2/alerts", resolved).status, 200);
  ASSERT_TRUE(wait_until([&] { return silence()["status"]["state"] == "expired"; }, kStepTimeout))
      << silence().dump();

  // The expiry's event is written after the silence ended in memory.
  std::optional<json> history;
  ASSERT_TRUE(wait_until(
      [&] {
        history = tocsin.get_json("/api/v1/history?kind=silence");
        return history && (*history)["data"]["events"].size() >= 2;
      },
      kStepTimeout))
      << (history ? history->dump() : tocsin.log());
  const json& events = (*history)["data"]["events"];
  ASSERT_EQ(events.size(), 2u) << events.dump();
  EXPECT_EQ(events[0]["state"], "expired");
  EXPECT_EQ(events[0]["by"], "tocsin: its alerts resolved");
  EXPECT_EQ(events[1]["state"], "created");
  // Silenced while it fired; never told, so no resolve either.
  EXPECT_EQ(receiver.request_count(), 0u);
}

}  // namespace
}  // namespace tocsin::test
