#include "rules/group.h"

#include <algorithm>
#include <bit>
#include <deque>
#include <iterator>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "core/log.h"
#include "rules/recording_rule.h"

namespace tocsin::rules {
namespace {

// Prometheus offsets a group's slots by hash(name, file) modulo the interval,
// in nanoseconds; queries run at millisecond precision, so the offset is
// kept in whole milliseconds (the same query timestamps Prometheus uses).
Duration slot_offset(const RuleGroupSpec& spec, Duration interval) {
  auto interval_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(interval).count();
  std::uint64_t h = Labels{{"name", spec.name}, {"file", spec.file}}.hash();
  auto offset_ns = static_cast<std::int64_t>(h % static_cast<std::uint64_t>(interval_ns));
  return std::chrono::duration_cast<Duration>(std::chrono::nanoseconds(offset_ns));
}

// Samples in a set by their series.
struct SampleSeriesHash {
  std::size_t operator()(const SeriesSample* s) const {
    return static_cast<std::size_t>(s->labels.table_hash());
  }
};
struct SampleSeriesEqual {
  bool operator()(const SeriesSample* a, const SeriesSample* b) const {
    return a->labels == b->labels;
  }
};

bool same_entries(const std::vector<yaml::StringEntry>& a,
                  const std::vector<yaml::StringEntry>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return x.key == y.key && x.value == y.value;
  });
}

// "name{labels}#n" for the n-th alerting rule of that identity in the
// group, so that duplicates keep apart in the store as they pair up on
// reload.
std::vector<std::string> rule_keys(const std::vector<std::unique_ptr<Rule>>& rules) {
  std::vector<std::string> keys;
  std::unordered_map<std::string, int> seen;
  for (const auto& rule : rules) {
    if (!rule->alerting()) {
      keys.emplace_back();
      continue;
    }
    std::string identity = rule->identity();
    keys.push_back(fmt::format("{}#{}", identity, seen[identity]++));
  }
  return keys;
}

bool same_rule(const RuleSpec& a, const RuleSpec& b) {
  return a.kind == b.kind && a.name == b.name && a.expr == b.expr &&
         a.for_duration == b.for_duration && a.keep_firing_for == b.keep_firing_for &&
         same_entries(a.labels, b.labels) && same_entries(a.annotations, b.annotations);
}

}  // namespace

std::expected<std::unique_ptr<RuleGroup>, std::vector<Error>> RuleGroup::build(
    const RuleGroupSpec& spec, Duration default_interval) {
  std::vector<Error> errors;
  std::vector<std::unique_ptr<Rule>> rules;
  for (std::size_t i = 0; i < spec.rules.size(); ++i) {
    const RuleSpec& rs = spec.rules[i];
    if (!rs.alerting()) {
      rules.push_back(std::make_unique<RecordingRule>(rs));
      continue;
    }
    auto built = AlertingRule::build(rs);
    if (!built) {
      for (const Error& e : built.error()) {
        errors.push_back(e.wrap(describe_rule(spec.name, i, rs.name)));
      }
      continue;
    }
    rules.push_back(std::move(*built));
  }
  if (!errors.empty()) return std::unexpected(std::move(errors));
  Duration interval = spec.interval.value_or(default_interval);
  return std::unique_ptr<RuleGroup>(new RuleGroup(spec, interval, std::move(rules)));
}

RuleGroup::RuleGroup(RuleGroupSpec spec, Duration interval,
                     std::vector<std::unique_ptr<Rule>> rules)
    : spec_(std::move(spec)),
      interval_(interval),
      rules_(std::move(rules)),
      offset_(slot_offset(spec_, interval_)),
      rule_keys_(rule_keys(rules_)),
      series_in_previous_eval_(rules_.size()) {}

Timestamp RuleGroup::slot_at_or_before(Timestamp now) const {
  auto adjusted = (now - offset_).time_since_epoch();
  auto base = adjusted - adjusted % interval_;
  if (base > adjusted) base -= interval_;  // before the epoch, % rounds towards zero
  return Timestamp(base) + offset_;
}

