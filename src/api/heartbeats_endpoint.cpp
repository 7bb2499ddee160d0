#include "api/heartbeats_endpoint.h"

#include <memory>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/cors.h"
#include "api/v1_envelope.h"
#include "dispatch/heartbeats.h"
#include "dispatch/notification_service.h"

namespace tocsin::api {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kPrefix = "/api/v1/heartbeats";

Json heartbeat_json(const dispatch::Heartbeat& h) {
  return Json{{"name", h.name},
              {"timeout", format_duration(h.timeout)},
              {"labels", labels_object(h.labels)},
              {"annotations", labels_object(h.annotations)},
              {"createdAt", format_rfc3339(h.created_at)},
              {"renewedAt", format_rfc3339(h.renewed_at)},
              {"dueAt", format_rfc3339(h.due)},
              {"status", h.missing ? "missing" : "ok"},
              {"createdBy", h.created_by}};
}

Result<Labels> labels_from(const Json& j, std::string_view field) {
  if (!j.is_object()) return fail(fmt::format("{}: not a JSON object", field));
  LabelsBuilder b;
  for (const auto& [name, value] : j.items()) {
    if (!value.is_string()) return fail(fmt::format("{}.{}: not a string", field, name));
    if (!is_valid_label_name(name)) {
      return fail(fmt::format("{}: invalid label name \"{}\"", field, name));
    }
    b.set(name, value.get<std::string>());
  }
  return b.labels();
}

}  // namespace

Result<dispatch::HeartbeatPost> parse_heartbeat_post(const web::Request& req) {
  dispatch::HeartbeatPost post;
  Json body = Json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  bool ours = body.is_object() && !body.contains("alerts") &&
              (body.contains("timeout") || body.contains("labels") ||
               body.contains("annotations") || body.contains("createdBy"));
  if (!req.body.empty() && body.is_discarded()) return fail("the body is not JSON");
  if (ours) {
    if (auto it = body.find("timeout"); it != body.end()) {
      if (!it->is_string()) return fail("timeout: not a duration string such as \"5m\"");
      auto d = parse_duration(it->get<std::string>());
      if (!d) return fail(fmt::format("timeout: {}", d.error().message()));
      post.timeout = *d;
    }
    for (auto [key, target] :
         {std::pair{"labels", &post.labels}, std::pair{"annotations", &post.annotations}}) {
      if (auto it = body.find(key); it != body.end()) {
        auto labels = labels_from(*it, key);
        if (!labels) return std::unexpected(labels.error());
        *target = std::move(*labels);
      }
    }
    if (auto it = body.find("createdBy"); it != body.end() && it->is_string()) {
      post.created_by = it->get<std::string>();
    }
  }
  if (std::string timeout = req.param("timeout"); !timeout.empty()) {
    auto d = parse_duration(timeout);
    if (!d) return fail(fmt::format("timeout: {}", d.error().message()));
    post.timeout = *d;
  }
  return post;
}

void add_heartbeats_endpoints(HttpRouterRoutes& routes, NotificationsHook notifications) {
  auto hook = std::make_shared<const NotificationsHook>(std::move(notifications));
  auto service = [hook]() -> dispatch::NotificationService* { return *hook ? (*hook)() : nullptr; };
  auto unavailable = [](web::Response& res) {
    answer_error(res, 503, "unavailable", "the notification side is not running yet");
  };
  routes.add("GET", std::string(kPrefix), [=](const web::Request& req, web::Response& res) {
    add_prometheus_cors_headers(req, res);
    auto* s = service();
    if (s == nullptr) return unavailable(res);
    Json list = Json::array();
    for (const dispatch::Heartbeat& h : s->heartbeats().list()) list.push_back(heartbeat_json(h));
    answer_success(res, std::move(list));
  });
  const std::string one = std::string(kPrefix) + "/([^/]+)";
  routes.add_pattern("POST", one, [=](const web::Request& req, web::Response& res) {
    add_prometheus_cors_headers(req, res);
    auto* s = service();
    if (s == nullptr) return unavailable(res);
    auto post = parse_heartbeat_post(req);
    if (!post) return answer_error(res, 400, "bad_data", post.error().message());
    auto renewed = s->heartbeats().renew(req.path_params.at(0), *post, s->clock().now());
    if (!renewed) return answer_refusal(res, renewed.error());
    answer_success(res, heartbeat_json(*renewed));
  });
  routes.add_pattern("GET", one, [=](const web::Request& req, web::Response& res) {
    add_prometheus_cors_headers(req, res);
    auto* s = service();
    if (s == nullptr) return unavailable(res);
    auto h = s->heartbeats().get(req.path_params.at(0));
    if (!h) return answer_error(res, 404, "not_found", "heartbeat not found");
    answer_success(res, heartbeat_json(*h));
  });
  routes.add_pattern("DELETE", one, [=](const web::Request& req, web::Response& res) {
    add_prometheus_cors_headers(req, res);
    auto* s = service();
    if (s == nullptr) return unavailable(res);
    auto removed = s->heartbeats().remove(req.path_params.at(0), s->clock().now());
    if (!removed) return answer_refusal(res, removed.error());
    answer_success(res, nullptr);
  });
}

}  // namespace tocsin::api
