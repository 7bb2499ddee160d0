#include "rules/restore.h"

namespace tocsin::rules {

std::optional<Alert> restore_alert(Alert stored, Duration hold,
                                   std::optional<Timestamp> last_evaluation,
                                   Timestamp first_evaluation, const RestorePolicy& policy) {
  if (stored.state != AlertState::kPending) return stored;
  if (!last_evaluation || first_evaluation - *last_evaluation > policy.outage_tolerance) {
    return std::nullopt;  // down too long: what it measured then no longer holds
  }
  if (hold < policy.grace_period) return std::nullopt;  // waiting `for` anew is shorter

  const Timestamp down_at = *last_evaluation;
  const Duration remaining = hold - (down_at - stored.active_at);
  if (remaining <= Duration::zero()) {
    // Due to fire: the first evaluation fires it, activeAt unchanged.
  } else if (remaining < policy.grace_period) {
    // Fires one grace period after the first evaluation, not sooner.
    stored.active_at = first_evaluation + policy.grace_period - hold;
  } else {
    // The outage does not count towards `for`.
    stored.active_at += first_evaluation - down_at;
  }
  return stored;
}

store::RuleAlertRow alert_row(const std::string& group_key, const std::string& rule_key,
                              std::string_view rule, const Alert& alert) {
  return store::RuleAlertRow{.group_key = group_key,
                             .rule_key = rule_key,
                             .fingerprint = alert.labels.fingerprint(),
                             .rule = std::string(rule),
                             .labels = alert.labels,
                             .annotations = alert.annotations,
                             .state = alert.state,
                             .active_at = alert.active_at,
                             .fired_at = alert.fired_at,
                             .resolved_at = alert.resolved_at,
                             .keep_firing_since = alert.keep_firing_since,
                             .value = alert.value};
}

Alert alert_from_row(const store::RuleAlertRow& row) {
  Alert alert;
  alert.labels = row.labels;
  alert.annotations = row.annotations;
  alert.state = row.state;
  alert.value = row.value;
  alert.active_at = row.active_at;
  alert.fired_at = row.fired_at;
  alert.resolved_at = row.resolved_at;
  alert.keep_firing_since = row.keep_firing_since;
  return alert;
}

}  // namespace tocsin::rules
