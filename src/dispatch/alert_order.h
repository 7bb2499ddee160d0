// The order Alertmanager puts a group's alerts in before notifying
// (types.AlertSlice): by `job`, then `instance` (an alert with the label
// before one without), then by label set (model.LabelSet.Before).
#pragma once

#include <tocsin/notify.h>

namespace tocsin::dispatch {

bool alert_before(const notify::Alert& a, const notify::Alert& b);

// model.LabelSet.Before: fewer labels first; then, over the sorted union of
// names, the first name missing from one side or holding a smaller value.
bool label_set_before(const Labels& a, const Labels& b);

}  // namespace tocsin::dispatch
