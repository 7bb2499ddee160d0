// Drives tocsin's rule groups round by round: in each round every group is
// evaluated once (RuleGroup::eval, as its GroupRunner would) at the same
// simulated timestamp, which then advances by one interval. Rounds run back
// to back, so a round's wall time is what tocsin needs, not the interval.
//
// The query function goes through the same instrumentation as the daemon's
// (tocsin_query_duration_seconds) and the groups update their
// RuleMetrics, so the per-rule bookkeeping of the real service is counted.
// Alerts due for (re)sending are turned into what the daemon hands its
// dispatcher (rules::outgoing_alerts) and counted, then dropped: the rule
// engine's side of notifying is counted, the dispatcher's is not (as
// Prometheus, measured without an Alertmanager, builds its alerts and
// sends them nowhere).
//
// Threads: one thread calls run(); with `threads` > 1 it evaluates the
// groups of a round on that many worker threads (each group on one thread).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include <prometheus/registry.h>

#include "resource_usage.h"
#include "rules/group.h"
#include "rules/rule_metrics.h"

namespace tocsin::bench {

struct RoundStats {
  int rounds = 0;
  std::uint64_t rule_evaluations = 0;
  std::uint64_t failed_evaluations = 0;
  std::uint64_t series_returned = 0;  // samples in every query answer
  std::uint64_t alerts_sent = 0;      // alerts handed to the (stand-in) dispatcher
  CpuTime cpu;                        // this process, all threads
  double wall_seconds = 0;
  std::vector<double> round_seconds;  // wall time of each round
};

// Alerts the rules hold, resolved ones included in `held`.
struct AlertCounts {
  std::size_t held = 0;
  std::size_t pending = 0;
  std::size_t firing = 0;
};

class EvaluationRounds {
 public:
  // `groups` are evaluated with `query` and the external labels of the
  // synthetic workload, starting at `first`.
  EvaluationRounds(std::vector<std::unique_ptr<rules::RuleGroup>> groups, query::QueryFunc query,
                   Timestamp first, Duration interval, int threads);

  // Where recording rules' samples and ALERTS series go from now on; none
  // (the default): recording rules are not evaluated, as in the daemon.
  void set_appender(SeriesAppender append) { env_.append = std::move(append); }

  // Runs `rounds` more rounds and reports what they cost.
  RoundStats run(int rounds);

  AlertCounts alerts() const;

 private:
  void run_round(Timestamp ts);

  std::vector<std::unique_ptr<rules::RuleGroup>> groups_;
  prometheus::Registry registry_;
  rules::RuleMetrics metrics_;
  std::vector<rules::GroupMetrics> group_metrics_;  // by group index
  std::atomic<std::uint64_t> series_returned_{0};
  std::atomic<std::uint64_t> alerts_sent_{0};
  rules::GroupEnvironment env_;
  Timestamp next_;
  const Duration interval_;
  const int threads_;
};

}  // namespace tocsin::bench
