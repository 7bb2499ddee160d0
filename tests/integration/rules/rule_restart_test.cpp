// The user's story of a crash: tocsin beside a real Prometheus, a rule
// firing and paging a webhook receiver, and tocsin killed with SIGKILL (as
// the OOM killer or a power cut ends it) and started again on the same
// directory. The firing alert stays firing with the same activeAt and the
// receiver is not paged a second time; a pending alert keeps counting its
// `for` from where it was instead of starting over.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/fixture_exporter.h"
#include "support/http.h"
#include "support/prometheus_server.h"
#include "support/recording_server.h"
#include "support/tocsin_server.h"
#include "support/wait.h"

namespace tocsin::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr std::string_view kNeverEvaluated = "0001-01-01T00:00:00Z";
// What the pipeline logs (at debug, which TocsinServer runs at) when a
// flush finds the receiver already told.
constexpr std::string_view kAlreadyTold = "Notification not needed: the receiver was already told";

const char* const kRestartRules = R"(groups:
  - name: service
    interval: 1s
    rules:
      - alert: HighErrors
        expr: demo_errors > 5
        for: 2s
      - alert: SlowBurn
        expr: demo_latency > 5
        for: 20s
)";

Timestamp parse(const json& text) {
  auto t = parse_time(text.get<std::string>());
  EXPECT_TRUE(t.has_value()) << text;
  return t.value_or(Timestamp{});
}

class RuleRestartTest : public ::testing::Test {
 protected:
  void SetUp() override {
    exporter_.set(R"(demo_errors{service="api"})", 0);
    exporter_.set(R"(demo_latency{service="api"})", 0);
    PrometheusOptions options;
    options.scrape_configs = fmt::format(
        "  - job_name: demo\n    static_configs:\n      - targets: ['{}']\n", exporter_.target());
    prometheus_ = std::make_unique<PrometheusServer>(options);
    ASSERT_TRUE(prometheus_->start()) << prometheus_->log();
    ASSERT_TRUE(receiver_.listening());

    tocsin_.write("rules.yml", kRestartRules);
    tocsin_.write("tocsin.yml", fmt::format(R"(global:
  evaluation_interval: 1s
datasource:
  url: {}
  timeout: 5s
rule_files: [rules.yml]
alerting:
  route:
    receiver: hook
    group_by: [alertname]
    group_wait: 1s
    group_interval: 1s
    repeat_interval: 1h
  receivers:
    - name: hook
      webhook_configs: [{{url: '{}/hook'}}]
)",
                                            prometheus_->url(), receiver_.url()));
    start();
  }

  // A grace period of 1s instead of 10m, so that a `for` of 20s keeps its
  // countdown across a restart (restore.h).
  void start() {
    Status started = tocsin_.start("tocsin.yml", {"--rules.alert.for-grace-period=1s"});
    ASSERT_TRUE(started) << started.error().message();
  }

  json alert(const std::string& name) {
    auto doc = tocsin_.get_json("/api/v1/alerts");
    if (!doc) return json();
    for (const json& a : (*doc)["data"]["alerts"]) {
      if (a["labels"]["alertname"] == name) return a;
    }
    return json();
  }

  bool alert_in_state(const std::string& name, const std::string& state) {
    json a = alert(name);
    return !a.is_null() && a["state"] == state;
  }

  // When the group last evaluated; kNeverEvaluated before its first time.
  std::string last_evaluation() {
    auto doc = tocsin_.get_json("/api/v1/rules");
    if (!doc || (*doc)["data"]["groups"].empty()) return "";
    return (*doc)["data"]["groups"][0]["lastEvaluation"].get<std::string>();
  }

  std::size_t told_since(std::size_t offset) {
    std::string log = tocsin_.log().substr(offset);
    std::size_t n = 0;
    for (auto at = log.find(kAlreadyTold); at != std::string::npos;
         at = log.find(kAlreadyTold, at + 1)) {
      ++n;
    }
    return n;
  }

  FixtureExporter exporter_;
  std::unique_ptr<PrometheusServer> prometheus_;
  RecordingServer receiver_;
  TocsinServer tocsin_;
};

