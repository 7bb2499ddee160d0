// An alert as GET /api/v2/alerts and /api/v2/alerts/groups show it:
// Alertmanager 0.25's gettableAlert.
//
// Pure functions.
#pragma once

#include <string>
#include <vector>

#include <tocsin/notify.h>

#include "dispatch/notification_service.h"

namespace tocsin::api {

// gettableAlert, members in go-swagger's order: its own fields
// (annotations, endsAt, fingerprint, receivers, startsAt, status,
// updatedAt), then the embedded alert's (generatorURL, left out when empty;
// labels); then, only for an acknowledged alert, tocsin's
// "acknowledgement" {id, groupKey (a group's), by, comment, createdAt,
// expiresAt (when set)}, which amtool and Alertmanager's clients ignore. As json.Marshal returns
// it: go-swagger's composed model escapes
// <, > and & even inside an Encoder that does not.
std::string gettable_alert_json(const notify::Alert& alert, const dispatch::AlertStatus& status,
                                const std::vector<std::string>& receivers);

}  // namespace tocsin::api
