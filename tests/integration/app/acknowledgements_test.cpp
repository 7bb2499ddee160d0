// Acknowledgements with the tocsin binary, its CLI and a PagerDuty receiver
// on loopback: `tocsin ack` stops the group's repeats and acknowledges the
// PagerDuty incident (the "acknowledge" event with the trigger's dedup_key);
// the acknowledgement shows in /api/v2/alerts, survives SIGKILL (still no
// repeat after the restart), and `tocsin unack` brings the repeats back.
// Another group, never acknowledged, repeats throughout: its repeats are
// the clock this test waits on.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/command.h"
#include "support/http.h"
#include "support/recording_server.h"
#include "support/tocsin_server.h"
#include "support/wait.h"

namespace tocsin::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class AcknowledgementsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(pager_.listening());
    tocsin_.write("tocsin.yml", fmt::format(R"(datasource: {{url: 'http://127.0.0.1:1'}}
alerting:
  route:
    receiver: pager
    group_by: [alertname]
    group_wait: 1s
    group_interval: 1s
    repeat_interval: 2s
  receivers:
    - name: pager
      pagerduty_configs:
        - url: '{}/v2/enqueue'
          routing_key: R0UT1NG
)",
                                            pager_.url()));
    start();
  }

  void start() {
    Status started = tocsin_.start("tocsin.yml");
    ASSERT_TRUE(started) << started.error().message();
  }

  // The events PagerDuty received with `action` for the group `alertname`
  // (by the summary Alertmanager's default template writes).
  std::vector<json> events(std::string_view action, std::string_view alertname = "") const {
    std::vector<json> out;
    for (const RecordedRequest& r : pager_.requests()) {
      json body = json::parse(r.body, nullptr, false);
      if (!body.is_object() || body.value("event_action", "") != action) continue;
      if (!alertname.empty()) {
        std::string summary = body.contains("payload") ? body["payload"].value("summary", "") : "";
        if (summary.find(alertname) == std::string::npos) continue;
      }
      out.push_back(std::move(body));
    }
    return out;
  }

  // Waits until the never-acknowledged group has been repeated `more` more
  // times: repeat_interval has passed that often.
  void wait_for_repeats(std::size_t more) {
    std::size_t target = events("trigger", "Control").size() + more;
    ASSERT_TRUE(
        wait_until([&] { return events("trigger", "Control").size() >= target; }, kStepTimeout))
        << tocsin_.log();
  }

  CommandResult cli(std::vector<std::string> args) {
    args.insert(args.begin(), tocsin_binary());
    args.insert(args.end(), {"--url", tocsin_.url()});
    return run_command(args);
  }

  // Before tocsin_, so that it outlives it (keep-alive connections).
  RecordingServer pager_;
  TocsinServer tocsin_;
};

