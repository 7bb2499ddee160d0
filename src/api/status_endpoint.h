// GET /api/v2/status: the running alerting configuration (secrets as
// <secret>), the cluster (the replicas sharing its database, or
// "disabled" when tocsin runs alone), the uptime, and the version.
#pragma once

#include "dispatch/notification_service.h"
#include "web/http.h"

namespace tocsin::api {

// versionInfo.version: the Alertmanager release whose API tocsin serves,
// with tocsin's own version as semver build metadata. amtool compares
// major and minor with its own and warns on every command when they
// differ; "0.25.0+tocsin.X" reads as 0.25 to it.
extern const char* const kApiVersion;

web::Response get_status(const dispatch::NotificationService& service);

}  // namespace tocsin::api
