// The alerts of Alertmanager 0.25's API: POST /api/v2/alerts (what
// Prometheus sends), GET /api/v2/alerts, and the deprecated POST
// /api/v1/alerts that 0.25 still serves.
//
// Each handler runs on a server thread with the configured service and
// "now" from its clock (alertmanager_api.h guards and routes them).
#pragma once

#include <tocsin/time.h>

#include "dispatch/notification_service.h"
#include "web/http.h"

namespace tocsin::api {

// Stores every valid alert (best effort, as Alertmanager does) after its
// defaults, counts them, and answers 200 with no body, or 400 with the
// validation errors joined by "; " as a JSON string; go-openapi's errors
// for a body that does not decode (postable_alerts.h), 415 for a body that
// is not JSON.
web::Response post_alerts(dispatch::NotificationService& service, const web::Request& req,
                          Timestamp now);

// The same in API v1's envelope: {"status":"success"}, or
// {"status":"error","errorType":"bad_data","error":"..."} with 400.
// Alertmanager's API v1 sets its CORS and Cache-Control headers on every
// answer (cors.h).
web::Response post_alerts_v1(dispatch::NotificationService& service, const web::Request& req,
                             Timestamp now);

// gettableAlerts ordered by fingerprint, filtered as alert_filter.h says.
web::Response get_alerts(const dispatch::NotificationService& service, const web::Request& req,
                         Timestamp now);

}  // namespace tocsin::api
