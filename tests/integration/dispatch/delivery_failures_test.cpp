// Receivers that fail, through the whole daemon: alerts posted to tocsin's
// API v2, real HTTP receivers on loopback. One answers 500 once and then
// 200: it gets the notification exactly once successfully (the retry), and
// nothing more until the alert resolves. One never answers: the others are
// notified as if it were not there.
#include <atomic>
#include <ctime>

#include <fmt/chrono.h>
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

std::string status_of(const RecordedRequest& r) {
  return json::parse(r.body, nullptr, false).value("status", "");
}

TEST(DeliveryFailuresTest, AFlakyReceiverGetsOneDeliveryAndAHangingOneBlocksNoOther) {
  TocsinServer tocsin;
  RecordingServer flaky;
  std::atomic<int> flaky_answers{0};
  flaky.respond_with([&](const RecordedRequest&) {
    CannedResponse r;
    r.status = flaky_answers.fetch_add(1) == 0 ? 500 : 200;
    return r;
  });
  RecordingServer healthy;
  RecordingServer hanging;
  hanging.respond_default({.status = 200, .delay = 1h});

  // Each receiver on its own route, so each has its own aggregation group,
  // as in Alertmanager.
  tocsin.write("tocsin.yml", fmt::format(R"(datasource: {{url: "http://127.0.0.1:1"}}
rule_files: []
alerting:
  route:
    receiver: healthy
    group_by: [alertname]
    group_wait: 1s
    group_interval: 2s
    repeat_interval: 1h
    routes:
      - {{receiver: hanging, continue: true}}
      - {{receiver: flaky, continue: true}}
      - {{receiver: healthy}}
  receivers:
    - name: hanging
      webhook_configs: [{{url: "{}/hook"}}]
    - name: flaky
      webhook_configs: [{{url: "{}/hook"}}]
    - name: healthy
      webhook_configs: [{{url: "{}/hook"}}]
)",
                                         hanging.url(), flaky.url(), healthy.url()));
  Status started = tocsin.start();
  ASSERT_TRUE(started) << started.error().message() << tocsin.log();

  const std::string alert = R"([{"labels": {"alertname": "DiskFull", "instance": "db-1"}}])";
  HttpResponse posted = http_post(tocsin.url() + "/api/v2/alerts", alert);
  ASSERT_EQ(posted.status, 200) << posted.body << posted.error;

  // The healthy receiver and the flaky one (after its retry) are notified
  // while the hanging receiver still holds its request open.
  ASSERT_TRUE(healthy.wait_for_requests(1, kStepTimeout)) << tocsin.log();
  ASSERT_TRUE(flaky.wait_for_requests(2, kStepTimeout)) << tocsin.log();
  ASSERT_TRUE(hanging.wait_for_requests(1, kStepTimeout)) << tocsin.log();

  // Resolve it: the next flush sends the resolved notification. Every
  // request the flaky receiver saw before it is one of the two firing
  // attempts, so the firing notification succeeded exactly once.
  const std::string resolved = fmt::format(
      R"([{{"labels": {{"alertname": "DiskFull", "instance": "db-1"}}, "endsAt": "{:%FT%TZ}"}}])",
      fmt::gmtime(std::time(nullptr)));
  posted = http_post(tocsin.url() + "/api/v2/alerts", resolved);
  ASSERT_EQ(posted.status, 200) << posted.body << posted.error;
  ASSERT_TRUE(flaky.wait_for_requests(3, kStepTimeout)) << tocsin.log();
  ASSERT_TRUE(healthy.wait_for_requests(2, kStepTimeout)) << tocsin.log();

  std::vector<RecordedRequest> requests = flaky.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(status_of(requests[0]), "firing");  // answered 500
  EXPECT_EQ(status_of(requests[1]), "firing");  // the retry, answered 200
  EXPECT_EQ(status_of(requests[2]), "resolved");
  EXPECT_EQ(requests[0].body, requests[1].body) << "a retry sends the same notification";

  requests = healthy.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(status_of(requests[0]), "firing");
  EXPECT_EQ(status_of(requests[1]), "resolved");
  // The hanging receiver still holds a request open, and will until the
  // flush deadline (10s at the least, as in Alertmanager): stopping tocsin
  // abandons it, and tocsin exits cleanly long before that.
  EXPECT_EQ(hanging.request_count(), 1u);
  ExitStatus stopped = tocsin.stop(/*grace=*/5s);
  EXPECT_TRUE(stopped.success()) << stopped.to_string() << tocsin.log();
}

}  // namespace
}  // namespace tocsin::test
