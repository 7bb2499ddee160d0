#include "api/prometheus_endpoints.h"

#include <cctype>
#include <memory>
#include <string>

#include "api/cors.h"
#include "api/openapi_response.h"

namespace tocsin::api {
void add_prometheus_endpoints(HttpRouterRoutes& routes, std::function<Groups()> rule_groups) {
  auto groups = std::make_shared<const std::function<Groups()>>(std::move(rule_groups));
  auto current = [groups] { return *groups ? (*groups)() : Groups{}; };

  routes.add("GET", "/api/v1/rules", [current](const web::Request& req, web::Response& res) {
    add_prometheus_cors_headers(req, res);
    std::string type = req.param("type");  // Prometheus lower-cases it first
    for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto body = rules_response(current(), type);
    if (!body) {
      res.status = 400;
      res.set_content(prometheus_error("bad_data", body.error().message()),
                      std::string(kJsonContentType));
      return;
    }
    res.set_content(std::move(*body), std::string(kJsonContentType));
  });
  routes.add("GET", "/api/v1/alerts", [current](const web::Request& req, web::Response& res) {
    add_prometheus_cors_headers(req, res);
    res.set_content(alerts_response(current()), std::string(kJsonContentType));
  });
  // Prometheus answers OPTIONS on its whole API (a CORS preflight) itself.
  routes.add_pattern("OPTIONS", "/api/v1/.*", [](const web::Request& req, web::Response& res) {
    add_prometheus_cors_headers(req, res);
    res.status = 204;
  });
}

}  // namespace tocsin::api
