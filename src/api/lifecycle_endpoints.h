// Prometheus 2.42's lifecycle endpoints, with its words:
//
//   GET|HEAD /-/healthy    200 "tocsin is Healthy.\n" (HEAD: no body)
//   GET|HEAD /-/ready      200 "tocsin is Ready.\n" once the first
//                          configuration loaded, else 503 "Service Unavailable"
//   POST|PUT /-/reload     reloads (a body, if any, is ignored): 200 with no
//                          body, or 500 "failed to reload config: ...\n"
//   POST|PUT /-/quit       200 "Requesting termination... Goodbye!" and asks
//                          the owner to stop; again: "Termination already
//                          in progress."
//   GET /-/reload, /-/quit 405 "Only POST or PUT requests allowed"
//
// Reload and quit change the running process, so, as in Prometheus, they
// answer 403 "Lifecycle API is not enabled." unless --web.enable-lifecycle
// is given. The probes answer on the server's I/O thread (web::Runs::kInline)
// so that busy workers never make tocsin look dead.
#pragma once

#include <functional>

#include <tocsin/error.h>

#include "api/httprouter_routes.h"

namespace tocsin::api {

struct Lifecycle {
  bool enabled = false;         // --web.enable-lifecycle
  std::function<bool()> ready;  // true once the first configuration loaded; must not block
  std::function<Status()> reload;
  // Asks the owner to stop; called once, on a server thread, and must
  // return at once (the owner stops the server, which waits for handlers).
  std::function<void()> quit;
};

void add_lifecycle_endpoints(HttpRouterRoutes& routes, Lifecycle lifecycle);

}  // namespace tocsin::api
