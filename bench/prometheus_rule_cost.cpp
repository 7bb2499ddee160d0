#include "prometheus_rule_cost.h"

#include <fstream>
#include <thread>

#include <fmt/format.h>

#include "metrics_page.h"
#include "support/http.h"
#include "support/wait.h"
#include "synthetic_workload.h"

namespace tocsin::bench {
namespace {

std::string config_with_rules(const PrometheusRuleCostPlan& plan) {
  std::string yaml = fmt::format("global:\n  evaluation_interval: {}\n  external_labels:\n",
                                 format_duration(plan.interval));
  for (const auto& [name, value] : external_labels()) {
    yaml += fmt::format("    {}: \"{}\"\n", name, value);
  }
  yaml += fmt::format("rule_files:\n  - \"{}\"\nscrape_configs: []\n", plan.rule_file);
  return yaml;
}

Status reload_with_rules(test::PrometheusServer& prometheus, const PrometheusRuleCostPlan& plan) {
  {
    std::ofstream out(prometheus.config_path(), std::ios::trunc);
    out << config_with_rules(plan);
    if (!out) return fail("cannot write " + prometheus.config_path());
  }
  test::HttpResponse reply =
      test::http_post(prometheus.url() + "/-/reload", "", "text/plain", {},
                      std::chrono::minutes(2));  // parsing 10,000 rules takes a moment
  if (reply.status != 200) {
    return fail(fmt::format("Prometheus refused the rules: HTTP {} {}{}", reply.status, reply.body,
                            reply.error));
  }
  return {};
}

std::size_t firing_alerts(query::PrometheusClient& client) {
  auto result = client.instant_query(R"(count(ALERTS{alertstate="firing"}))", SystemClock().now());
  if (!result || result->empty()) return 0;
  return static_cast<std::size_t>(result->front().value);
}

}  // namespace

Result<PrometheusRuleCost> measure_prometheus_rule_cost(test::PrometheusServer& prometheus,
                                                        query::PrometheusClient& client,
                                                        const PrometheusRuleCostPlan& plan) {
  PrometheusRuleCost cost;
  const std::string url = prometheus.url();

  auto idle_start = read_metrics(url);
  if (!idle_start) return std::unexpected(idle_start.error());
  auto idle_clock = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(plan.idle_window);
  auto idle_end = read_metrics(url);
  if (!idle_end) return std::unexpected(idle_end.error());
  double idle_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - idle_clock).count();
  cost.idle_cpu_per_second =
      (idle_end->sum("process_cpu_seconds_total") - idle_start->sum("process_cpu_seconds_total")) /
      idle_seconds;
  cost.rss_before = idle_end->sum("process_resident_memory_bytes");
  cost.heap_before = idle_end->sum("go_memstats_heap_inuse_bytes");
  cost.series_before = idle_end->sum("prometheus_tsdb_head_series");

  if (auto reloaded = reload_with_rules(prometheus, plan); !reloaded) {
    return std::unexpected(reloaded.error());
  }
  bool settled = test::wait_until([&] { return firing_alerts(client) >= plan.expected_alerts; },
                                  plan.settle_timeout, std::chrono::seconds(2));
  if (!settled) {
    return fail(fmt::format("Prometheus had {} of {} alerts firing after {}", firing_alerts(client),
                            plan.expected_alerts, format_duration(plan.settle_timeout)));
  }

  std::this_thread::sleep_for(plan.warmup);

  auto start = read_metrics(url);
  if (!start) return std::unexpected(start.error());
  auto window_clock = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(plan.rounds * plan.interval);
  auto end = read_metrics(url);
  if (!end) return std::unexpected(end.error());
  cost.window_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - window_clock).count();

  auto delta = [&](std::string_view name) { return end->sum(name) - start->sum(name); };
  cost.cpu_seconds = delta("process_cpu_seconds_total");
  cost.rule_evaluations = delta("prometheus_rule_evaluations_total");
  cost.failed_evaluations = delta("prometheus_rule_evaluation_failures_total");
  cost.missed_iterations = delta("prometheus_rule_group_iterations_missed_total");
  cost.round_group_seconds = end->sum("prometheus_rule_group_last_duration_seconds");
  cost.rule_p50_seconds =
      end->value("prometheus_rule_evaluation_duration_seconds", R"(quantile="0.5")");
  cost.rule_p99_seconds =
      end->value("prometheus_rule_evaluation_duration_seconds", R"(quantile="0.99")");
  cost.rss_after = end->sum("process_resident_memory_bytes");
  cost.heap_after = end->sum("go_memstats_heap_inuse_bytes");
  cost.series_after = end->sum("prometheus_tsdb_head_series");
  cost.firing_alerts = firing_alerts(client);
  return cost;
}

}  // namespace tocsin::bench
