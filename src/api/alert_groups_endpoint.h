// GET /api/v2/alerts/groups: the aggregation groups of Alertmanager 0.25's
// dispatcher, per receiver, with the alerts that pass the filter.
#pragma once

#include <tocsin/time.h>

#include "dispatch/notification_service.h"
#include "web/http.h"

namespace tocsin::api {

// Alertmanager's Dispatcher.Groups: the groups of the receivers asked for
// (alert_filter.h), each with the alerts that pass, groups without any
// left out; ordered by labels then receiver, alerts by alert_before; an
// alert's receivers are the groups it showed in.
web::Response get_alert_groups(const dispatch::NotificationService& service,
                               const web::Request& req, Timestamp now);

}  // namespace tocsin::api
