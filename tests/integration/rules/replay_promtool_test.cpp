// `tocsin replay` against the oracle: Prometheus's own `promtool test rules`.
//
// The same series are loaded twice — into a real Prometheus as TSDB blocks
// (promtool tsdb create-blocks-from openmetrics, a few hours back) and into
// a promtool unit test as input_series. tocsin replays the rules over the
// Prometheus; its state changes say which alerts fire at every minute; a
// promtool test file then asserts exactly those alerts (labels and
// annotations) at exactly those minutes. promtool passes only if tocsin
// decided as Prometheus decides.
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "gocompat/strconv.h"
#include "support/command.h"
#include "support/prometheus_server.h"
#include "support/promtool.h"
#include "support/temp_dir.h"
#include "support/tocsin_server.h"

namespace tocsin::test {
namespace {

using nlohmann::json;

// One input series: a sample every minute from minute 0; nullopt is a gap.
struct Series {
  std::string metric;  // name{labels}
  std::vector<std::optional<double>> values;
};

struct Scenario {
  std::string rules;  // a rule file; every group must evaluate every minute
  std::vector<Series> series;
  int minutes;  // replay and check minutes 0..minutes
};

std::string number(double v) {
  return gocompat::format_float(v, 'g', -1);
}

std::string openmetrics(const std::vector<Series>& series, std::int64_t t0) {
  std::string out;
  for (const Series& s : series) {
    for (std::size_t i = 0; i < s.values.size(); ++i) {
      if (s.values[i])
        out += fmt::format("{} {} {}\n", s.metric, number(*s.values[i]), t0 + 60 * i);
    }
  }
  return out + "# EOF\n";
}

// promtool's expanding notation, one value per minute; "_" is a gap.
std::string promtool_values(const Series& s) {
  std::string out;
  for (const auto& v : s.values) {
    if (!out.empty()) out += ' ';
    out += v ? number(*v) : "_";
  }
  return out;
}

// A firing alert as the replay last described it.
struct Firing {
  json labels;
  json annotations;
};

// Runs the scenario through tocsin replay, then asks promtool to confirm
// the firing alerts at every minute. Returns promtool's output on mismatch.
void check_against_promtool(const Scenario& scenario) {
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  const std::int64_t t0 = (now - 3 * 3600) / 3600 * 3600;  // a whole hour, 3-4h ago

  PrometheusServer prometheus;
  CommandResult blocks =
      create_blocks_from_openmetrics(openmetrics(scenario.series, t0), prometheus.data_dir());
  ASSERT_TRUE(blocks.success()) << blocks.output;
  ASSERT_TRUE(prometheus.start()) << prometheus.log();

  TempDir dir("replay");
  std::string rules = dir.write("rules.yml", scenario.rules);
  CommandResult replay = run_command({tocsin_binary(), "replay", "--rules", rules, "--datasource",
                                      prometheus.url(), "--from", std::to_string(t0), "--to",
                                      std::to_string(t0 + 60 * scenario.minutes)});
  ASSERT_TRUE(replay.success()) << replay.output;

  // Replay's state changes, by minute.
  std::map<int, std::vector<json>> changes;
  std::set<std::string> alertnames;
  std::istringstream lines(replay.stdout_text);
  for (std::string line; std::getline(lines, line);) {
    json change = json::parse(line);
    Timestamp at = parse_time(change["time"].get<std::string>()).value();
    int minute = static_cast<int>((to_unix_seconds(at) - static_cast<double>(t0)) / 60);
    changes[minute].push_back(change);
    alertnames.insert(change["rule"].get<std::string>());
  }
  ASSERT_FALSE(changes.empty()) << "the scenario should make something fire";

  // The promtool test: every alert name, at every minute, with what tocsin
  // says is firing then.
  json input = json::array();
  for (const Series& s : scenario.series) {
    input.push_back({{"series", s.metric}, {"values", promtool_values(s)}});
  }
  json tests = json::array();
  std::map<std::string, Firing> firing;  // by alertname + labels
  for (int minute = 0; minute <= scenario.minutes; ++minute) {
    for (const json& c : changes[minute]) {
      std::string key = c["labels"].dump();
      if (c["state"] == "firing") {
        firing[key] = Firing{c["labels"], c["annotations"]};
      } else {
        firing.erase(key);
      }
    }
    for (const std::string& name : alertnames) {
      json expected = json::array();
      for (const auto& [key, f] : firing) {
        if (f.labels["alertname"] != name) continue;
        expected.push_back({{"exp_labels", f.labels}, {"exp_annotations", f.annotations}});
      }
      tests.push_back({{"eval_time", fmt::format("{}m", minute)},
                       {"alertname", name},
                       {"exp_alerts", expected}});
    }
  }
  json test_file = {
      {"rule_files", {rules}},
      {"evaluation_interval", "1m"},
      {"tests", {{{"interval", "1m"}, {"input_series", input}, {"alert_rule_test", tests}}}}};
  // JSON is YAML: promtool reads it as is.
  std::string test_path = dir.write("test.yml", test_file.dump(2));
  CommandResult verdict = promtool_test_rules({test_path});
  EXPECT_TRUE(verdict.success()) << verdict.output << "\nreplay said:\n" << replay.stdout_text;
}

TEST(ReplayMatchesPromtool, ForHoldsAnAlertPendingBeforeItFires) {
  check_against_promtool({R"(groups:
  - name: g
    interval: 1m
    rules:
      - alert: QueueBacklog
        expr: queue_length > 50
        for: 3m
        labels: {severity: warning}
        annotations: {summary: "{{ $labels.queue }} backlog"}
)",
                          {{R"(queue_length{queue="jobs"})",
                            {10, 60, 60, 60, 60, 60, 10, 70, 70, 10, 70, 70, 70, 70, 70}}},
                          15});
}

TEST(ReplayMatchesPromtool, KeepFiringForHoldsAFlappingAlert) {
  check_against_promtool(
      {R"(groups:
  - name: g
    interval: 1m
    rules:
      - alert: Flapping
        expr: errors > 0
        keep_firing_for: 3m
        annotations: {summary: "errors seen"}
)",
       {{R"(errors{job="api"})", {1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0}}},
       18});
}

