// amtool 0.25 as an operator uses it, pointed once at a real Alertmanager
// and once at tocsin: adding, listing and expiring silences, adding and
// querying alerts, reading the routing tree and cluster status. What amtool
// prints must be the same, once silence ids (random) and times are masked.
#include <regex>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "api_test_server.h"
#include "support/alertmanager_server.h"
#include "support/command.h"
#include "support/http.h"
#include "support/paths.h"
#include "support/wait.h"
#include "yaml_json.h"

namespace tocsin::test {
namespace {

using namespace std::chrono_literals;

// A webhook receiver whose url nothing listens on (group_wait 1h: nothing
// is ever sent); amtool 0.25's `config routes` reads the configuration,
// urls included, back from /api/v2/status.
std::string amtool_config() {
  return R"(route:
  receiver: default
  group_by: [alertname]
  group_wait: 1h
  group_interval: 1h
  routes:
    - receiver: pager
      matchers: [severity="critical"]
inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    equal: [service]
receivers:
  - name: default
  - name: pager
    webhook_configs:
      - url: http://127.0.0.1:9/pager
)";
}

const std::regex kUuid("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

class AmtoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string config = amtool_config();
    alertmanager_ = std::make_unique<AlertmanagerServer>(config, "http://alertmanager.test");
    Status started = alertmanager_->start();
    ASSERT_TRUE(started) << started.error().message();
    auto ours = ApiTestServer::start(config);
    ASSERT_TRUE(ours) << ours.error().to_string();
    tocsin_ = std::move(*ours);
  }

  static CommandResult amtool(const std::string& url, std::vector<std::string> args) {
    args.insert(args.begin(), {require_tool(amtool_binary(), "AMTOOL", "prometheus-alertmanager"),
                               "--alertmanager.url=" + url});
    return run_command(args, 60s);
  }

  struct Outputs {
    CommandResult theirs;
    CommandResult ours;
  };

  Outputs on_both(const std::vector<std::string>& args) {
    return {amtool(alertmanager_->url(), args), amtool(tocsin_->url(), args)};
  }

  // amtool's output with what cannot agree masked: silence ids, times.
  std::string mask(std::string text) const {
    for (const auto& [id, placeholder] : ids_) {
      for (auto pos = text.find(id); pos != std::string::npos; pos = text.find(id, pos)) {
        text.replace(pos, id.size(), placeholder);
      }
    }
    text =
        std::regex_replace(text, std::regex(R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC)"), "<time UTC>");
    text = std::regex_replace(text, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z)"),
                              "<time>");
    return text;
  }

  // Runs `args` on both until the masked outputs agree (Alertmanager
  // inhibits asynchronously), then compares them and the exit codes.
  Outputs expect_same_output(const std::vector<std::string>& args) {
    SCOPED_TRACE(fmt::format("amtool {}", fmt::join(args, " ")));
    Outputs o;
    wait_until(
        [&] {
          o = on_both(args);
          return o.ours.exit_code == o.theirs.exit_code &&
                 mask(o.ours.output) == mask(o.theirs.output);
        },
        15s, 200ms);
    EXPECT_FALSE(o.theirs.timed_out) << o.theirs.output;
    EXPECT_EQ(o.ours.exit_code, o.theirs.exit_code);
    EXPECT_EQ(mask(o.ours.stdout_text), mask(o.theirs.stdout_text));
    EXPECT_EQ(mask(o.ours.stderr_text), mask(o.theirs.stderr_text));
    return o;
  }

  // `silence add` on both; each must print a new id, remembered as the
  // next placeholder.
  void add_silence(const std::vector<std::string>& args) {
    std::vector<std::string> full = {"silence", "add"};
    full.insert(full.end(), args.begin(), args.end());
    Outputs o = on_both(full);
    ASSERT_TRUE(o.theirs.success()) << o.theirs.output;
    ASSERT_TRUE(o.ours.success()) << o.ours.output;
    std::string theirs = o.theirs.stdout_text.substr(0, o.theirs.stdout_text.find('\n'));
    std::string ours = o.ours.stdout_text.substr(0, o.ours.stdout_text.find('\n'));
    ASSERT_TRUE(std::regex_match(ours, kUuid)) << o.ours.output;
    EXPECT_EQ(o.ours.stdout_text, ours + "\n");
    std::string placeholder = fmt::format("<silence-{}>", theirs_ids_.size());
    ids_.emplace_back(theirs, placeholder);
    ids_.emplace_back(ours, placeholder);
    theirs_ids_.push_back(theirs);
    ours_ids_.push_back(ours);
  }

  std::unique_ptr<AlertmanagerServer> alertmanager_;
  std::unique_ptr<ApiTestServer> tocsin_;
  std::vector<std::pair<std::string, std::string>> ids_;  // id -> placeholder
  std::vector<std::string> theirs_ids_, ours_ids_;
};

