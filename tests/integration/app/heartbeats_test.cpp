// Heartbeats through the tocsin binary: a heartbeat not renewed in time
// pages through the routing tree like any alert and resolves on renewal;
// Prometheus's always-firing Watchdog alert keeps one alive through a
// webhook receiver pointed at tocsin's own heartbeat URL, and when the
// Watchdog stops, HeartbeatMissing pages; heartbeats survive SIGKILL.
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

class HeartbeatsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(receiver_.listening());
    // Watchdog goes to tocsin's own heartbeat URL, renewing it at every
    // notification (repeat_interval 1s); everything else to the receiver.
    tocsin_.write("tocsin.yml", fmt::format(R"(datasource: {{url: 'http://127.0.0.1:1'}}
alerting:
  route:
    receiver: hook
    group_by: [alertname]
    group_wait: 0s
    group_interval: 1s
    repeat_interval: 1h
    routes:
      - matchers: [alertname="Watchdog"]
        receiver: watchdog
        repeat_interval: 1s
  receivers:
    - name: hook
      webhook_configs: [{{url: '{}/hook', send_resolved: true}}]
    - name: watchdog
      webhook_configs:
        - url: 'http://127.0.0.1:{}/api/v1/heartbeats/watchdog?timeout=4s'
          send_resolved: false
)",
                                            receiver_.url(), tocsin_.port()));
    Status started = tocsin_.start();
    ASSERT_TRUE(started) << started.error().message();
  }

  HttpResponse post(const std::string& path, const std::string& body = "") {
    return http_post(tocsin_.url() + path, body);
  }

  // The webhook notifications the receiver got about HeartbeatMissing, as
  // "status heartbeat".
  std::vector<std::string> missing_pages() {
    std::vector<std::string> out;
    for (const RecordedRequest& r : receiver_.requests()) {
      json body = json::parse(r.body, nullptr, false);
      if (!body.is_object() || body["groupLabels"]["alertname"] != "HeartbeatMissing") continue;
      out.push_back(body["status"].get<std::string>() + " " +
                    body["alerts"][0]["labels"]["heartbeat"].get<std::string>());
    }
    return out;
  }

  json heartbeat(const std::string& name) {
    auto got = tocsin_.get_json("/api/v1/heartbeats/" + name);
    return got ? (*got)["data"] : json();
  }

  RecordingServer receiver_;  // outlives tocsin_, which may hold a connection to it
  TocsinServer tocsin_;
};

TEST_F(HeartbeatsTest, AHeartbeatNotRenewedPagesAndARenewalResolves) {
  HttpResponse created = post("/api/v1/heartbeats/nightly-backup?timeout=1s",
                              R"({"labels":{"team":"storage"},"createdBy":"cron"})");
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(json::parse(created.body)["data"]["status"], "ok");
  ASSERT_TRUE(wait_until([&] { return missing_pages().size() == 1; }, kStepTimeout))
      << tocsin_.log();
  EXPECT_EQ(missing_pages()[0], "firing nightly-backup");
  EXPECT_EQ(heartbeat("nightly-backup")["status"], "missing");

  ASSERT_EQ(post("/api/v1/heartbeats/nightly-backup").status, 200);
  ASSERT_TRUE(wait_until([&] { return missing_pages().size() == 2; }, kStepTimeout))
      << tocsin_.log();
  EXPECT_EQ(missing_pages()[1], "resolved nightly-backup");

  // Bad requests name what is wrong.
  HttpResponse bad = post("/api/v1/heartbeats/x?timeout=soon");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json::parse(bad.body)["error"], "timeout: not a valid duration string: \"soon\"");
  EXPECT_EQ(http_get(tocsin_.url() + "/api/v1/heartbeats/nope").status, 404);
  ASSERT_EQ(http_request("DELETE", tocsin_.url() + "/api/v1/heartbeats/nightly-backup").status,
            200);
  EXPECT_EQ(http_get(tocsin_.url() + "/api/v1/heartbeats/nightly-backup").status, 404);
}

TEST_F(HeartbeatsTest, AWatchdogAlertKeepsAHeartbeatAliveThroughARoute) {
  // As Prometheus sends its Watchdog: always firing, re-sent every minute.
  const std::string watchdog = R"([{"labels":{"alertname":"Watchdog","severity":"none"}}])";
  ASSERT_EQ(post("/api/v2/alerts", watchdog).status, 200);
  ASSERT_TRUE(wait_until([&] { return heartbeat("watchdog")["status"] == "ok"; }, kStepTimeout))
      << tocsin_.log();
  // Kept alive past its 4s timeout by the repeats.
  std::string first = heartbeat("watchdog")["renewedAt"];
  ASSERT_TRUE(
      wait_until([&] { return heartbeat("watchdog")["renewedAt"] != first; }, kStepTimeout));
  EXPECT_TRUE(missing_pages().empty());

  // The pipeline from Prometheus breaks: the Watchdog stops arriving.
  ASSERT_EQ(post("/api/v2/alerts", R"([{"labels":{"alertname":"Watchdog","severity":"none"},)"
                                   R"("endsAt":"2020-01-01T00:00:00Z"}])")
                .status,
            200);
  ASSERT_TRUE(wait_until([&] { return !missing_pages().empty(); }, kStepTimeout)) << tocsin_.log();
  EXPECT_EQ(missing_pages()[0], "firing watchdog");
}

TEST_F(HeartbeatsTest, HeartbeatsSurviveSigkill) {
  ASSERT_EQ(post("/api/v1/heartbeats/hourly?timeout=1h", R"({"annotations":{"x":"y"}})").status,
            200);
  ASSERT_EQ(post("/api/v1/heartbeats/gone?timeout=1s").status, 200);
  ASSERT_TRUE(wait_until([&] { return heartbeat("gone")["status"] == "missing"; }, kStepTimeout));
  ASSERT_TRUE(wait_until([&] { return tocsin_.store_is_idle(); }, kStepTimeout));
  tocsin_.kill();
  Status started = tocsin_.start();
  ASSERT_TRUE(started) << started.error().message();
  json hourly = heartbeat("hourly");
  EXPECT_EQ(hourly["timeout"], "1h") << hourly.dump();
  EXPECT_EQ(hourly["annotations"]["x"], "y");
  EXPECT_EQ(hourly["status"], "ok");
  EXPECT_EQ(heartbeat("gone")["status"], "missing");
  auto alerts = tocsin_.get_json("/api/v2/alerts?filter=alertname%3DHeartbeatMissing");
  ASSERT_TRUE(alerts && alerts->size() == 1) << (alerts ? alerts->dump() : "");
  EXPECT_EQ((*alerts)[0]["labels"]["heartbeat"], "gone");
}

}  // namespace
}  // namespace tocsin::test
