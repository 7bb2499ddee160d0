// The PagerDuty integration (pagerduty_configs): one event per notification,
// "trigger" while any alert fires and "resolve" once all are resolved, to
// Events API v2 (`url`) or, with a service key, to v1. 2xx is sent; 5xx,
// v2's 429 and v1's 403 (rate limits) and failed requests are worth a retry;
// anything else is final, as Alertmanager decides. An acknowledgement in
// tocsin sends the "acknowledge" event for the group's incident, answered
// and retried alike. A 400's error message
// from PagerDuty is kept in the failure; any other answer's body is quoted
// from its start (body_excerpt).
#pragma once

#include <memory>

#include <tocsin/error.h>
#include <tocsin/notify.h>

#include "notifiers/delivery/notifier_settings.h"
#include "notifiers/pagerduty/pagerduty_config.h"

namespace tocsin::notifiers {

Result<std::unique_ptr<notify::Notifier>> make_pagerduty_notifier(const PagerdutyConfig& config,
                                                                  const NotifierSettings& settings);

// What a PagerDuty error answer says: "message: error1,error2" from the
// JSON body of a 400; "" for any other status or body (Alertmanager's
// errDetails).
std::string pagerduty_error_details(int status, std::string_view body);

}  // namespace tocsin::notifiers
