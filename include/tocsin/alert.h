// An alert as an alerting rule tracks it: one per distinct label set that
// the rule's expression returned, moving inactive -> pending -> firing and
// back to inactive (resolved) with Prometheus's semantics.
#pragma once

#include <string_view>

#include <tocsin/labels.h>
#include <tocsin/time.h>

namespace tocsin {

enum class AlertState { kInactive = 0, kPending = 1, kFiring = 2 };

// "inactive", "pending", "firing".
std::string_view to_string(AlertState state);

struct Alert {
  Labels labels;       // series labels without __name__, + rule labels, + alertname
  Labels annotations;  // expanded from the rule's annotation templates
  AlertState state = AlertState::kPending;
  double value = 0;

  // A default-constructed Timestamp (the epoch) means "not set".
  Timestamp active_at{};          // first evaluation that returned the series
  Timestamp fired_at{};           // when the alert went from pending to firing
  Timestamp resolved_at{};        // when a firing alert became inactive
  Timestamp keep_firing_since{};  // when the series vanished while keep_firing_for holds it
  Timestamp last_sent_at{};       // last hand-over to the notifier
  Timestamp valid_until{};        // endsAt announced with the last hand-over

  bool resolved() const { return resolved_at != Timestamp{}; }
};

}  // namespace tocsin
