// A rule group: rules evaluated in file order, all at the same timestamp,
// once per interval. Evaluation slots are aligned as Prometheus aligns them
// (rules/manager.go, EvalTimestamp): every `interval`, shifted by a stable
// offset derived from the hash of the group's name and file, so groups with
// the same interval do not all query at once.
//
// Series: with an appender in the environment (remote_write configured),
// each evaluation also evaluates the recording rules and hands the group's
// samples to it at once, in rule order, as Prometheus's Group.Eval appends
// them: each recording rule's result, each alerting rule's ALERTS and
// ALERTS_FOR_STATE series, then for each rule a stale marker (series.h) for
// every series it wrote at its previous successful evaluation and not at
// this one. A rule whose evaluation fails writes nothing and marks nothing
// stale. Within one evaluation the first sample of a series wins, as the
// TSDB keeps it: a later one with a different value fails its rule with
// "duplicate sample for timestamp", a stale marker for it is not written.
// After a reload the series of rules that are gone get their stale markers
// at the rebuilt group's first evaluation (Prometheus's staleSeries).
// Without an appender, recording rules are not evaluated.
//
// Durability: with a journal in the environment, each evaluation queues one
// batch with what changed in its alerts' states (nothing when nothing
// changed) and, while any alert is pending, the evaluation's time; the
// batch is queued before the evaluation's alerts go to the notifier, so the
// store never holds a notification log entry without the state that caused
// it (the writer commits in queue order).
//
// Threads: `eval` runs on the group's runner thread; `restore` and
// `collect_all` on the manager's thread while no runner runs the group; the
// accessors may be called from any thread.
#pragma once

#include <expected>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include <tocsin/alert.h>
#include <tocsin/series.h>

#include "rules/alerting_rule.h"
#include "rules/restore.h"
#include "rules/rule.h"
#include "rules/rule_file.h"
#include "rules/rule_metrics.h"
#include "store/cluster.h"
#include "store/store.h"
#include "store/writer.h"

namespace tocsin::rules {

class RuleGroup;

// Receives the alerts an alerting rule hands to the notifier after an
// evaluation (firing ones to re-send, newly resolved ones).
using NotifyFunc = std::function<void(const RuleGroup& group, const AlertingRule& rule,
                                      std::vector<Alert> alerts)>;

// Which rule groups this replica evaluates when several replicas share the
// rules (store/cluster.h): a group is evaluated only under this replica's
// lease on it. Implemented by the app; safe from any thread.
class GroupLeases {
 public:
  virtual ~GroupLeases() = default;
  // The epoch of this replica's lease on the group `key` while it holds it,
  // by its own clock short of the lease's expiry in the database; nullopt
  // while another replica (or none) does.
  virtual std::optional<std::int64_t> held(const std::string& key) const = 0;
  // The group's state as the last holder stored it, for taking it over.
  virtual Result<store::RuleGroupState> stored(const std::string& key) = 0;
};

// Everything an evaluation needs from outside the group. Owned by the caller.
struct GroupEnvironment {
  query::QueryFunc query;
  std::map<std::string, std::string> external_labels;
  std::string external_url;
  NotifyFunc notify;  // may be empty
  // Where recording rules' samples and ALERTS series go; empty: nowhere,
  // and recording rules are not evaluated.
  SeriesAppender append;
  Duration resend_delay = std::chrono::minutes(1);
  // Where alert state is written as it changes; null keeps it in memory.
  std::shared_ptr<store::Writer> journal;
  // Null: every group is evaluated here. Otherwise a group is evaluated
  // only while this replica holds its lease; must outlive the groups.
  GroupLeases* leases = nullptr;
  // The time runners wait on for the next slot and lastEvaluation reads;
  // never null, must outlive the groups evaluated in this environment.
  const Clock* clock = &Clock::system();
};

struct GroupStatus {
  Timestamp last_evaluation{};  // wall time the last evaluation started
  Timestamp last_slot{};        // the timestamp the last evaluation ran at
  std::chrono::nanoseconds evaluation_time{0};
};

class RuleGroup {
 public:
  // Builds every rule of `spec`. Errors name the group and rule they belong to.
  static std::expected<std::unique_ptr<RuleGroup>, std::vector<Error>> build(
      const RuleGroupSpec& spec, Duration default_interval);