void RuleGroup::eval(Timestamp ts, const GroupEnvironment& env, GroupMetrics* metrics) {
  const Clock& clock = *env.clock;
  Timestamp started = clock.now();
  auto group_start = std::chrono::steady_clock::now();

  struct ToSend {
    const AlertingRule* rule;
    std::vector<Alert> alerts;
  };
  std::vector<ToSend> to_send;
  // The lease this evaluation runs under (leases: one replica of several
  // evaluates the group), checked again before anything leaves it.
  std::optional<std::int64_t> lease;
  if (env.leases != nullptr) lease = env.leases->held(key());
  EvalContext context{env.query, env.external_labels, env.external_url, spec_.limit,
                      spec_.query_offset};
  const bool writes = static_cast<bool>(env.append);
  // Samples are stamped with the time the queries ran at, as Prometheus
  // stamps them.
  const Timestamp at = ts - spec_.query_offset;
  // This evaluation's samples, for env.append (a deque: written_now points
  // into it), and the series among them.
  std::deque<SeriesSample> written;
  std::unordered_set<const SeriesSample*, SampleSeriesHash, SampleSeriesEqual> written_now;
  // Appends `sample` unless its series was written already in this
  // evaluation; returns the sample that stays.
  auto append_once = [&](SeriesSample sample) -> std::pair<const SeriesSample*, bool> {
    written.push_back(std::move(sample));
    auto [it, added] = written_now.insert(&written.back());
    if (!added) written.pop_back();
    return {*it, added};
  };
  std::size_t samples_total = 0;

  for (std::size_t i = 0; i < rules_.size(); ++i) {
    Rule& rule = *rules_[i];
    auto* alerting = dynamic_cast<AlertingRule*>(&rule);
    auto* recording = dynamic_cast<RecordingRule*>(&rule);
    if (recording != nullptr && !writes) continue;  // nowhere to write (recording_rule.h)

    Timestamp rule_started = clock.now();
    auto t0 = std::chrono::steady_clock::now();
    std::vector<SeriesSample> samples;
    Status outcome;
    if (alerting != nullptr) {
      outcome = alerting->eval(ts, context);
      if (outcome && writes) alerting->append_series(at, samples);
      // Its alerts go out whatever becomes of its samples, as in Prometheus.
      if (outcome && env.notify) {
        auto alerts = alerting->take_alerts_to_send(ts, env.resend_delay, interval_);
        if (!alerts.empty()) to_send.push_back({alerting, std::move(alerts)});
      }
    } else {
      auto recorded = recording->eval(ts, context);
      if (recorded) {
        samples = std::move(*recorded);
      } else {
        outcome = std::unexpected(recorded.error());
      }
    }
    if (outcome && writes) {
      // Appended as the TSDB would take them: the first sample of a series
      // at this time stays; a different value for it is this rule's error.
      SeriesSet returned;
      returned.reserve(samples.size());
      for (SeriesSample& sample : samples) {
        double value = sample.value;
        auto [kept, added] = append_once(std::move(sample));
        if (!added) {
          if (std::bit_cast<std::uint64_t>(kept->value) != std::bit_cast<std::uint64_t>(value)) {
            outcome = fail("duplicate sample for timestamp");
          }
          continue;
        }
        returned.insert(kept->labels);
        ++samples_total;
      }
      // In label order, so that what is written does not hang on a hash.
      std::vector<const Labels*> gone;
      for (const Labels& series : series_in_previous_eval_[i]) {
        if (!returned.contains(series)) gone.push_back(&series);
      }
      std::ranges::sort(gone, [](const Labels* a, const Labels* b) { return *a < *b; });
      for (const Labels* series : gone) append_once(SeriesSample{*series, at, stale_nan()});
      series_in_previous_eval_[i] = std::move(returned);
    }
    rule.record_evaluation(outcome, rule_started, std::chrono::steady_clock::now() - t0);
    if (metrics) metrics->evaluations.Increment();
    if (!outcome) {
      if (metrics) metrics->failures.Increment();
      log::warn("Evaluating rule failed", {{"group", spec_.name},
                                           {"file", spec_.file},
                                           {"rule", rule.name()},
                                           {"index", i},
                                           {"err", outcome.error().message()}});
    }
  }
  // Fencing: a replica that lost the group's lease while it evaluated (it
  // was paused, or the database could not renew it) writes, stores and
  // sends nothing of this evaluation: the group is another replica's now.
  if (env.leases != nullptr && (!lease || env.leases->held(key()) != lease)) {
    log::warn("Lost the rule group's lease while evaluating it; dropped what the evaluation found",
              {{"group", spec_.name}, {"file", spec_.file}});
    std::lock_guard lock(mu_);
    status_ = GroupStatus{started, ts, std::chrono::steady_clock::now() - group_start};
    return;
  }
  if (writes) {
    // Series of rules a reload removed (Prometheus's cleanupStaleSeries).
    for (Labels& gone : stale_series_) append_once(SeriesSample{std::move(gone), at, stale_nan()});
    stale_series_.clear();
    if (!written.empty()) {
      env.append(std::vector<SeriesSample>(std::make_move_iterator(written.begin()),
                                           std::make_move_iterator(written.end())));
    }
  }
  if (metrics) metrics->last_samples.Set(static_cast<double>(samples_total));

  // What changed, as one batch, queued before anything reaches the
  // notifier. A crash before the writer commits it loses this evaluation's
  // changes: a restart resumes from the evaluation before (an alert that
  // had just fired comes back pending, restored as restore.h says; one
  // that had just resolved comes back firing and resolves again). A
  // notification this evaluation led to cannot have been logged yet, since
  // its entry is queued behind this batch.
  if (env.journal) {
    store::Batch changes;
    bool pending = false;
    const std::string group_key = key();
    for (std::size_t i = 0; i < rules_.size(); ++i) {
      auto* rule = dynamic_cast<AlertingRule*>(rules_[i].get());
      if (rule == nullptr) continue;
      rule->collect_changes(group_key, rule_keys_[i], env.external_labels, changes);
      pending = pending || rule->has_pending();
    }
    if (pending) {
      changes.push_back(store::PutRuleGroup{{group_key, ts}});
      std::lock_guard lock(mu_);
      last_pending_evaluation_ = ts;
    }
    if (!changes.empty()) env.journal->submit(std::move(changes));
  }
  for (ToSend& s : to_send) env.notify(*this, *s.rule, std::move(s.alerts));

  auto took = std::chrono::steady_clock::now() - group_start;
  if (metrics) {
    metrics->duration.Observe(std::chrono::duration<double>(took).count());
    metrics->last_evaluation.Set(to_unix_seconds(ts));
  }
  std::lock_guard lock(mu_);
  status_ = GroupStatus{started, ts, took};
}

