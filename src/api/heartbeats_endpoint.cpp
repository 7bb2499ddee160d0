#include "api/heartbeats_endpoint.h"

#include <memory>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/cors.h"
#include "api/prometheus_api.h"
#include "dispatch/heartbeats.h"
#include "dispatch/notification_service.h"

namespace tocsin::api {
namespace {

using Json = nlohmann::json;

constexpr const char* kJson = "application/json";
constexpr std::string_view kPrefix = "/api/v1/heartbeats";

Json labels_json(const Labels& labels) {
  Json out = Json::object();
  for (Label l : labels) out[std::string(l.name)] = std::string(l.value);
  return out;
}

Json heartbeat_json(const dispatch::Heartbeat& h) {
  return Json{{"name", h.name},
              {"timeout", format_duration(h.timeout)},
              {"labels", labels_json(h.labels)},
              {"annotations", labels_json(h.annotations)},
              {"createdAt", format_rfc3339(h.created_at)},
              {"renewedAt", format_rfc3339(h.renewed_at)},
              {"dueAt", format_rfc3339(h.due)},
              {"status", h.missing ? "missing" : "ok"},
              {"createdBy", h.created_by}};
}

void success(web::Response& res, Json data) {
  res.set_content(Json{{"status", "success"}, {"data", std::move(data)}}.dump(
                      -1, ' ', false, Json::error_handler_t::replace),
                  kJson);
}

void error(web::Response& res, int status, std::string_view type, std::string_view message) {
  res.status = status;
  res.set_content(prometheus_error(type, message), kJson);
}

void refuse(web::Response& res, const dispatch::HeartbeatError& e) {
  using Kind = dispatch::HeartbeatError::Kind;
  switch (e.kind) {
    case Kind::kInvalid:
      return error(res, 400, "bad_data", e.message);
    case Kind::kNotFound:
      return error(res, 404, "not_found", e.message);
    case Kind::kTooMany:
      return error(res, 429, "too_many", e.message);
    case Kind::kNotDurable:
      return error(res, 500, "internal", e.message);
  }
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
    error(res, 503, "unavailable", "the notification side is not running yet");
  };
  routes.add("GET", std::string(kPrefix), [=](const web::Request& req, web::Response& res) {
    add_prometheus_cors_headers(req, res);
    auto* s = service();
    if (s == nullptr) return unavailable(res);
    Json list = Json::array();
    for (const dispatch::Heartbeat& h : s->heartbeats().list()) list.push_back(heartbeat_json(h));
    success(res, std::move(list));
  });
  const std::string one = std::string(kPrefix) + "/([^/]+)";
  routes.add_pattern("POST", one, [=](const web::Request& req, web::Response& res) {
    add_prometheus_cors_headers(req, res);
    auto* s = service();
    if (s == nullptr) return unavailable(res);
    auto post = parse_heartbeat_post(req);
    if (!post) return error(res, 400, "bad_data", post.error().message());
    auto renewed = s->heartbeats().renew(req.path_params.at(0), *post, s->clock().now());
    if (!renewed) return refuse(res, renewed.error());
    success(res, heartbeat_json(*renewed));
  });
  routes.add_pattern("GET", one, [=](const web::Request& req, web::Response& res) {
    add_prometheus_cors_headers(req, res);
    auto* s = service();
    if (s == nullptr) return unavailable(res);
    auto h = s->heartbeats().get(req.path_params.at(0));
    if (!h) return error(res, 404, "not_found", "heartbeat not found");
    success(res, heartbeat_json(*h));
  });
  routes.add_pattern("DELETE", one, [=](const web::Request& req, web::Response& res) {
    add_prometheus_cors_headers(req, res);
    auto* s = service();
    if (s == nullptr) return unavailable(res);
    auto removed = s->heartbeats().remove(req.path_params.at(0), s->clock().now());
    if (!removed) return refuse(res, removed.error());
    success(res, nullptr);
  });
}

}  // namespace tocsin::api
