#include "api/acknowledgements_endpoint.h"

#include <charconv>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/cors.h"
#include "api/date_time.h"
#include "api/v1_envelope.h"
#include "dispatch/acknowledgements.h"
#include "dispatch/notification_service.h"

namespace tocsin::api {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kPrefix = "/api/v1/acknowledgements";

Json ack_json(const dispatch::Acknowledgement& a) {
  Json covered = Json::array();
  for (std::uint64_t fp : a.covered) covered.push_back(notify::fingerprint_string(fp));
  Json out{{"id", a.id}};
  if (a.of_group()) {
    out["groupKey"] = a.group_key;
  } else {
    out["fingerprint"] = notify::fingerprint_string(a.fingerprint);
  }
  out["covered"] = std::move(covered);
  out["labels"] = labels_object(a.labels);
  out["by"] = a.by;
  out["comment"] = a.comment;
  out["createdAt"] = format_api_time(a.created_at);
  if (a.expires_at != Timestamp{}) out["expiresAt"] = format_api_time(a.expires_at);
  return out;
}

Result<std::uint64_t> fingerprint_from(std::string_view field, const Json& value) {
  const std::string* text = value.get_ptr<const std::string*>();
  std::uint64_t fp = 0;
  if (text == nullptr || text->empty() || text->size() > 16 ||
      std::from_chars(text->data(), text->data() + text->size(), fp, 16).ptr !=
          text->data() + text->size()) {
    return fail(fmt::format("{}: not a fingerprint (16 hex digits)", field));
  }
  return fp;
}

Result<std::string> string_field(const Json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::string();
  if (!it->is_string()) return fail(fmt::format("{}: not a string", field));
  return it->get<std::string>();
}

}  // namespace

Result<AcknowledgementPost> parse_acknowledgement_post(std::string_view text) {
  Json body = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) return fail("the body is not a JSON object");
  AcknowledgementPost post;
  int targets = 0;
  if (auto it = body.find("fingerprint"); it != body.end()) {
    auto fp = fingerprint_from("fingerprint", *it);
    if (!fp) return std::unexpected(fp.error());
    post.request.fingerprint = *fp;
    ++targets;
  }
  if (auto it = body.find("groupOf"); it != body.end()) {
    auto fp = fingerprint_from("groupOf", *it);
    if (!fp) return std::unexpected(fp.error());
    post.group_of = *fp;
    ++targets;
  }
  auto group_key = string_field(body, "groupKey");
  if (!group_key) return std::unexpected(group_key.error());
  if (!group_key->empty()) {
    post.request.group_key = std::move(*group_key);
    ++targets;
  }
  if (targets != 1) {
    return fail("name exactly one of fingerprint, groupKey and groupOf");
  }
  auto by = string_field(body, "by");
  auto comment = string_field(body, "comment");
  auto receiver = string_field(body, "receiver");
  auto expires = string_field(body, "expiresAt");
  for (auto* r : {&by, &comment, &receiver, &expires}) {
    if (!*r) return std::unexpected(r->error());
  }
  post.request.by = std::move(*by);
  post.request.comment = std::move(*comment);
  post.receiver = std::move(*receiver);
  if (!expires->empty()) {
    auto at = parse_api_time(*expires);
    if (!at) return fail(fmt::format("expiresAt: {}", at.error().message()));
    post.request.expires_at = *at;
  }
  return post;
}

void add_acknowledgements_endpoints(HttpRouterRoutes& routes, NotificationsHook notifications) {
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
    for (const dispatch::Acknowledgement& a : s->acknowledgements().list(s->clock().now())) {
      list.push_back(ack_json(a));
    }
    answer_success(res, std::move(list));
  });
  routes.add("POST", std::string(kPrefix), [=](const web::Request& req, web::Response& res) {
    add_prometheus_cors_headers(req, res);
    auto* s = service();
    if (s == nullptr) return unavailable(res);
    auto post = parse_acknowledgement_post(req.body);
    if (!post) return answer_error(res, 400, "bad_data", post.error().message());
    Timestamp now = s->clock().now();
    std::vector<dispatch::NotificationService::AcknowledgeRequest> requests;
    if (post->group_of != 0) {
      for (const auto& group : s->groups()) {
        if (!post->receiver.empty() && group.receiver != post->receiver) continue;
        bool holds = std::ranges::any_of(group.alerts, [&](const notify::Alert& a) {
          return a.fingerprint() == post->group_of && !a.resolved_at(now);
        });
        if (!holds) continue;
        auto r = post->request;
        r.group_key = group.key;
        requests.push_back(std::move(r));
      }
      if (requests.empty()) {
        return answer_error(
            res, 404, "not_found",
            post->receiver.empty()
                ? "no group holds that firing alert"
                : fmt::format("no group of receiver {} holds that firing alert", post->receiver));
      }
    } else {
      requests.push_back(post->request);
    }
    Json made = Json::array();
    for (const auto& r : requests) {
      auto ack = s->acknowledge(r, now);
      if (!ack) return answer_refusal(res, ack.error());
      made.push_back(ack_json(*ack));
    }
    answer_success(res, std::move(made));
  });
  routes.add_pattern("DELETE", std::string(kPrefix) + "/([^/]+)",
                     [=](const web::Request& req, web::Response& res) {
                       add_prometheus_cors_headers(req, res);
                       auto* s = service();
                       if (s == nullptr) return unavailable(res);
                       auto removed = s->unacknowledge(req.path_params.at(0), req.param("by"),
                                                       s->clock().now());
                       if (!removed) return answer_refusal(res, removed.error());
                       answer_success(res, Json::array({ack_json(*removed)}));
                     });
}

}  // namespace tocsin::api