GroupStatus RuleGroup::status() const {
  std::lock_guard lock(mu_);
  return status_;
}

void RuleGroup::copy_state_from(const RuleGroup& previous) {
  {
    std::scoped_lock lock(mu_, previous.mu_);
    status_ = previous.status_;
    last_pending_evaluation_ = previous.last_pending_evaluation_;
    lease_term_ = previous.lease_term_;
  }
  // Rules are matched by identity (Prometheus's nameAndLabels);
  // duplicates pair up in order.
  std::unordered_map<std::string, std::vector<std::size_t>> by_identity;
  for (std::size_t fi = 0; fi < previous.rules_.size(); ++fi) {
    by_identity[previous.rules_[fi]->identity()].push_back(fi);
  }
  auto previous_series = [&](std::size_t fi) -> const SeriesSet* {
    return fi < previous.series_in_previous_eval_.size() ? &previous.series_in_previous_eval_[fi]
                                                         : nullptr;
  };
  series_in_previous_eval_.assign(rules_.size(), SeriesSet{});
  stale_series_ = previous.stale_series_;
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    auto it = by_identity.find(rules_[i]->identity());
    if (it == by_identity.end() || it->second.empty()) continue;
    std::size_t fi = it->second.front();
    it->second.erase(it->second.begin());
    if (const SeriesSet* series = previous_series(fi)) series_in_previous_eval_[i] = *series;
    auto* ar = dynamic_cast<AlertingRule*>(rules_[i].get());
    auto* far = dynamic_cast<const AlertingRule*>(previous.rules_[fi].get());
    if (ar != nullptr && far != nullptr) ar->copy_state_from(*far);
  }
  // The series of rules that are gone are marked stale at the next evaluation.
  for (const auto& [identity, unmatched] : by_identity) {
    for (std::size_t fi : unmatched) {
      if (const SeriesSet* series = previous_series(fi)) {
        stale_series_.insert(stale_series_.end(), series->begin(), series->end());
      }
    }
  }
}

