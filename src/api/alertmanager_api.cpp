#include "api/alertmanager_api.h"

#include <charconv>
#include <regex>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <httplib.h>

#include "api/alert_groups_endpoint.h"
#include "api/alerts_endpoint.h"
#include "api/api_error.h"
#include "api/cors.h"
#include "api/receivers_endpoint.h"
#include "api/silences_endpoint.h"
#include "api/status_endpoint.h"
#include "dispatch/notification_service.h"

namespace tocsin::api {
namespace {

using dispatch::NotificationService;
using Endpoint = std::function<web::Response(NotificationService&, const web::Request&, Timestamp)>;

web::Request to_web(const httplib::Request& req, std::string body) {
  web::Request out;
  out.method = req.method;
  out.target = req.target;
  out.path = req.path;
  for (const auto& [name, value] : req.params) out.params.emplace(name, value);
  for (std::size_t i = 1; i < req.matches.size(); ++i) out.path_params.push_back(req.matches[i]);
  for (const auto& [name, value] : req.headers) out.headers.emplace(name, value);
  out.body = std::move(body);
  return out;
}

void send(httplib::Response& res, const web::Response& answer) {
  res.status = answer.status;
  for (const auto& [name, value] : answer.headers) {
    if (name != "Content-Type") res.set_header(name, value);
  }
  if (const std::string* type = answer.find_header("Content-Type")) {
    res.set_content(answer.body, *type);
  } else {
    res.body = answer.body;
  }
}

// The endpoints and the methods each allows, in the order go-openapi's 405
// lists them.
struct Allowed {
  std::regex path;
  std::string allow;
};

const std::vector<Allowed>& allowed() {
  static const std::vector<Allowed> all = [] {
    std::vector<Allowed> out;
    for (auto [pattern, allow] : {std::pair{R"(/api/v2/alerts/?)", "POST,GET"},
                                  {R"(/api/v2/alerts/groups/?)", "GET"},
                                  {R"(/api/v2/silences/?)", "POST,GET"},
                                  {R"(/api/v2/silence/[^/]+/?)", "DELETE,GET"},
                                  {R"(/api/v2/status/?)", "GET"},
                                  {R"(/api/v2/receivers/?)", "GET"}}) {
      out.push_back(Allowed{std::regex(pattern), allow});
    }
    return out;
  }();
  return all;
}

// go-openapi's answers for everything else under /api/v2, and rs/cors's
// answer to a preflight request.
web::Response fallback(const web::Request& req) {
  if (is_cors_preflight(req)) return cors_preflight_response(req);
  web::Response res;
  for (const Allowed& e : allowed()) {
    if (!std::regex_match(req.path, e.path)) continue;
    res = error_response(coded_error(
        405, fmt::format("method {} is not allowed, but [{}] are", req.method, e.allow)));
    res.set_header("Allow", e.allow);
    break;
  }
  if (res.status != 405)
    res = error_response(coded_error(404, fmt::format("path {} was not found", req.path)));
  web::Response out;
  add_cors_headers(req, out);
  for (auto& [name, value] : res.headers) out.add_header(name, value);
  out.status = res.status;
  out.body = std::move(res.body);
  return out;
}

// One endpoint's answer: `handler` runs with the configured service and
// the time of its clock, or the answer is 503.
void serve(const NotificationsHook& hook, const Endpoint& handler, bool v1,
           const httplib::Request& req, httplib::Response& res, std::string body) {
  web::Request request = to_web(req, std::move(body));
  web::Response answer;
  if (!v1) add_cors_headers(request, answer);
  NotificationService* service = hook ? hook() : nullptr;
  web::Response served =
      service == nullptr || !service->configured()
          ? error_response(coded_error(503, "the notification service is not configured yet"))
          : handler(*service, request, service->clock().now());
  for (auto& [name, value] : served.headers) answer.add_header(name, value);
  answer.status = served.status;
  answer.body = std::move(served.body);
  send(res, answer);
}

httplib::Server::Handler endpoint(std::shared_ptr<const NotificationsHook> hook, Endpoint handler) {
  return [hook = std::move(hook), handler = std::move(handler)](const httplib::Request& req,
                                                                httplib::Response& res) {
    serve(*hook, handler, false, req, res, req.body);
  };
}

// The same for an endpoint that takes a body. The body is read into one
// allocation of its Content-Length: cpp-httplib's own reading grows the
// string as chunks arrive, copying a large batch of alerts several times.
httplib::Server::HandlerWithContentReader endpoint_with_body(
    std::shared_ptr<const NotificationsHook> hook, Endpoint handler, bool v1 = false) {
  return
      [hook = std::move(hook), handler = std::move(handler), v1](
          const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& read) {
        std::string body;
        // A Content-Length is only a promise: reserve no more than a sane body.
        std::string length = req.get_header_value("Content-Length");
        std::uint64_t promised = 0;
        std::from_chars(length.data(), length.data() + length.size(), promised);
        body.reserve(std::min<std::uint64_t>(promised, 64 << 20));
        read([&](const char* data, std::size_t size) {
          body.append(data, size);
          return true;
        });
        serve(*hook, handler, v1, req, res, std::move(body));
      };
}

}  // namespace

void serve_alertmanager_api(httplib::Server& s, NotificationsHook notifications) {
  auto hook = std::make_shared<const NotificationsHook>(std::move(notifications));
  s.Post("/api/v2/alerts/?", endpoint_with_body(hook, post_alerts));
  s.Get("/api/v2/alerts/?", endpoint(hook, get_alerts));
  s.Get("/api/v2/alerts/groups/?", endpoint(hook, get_alert_groups));
  s.Get("/api/v2/silences/?", endpoint(hook, get_silences));
  s.Post("/api/v2/silences/?", endpoint_with_body(hook, post_silences));
  s.Get("/api/v2/silence/([^/]+)/?", endpoint(hook, get_silence));
  s.Delete("/api/v2/silence/([^/]+)/?", endpoint(hook, delete_silence));
  s.Get("/api/v2/status/?", endpoint(hook, [](NotificationService& svc, const web::Request&,
                                              Timestamp) { return get_status(svc); }));
  s.Get("/api/v2/receivers/?", endpoint(hook, [](NotificationService& svc, const web::Request&,
                                                 Timestamp) { return get_receivers(svc); }));
  s.Post("/api/v1/alerts", endpoint_with_body(hook, post_alerts_v1, /*v1=*/true));

  // Go's ServeMux redirects to the subtree; go-openapi answers the rest.
  s.Get("/api/v2",
        [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/api/v2/", 301); });
  auto rest_handler = [](const httplib::Request& req, httplib::Response& res) {
    send(res, fallback(to_web(req, req.body)));
  };
  const std::string rest = "/api/v2/.*";
  s.Get(rest, rest_handler);
  s.Post(rest, rest_handler);
  s.Put(rest, rest_handler);
  s.Patch(rest, rest_handler);
  s.Delete(rest, rest_handler);
  s.Options(rest, rest_handler);
}

}  // namespace tocsin::api
