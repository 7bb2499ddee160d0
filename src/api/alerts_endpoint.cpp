#include "api/alerts_endpoint.h"

#include <algorithm>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/alert_filter.h"
#include "api/api_error.h"
#include "api/cors.h"
#include "api/gettable_alert.h"
#include "api/openapi_response.h"
#include "api/params.h"
#include "api/plain_alerts.h"
#include "api/postable_alerts.h"
#include "gocompat/json_writer.h"

namespace tocsin::api {
namespace {

using dispatch::NotificationService;

// Alertmanager's insertion of posted alerts: the defaults, the counters,
// every valid alert stored (best effort), then the joined validation errors.
// `check(i, completed)` is Validate for the i-th alert.
template <typename Check>
std::optional<std::string> insert_alerts(NotificationService& service,
                                         std::vector<notify::Alert> alerts, Timestamp now,
                                         const Check& check) {
  std::vector<std::string> errors;
  std::size_t firing = 0, resolved = 0, valid = 0;
  for (std::size_t i = 0; i < alerts.size(); ++i) {
    notify::Alert& alert = alerts[i];
    service.complete(alert, now);
    if (alert.ends_at > now) {
      ++firing;
    } else {
      ++resolved;
    }
    if (std::optional<std::string> error = check(i, alert)) {
      errors.push_back(std::move(*error));
      continue;
    }
    if (valid != i) alerts[valid] = std::move(alert);
    ++valid;
  }
  alerts.resize(valid);
  service.count_received(firing, resolved, errors.size());
  service.put(std::move(alerts));
  if (errors.empty()) return std::nullopt;
  std::string joined;
  for (const std::string& e : errors) {
    if (!joined.empty()) joined += "; ";
    joined += e;
  }
  return joined;
}

// Decoded items: their alerts, each checked against what was posted.
std::optional<std::string> insert_posted_alerts(NotificationService& service,
                                                std::span<const PostedAlert> posted,
                                                Timestamp now) {
  std::vector<notify::Alert> alerts;
  alerts.reserve(posted.size());
  for (const PostedAlert& p : posted) alerts.push_back(to_alert(p));
  return insert_alerts(service, std::move(alerts), now,
                       [&](std::size_t i, const notify::Alert& completed) {
                         return check_alert(posted[i], completed);
                       });
}

// What Alertmanager's handler does with a null item: it dereferences it and
// the request dies; tocsin answers 500 and stores nothing.
constexpr std::string_view kNilItem =
    "runtime error: invalid memory address or nil pointer dereference";

std::vector<PostedAlert> present(std::vector<std::optional<PostedAlert>>&& items, bool& had_null) {
  std::vector<PostedAlert> out;
  out.reserve(items.size());
  had_null = false;
  for (auto& item : items) {
    if (item) {
      out.push_back(std::move(*item));
    } else {
      had_null = true;
    }
  }
  return out;
}

// API v1's envelope, written with json.Marshal.
web::Response v1_response(int status, std::string_view error_type, std::string_view error) {
  gocompat::JsonWriter json;
  json.begin_object();
  json.field("status", status == 200 ? "success" : "error");
  if (status != 200) {
    json.field("errorType", error_type);
    json.field("error", error);
  }
  json.end_object();
  web::Response res;
  res.status = status;
  add_alertmanager_v1_headers(res);
  res.set_content(std::move(json).marshal(), std::string(kJsonContentType));
  return res;
}

}  // namespace

web::Response post_alerts(NotificationService& service, const web::Request& req, Timestamp now) {
  if (auto refused = check_json_body(req)) return error_response(*refused);
  std::string_view body = req.body;
  // What Prometheus sends is read in one pass; anything else, errors
  // included, by the full decoder.
  if (auto plain = decode_plain_alerts(body)) {
    auto invalid = insert_alerts(
        service, std::move(*plain), now,
        [](std::size_t, const notify::Alert& completed) { return check_alert(completed); });
    return invalid ? error_response(handler_error(400, *invalid)) : empty_ok();
  }
  auto items = decode_posted_alerts(body, AlertsApi::kV2);
  if (!items) return error_response(items.error());
  bool had_null = false;
  std::vector<PostedAlert> alerts = present(std::move(*items), had_null);
  if (had_null) return error_response(handler_error(500, std::string(kNilItem)));
  if (auto invalid = insert_posted_alerts(service, alerts, now)) {
    return error_response(handler_error(400, *invalid));
  }
  return empty_ok();
}

web::Response post_alerts_v1(NotificationService& service, const web::Request& req, Timestamp now) {
  auto items = decode_posted_alerts(req.body, AlertsApi::kV1);
  if (!items) return v1_response(400, "bad_data", items.error().message);
  bool had_null = false;
  std::vector<PostedAlert> alerts = present(std::move(*items), had_null);
  if (had_null) return v1_response(500, "server_error", kNilItem);
  if (auto invalid = insert_posted_alerts(service, alerts, now)) {
    return v1_response(400, "bad_data", *invalid);
  }
  return v1_response(200, "", "");
}

web::Response get_alerts(const NotificationService& service, const web::Request& req,
                         Timestamp now) {
  auto filter = AlertFilter::from(bind_alerts_params(req));
  if (!filter) return error_response(filter.error());
  std::vector<std::pair<std::string, std::string>> shown;  // fingerprint, gettableAlert
  for (const notify::Alert& alert : service.alerts()) {
    std::vector<std::string> receivers = service.receivers_for(alert.labels);
    if (filter->has_receiver() &&
        std::none_of(receivers.begin(), receivers.end(),
                     [&](const std::string& r) { return filter->receiver_matches(r); })) {
      continue;
    }
    dispatch::AlertStatus status = service.status(alert.labels, now);
    if (!filter->passes(alert, status, now)) continue;
    shown.emplace_back(notify::fingerprint_string(alert.fingerprint()),
                       gettable_alert_json(alert, status, receivers));
  }
  std::sort(shown.begin(), shown.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  gocompat::JsonWriter json;
  json.begin_array();
  for (const auto& [fingerprint, alert] : shown) json.raw(alert);
  json.end_array();
  return json_ok(std::move(json).marshal());
}

}  // namespace tocsin::api