std::vector<Labels> RuleGroup::written_series() const {
  std::vector<Labels> out = stale_series_;
  for (const SeriesSet& series : series_in_previous_eval_) {
    out.insert(out.end(), series.begin(), series.end());
  }
  return out;
}

std::size_t RuleGroup::restore(const std::vector<const store::RuleAlertRow*>& rows,
                               std::optional<Timestamp> last_evaluation, Timestamp first_evaluation,
                               const RestorePolicy& policy) {
  std::size_t restored = 0;
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    auto* rule = dynamic_cast<AlertingRule*>(rules_[i].get());
    if (rule == nullptr) continue;
    std::vector<Alert> alerts;
    for (const store::RuleAlertRow* row : rows) {
      if (row->rule_key != rule_keys_[i]) continue;
      auto kept = restore_alert(alert_from_row(*row), rule->hold_duration(), last_evaluation,
                                first_evaluation, policy);
      if (kept) alerts.push_back(std::move(*kept));
    }
    restored += alerts.size();
    rule->restore(std::move(alerts));
  }
  // The pending alerts kept have their countdown measured up to the first
  // evaluation: a crash before it restores them from there.
  std::lock_guard lock(mu_);
  last_pending_evaluation_ = first_evaluation;
  return restored;
}

void RuleGroup::take_over(const store::RuleGroupState& state, Timestamp first_evaluation) {
  // No outage to measure: restore_alert keeps a pending alert's activeAt
  // when the last evaluation is the first one and there is no grace period.
  const RestorePolicy keep_all{.outage_tolerance = Duration::max(),
                               .grace_period = Duration::zero()};
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    auto* rule = dynamic_cast<AlertingRule*>(rules_[i].get());
    if (rule == nullptr) continue;
    std::vector<Alert> alerts;
    for (const store::RuleAlertRow& row : state.alerts) {
      if (row.rule_key != rule_keys_[i]) continue;
      if (auto kept = restore_alert(alert_from_row(row), rule->hold_duration(), first_evaluation,
                                    first_evaluation, keep_all)) {
        alerts.push_back(std::move(*kept));
      }
    }
    rule->take_over(std::move(alerts));
  }
  // The series the last holder wrote are its own to mark stale.
  for (SeriesSet& series : series_in_previous_eval_) series.clear();
  stale_series_.clear();
  std::lock_guard lock(mu_);
  last_pending_evaluation_ = state.last_evaluation;
}

std::optional<std::int64_t> RuleGroup::lease_term() const {
  std::lock_guard lock(mu_);
  return lease_term_;
}

void RuleGroup::set_lease_term(std::optional<std::int64_t> term) {
  std::lock_guard lock(mu_);
  lease_term_ = term;
}

void RuleGroup::collect_all(store::Batch& batch) {
  const std::string group_key = key();
  batch.push_back(store::DeleteRuleGroup{group_key});
  bool pending = false;
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    auto* rule = dynamic_cast<AlertingRule*>(rules_[i].get());
    if (rule == nullptr) continue;
    rule->collect_all(group_key, rule_keys_[i], batch);
    pending = pending || rule->has_pending();
  }
  std::lock_guard lock(mu_);
  if (pending && last_pending_evaluation_) {
    batch.push_back(store::PutRuleGroup{{group_key, *last_pending_evaluation_}});
  }
}

bool RuleGroup::same_definition(const RuleGroup& other) const {
  const RuleGroupSpec& a = spec_;
  const RuleGroupSpec& b = other.spec_;
  return a.file == b.file && a.name == b.name && interval_ == other.interval_ &&
         a.limit == b.limit && a.query_offset == b.query_offset &&
         std::equal(a.rules.begin(), a.rules.end(), b.rules.begin(), b.rules.end(), same_rule);
}

}  // namespace tocsin::rules
