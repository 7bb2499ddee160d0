// What a restart keeps of an alerting rule's alerts, restored from the
// store before the group's first evaluation, with Prometheus's rules for
// the `for` countdown (rules/manager.go RestoreForState, 2.42) and one
// deliberate difference:
//
// - A firing alert stays firing, with its activeAt and firedAt, whatever the
//   outage lasted: the first evaluation either keeps it firing or resolves
//   it (and the resolve is sent). Prometheus sends it back through one
//   pending evaluation, and forgets it when its `for` is shorter than the
//   grace period or the outage longer than the tolerance.
// - A resolved alert is kept as it was, so its resolve is sent again for
//   the rest of its 15 minutes.
// - A pending alert keeps the time it had already spent pending, measured
//   up to the group's last evaluation before the restart (downAt), as
//   Prometheus does:
//     - not restored (the countdown starts over at the first evaluation)
//       when the outage, from downAt to the first evaluation, is longer than
//       the outage tolerance (--rules.alert.for-outage-tolerance, 1h), or
//       when its `for` is shorter than the grace period
//       (--rules.alert.for-grace-period, 10m);
//     - otherwise, with R = for - (downAt - activeAt) still to wait: R <= 0
//       keeps activeAt (it fires at the first evaluation); R shorter than
//       the grace period moves activeAt so that it fires one grace period
//       after the first evaluation; otherwise activeAt moves forward by the
//       outage, so the outage does not count towards `for`.
//   tocsin measures in milliseconds, Prometheus in seconds.
//
// Pure functions; safe from any thread.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <tocsin/alert.h>

#include "store/store.h"

namespace tocsin::rules {

struct RestorePolicy {
  Duration outage_tolerance = std::chrono::hours(1);
  Duration grace_period = std::chrono::minutes(10);
};

// The alert a rule with `hold` (its `for`) restores from `stored`, for a
// group whose first evaluation after the restart is at `first_evaluation`
// and whose last evaluation with pending alerts before it was
// `last_evaluation` (none: not known). nullopt: not restored.
std::optional<Alert> restore_alert(Alert stored, Duration hold,
                                   std::optional<Timestamp> last_evaluation,
                                   Timestamp first_evaluation, const RestorePolicy& policy);

// The alert as the store keeps it, and back. What is not stored starts
// afresh: last_sent_at and valid_until are unset, so a restored firing or
// resolved alert is handed to the notifier at the first evaluation.
store::RuleAlertRow alert_row(const std::string& group_key, const std::string& rule_key,
                              std::string_view rule, const Alert& alert);
Alert alert_from_row(const store::RuleAlertRow& row);

}  // namespace tocsin::rules
