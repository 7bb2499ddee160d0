// Alertmanager 0.25's HTTP API v2, served from tocsin's NotificationService,
// so that Prometheus sends alerts to tocsin and amtool manages it as it
// would an Alertmanager:
//
//   POST /api/v2/alerts          GET /api/v2/alerts        GET /api/v2/alerts/groups
//   GET|POST /api/v2/silences    GET|DELETE /api/v2/silence/{id}
//   GET /api/v2/status           GET /api/v2/receivers
//   POST /api/v1/alerts          (API v1, deprecated but still served by 0.25)
//
// Answers match Alertmanager's byte for byte where clients can see it: JSON
// as Go's encoder writes it, go-openapi's validation errors
// ({"code":602,"message":"..."} with 422 or 400, api_error.h), the
// handlers' errors as a JSON string, go-openapi's 404 and 405 for other
// /api/v2 paths and methods (openapi_routes.h), and CORS as rs/cors's
// default handler does it (cors.h). tocsin's GET /api/v1/alerts stays
// Prometheus's (rule alerts); Alertmanager's other v1 endpoints are not
// served.
//
// One file per resource: alerts_endpoint.h, alert_groups_endpoint.h,
// silences_endpoint.h, status_endpoint.h, receivers_endpoint.h; the query
// and body binding in params.h; this file only routes.
//
// Known differences: times are answered in UTC (Alertmanager keeps the
// offset they were posted with); an alert's state is computed when asked,
// so it is never "unprocessed"; versionInfo.version is
// "0.25.0+tocsin.<version>" so that amtool 0.25 does not warn.
//
// When there is no NotificationService yet, or it has no configuration,
// every endpoint answers 503 {"code":503,"message":"..."}: Alertmanager
// never runs without a configuration, so there is nothing to imitate.
#pragma once

#include <functional>

#include "api/httprouter_routes.h"
#include "web/router.h"

namespace tocsin::dispatch {
class NotificationService;
}

namespace tocsin::api {

// Called on a server thread for every request; may return null.
using NotificationsHook = std::function<dispatch::NotificationService*()>;

// API v2 goes on `router` under /api/v2; API v1's POST /api/v1/alerts
// joins `routes`, beside Prometheus's GET. Handlers take "now" from the
// service's clock.
void add_alertmanager_api(web::Router& router, HttpRouterRoutes& routes,
                          NotificationsHook notifications);

}  // namespace tocsin::api
