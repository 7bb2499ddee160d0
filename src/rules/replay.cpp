#include "rules/replay.h"

#include <unordered_map>

namespace tocsin::rules {
namespace {

std::unordered_map<std::uint64_t, Alert> alerts_by_fingerprint(const AlertingRule& rule) {
  std::unordered_map<std::uint64_t, Alert> out;
  for (Alert& a : rule.all_alerts()) {
    std::uint64_t fp = a.labels.fingerprint();
    out.emplace(fp, std::move(a));
  }
  return out;
}

// Evaluates one rule at `ts` and reports how its alerts changed.
void eval_and_diff(const RuleGroup& group, AlertingRule& rule, Timestamp ts,
                   const EvalContext& context, const ReplayCallbacks& callbacks) {
  auto before = alerts_by_fingerprint(rule);
  Status outcome = rule.eval(ts, context);
  if (!outcome) {
    if (callbacks.on_error) {
      callbacks.on_error(ReplayError{ts, &group, &rule, outcome.error().message()});
    }
    return;
  }
  auto after = alerts_by_fingerprint(rule);
  auto report = [&](const Alert& a, AlertState state) {
    callbacks.on_change(StateChange{ts, &group, &rule, state, a.labels, a.annotations, a.value});
  };
  for (const auto& [fp, a] : after) {
    auto prev = before.find(fp);
    bool changed =
        prev == before.end() ? a.state != AlertState::kInactive : prev->second.state != a.state;
    if (changed) report(a, a.state);
  }
  // Alerts dropped outright (pending ones whose series vanished, or all of
  // them when the limit was exceeded) end inactive too.
  for (const auto& [fp, a] : before) {
    if (!after.contains(fp) && a.state != AlertState::kInactive) report(a, AlertState::kInactive);
  }
}

}  // namespace

void replay(const std::vector<RuleGroup*>& groups, const GroupEnvironment& env, Timestamp from,
            Timestamp to, const ReplayCallbacks& callbacks) {
  std::vector<Timestamp> next(groups.size(), from);
  while (true) {
    // The group with the earliest next tick; ties go to the earlier group.
    std::optional<std::size_t> due;
    for (std::size_t i = 0; i < groups.size(); ++i) {
      if (next[i] > to) continue;
      if (!due || next[i] < next[*due]) due = i;
    }
    if (!due) return;
    RuleGroup& group = *groups[*due];
    Timestamp ts = next[*due];
    EvalContext context{env.query, env.external_labels, env.external_url, group.limit(),
                        group.query_offset()};
    for (const auto& rule : group.rules()) {
      if (auto* ar = dynamic_cast<AlertingRule*>(rule.get())) {
        eval_and_diff(group, *ar, ts, context, callbacks);
      }
    }
    next[*due] = ts + group.interval();
  }
}

}  // namespace tocsin::rules
