#include "api/alertmanager_api.h"

#include <memory>

#include "api/alert_groups_endpoint.h"
#include "api/alerts_endpoint.h"
#include "api/api_error.h"
#include "api/openapi_routes.h"
#include "api/receivers_endpoint.h"
#include "api/silences_endpoint.h"
#include "api/status_endpoint.h"
#include "dispatch/notification_service.h"

namespace tocsin::api {
namespace {

using dispatch::NotificationService;
using Endpoint =
    std::function<web::Response(NotificationService&, const web::Request&, Timestamp now)>;

// `endpoint` with the configured service and the time of its clock, or 503.
web::Handler serve(std::shared_ptr<const NotificationsHook> hook, Endpoint endpoint) {
  return [hook = std::move(hook), endpoint = std::move(endpoint)](const web::Request& req,
                                                                  web::Response& res) {
    NotificationService* service = *hook ? (*hook)() : nullptr;
    if (service == nullptr || !service->configured()) {
      res = error_response(coded_error(503, "the notification service is not configured yet"));
      return;
    }
    res = endpoint(*service, req, service->clock().now());
  };
}

}  // namespace

void add_alertmanager_api(web::Router& router, HttpRouterRoutes& routes,
                          NotificationsHook notifications) {
  auto hook = std::make_shared<const NotificationsHook>(std::move(notifications));
  OpenApiRoutes v2;
  // Within a path, in the order go-openapi's 405 lists the methods.
  v2.add("POST", "/alerts", serve(hook, post_alerts));
  v2.add("GET", "/alerts", serve(hook, get_alerts));
  v2.add("GET", "/alerts/groups", serve(hook, get_alert_groups));
  v2.add("POST", "/silences", serve(hook, post_silences));
  v2.add("GET", "/silences", serve(hook, get_silences));
  v2.add("DELETE", "/silence/{silenceID}", serve(hook, delete_silence));
  v2.add("GET", "/silence/{silenceID}", serve(hook, get_silence));
  v2.add("GET", "/status",
         serve(hook, [](NotificationService& service, const web::Request&, Timestamp) {
           return get_status(service);
         }));
  v2.add("GET", "/receivers",
         serve(hook, [](NotificationService& service, const web::Request&, Timestamp) {
           return get_receivers(service);
         }));
  v2.install(router);
  routes.add("POST", "/api/v1/alerts", serve(hook, post_alerts_v1));
}

}  // namespace tocsin::api
