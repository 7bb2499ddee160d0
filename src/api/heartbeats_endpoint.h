// tocsin's heartbeats API (dispatch/heartbeats.h), in the envelope of
// Prometheus's /api/v1:
//
//   POST /api/v1/heartbeats/NAME[?timeout=5m]   create or renew; an optional
//        JSON body {"timeout":"5m","labels":{..},"annotations":{..},
//        "createdBy":".."} (the query's timeout wins); any body a webhook
//        receiver sends (Alertmanager's webhook JSON) renews it as it is
//   GET /api/v1/heartbeats, GET /api/v1/heartbeats/NAME
//   DELETE /api/v1/heartbeats/NAME
//
//   200 {"status":"success","data":HEARTBEAT or [HEARTBEAT...] or null}
//   HEARTBEAT = {"name","timeout":"5m","labels","annotations","createdAt",
//                "renewedAt","dueAt","status":"ok"|"missing","createdBy"}
//   400 bad name, timeout or body; 404 unknown name; 429 too many
//   heartbeats; 500 not yet stored; 503 before the notification side runs.
#pragma once

#include <tocsin/error.h>

#include "api/alertmanager_api.h"
#include "api/httprouter_routes.h"
#include "dispatch/heartbeats.h"
#include "web/http.h"

namespace tocsin::api {

// What a POST asks for, from its query and body (the fuzz target's entry).
// A body that is not this shape (a webhook receiver's notification, say)
// is no request to change anything; one that is not JSON at all is an error.
Result<dispatch::HeartbeatPost> parse_heartbeat_post(const web::Request& req);

void add_heartbeats_endpoints(HttpRouterRoutes& routes, NotificationsHook notifications);

}  // namespace tocsin::api
