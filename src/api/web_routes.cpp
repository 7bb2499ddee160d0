#include "api/web_routes.h"

#include "api/acknowledgements_endpoint.h"
#include "api/heartbeats_endpoint.h"
#include "api/httprouter_routes.h"
#include "api/lifecycle_endpoints.h"
#include "api/prometheus_endpoints.h"

namespace tocsin::api {

std::shared_ptr<const web::Router> web_routes(WebHooks hooks) {
  auto router = std::make_shared<web::Router>();
  HttpRouterRoutes routes;
  add_lifecycle_endpoints(routes, Lifecycle{.enabled = hooks.enable_lifecycle,
                                            .ready = std::move(hooks.ready),
                                            .reload = std::move(hooks.reload),
                                            .quit = std::move(hooks.quit)});
  add_prometheus_endpoints(routes, std::move(hooks.rule_groups));
  add_history_endpoint(routes, std::move(hooks.history));
  add_heartbeats_endpoints(routes, hooks.notifications);
  add_acknowledgements_endpoints(routes, hooks.notifications);
  routes.add("GET", "/metrics",
             [metrics = std::move(hooks.metrics)](const web::Request&, web::Response& res) {
               res.set_content(metrics ? metrics() : std::string(),
                               "text/plain; version=0.0.4; charset=utf-8");
             });
  add_alertmanager_api(*router, routes, std::move(hooks.notifications));
  routes.install(*router);
  return router;
}

}  // namespace tocsin::api
