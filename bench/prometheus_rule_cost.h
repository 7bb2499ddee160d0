// Prometheus's own cost of evaluating the same rules, read from its
// /metrics while its rule manager runs them: the side-by-side figure for
// tocsin's CPU per rule.
//
// Prometheus is first measured idle (no rules), then reloaded with the rule
// file; once every alert is firing, its process CPU is read over a window of
// whole intervals and divided by the rule evaluations done in that window,
// after taking away the idle rate. That figure is everything Prometheus's
// rule manager costs in-process: the PromQL evaluation, the alert state,
// the template expansion, and the ALERTS / ALERTS_FOR_STATE samples it
// appends to its TSDB (no Alertmanager is configured, so nothing is sent).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <tocsin/error.h>
#include <tocsin/time.h>

#include "query/prometheus_client.h"
#include "support/prometheus_server.h"

namespace tocsin::bench {

struct PrometheusRuleCostPlan {
  std::string rule_file;
  Duration interval{std::chrono::seconds(10)};  // the groups' interval
  int rounds = 1;                               // intervals in the measured window
  Duration idle_window{std::chrono::seconds(10)};
  std::size_t expected_alerts = 0;  // firing alerts to wait for before measuring
  Duration warmup{0};               // then this much longer (recording rules: their series exist)
  Duration settle_timeout{std::chrono::minutes(5)};
};

struct PrometheusRuleCost {
  double idle_cpu_per_second = 0;  // process_cpu_seconds_total rate without rules
  double window_seconds = 0;
  double cpu_seconds = 0;  // process_cpu_seconds_total over the window
  double rule_evaluations = 0;
  double failed_evaluations = 0;
  double missed_iterations = 0;
  // prometheus_rule_group_last_duration_seconds added up over the groups:
  // the wall time of one round as if the groups ran one after another.
  double round_group_seconds = 0;
  std::optional<double> rule_p50_seconds;  // prometheus_rule_evaluation_duration_seconds
  std::optional<double> rule_p99_seconds;
  double rss_before = 0, rss_after = 0;        // process_resident_memory_bytes
  double heap_before = 0, heap_after = 0;      // go_memstats_heap_inuse_bytes
  double series_before = 0, series_after = 0;  // prometheus_tsdb_head_series
  std::size_t firing_alerts = 0;

  double rule_cpu_seconds() const { return cpu_seconds - idle_cpu_per_second * window_seconds; }
};

// Reloads `prometheus` with plan.rule_file and measures it. `client`
// queries the same Prometheus (to count firing alerts).
Result<PrometheusRuleCost> measure_prometheus_rule_cost(test::PrometheusServer& prometheus,
                                                        query::PrometheusClient& client,
                                                        const PrometheusRuleCostPlan& plan);

}  // namespace tocsin::bench
