// Back-testing: evaluates rule groups over a past time range as Prometheus
// would have evaluated them live — every group at from, from + interval, ...
// up to and including `to` — and reports each alert's state changes.
#pragma once

#include <functional>
#include <optional>

#include <tocsin/alert.h>

#include "rules/group.h"

namespace tocsin::rules {

struct StateChange {
  Timestamp time;
  const RuleGroup* group;
  const AlertingRule* rule;
  AlertState state;  // the state the alert entered: pending, firing or inactive
  Labels labels;
  Labels annotations;
  double value;
};

struct ReplayError {
  Timestamp time;
  const RuleGroup* group;
  const AlertingRule* rule;
  std::string message;
};

struct ReplayCallbacks {
  std::function<void(const StateChange&)> on_change;
  std::function<void(const ReplayError&)> on_error;  // may be empty
};

// Evaluations are interleaved in time order (ties in group order), so the
// changes come out sorted by time. The groups' alert state is advanced.
void replay(const std::vector<RuleGroup*>& groups, const GroupEnvironment& env, Timestamp from,
            Timestamp to, const ReplayCallbacks& callbacks);

}  // namespace tocsin::rules
