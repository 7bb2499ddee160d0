// The synthetic workload every rule-evaluation benchmark shares: one gauge,
// `bench_value`, with `series_per_rule` series for each of the
// groups x rules_per_group alerting rules, and a rule file in the Prometheus
// format that both tocsin and Prometheus load.
//
// Each rule selects only its own series (`bench_value{rule="r00042"}`), so
// 10,000 rules over 100,000 series return 100,000 series in total, 10 each.
// The expressions pin the data time with the `@` modifier: the data is
// loaded as promtool blocks a few hours back (deterministic, no scraping),
// and Prometheus's own rule manager, which always evaluates at "now", still
// sees exactly what tocsin sees at its simulated evaluation times.
//
// Pure functions of the shape: the same shape gives the same text.
#pragma once

#include <chrono>
#include <map>
#include <string>

#include <tocsin/labels.h>
#include <tocsin/time.h>

#include "query/query_func.h"

namespace tocsin::bench {

struct WorkloadShape {
  int groups = 100;
  int rules_per_group = 100;
  int series_per_rule = 10;
  Duration interval = std::chrono::seconds(60);  // every group's `interval`
  Duration hold = std::chrono::seconds(60);      // every rule's `for`
  bool annotations = true;  // false: no annotation templates (to see what they cost)

  int rules() const { return groups * rules_per_group; }
  int series() const { return rules() * series_per_rule; }
};

// The metric every rule selects.
inline constexpr std::string_view kMetricName = "bench_value";

// The external labels both tocsin and Prometheus are configured with; the
// description annotation reads $externalLabels.cluster.
std::map<std::string, std::string> external_labels();

// "r00042": the `rule` label value that rule 42 (counted over all groups) selects.
std::string rule_id(int rule);

// The series `series` (0 .. series_per_rule-1) of rule `rule`, with __name__,
// as Prometheus returns it for the rule's filtering expression.
Labels series_metric(int rule, int series);

// The value loaded for that series at `data_time`; always > 0, so every
// series is returned and every alert stays active.
double series_value(int rule, int series);

// The expression of rule `rule`: `bench_value{rule="r00042"} @ <data_time> > 0`.
std::string rule_expr(int rule, Timestamp data_time);

// The samples to load: every series at data_time - 2m, - 1m and data_time,
// in the OpenMetrics text format promtool's create-blocks-from reads.
std::string openmetrics_text(const WorkloadShape& shape, Timestamp data_time);

// The rule file: `groups` groups "bench-g000"... of `rules_per_group`
// alerting rules, each
//   alert: BenchValueHigh00042
//   expr: <rule_expr(42, data_time)>
// with two static labels (severity, team) and, unless shape.annotations is
// false, two annotations whose templates read $labels, $value (through
// humanize) and $externalLabels.
std::string rule_file_yaml(const WorkloadShape& shape, Timestamp data_time);

// The same rules as recording rules, one per alerting rule of
// rule_file_yaml and with its expression:
//   record: bench:value:r00042
//   expr: <rule_expr(42, data_time)>
// with one static label (team). Each records series_per_rule series.
std::string recording_rule_file_yaml(const WorkloadShape& shape, Timestamp data_time);

// Answers the rule file's expressions from memory, as Prometheus would from
// the loaded data (same labels, same values), for benchmarks without HTTP.
// Fails with "bad_data" for an expression it does not know.
query::QueryFunc in_memory_query(const WorkloadShape& shape);

}  // namespace tocsin::bench
