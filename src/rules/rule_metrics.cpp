#include "rules/rule_metrics.h"

namespace tocsin::rules {
namespace {

const prometheus::Histogram::BucketBoundaries& duration_buckets() {
  static const prometheus::Histogram::BucketBoundaries buckets = {
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
  return buckets;
}

// Family has no "remove by labels"; Add returns the existing series to remove.
template <typename T, typename... Args>
void drop(prometheus::Family<T>& family, const prometheus::Labels& labels, Args&&... args) {
  if (family.Has(labels)) family.Remove(&family.Add(labels, std::forward<Args>(args)...));
}

}  // namespace

RuleMetrics::RuleMetrics(prometheus::Registry& registry)
    : duration_(prometheus::BuildHistogram()
                    .Name("tocsin_rule_group_duration_seconds")
                    .Help("Time taken to evaluate all rules of a rule group once.")
                    .Register(registry)),
      evaluations_(prometheus::BuildCounter()
                       .Name("tocsin_rule_evaluations_total")
                       .Help("Rule evaluations, per rule group.")
                       .Register(registry)),
      failures_(prometheus::BuildCounter()
                    .Name("tocsin_rule_evaluation_failures_total")
                    .Help("Rule evaluations that failed, per rule group.")
                    .Register(registry)),
      iterations_(prometheus::BuildCounter()
                      .Name("tocsin_rule_group_iterations_total")
                      .Help("Scheduled evaluation slots of a rule group, missed ones included.")
                      .Register(registry)),
      missed_(prometheus::BuildCounter()
                  .Name("tocsin_rule_group_iterations_missed_total")
                  .Help("Evaluation slots skipped because the group's evaluation ran late.")
                  .Register(registry)),
      last_evaluation_(prometheus::BuildGauge()
                           .Name("tocsin_rule_group_last_evaluation_timestamp_seconds")
                           .Help("Evaluation timestamp of the group's last evaluation.")
                           .Register(registry)),
      interval_(prometheus::BuildGauge()
                    .Name("tocsin_rule_group_interval_seconds")
                    .Help("The evaluation interval of a rule group.")
                    .Register(registry)),
      rules_(prometheus::BuildGauge()
                 .Name("tocsin_rule_group_rules")
                 .Help("Rules in a rule group.")
                 .Register(registry)),
      last_samples_(prometheus::BuildGauge()
                        .Name("tocsin_rule_group_last_evaluation_samples")
                        .Help("Samples the group's last evaluation wrote (recording rules' "
                              "results and ALERTS series; stale markers left out).")
                        .Register(registry)),
      query_duration_(prometheus::BuildHistogram()
                          .Name("tocsin_query_duration_seconds")
                          .Help("Latency of instant queries sent to the datasource.")
                          .Register(registry)
                          .Add({}, duration_buckets())),
      query_failures_(prometheus::BuildCounter()
                          .Name("tocsin_query_failures_total")
                          .Help("Instant queries that failed.")
                          .Register(registry)
                          .Add({})) {}

GroupMetrics RuleMetrics::group(const std::string& key) {
  std::lock_guard lock(mu_);
  prometheus::Labels labels{{"rule_group", key}};
  return GroupMetrics{duration_.Add(labels, duration_buckets()),
                      evaluations_.Add(labels),
                      failures_.Add(labels),
                      iterations_.Add(labels),
                      missed_.Add(labels),
                      last_evaluation_.Add(labels),
                      interval_.Add(labels),
                      rules_.Add(labels),
                      last_samples_.Add(labels)};
}

void RuleMetrics::remove_group(const std::string& key) {
  std::lock_guard lock(mu_);
  prometheus::Labels labels{{"rule_group", key}};
  drop(duration_, labels, duration_buckets());
  drop(evaluations_, labels);
  drop(failures_, labels);
  drop(iterations_, labels);
  drop(missed_, labels);
  drop(last_evaluation_, labels);
  drop(interval_, labels);
  drop(rules_, labels);
  drop(last_samples_, labels);
}

void RuleMetrics::observe_query(double seconds, bool ok) {
  query_duration_.Observe(seconds);
  if (!ok) query_failures_.Increment();
}

}  // namespace tocsin::rules