TEST_F(AmtoolTest, SilencesAreAddedQueriedAndExpiredAlike) {
  add_silence({"alertname=Budget", "service=~\"llm|cache\"", "--comment=model rollout",
               "--author=oncall", "--duration=2h"});
  add_silence({"alertname=Down", "--comment=maintenance & upgrade", "--author=ops <ops@x>",
               "--duration=3h"});
  add_silence({"instance!=i9", "job=api", "--comment=pending", "--author=me",
               "--start=2099-01-01T00:00:00Z", "--end=2099-01-02T00:00:00Z"});

  expect_same_output({"silence", "query"});
  expect_same_output({"silence", "query", "-q"});
  expect_same_output({"silence", "query", "-o", "json"});
  expect_same_output({"silence", "query", "-o", "extended"});
  expect_same_output({"silence", "query", "alertname=Down"});
  expect_same_output({"silence", "query", "service=~\"llm|cache\""});
  expect_same_output({"silence", "query", "--within=4h"});

  // Expire the first; it leaves the default listing and shows with --expired.
  Outputs expired = {amtool(alertmanager_->url(), {"silence", "expire", theirs_ids_[0]}),
                     amtool(tocsin_->url(), {"silence", "expire", ours_ids_[0]})};
  ASSERT_TRUE(expired.theirs.success()) << expired.theirs.output;
  EXPECT_TRUE(expired.ours.success()) << expired.ours.output;
  EXPECT_EQ(expired.ours.output, expired.theirs.output);
  expect_same_output({"silence", "query"});
  expect_same_output({"silence", "query", "--expired"});

  // Errors read the same.
  expect_same_output({"silence", "expire", "0f8a5b6e-1d2c-4b3a-9e8f-7a6b5c4d3e2f"});
  expect_same_output({"silence", "expire", "not-a-uuid"});
  expect_same_output({"silence", "add", "--comment=x", "--author=y"});
  expect_same_output({"silence", "add", "a=~\".*\"", "--comment=x", "--author=y"});
  expect_same_output({"silence", "query", "bad matcher"});
}

TEST_F(AmtoolTest, AlertsAreAddedAndQueriedAlike) {
  for (const std::vector<std::string>& alert :
       {std::vector<std::string>{"alertname=Errors", "severity=warning", "service=policy",
                                 "--annotation=summary=error rate above 5%"},
        std::vector<std::string>{"alertname=Down", "severity=critical", "service=policy",
                                 "instance=i1", "--annotation=summary=policy is down",
                                 "--generator-url=http://prometheus.test/graph?g0.expr=up"},
        std::vector<std::string>{"alertname=Budget", "severity=warning", "service=llm"},
        std::vector<std::string>{"alertname=Resolved", "--end=2001-01-01T00:00:00Z"}}) {
    std::vector<std::string> args = {"alert", "add"};
    args.insert(args.end(), alert.begin(), alert.end());
    Outputs o = on_both(args);
    ASSERT_TRUE(o.theirs.success()) << o.theirs.output;
    EXPECT_TRUE(o.ours.success()) << o.ours.output;
    EXPECT_EQ(o.ours.output, o.theirs.output);
  }
  add_silence({"alertname=Budget", "--comment=c", "--author=a"});
  // tocsin's acknowledgement adds an object to the alert in /api/v2/alerts;
  // amtool ignores it, so every output below stays Alertmanager's.
  dispatch::NotificationService& service = tocsin_->service();
  for (const notify::Alert& a : service.alerts()) {
    if (a.labels.get("alertname") != "Down") continue;
    dispatch::NotificationService::AcknowledgeRequest request;
    request.fingerprint = a.fingerprint();
    request.by = "alice";
    request.comment = "on it";
    auto acked = service.acknowledge(request, service.clock().now());
    ASSERT_TRUE(acked) << acked.error().message;
  }
  ASSERT_NE(http_get(tocsin_->url() + "/api/v2/alerts").body.find(R"("acknowledgement":{)"),
            std::string::npos);

  expect_same_output({"alert", "query"});
  expect_same_output({"alert", "query", "-o", "extended"});
  expect_same_output({"alert", "query", "-o", "json"});
  expect_same_output({"alert", "query", "--inhibited"});
  expect_same_output({"alert", "query", "--silenced"});
  expect_same_output({"alert", "query", "--silenced", "--inhibited", "--active"});
  expect_same_output({"alert", "query", "--receiver=pager"});
  expect_same_output({"alert", "query", "alertname=Down"});
  expect_same_output({"alert", "query", "service=~\"pol.*\"", "severity!=critical", "-i"});
  expect_same_output({"alert", "query", "not a matcher"});
  expect_same_output({"alert", "add"});
  expect_same_output({"alert", "add", "alertname=X", "--end=2001-01-01T00:00:00Z",
                      "--start=2002-01-01T00:00:00Z"});
}

TEST_F(AmtoolTest, RoutingTreeAndClusterStatusReadAlike) {
  expect_same_output({"config", "routes"});
  expect_same_output({"config", "routes", "test", "severity=critical"});
  expect_same_output({"cluster", "show"});
  // amtool prints config.original as it is: the same document, laid out by
  // yaml-cpp rather than Go's yaml.v2.
  Outputs shown = on_both({"config", "show"});
  ASSERT_TRUE(shown.theirs.success()) << shown.theirs.output;
  ASSERT_TRUE(shown.ours.success()) << shown.ours.output;
  EXPECT_EQ(shown.ours.stderr_text, "");
  EXPECT_EQ(yaml_to_json(YAML::Load(shown.ours.stdout_text)).dump(2),
            yaml_to_json(YAML::Load(shown.theirs.stdout_text)).dump(2));
}

}  // namespace
}  // namespace tocsin::test
