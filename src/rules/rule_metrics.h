// The rule engine's self-monitoring metrics, registered in one registry.
// Series carrying a rule_group label ("FILE;GROUP", Prometheus's group key)
// are created when a group starts and removed when a reload drops it.
#pragma once

#include <mutex>
#include <string>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace tocsin::rules {

// The series of one rule group. The references stay valid until
// RuleMetrics::remove_group(key).
struct GroupMetrics {
  prometheus::Histogram& duration;   // seconds per whole-group evaluation
  prometheus::Counter& evaluations;  // rule evaluations
  prometheus::Counter& failures;     // rule evaluations that failed
  prometheus::Counter& iterations;   // evaluation slots scheduled
  prometheus::Counter& missed;       // slots skipped because the group fell behind
  prometheus::Gauge& last_evaluation;
  prometheus::Gauge& interval;
  prometheus::Gauge& rules;
  prometheus::Gauge& last_samples;  // samples the last evaluation wrote
};

class RuleMetrics {
 public:
  explicit RuleMetrics(prometheus::Registry& registry);

  GroupMetrics group(const std::string& key);
  void remove_group(const std::string& key);

  // Every instant query, successful or not.
  void observe_query(double seconds, bool ok);

 private:
  std::mutex mu_;  // Family::Add/Remove are thread-safe; this guards the pairs of calls
  prometheus::Family<prometheus::Histogram>& duration_;
  prometheus::Family<prometheus::Counter>& evaluations_;
  prometheus::Family<prometheus::Counter>& failures_;
  prometheus::Family<prometheus::Counter>& iterations_;
  prometheus::Family<prometheus::Counter>& missed_;
  prometheus::Family<prometheus::Gauge>& last_evaluation_;
  prometheus::Family<prometheus::Gauge>& interval_;
  prometheus::Family<prometheus::Gauge>& rules_;
  prometheus::Family<prometheus::Gauge>& last_samples_;
  prometheus::Histogram& query_duration_;
  prometheus::Counter& query_failures_;
};

}  // namespace tocsin::rules