TEST_F(AcknowledgementsTest, AnAcknowledgedIncidentIsNotRepeatedAcrossSigkillUntilUnacknowledged) {
  const std::string alerts =
      R"([{"labels":{"alertname":"ServiceDown","service":"api"}},
          {"labels":{"alertname":"Control","service":"api"}}])";
  ASSERT_EQ(http_post(tocsin_.url() + "/api/v2/alerts", alerts).status, 200);
  ASSERT_TRUE(wait_until([&] { return !events("trigger", "ServiceDown").empty(); }, kStepTimeout))
      << tocsin_.log();
  std::string dedup_key = events("trigger", "ServiceDown")[0]["dedup_key"];

  CommandResult acked = cli({"ack", "alertname=ServiceDown", "-a", "alice", "-c", "on it"});
  ASSERT_TRUE(acked.success()) << acked.output;
  EXPECT_NE(acked.stdout_text.find("alice"), std::string::npos) << acked.stdout_text;

  // PagerDuty's incident is acknowledged too, with the trigger's key.
  ASSERT_TRUE(wait_until([&] { return !events("acknowledge").empty(); }, kStepTimeout))
      << tocsin_.log();
  json ack_event = events("acknowledge")[0];
  EXPECT_EQ(ack_event["dedup_key"], dedup_key);
  EXPECT_EQ(ack_event["routing_key"], "R0UT1NG");

  // The alerts API shows who acknowledged it; the other alert is not.
  auto listed = tocsin_.get_json("/api/v2/alerts");
  ASSERT_TRUE(listed);
  for (const json& a : *listed) {
    if (a["labels"]["alertname"] == "ServiceDown") {
      EXPECT_EQ(a["acknowledgement"]["by"], "alice") << a.dump();
      EXPECT_EQ(a["acknowledgement"]["comment"], "on it");
    } else {
      EXPECT_FALSE(a.contains("acknowledgement")) << a.dump();
    }
  }

  // Repeats go on for the other group; none for the acknowledged one.
  std::size_t triggers = events("trigger", "ServiceDown").size();
  wait_for_repeats(2);
  EXPECT_EQ(events("trigger", "ServiceDown").size(), triggers);

  // A crash keeps it.
  tocsin_.kill();
  start();
  wait_for_repeats(2);
  EXPECT_EQ(events("trigger", "ServiceDown").size(), triggers);
  CommandResult list = cli({"ack", "list", "-o", "json"});
  ASSERT_TRUE(list.success()) << list.output;
  json kept = json::parse(list.stdout_text);
  ASSERT_EQ(kept.size(), 1u) << list.stdout_text;
  EXPECT_EQ(kept[0]["by"], "alice");
  EXPECT_EQ(kept[0]["labels"]["alertname"], "ServiceDown");

  // Un-acknowledged: the repeat is due at once.
  CommandResult unacked = cli({"unack", kept[0]["id"].get<std::string>(), "-a", "bob"});
  ASSERT_TRUE(unacked.success()) << unacked.output;
  ASSERT_TRUE(
      wait_until([&] { return events("trigger", "ServiceDown").size() > triggers; }, kStepTimeout))
      << tocsin_.log();

  // The history says who did what.
  CommandResult history = cli({"history", "--kind", "acknowledgement", "-o", "json"});
  ASSERT_TRUE(history.success()) << history.output;
  json recorded = json::parse(history.stdout_text);
  ASSERT_EQ(recorded.size(), 2u) << history.stdout_text;
  EXPECT_EQ(recorded[0]["state"], "removed");
  EXPECT_EQ(recorded[0]["by"], "bob");
  EXPECT_EQ(recorded[1]["state"], "created");
  EXPECT_EQ(recorded[1]["by"], "alice");
}

TEST_F(AcknowledgementsTest, BadRequestsAreRefusedNamingWhatIsWrong) {
  auto post = [&](const std::string& body) {
    return http_post(tocsin_.url() + "/api/v1/acknowledgements", body);
  };
  HttpResponse none = post(R"({"by":"x"})");
  EXPECT_EQ(none.status, 400);
  EXPECT_NE(none.body.find("exactly one of fingerprint, groupKey and groupOf"), std::string::npos)
      << none.body;
  HttpResponse bad = post(R"({"fingerprint":"xyz"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("fingerprint: not a fingerprint"), std::string::npos) << bad.body;
  HttpResponse when = post(R"({"fingerprint":"0123456789abcdef","expiresAt":"soon"})");
  EXPECT_EQ(when.status, 400);
  EXPECT_NE(when.body.find("expiresAt"), std::string::npos) << when.body;
  HttpResponse unknown = post(R"({"fingerprint":"0123456789abcdef"})");
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  HttpResponse gone =
      http_request("DELETE", tocsin_.url() + "/api/v1/acknowledgements/00000000-0000-4000-8000-0");
  EXPECT_EQ(gone.status, 404) << gone.body;
  CommandResult nothing = cli({"ack"});
  EXPECT_EQ(nothing.exit_code, 2);
  EXPECT_NE(nothing.stderr_text.find("name the alerts"), std::string::npos) << nothing.output;
}

}  // namespace
}  // namespace tocsin::test
