#include "evaluation_rounds.h"

#include <chrono>
#include <thread>

#include "rules/outgoing_alerts.h"
#include "synthetic_workload.h"

namespace tocsin::bench {
namespace {

// The daemon's query instrumentation (app/daemon.cpp timed_query), plus a
// count of the series returned.
query::QueryFunc observed(query::QueryFunc inner, rules::RuleMetrics& metrics,
                          std::atomic<std::uint64_t>& series) {
  return [inner = std::move(inner), &metrics, &series](std::string_view expr, Timestamp at) {
    auto start = std::chrono::steady_clock::now();
    auto result = inner(expr, at);
    metrics.observe_query(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
        result.has_value());
    if (result) series.fetch_add(result->size(), std::memory_order_relaxed);
    return result;
  };
}

// Stands in for Daemon::send_rule_alerts without the dispatcher: builds the
// alerts it would hand over, and counts them.
rules::NotifyFunc counting_dispatcher(std::map<std::string, std::string> external_labels,
                                      std::atomic<std::uint64_t>& sent) {
  // The daemon links alerts to its datasource's graph page; any URL costs the same.
  constexpr std::string_view kGraphBase = "http://prometheus.bench:9090";
  return [external_labels = std::move(external_labels), &sent](
             const rules::RuleGroup&, const rules::AlertingRule& rule, std::vector<Alert> alerts) {
    std::vector<notify::Alert> outgoing = rules::outgoing_alerts(
        alerts, rule.expr(), external_labels, kGraphBase, SystemClock().now());
    sent.fetch_add(outgoing.size(), std::memory_order_relaxed);
  };
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

EvaluationRounds::EvaluationRounds(std::vector<std::unique_ptr<rules::RuleGroup>> groups,
                                   query::QueryFunc query, Timestamp first, Duration interval,
                                   int threads)
    : groups_(std::move(groups)),
      metrics_(registry_),
      next_(first),
      interval_(interval),
      threads_(std::max(1, threads)) {
  group_metrics_.reserve(groups_.size());
  for (const auto& group : groups_) group_metrics_.push_back(metrics_.group(group->key()));
  env_.query = observed(std::move(query), metrics_, series_returned_);
  env_.external_labels = external_labels();
  env_.external_url = "http://tocsin.bench:9095";
  env_.notify = counting_dispatcher(env_.external_labels, alerts_sent_);
}

void EvaluationRounds::run_round(Timestamp ts) {
  if (threads_ == 1) {
    for (std::size_t i = 0; i < groups_.size(); ++i) groups_[i]->eval(ts, env_, &group_metrics_[i]);
    return;
  }
  std::atomic<std::size_t> next_group{0};
  std::vector<std::jthread> workers;
  for (int t = 0; t < threads_; ++t) {
    workers.emplace_back([&] {
      for (std::size_t i = next_group++; i < groups_.size(); i = next_group++) {
        groups_[i]->eval(ts, env_, &group_metrics_[i]);
      }
    });
  }
}

RoundStats EvaluationRounds::run(int rounds) {
  // GroupMetrics holds its counters by reference: sum them group by group.
  auto evaluations = [&] {
    double sum = 0;
    for (const rules::GroupMetrics& m : group_metrics_) sum += m.evaluations.Value();
    return static_cast<std::uint64_t>(sum);
  };
  auto failures = [&] {
    double sum = 0;
    for (const rules::GroupMetrics& m : group_metrics_) sum += m.failures.Value();
    return static_cast<std::uint64_t>(sum);
  };

  RoundStats stats;
  std::uint64_t evaluations_before = evaluations();
  std::uint64_t failures_before = failures();
  std::uint64_t series_before = series_returned_.load();
  std::uint64_t sent_before = alerts_sent_.load();
  CpuTime cpu_before = process_cpu_time();
  auto start = std::chrono::steady_clock::now();
  for (int r = 0; r < rounds; ++r) {
    auto round_start = std::chrono::steady_clock::now();
    run_round(next_);
    next_ += interval_;
    stats.round_seconds.push_back(seconds_since(round_start));
  }
  stats.wall_seconds = seconds_since(start);
  stats.cpu = process_cpu_time() - cpu_before;
  stats.rounds = rounds;
  stats.rule_evaluations = evaluations() - evaluations_before;
  stats.failed_evaluations = failures() - failures_before;
  stats.series_returned = series_returned_.load() - series_before;
  stats.alerts_sent = alerts_sent_.load() - sent_before;
  return stats;
}

AlertCounts EvaluationRounds::alerts() const {
  AlertCounts counts;
  for (const auto& group : groups_) {
    for (const auto& rule : group->rules()) {
      auto* alerting = dynamic_cast<const rules::AlertingRule*>(rule.get());
      if (alerting == nullptr) continue;
      counts.held += alerting->alert_count();
      auto by_state = alerting->alerts_by_state();
      counts.pending += by_state[static_cast<int>(AlertState::kPending)];
      counts.firing += by_state[static_cast<int>(AlertState::kFiring)];
    }
  }
  return counts;
}

}  // namespace tocsin::bench
