// One read of a Prometheus /metrics page (the text exposition format), for
// reading Prometheus's own cost: process_cpu_seconds_total,
// prometheus_rule_evaluations_total, prometheus_rule_group_last_duration_seconds...
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tocsin/error.h>

namespace tocsin::bench {

class MetricsPage {
 public:
  // Lines that are not samples (comments, blank, malformed) are skipped.
  static MetricsPage parse(std::string_view text);

  // The sum over every label set of `name` that contains `label_pair` (as
  // written: `status="firing"`; empty: every label set); 0 when there is none.
  double sum(std::string_view name, std::string_view label_pair = {}) const;
  // How many label sets `name` has.
  std::size_t count(std::string_view name) const;
  // The first sample of `name` whose labels contain `label_pair` (as written:
  // `quantile="0.99"`), or of any labels when `label_pair` is empty.
  std::optional<double> value(std::string_view name, std::string_view label_pair = {}) const;

 private:
  struct Sample {
    std::string name;
    std::string labels;  // between the braces, as written
    double value = 0;
  };
  std::vector<Sample> samples_;
};

// GETs `base_url`/metrics.
Result<MetricsPage> read_metrics(const std::string& base_url);

}  // namespace tocsin::bench
