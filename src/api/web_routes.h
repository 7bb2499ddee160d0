// Every endpoint tocsin serves, on one web::Router for web::Server:
//
//   Prometheus's      GET /api/v1/rules, GET /api/v1/alerts (prometheus_endpoints.h)
//   tocsin's          GET /api/v1/history (history_endpoint.h),
//                     /api/v1/heartbeats (heartbeats_endpoint.h),
//                     /api/v1/acknowledgements (acknowledgements_endpoint.h)
//   Alertmanager's    /api/v2/..., POST /api/v1/alerts (alertmanager_api.h)
//   lifecycle         /-/healthy, /-/ready, /-/reload, /-/quit (lifecycle_endpoints.h)
//   GET /metrics      tocsin's own metrics, Prometheus's text format
//
// Paths and methods no endpoint serves get what the Go server that serves
// them upstream answers: go-openapi's JSON under /api/v2, httprouter's and
// net/http's text elsewhere.
//
// The router knows nothing of how rules run or alerts are kept: what it
// serves comes in through `WebHooks`, each called on a server thread (so
// each must be thread-safe).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <tocsin/error.h>

#include "api/alertmanager_api.h"
#include "api/history_endpoint.h"
#include "api/prometheus_api.h"
#include "web/router.h"

namespace tocsin::api {

struct WebHooks {
  std::function<Groups()> rule_groups;
  std::function<Status()> reload;        // runs a reload; the error is shown to the caller
  std::function<bool()> ready;           // true once the first configuration loaded; never blocks
  std::function<std::string()> metrics;  // Prometheus text exposition
  // The notification side Alertmanager's API serves; unset or null: those
  // endpoints answer 503 (see alertmanager_api.h).
  NotificationsHook notifications;
  // GET /api/v1/history; unset: 503.
  HistoryHook history;
  // --web.enable-lifecycle: /-/reload and /-/quit work; off, they answer 403.
  bool enable_lifecycle = false;
  // /-/quit asks the owner to stop (see lifecycle_endpoints.h).
  std::function<void()> quit;
};

std::shared_ptr<const web::Router> web_routes(WebHooks hooks);

}  // namespace tocsin::api