TEST_F(RuleRestartTest, AFiringAlertKeepsItsActiveAtAndPagesOnceAcrossSigkill) {
  exporter_.set(R"(demo_errors{service="api"})", 10);
  ASSERT_TRUE(wait_until([&] { return alert_in_state("HighErrors", "firing"); }, kStepTimeout))
      << tocsin_.log();
  json firing = alert("HighErrors");
  ASSERT_TRUE(receiver_.wait_for_requests(1, kStepTimeout)) << tocsin_.log();
  // A later flush found the receiver told: the flush that paged it, and its
  // notification log entry, are done.
  ASSERT_TRUE(wait_until([&] { return told_since(0) > 0; }, kStepTimeout)) << tocsin_.log();

  tocsin_.kill();
  std::size_t restarted_at = tocsin_.log().size();
  start();
  // Restored before the API answered anything.
  json restored = alert("HighErrors");
  EXPECT_EQ(restored["state"], "firing") << restored.dump();
  EXPECT_EQ(restored["activeAt"], firing["activeAt"]);

  // The first evaluation hands the alert to the notifier again; its flush
  // finds the receiver told and sends nothing.
  ASSERT_TRUE(wait_until([&] { return told_since(restarted_at) > 0; }, kStepTimeout))
      << tocsin_.log().substr(restarted_at);
  EXPECT_EQ(receiver_.request_count(), 1u);
  json after = alert("HighErrors");
  EXPECT_EQ(after["state"], "firing");
  EXPECT_EQ(after["activeAt"], firing["activeAt"]);
}

TEST_F(RuleRestartTest, APendingAlertKeepsItsForCountdownAcrossSigkill) {
  exporter_.set(R"(demo_latency{service="api"})", 10);
  ASSERT_TRUE(wait_until([&] { return alert_in_state("SlowBurn", "pending"); }, kStepTimeout))
      << tocsin_.log();
  const Timestamp active_at = parse(alert("SlowBurn")["activeAt"]);
  // Two more evaluations with it pending: the last one before the crash is
  // at least one interval after activeAt.
  for (int i = 0; i < 2; ++i) {
    std::string seen = last_evaluation();
    ASSERT_TRUE(wait_until([&] { return last_evaluation() != seen; }, kStepTimeout));
  }
  ASSERT_TRUE(alert_in_state("SlowBurn", "pending"));
  ASSERT_EQ(parse(alert("SlowBurn")["activeAt"]), active_at);

  tocsin_.kill();
  start();
  json restored = alert("SlowBurn");
  ASSERT_EQ(restored["state"], "pending") << restored.dump();
  const Timestamp restored_at = parse(restored["activeAt"]);
  // The outage does not count towards `for` ...
  EXPECT_GT(restored_at, active_at);
  // ... but the time already spent pending does: activeAt lies at least one
  // interval before the first evaluation after the restart, where a
  // countdown started over would put it.
  std::string first;
  ASSERT_TRUE(wait_until(
      [&] {
        first = last_evaluation();
        return !first.empty() && first != kNeverEvaluated;
      },
      kStepTimeout));
  EXPECT_LE(restored_at + 1s, parse(json(first))) << "first evaluation " << first;
  EXPECT_EQ(parse(alert("SlowBurn")["activeAt"]), restored_at);

  // And it fires, from that activeAt.
  ASSERT_TRUE(wait_until([&] { return alert_in_state("SlowBurn", "firing"); }, kStepTimeout))
      << tocsin_.log();
  EXPECT_EQ(parse(alert("SlowBurn")["activeAt"]), restored_at);
}

}  // namespace
}  // namespace tocsin::test
