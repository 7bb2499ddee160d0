// Prometheus 2.42's rule API as tocsin serves it: GET /api/v1/rules and GET
// /api/v1/alerts with Prometheus's CORS headers (cors.h), its error
// envelope, and its OPTIONS /api/v1/* (204, CORS).
#pragma once

#include <functional>

#include "api/httprouter_routes.h"
#include "api/prometheus_api.h"

namespace tocsin::api {

// `rule_groups` is called on a server thread for every request.
void add_prometheus_endpoints(HttpRouterRoutes& routes, std::function<Groups()> rule_groups);

}  // namespace tocsin::api