  const std::string& name() const { return spec_.name; }
  const std::string& file() const { return spec_.file; }
  // "FILE;NAME": Prometheus's group key, used as the rule_group label.
  std::string key() const { return spec_.file + ";" + spec_.name; }
  Duration interval() const { return interval_; }
  std::int64_t limit() const { return spec_.limit; }
  Duration query_offset() const { return spec_.query_offset; }
  const RuleGroupSpec& spec() const { return spec_; }
  const std::vector<std::unique_ptr<Rule>>& rules() const { return rules_; }

  // The latest evaluation slot at or before `now`.
  Timestamp slot_at_or_before(Timestamp now) const;

  // Evaluates every rule (recording rules only with an appender), in
  // order, at `ts`.
  void eval(Timestamp ts, const GroupEnvironment& env, GroupMetrics* metrics = nullptr);

  GroupStatus status() const;

  // Adopts the alerts of `previous`'s rules that this group still has (same
  // name and labels, matched in order), as Prometheus's Group.CopyState.
  void copy_state_from(const RuleGroup& previous);

  // The first slot a runner started at `now` evaluates.
  Timestamp first_slot(Timestamp now) const { return slot_at_or_before(now) + interval_; }

  // Adopts the stored alerts of its rules (`rows`, this group's), as
  // restore.h decides, for a first evaluation at `first_evaluation`;
  // `last_evaluation` is the group's stored row. Rows of rules the group no
  // longer has are left out. Returns how many alerts it restored.
  std::size_t restore(const std::vector<const store::RuleAlertRow*>& rows,
                      std::optional<Timestamp> last_evaluation, Timestamp first_evaluation,
                      const RestorePolicy& policy);

  // Adopts the group's state as another replica stored it (`state`): every
  // alert replaced by the stored ones, pending alerts keeping their
  // activeAt (the group was evaluated until moments ago), for a first
  // evaluation at `first_evaluation`. Only while no evaluation runs (the
  // runner calls it between evaluations).
  void take_over(const store::RuleGroupState& state, Timestamp first_evaluation);

  // The lease term (GroupLeases::held) the group was last evaluated under,
  // kept across reloads (copy_state_from) so that a reload alone does not
  // read the stored state again.
  std::optional<std::int64_t> lease_term() const;
  void set_lease_term(std::optional<std::int64_t> term);

  // Appends the changes that write the group's rows anew: a delete of the
  // group, then every alert of every rule, and the evaluation time pending
  // alerts count from.
  void collect_all(store::Batch& batch);

  // Each alerting rule's key in the store: its identity, and "#n" for the
  // n-th rule of that identity in the group. Empty for recording rules.
  const std::string& rule_key(std::size_t index) const { return rule_keys_[index]; }

  // Whether this group was built from the same definition as `other`.
  bool same_definition(const RuleGroup& other) const;

  // Every series the group's rules wrote at their last evaluations, and
  // those still to be marked stale: what a group removed by a reload marks
  // stale. Only while no runner runs the group.
  std::vector<Labels> written_series() const;

 private:
  RuleGroup(RuleGroupSpec spec, Duration interval, std::vector<std::unique_ptr<Rule>> rules);

  const RuleGroupSpec spec_;
  const Duration interval_;
  const std::vector<std::unique_ptr<Rule>> rules_;
  const Duration offset_;                     // within [0, interval)
  const std::vector<std::string> rule_keys_;  // by rule index

  // Label sets compared by content.
  struct LabelsHash {
    std::size_t operator()(const Labels& l) const {
      return static_cast<std::size_t>(l.table_hash());
    }
  };
  using SeriesSet = std::unordered_set<Labels, LabelsHash>;
  // The series each rule wrote at its last successful evaluation (by rule
  // index), and those of rules a reload removed, to be marked stale at the
  // next evaluation. Touched by eval, and by copy_state_from and
  // written_series while no runner runs the group.
  std::vector<SeriesSet> series_in_previous_eval_;
  std::vector<Labels> stale_series_;

  mutable std::mutex mu_;
  GroupStatus status_;  // guarded by mu_
  // The last evaluation that left pending alerts (what the store's group
  // row holds): where a restart measures the outage from. Guarded by mu_.
  std::optional<Timestamp> last_pending_evaluation_;
  std::optional<std::int64_t> lease_term_;  // guarded by mu_
};

}  // namespace tocsin::rules
