// /api/v1/rules and /api/v1/alerts side by side with Prometheus's own: the
// same rule file loaded into both, the same series firing the same alert.
// Field names must agree exactly (clients such as Grafana read them), and so
// must the values that do not depend on timing.
#include <cmath>
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/fixture_exporter.h"
#include "support/http.h"
#include "support/prometheus_server.h"
#include "support/temp_dir.h"
#include "support/tocsin_server.h"
#include "support/wait.h"

namespace tocsin::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

std::set<std::string> keys(const json& object) {
  std::set<std::string> out;
  for (const auto& [k, v] : object.items()) out.insert(k);
  return out;
}

json first_rule(const json& rules_doc) {
  return rules_doc["data"]["groups"][0]["rules"][0];
}

TEST(ApiShape, RulesAndAlertsMatchPrometheus) {
  FixtureExporter exporter;
  exporter.set(R"(demo_errors{service="api"})", 10);
  TempDir dir("shape");
  std::string rules = dir.write("rules.yml", R"(groups:
  - name: service
    interval: 1s
    rules:
      - alert: HighErrors
        expr: demo_errors > 5
        for: 2s
        keep_firing_for: 5m
        labels: {severity: critical}
        annotations: {summary: "{{ $labels.service }} has {{ $value }} errors"}
      - record: service:errors:max
        expr: max by (service) (demo_errors)
  - name: slots
    interval: 10s
    rules:
      - alert: Never
        expr: vector(1) < 0
)");
  PrometheusOptions options;
  options.scrape_configs = fmt::format(
      "  - job_name: demo\n    static_configs:\n      - targets: ['{}']\n", exporter.target());
  options.rule_files = {rules};
  PrometheusServer prometheus(options);
  ASSERT_TRUE(prometheus.start()) << prometheus.log();

  TocsinServer tocsin;
  tocsin.write("rules.yml", "");
  tocsin.write("tocsin.yml",
               fmt::format("datasource: {{url: '{}'}}\nglobal: {{evaluation_interval: 1s}}\n"
                           "rule_files: ['{}']\n",
                           prometheus.url(), rules));
  ASSERT_TRUE(tocsin.start()) << tocsin.log();

  auto prom_get = [&](const std::string& path) {
    HttpResponse r = http_get(prometheus.url() + path);
    return json::parse(r.body, nullptr, false);
  };
  auto firing = [](const json& rules_doc) {
    return !rules_doc.is_discarded() && rules_doc.contains("data") &&
           first_rule(rules_doc).value("state", "") == "firing";
  };
  ASSERT_TRUE(wait_until([&] { return firing(prom_get("/api/v1/rules")); }, 60s));
  ASSERT_TRUE(wait_until([&] { return firing(*tocsin.get_json("/api/v1/rules")); }, 60s))
      << tocsin.log();

  json theirs = prom_get("/api/v1/rules");
  json ours = *tocsin.get_json("/api/v1/rules");
  json their_group = theirs["data"]["groups"][0];
  json our_group = ours["data"]["groups"][0];
  EXPECT_EQ(keys(our_group), keys(their_group));
  for (const char* same : {"name", "file", "interval", "limit"}) {
    EXPECT_EQ(our_group[same], their_group[same]) << same;
  }

  for (std::size_t i = 0; i < 2; ++i) {
    json their_rule = their_group["rules"][i];
    json our_rule = our_group["rules"][i];
    SCOPED_TRACE(their_rule.value("name", ""));
    std::set<std::string> their_keys = keys(their_rule);
    their_keys.erase("lastError");  // omitted when empty, in both
    EXPECT_EQ(keys(our_rule), their_keys);
    for (const char* same : {"name", "query", "duration", "keepFiringFor", "labels", "annotations",
                             "health", "type", "state"}) {
      // tocsin does not evaluate recording rules (it has no storage to write
      // to), so their health stays "unknown" where Prometheus says "ok".
      bool recording = their_rule["type"] == "recording";
      if (recording && std::string_view(same) == "health") {
        EXPECT_EQ(our_rule[same], "unknown");
        continue;
      }
      if (their_rule.contains(same)) {
        EXPECT_EQ(our_rule[same], their_rule[same]) << same;
      }
    }
  }

  json their_alert = first_rule(theirs)["alerts"][0];
  json our_alert = first_rule(ours)["alerts"][0];
  EXPECT_EQ(keys(our_alert), keys(their_alert));
  for (const char* same : {"labels", "annotations", "state", "value"}) {
    EXPECT_EQ(our_alert[same], their_alert[same]) << same;
  }

  // Both start a group's evaluations at the same offset within its interval
  // (a hash of the group's name and file). tocsin's metric holds the slot;
  // Prometheus 2.42's holds the wall time its evaluation started, a few
  // milliseconds after the slot.
  auto slot_offset_ms = [&](const std::string& url, const std::string& metric) -> long {
    std::string text = http_get(url + "/metrics").body;
    std::string series = fmt::format("{}{{rule_group=\"{};slots\"}} ", metric, rules);
    auto at = text.find(series);
    if (at == std::string::npos) return -1;
    double seconds = std::stod(text.substr(at + series.size()));
    if (seconds <= 0) return -1;
    return static_cast<long>(std::floor(seconds * 1000)) % 10000;
  };
  long their_offset = -1, our_offset = -1;
  ASSERT_TRUE(wait_until(
      [&] {
        their_offset = slot_offset_ms(prometheus.url(),
                                      "prometheus_rule_group_last_evaluation_timestamp_seconds");
        our_offset =
            slot_offset_ms(tocsin.url(), "tocsin_rule_group_last_evaluation_timestamp_seconds");
        return their_offset >= 0 && our_offset >= 0;
      },
      60s));
  long lag = (their_offset - our_offset + 10000) % 10000;
  EXPECT_LT(lag, 200) << "Prometheus started at +" << their_offset << "ms, tocsin's slot is +"
                      << our_offset << "ms into each 10s";

  json their_alerts = prom_get("/api/v1/alerts");
  json our_alerts = *tocsin.get_json("/api/v1/alerts");
  EXPECT_EQ(keys(our_alerts["data"]), keys(their_alerts["data"]));
  EXPECT_EQ(keys(our_alerts["data"]["alerts"][0]), keys(their_alerts["data"]["alerts"][0]));
}

}  // namespace
}  // namespace tocsin::test
