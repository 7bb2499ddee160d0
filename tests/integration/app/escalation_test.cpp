// A route's escalation with the tocsin binary and webhook receivers on
// loopback: the first step's receiver is told after its delay, tocsin is
// killed with SIGKILL before the second step, and after the restart the
// first step is not repeated and the second comes on time (its delay counted
// from when the group first fired, before the restart), once.
#include <algorithm>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "api/date_time.h"
#include "support/http.h"
#include "support/recording_server.h"
#include "support/tocsin_server.h"
#include "support/wait.h"

namespace tocsin::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class EscalationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(receivers_.listening());
    tocsin_.write("tocsin.yml", fmt::format(R"(datasource: {{url: 'http://127.0.0.1:1'}}
alerting:
  route:
    receiver: primary
    group_by: [alertname]
    group_wait: 1s
    group_interval: 1s
    repeat_interval: 1h
    escalation:
      - {{after: 3s, receiver: lead}}
      - {{after: 8s, receiver: manager}}
  receivers:
    - name: primary
      webhook_configs: [{{url: '{0}/primary'}}]
    - name: lead
      webhook_configs: [{{url: '{0}/lead'}}]
    - name: manager
      webhook_configs: [{{url: '{0}/manager'}}]
)",
                                            receivers_.url()));
    start();
  }

  void start() {
    Status started = tocsin_.start("tocsin.yml");
    ASSERT_TRUE(started) << started.error().message();
  }

  std::size_t told(std::string_view receiver) const {
    auto requests = receivers_.requests();
    return static_cast<std::size_t>(std::ranges::count_if(
        requests, [&](const RecordedRequest& r) { return r.path == "/" + std::string(receiver); }));
  }

  // When the history says `receiver` was first sent a notification.
  Timestamp first_sent(std::string_view receiver) const {
    auto history = tocsin_.get_json(
        fmt::format("/api/v1/history?kind=notification&state=sent&receiver={}", receiver));
    if (!history) return {};
    const json& events = (*history)["data"]["events"];
    if (events.empty()) return {};
    auto at = api::parse_api_time(events.back()["time"].get<std::string>());  // newest first
    return at ? *at : Timestamp{};
  }

  // Whether a flush found `receiver` already told (the pipeline's debug
  // line): its notification log entry was written before that flush ended.
  bool known_told(std::string_view receiver) const {
    std::string log = tocsin_.log();
    std::string integration = fmt::format("{}/webhook[0]", receiver);
    for (std::size_t start = 0, end = 0; start < log.size(); start = end + 1) {
      end = log.find('\n', start);
      if (end == std::string::npos) end = log.size();
      std::string_view line(log.data() + start, end - start);
      if (line.find("Notification not needed") != std::string_view::npos &&
          line.find(integration) != std::string_view::npos) {
        return true;
      }
    }
    return false;
  }

  // Before tocsin_, so that it outlives it (keep-alive connections).
  RecordingServer receivers_;
  TocsinServer tocsin_;
};

TEST_F(EscalationTest, ARestartBetweenStepsNeitherRepeatsNorSkipsAStep) {
  ASSERT_EQ(http_post(tocsin_.url() + "/api/v2/alerts",
                      R"([{"labels":{"alertname":"ServiceDown","service":"api"}}])")
                .status,
            200);
  ASSERT_TRUE(wait_until([&] { return told("lead") == 1; }, kStepTimeout)) << tocsin_.log();
  EXPECT_EQ(told("manager"), 0u) << "the second step came with the first";
  // Killed once the first step is known to be stored: a kill between the
  // receiver's answer and that write sends it again (at least once).
  ASSERT_TRUE(wait_until([&] { return known_told("lead"); }, kStepTimeout)) << tocsin_.log();
  ASSERT_EQ(told("manager"), 0u) << "the restart must come between the steps";

  tocsin_.kill();
  start();
  ASSERT_TRUE(wait_until([&] { return told("manager") == 1; }, kStepTimeout)) << tocsin_.log();
  // Flushes ran every second since the restart: any of them would have told
  // the first step's receiver again had the restart forgotten it.
  EXPECT_EQ(told("lead"), 1u);
  EXPECT_EQ(told("primary"), 1u);

  // The second step's delay counts from the first notification, before the
  // restart, and not from the restart (when it would come later) nor from
  // nothing (when it would have come at once).
  Timestamp primary = first_sent("primary");
  Timestamp manager = first_sent("manager");
  ASSERT_NE(primary, Timestamp{});
  ASSERT_NE(manager, Timestamp{});
  EXPECT_GE(manager - primary, 7500ms);
  EXPECT_GE(first_sent("lead") - primary, 2500ms);
}

}  // namespace
}  // namespace tocsin::test