TEST(ReplayMatchesPromtool, OneOfSeveralSeriesResolvesAndAnotherVanishes) {
  check_against_promtool(
      {R"(groups:
  - name: g
    interval: 1m
    rules:
      - alert: InstanceDown
        expr: up == 0
        for: 1m
        labels: {severity: critical}
        annotations:
          summary: "{{ $labels.instance }} of {{ $labels.job }} is down"
)",
       {{R"(up{job="api",instance="a:80"})", {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
        {R"(up{job="api",instance="b:80"})", {1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1}},
        {R"(up{job="db",instance="c:80"})",
         {0, 0, 0, 0, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt,
          std::nullopt, std::nullopt, std::nullopt}}},
       16});
}

TEST(ReplayMatchesPromtool, HistogramQuantileLatencyAlert) {
  // Bucket counters grow at a constant rate, so the P95 is constant while
  // the alert fires (replay reports annotations at state changes only).
  std::vector<std::optional<double>> fast, slow, inf;
  double f = 0, s = 0;
  for (int m = 0; m < 25; ++m) {
    bool incident = m >= 6 && m < 14;
    f += incident ? 30 : 100;
    s += incident ? 70 : 0;
    fast.push_back(f);
    slow.push_back(f + s);
    inf.push_back(f + s);
  }
  check_against_promtool({R"(groups:
  - name: g
    interval: 1m
    rules:
      - alert: PolicyLatencyHigh
        expr: histogram_quantile(0.95, sum by (le) (rate(latency_seconds_bucket[5m]))) > 0.005
        for: 2m
        labels: {severity: critical}
        annotations:
          summary: "P95 is high"
)",
                          {{R"(latency_seconds_bucket{le="0.005"})", fast},
                           {R"(latency_seconds_bucket{le="0.01"})", slow},
                           {R"(latency_seconds_bucket{le="+Inf"})", inf}},
                          24});
}

TEST(ReplayMatchesPromtool, HumanizedAnnotationsMatchByteForByte) {
  check_against_promtool(
      {R"(groups:
  - name: g
    interval: 1m
    rules:
      - alert: TokenUsageSpike
        expr: tokens_per_second > 10000
        labels:
          team: "{{ $labels.model | toUpper }}"
        annotations:
          summary: "{{ $value | humanize }} tokens/s on {{ $labels.model }}"
          share: "{{ 0.1234 | humanizePercentage }} of budget, {{ 3661 | humanizeDuration }} left"
          raw: "{{ $value }} {{ printf \"%.2f\" $value }}"
)",
       {{R"(tokens_per_second{model="gpt"})",
         {5000, 1234567, 1234567, 1234567, 900, 15000.5, 15000.5}},
        {R"(tokens_per_second{model="claude"})",
         {20000000, 20000000, 20000000, 20000000, 20000000, 20000000, 20000000}}},
       6});
}

}  // namespace
}  // namespace tocsin::test
