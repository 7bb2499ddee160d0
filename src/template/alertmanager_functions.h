// Alertmanager's template functions (template.DefaultFuncs): toUpper,
// toLower, title, join, match, safeHtml, reReplaceAll and stringSlice as in
// Alertmanager 0.25, and trimSpace, date, tz, since and humanizeDuration as
// later Alertmanager releases define them.
//
// `since` measures from the notification's time, not the wall clock: the
// caller passes a NotificationClock as the Host of the execution (without
// one, `since` is an execution error).
#pragma once

#include <memory>

#include <tocsin/time.h>

#include "template/callable.h"

namespace tocsin::tmpl {

struct NotificationClock {
  Timestamp now{};
};

// Shared and immutable.
std::shared_ptr<const FuncMap> alertmanager_functions();

}  // namespace tocsin::tmpl
