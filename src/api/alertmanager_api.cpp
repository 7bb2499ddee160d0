#include "api/alertmanager_api.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <regex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "api/plain_alerts.h"
#include "api/postable_alerts.h"
#include "config/alertmanager_config.h"
#include "dispatch/alert_order.h"
#include "dispatch/notification_service.h"
#include "dispatch/silence_json.h"
#include "gocompat/json.h"
#include "gocompat/regexp.h"
#include "gocompat/strconv.h"

#ifndef TOCSIN_VERSION
#define TOCSIN_VERSION "unknown"
#endif

namespace tocsin::api {
namespace {

using Json = nlohmann::ordered_json;
using dispatch::ApiError;
using dispatch::NotificationService;

constexpr std::string_view kJson = "application/json";

// versionInfo.version: the Alertmanager release whose API tocsin serves, with
// tocsin's own version as semver build metadata. amtool compares major and
// minor with its own and warns on every command when they differ;
// "0.25.0+tocsin.X" reads as 0.25 to it.
constexpr const char* kApiVersion = "0.25.0+tocsin." TOCSIN_VERSION;

// One answer: status, body, content type ("": none, as Alertmanager's empty
// 200s carry none) and extra headers.
struct Answer {
  int status = 200;
  std::string body;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;
};

Answer empty_ok() {
  return Answer{};
}

Answer error_answer(const ApiError& error) {
  return Answer{error.status, error.body(), std::string(kJson), {}};
}

// go-openapi's own error shape, for what tocsin adds (503).
Answer coded_error(int status, std::string_view message) {
  return error_answer(ApiError{status, std::string(message), status});
}

// A handler's error payload: a JSON string.
Answer string_error(int status, std::string_view message) {
  return error_answer(ApiError{status, std::string(message), std::nullopt});
}

// ---- JSON as Go writes it -----------------------------------------------

// encoding/json's output: no spaces, object members in the order given,
// strings quoted as Go quotes them. go-swagger's composed models (gettable
// alerts and silences) go through json.Marshal, which escapes <, > and &;
// the rest through an Encoder with SetEscapeHTML(false).
void write_go_json(std::string& out, const Json& v, bool escape_html) {
  switch (v.type()) {
    case Json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, member] : v.items()) {
        if (!first) out += ',';
        first = false;
        out += gocompat::json_quote(key, escape_html);
        out += ':';
        write_go_json(out, member, escape_html);
      }
      out += '}';
      return;
    }
    case Json::value_t::array: {
      out += '[';
      bool first = true;
      for (const Json& item : v) {
        if (!first) out += ',';
        first = false;
        write_go_json(out, item, escape_html);
      }
      out += ']';
      return;
    }
    case Json::value_t::string:
      out += gocompat::json_quote(v.get_ref<const std::string&>(), escape_html);
      return;
    default:
      out += v.dump();  // null, booleans and integers read the same in Go
      return;
  }
}

std::string go_json(const Json& v, bool escape_html) {
  std::string out;
  write_go_json(out, v, escape_html);
  return out;
}

// A 200 with a JSON payload, as go-openapi's producer writes it (Encoder.Encode
// ends it with a newline).
Answer json_ok(std::string body) {
  return Answer{200, std::move(body) + "\n", std::string(kJson), {}};
}

Json labels_json(const Labels& labels) {
  Json out = Json::object();
  for (Label l : labels) out[std::string(l.name)] = l.value;
  return out;
}

// gettableAlert, members in go-swagger's order: its own fields, then the
// embedded alert's (generatorURL omitted when empty, labels).
Json gettable_alert_json(const notify::Alert& alert, const dispatch::AlertStatus& status,
                         const std::vector<std::string>& receivers) {
  Json j = Json::object();
  j["annotations"] = labels_json(alert.annotations);
  j["endsAt"] = dispatch::format_api_time(alert.ends_at);
  j["fingerprint"] = notify::fingerprint_string(alert.fingerprint());
  Json names = Json::array();
  for (const std::string& r : receivers) names.push_back(Json{{"name", r}});
  j["receivers"] = std::move(names);
  j["startsAt"] = dispatch::format_api_time(alert.starts_at);
  j["status"] = Json{{"inhibitedBy", status.inhibited_by},
                     {"silencedBy", status.silenced_by},
                     {"state", status.state()}};
  j["updatedAt"] = dispatch::format_api_time(alert.updated_at);
  if (!alert.generator_url.empty()) j["generatorURL"] = alert.generator_url;
  j["labels"] = labels_json(alert.labels);
  return j;
}

// ---- query parameters -------------------------------------------------

using Params = httplib::Params;

// The last value of a parameter; "" when absent (go-swagger's binding).
std::string last_value(const Params& params, const std::string& name) {
  auto [begin, end] = params.equal_range(name);
  if (begin == end) return {};
  return std::prev(end)->second;
}

std::vector<std::string> all_values(const Params& params, const std::string& name) {
  std::vector<std::string> out;
  auto [begin, end] = params.equal_range(name);
  for (auto it = begin; it != end; ++it) out.push_back(it->second);
  return out;
}

// swag.ConvertBool: a few words mean true, anything else false; "" keeps
// the default.
bool bool_param(const Params& params, const std::string& name, bool fallback) {
  std::string raw = last_value(params, name);
  if (raw.empty()) return fallback;
  std::transform(raw.begin(), raw.end(), raw.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (std::string_view yes :
       {"true", "1", "yes", "ok", "y", "on", "selected", "checked", "t", "enabled"}) {
    if (raw == yes) return true;
  }
  return false;
}

// The filters of GET /api/v2/alerts and /alerts/groups.
struct AlertFilter {
  Matchers matchers;
  bool silenced = true;
  bool inhibited = true;
  bool active = true;
  std::shared_ptr<const RE2> receiver;  // anchored; null: every receiver

  bool receiver_matches(std::string_view name) const {
    return !receiver || gocompat::match_string(*receiver, name);
  }
};

std::expected<AlertFilter, Answer> parse_alert_filter(const Params& params) {
  AlertFilter f;
  f.silenced = bool_param(params, "silenced", true);
  f.inhibited = bool_param(params, "inhibited", true);
  f.active = bool_param(params, "active", true);
  // `unprocessed` is read and ignored, as Alertmanager 0.25 does.
  for (const std::string& text : all_values(params, "filter")) {
    auto m = parse_matcher(text);
    if (!m) return std::unexpected(string_error(400, m.error().message()));
    f.matchers.push_back(std::move(*m));
  }
  if (std::string receiver = last_value(params, "receiver"); !receiver.empty()) {
    auto re = gocompat::compile_regexp("^(?:" + receiver + ")$");
    if (!re) {
      return std::unexpected(string_error(
          400, fmt::format("failed to parse receiver param: {}", re.error().message())));
    }
    f.receiver = std::move(*re);
  }
  return f;
}

// matchFilterLabels: an = or =~ matcher with an empty value also passes
// when the label is missing, a != or !~ one with an empty value when it is
// present.
bool matches_filter(const Matchers& matchers, const Labels& labels) {
  for (const Matcher& m : matchers) {
    auto value = labels.get(m.name());
    bool negative = m.type() == MatchType::kNotEqual || m.type() == MatchType::kNotRegexp;
    if (m.value().empty() && (negative ? value.has_value() : !value.has_value())) continue;
    if (!m.matches(value.value_or(""))) return false;
  }
  return true;
}

// Alertmanager's alertFilter: ended alerts never show; the state flags and
// the matchers decide the rest.
bool passes(const AlertFilter& f, const notify::Alert& alert, const dispatch::AlertStatus& status,
            Timestamp now) {
  if (alert.ends_at != Timestamp{} && alert.ends_at < now) return false;
  if (!f.active && !status.suppressed()) return false;
  if (!f.silenced && !status.silenced_by.empty()) return false;
  if (!f.inhibited && !status.inhibited_by.empty()) return false;
  return matches_filter(f.matchers, alert.labels);
}

// ---- handlers ---------------------------------------------------------

// go-openapi's content type check for a request with a body.
std::optional<Answer> check_content_type(const httplib::Request& req, std::string_view body) {
  if (body.empty()) return std::nullopt;
  std::string header = req.get_header_value("Content-Type");
  std::string media = header.empty() ? "application/octet-stream" : header;
  std::string type = media.substr(0, media.find(';'));
  auto trim = [](std::string& s) {
    s.erase(0, s.find_first_not_of(" \t"));
    s.erase(s.find_last_not_of(" \t") + 1);
  };
  trim(type);
  if (gocompat::json_key_matches(type, kJson)) return std::nullopt;
  return coded_error(415, fmt::format("unsupported media type {}, only [application/json] are "
                                      "allowed",
                                      gocompat::quote(media)));
}

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

Answer post_alerts(NotificationService& service, const httplib::Request& req, std::string_view body,
                   Timestamp now) {
  if (auto refused = check_content_type(req, body)) return *refused;
  // What Prometheus sends is read in one pass; anything else, errors
  // included, by the full decoder.
  if (auto plain = decode_plain_alerts(body)) {
    auto invalid = insert_alerts(
        service, std::move(*plain), now,
        [](std::size_t, const notify::Alert& completed) { return check_alert(completed); });
    return invalid ? string_error(400, *invalid) : empty_ok();
  }
  auto items = decode_posted_alerts(body, AlertsApi::kV2);
  if (!items) return error_answer(items.error());
  bool had_null = false;
  std::vector<PostedAlert> alerts = present(std::move(*items), had_null);
  if (had_null) return string_error(500, kNilItem);
  if (auto invalid = insert_posted_alerts(service, alerts, now)) return string_error(400, *invalid);
  return empty_ok();
}

// API v1's envelope: {"status":"success"} or {"status":"error","errorType","error"}.
Answer v1_answer(int status, std::string_view error_type, std::string_view error) {
  Json body = Json::object();
  body["status"] = status == 200 ? "success" : "error";
  if (status != 200) {
    body["errorType"] = error_type;
    body["error"] = error;
  }
  return Answer{status, go_json(body, true), std::string(kJson), {}};
}

Answer post_alerts_v1(NotificationService& service, std::string_view body, Timestamp now) {
  auto items = decode_posted_alerts(body, AlertsApi::kV1);
  if (!items) return v1_answer(400, "bad_data", items.error().message);
  bool had_null = false;
  std::vector<PostedAlert> alerts = present(std::move(*items), had_null);
  if (had_null) return v1_answer(500, "server_error", kNilItem);
  if (auto invalid = insert_posted_alerts(service, alerts, now)) {
    return v1_answer(400, "bad_data", *invalid);
  }
  return v1_answer(200, "", "");
}

Answer get_alerts(const NotificationService& service, const Params& params, Timestamp now) {
  auto filter = parse_alert_filter(params);
  if (!filter) return filter.error();
  std::vector<std::pair<std::string, Json>> shown;
  for (const notify::Alert& alert : service.alerts()) {
    std::vector<std::string> receivers = service.receivers_for(alert.labels);
    if (filter->receiver &&
        std::none_of(receivers.begin(), receivers.end(),
                     [&](const std::string& r) { return filter->receiver_matches(r); })) {
      continue;
    }
    dispatch::AlertStatus status = service.status(alert.labels, now);
    if (!passes(*filter, alert, status, now)) continue;
    shown.emplace_back(notify::fingerprint_string(alert.fingerprint()),
                       gettable_alert_json(alert, status, receivers));
  }
  std::sort(shown.begin(), shown.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  Json out = Json::array();
  for (auto& [fp, alert] : shown) out.push_back(std::move(alert));
  return json_ok(go_json(out, true));
}

Answer get_alert_groups(const NotificationService& service, const Params& params, Timestamp now) {
  auto filter = parse_alert_filter(params);
  if (!filter) return filter.error();

  // Alertmanager's Dispatcher.Groups: the groups of the receivers asked
  // for, each with the alerts that pass; an alert's receivers are the
  // groups it showed in.
  std::vector<NotificationService::Group> groups;
  std::unordered_map<std::uint64_t, std::vector<std::string>> receivers;
  std::unordered_map<std::uint64_t, dispatch::AlertStatus> statuses;
  for (NotificationService::Group& group : service.groups()) {
    if (!filter->receiver_matches(group.receiver)) continue;
    std::vector<notify::Alert> kept;
    for (notify::Alert& alert : group.alerts) {
      dispatch::AlertStatus status = service.status(alert.labels, now);
      if (!passes(*filter, alert, status, now)) continue;
      receivers[alert.fingerprint()].push_back(group.receiver);
      statuses[alert.fingerprint()] = std::move(status);
      kept.push_back(std::move(alert));
    }
    if (kept.empty()) continue;
    group.alerts = std::move(kept);
    groups.push_back(std::move(group));
  }
  std::sort(groups.begin(), groups.end(), [](const auto& a, const auto& b) {
    if (a.labels == b.labels) return a.receiver < b.receiver;
    return dispatch::label_set_before(a.labels, b.labels);
  });
  for (auto& [fp, names] : receivers) std::sort(names.begin(), names.end());

  std::string out = "[";
  for (std::size_t i = 0; i < groups.size(); ++i) {
    NotificationService::Group& group = groups[i];
    std::sort(group.alerts.begin(), group.alerts.end(), dispatch::alert_before);
    if (i > 0) out += ',';
    out += "{\"alerts\":[";
    for (std::size_t k = 0; k < group.alerts.size(); ++k) {
      const notify::Alert& alert = group.alerts[k];
      std::uint64_t fp = alert.fingerprint();
      if (k > 0) out += ',';
      out += go_json(gettable_alert_json(alert, statuses[fp], receivers[fp]), true);
    }
    out += "],\"labels\":";
    out += go_json(labels_json(group.labels), false);
    out += ",\"receiver\":";
    out += go_json(Json{{"name", group.receiver}}, false);
    out += '}';
  }
  out += ']';
  return json_ok(std::move(out));
}

Answer get_silences(const NotificationService& service, const Params& params, Timestamp now) {
  std::vector<std::string> filters = all_values(params, "filter");
  auto matchers = dispatch::parse_silence_filter(filters);
  if (!matchers) return error_answer(matchers.error());
  dispatch::SilenceQuery query;
  query.filter = std::move(*matchers);
  return json_ok(
      go_json(dispatch::gettable_silences_json(service.silences().query(query, now), now), true));
}

Answer post_silences(NotificationService& service, const httplib::Request& req, Timestamp now) {
  if (auto refused = check_content_type(req, req.body)) return *refused;
  auto answer = dispatch::post_silence(service.silences(), req.body, now);
  if (!answer) return error_answer(answer.error());
  return json_ok(go_json(*answer, true));
}

Answer get_silence(const NotificationService& service, std::string_view id, Timestamp now) {
  if (auto ok = dispatch::check_silence_id(id); !ok) return error_answer(ok.error());
  auto silence = service.silences().get(id);
  if (!silence) return Answer{404, "", "", {}};
  return json_ok(go_json(dispatch::gettable_silence_json(*silence, now), true));
}

Answer delete_silence(NotificationService& service, std::string_view id, Timestamp now) {
  if (auto ok = dispatch::delete_silence(service.silences(), id, now); !ok) {
    return error_answer(ok.error());
  }
  return empty_ok();
}

Answer get_status(const NotificationService& service) {
  auto config = service.config();
  Json status = Json::object();
  status["cluster"] = Json{{"peers", Json::array()}, {"status", "disabled"}};
  status["config"] = Json{{"original", config::to_redacted_yaml(*config)}};
  status["uptime"] = dispatch::format_api_time(service.started());
  // tocsin is not built by Go; the fields stay for clients that read them.
  status["versionInfo"] = Json{{"branch", ""},    {"buildDate", ""}, {"buildUser", ""},
                               {"goVersion", ""}, {"revision", ""},  {"version", kApiVersion}};
  return json_ok(go_json(status, false));
}

Answer get_receivers(const NotificationService& service) {
  Json out = Json::array();
  for (const config::Receiver& r : service.config()->receivers)
    out.push_back(Json{{"name", r.name}});
  return json_ok(go_json(out, false));
}

// ---- routing ----------------------------------------------------------

void send(httplib::Response& res, const Answer& answer) {
  res.status = answer.status;
  for (const auto& [name, value] : answer.headers) res.set_header(name, value);
  if (!answer.content_type.empty()) {
    res.set_content(answer.body, answer.content_type);
  } else {
    res.body = answer.body;
  }
}

// rs/cors's default handler (any origin; GET, POST and HEAD; simple headers).
void add_cors(const httplib::Request& req, httplib::Response& res) {
  res.set_header("Vary", "Origin");
  if (req.has_header("Origin")) res.set_header("Access-Control-Allow-Origin", "*");
}

// The endpoints and the methods each allows, in the order go-openapi's 405
// lists them.
struct Endpoint {
  std::regex path;
  std::string allow;
};

const std::vector<Endpoint>& endpoints() {
  static const std::vector<Endpoint> all = [] {
    std::vector<Endpoint> out;
    for (auto [pattern, allow] : {std::pair{R"(/api/v2/alerts/?)", "POST,GET"},
                                  {R"(/api/v2/alerts/groups/?)", "GET"},
                                  {R"(/api/v2/silences/?)", "POST,GET"},
                                  {R"(/api/v2/silence/[^/]+/?)", "DELETE,GET"},
                                  {R"(/api/v2/status/?)", "GET"},
                                  {R"(/api/v2/receivers/?)", "GET"}}) {
      out.push_back(Endpoint{std::regex(pattern), allow});
    }
    return out;
  }();
  return all;
}

// go-openapi's answers for everything else under /api/v2, and rs/cors's
// answer to a preflight request.
void fallback(const httplib::Request& req, httplib::Response& res) {
  add_cors(req, res);
  if (req.method == "OPTIONS" && req.has_header("Origin") &&
      req.has_header("Access-Control-Request-Method")) {
    res.set_header("Vary", "Access-Control-Request-Method");
    res.set_header("Vary", "Access-Control-Request-Headers");
    std::string method = req.get_header_value("Access-Control-Request-Method");
    if (method == "GET" || method == "POST" || method == "HEAD") {
      res.set_header("Access-Control-Allow-Methods", method);
      res.set_header("Access-Control-Allow-Origin", "*");
    }
    res.status = 200;
    return;
  }
  for (const Endpoint& e : endpoints()) {
    if (!std::regex_match(req.path, e.path)) continue;
    Answer answer = coded_error(
        405, fmt::format("method {} is not allowed, but [{}] are", req.method, e.allow));
    answer.headers.emplace_back("Allow", e.allow);
    send(res, answer);
    return;
  }
  send(res, coded_error(404, fmt::format("path {} was not found", req.path)));
}

using Request = const httplib::Request&;
using Service = NotificationService&;

// The server handler of one endpoint: `handler` runs with the configured
// service and the time of its clock, or the answer is 503.
template <typename Handler>
httplib::Server::Handler endpoint(std::shared_ptr<const NotificationsHook> hook, Handler handler) {
  return [hook = std::move(hook), handler](const httplib::Request& req, httplib::Response& res) {
    add_cors(req, res);
    NotificationService* service = *hook ? (*hook)() : nullptr;
    if (service == nullptr || !service->configured()) {
      send(res, coded_error(503, "the notification service is not configured yet"));
      return;
    }
    send(res, handler(*service, req, service->clock().now()));
  };
}

// The same for an endpoint that takes a body (`handler` gets it as its
// third argument). The body is read before anything else, into one
// allocation of its Content-Length: cpp-httplib's own reading grows the
// string as chunks arrive, copying a large batch of alerts several times.
template <typename Handler>
httplib::Server::HandlerWithContentReader endpoint_with_body(
    std::shared_ptr<const NotificationsHook> hook, Handler handler) {
  return [hook = std::move(hook), handler](const httplib::Request& req, httplib::Response& res,
                                           const httplib::ContentReader& read) {
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
    add_cors(req, res);
    NotificationService* service = *hook ? (*hook)() : nullptr;
    if (service == nullptr || !service->configured()) {
      send(res, coded_error(503, "the notification service is not configured yet"));
      return;
    }
    send(res, handler(*service, req, body, service->clock().now()));
  };
}

}  // namespace

void serve_alertmanager_api(httplib::Server& s, NotificationsHook notifications) {
  auto hook = std::make_shared<const NotificationsHook>(std::move(notifications));
  s.Post("/api/v2/alerts/?",
         endpoint_with_body(hook, [](Service svc, Request req, std::string_view body,
                                     Timestamp now) { return post_alerts(svc, req, body, now); }));
  s.Get("/api/v2/alerts/?", endpoint(hook, [](Service svc, Request req, Timestamp now) {
          return get_alerts(svc, req.params, now);
        }));
  s.Get("/api/v2/alerts/groups/?", endpoint(hook, [](Service svc, Request req, Timestamp now) {
          return get_alert_groups(svc, req.params, now);
        }));
  s.Get("/api/v2/silences/?", endpoint(hook, [](Service svc, Request req, Timestamp now) {
          return get_silences(svc, req.params, now);
        }));
  s.Post("/api/v2/silences/?", endpoint(hook, [](Service svc, Request req, Timestamp now) {
           return post_silences(svc, req, now);
         }));
  s.Get("/api/v2/silence/([^/]+)/?", endpoint(hook, [](Service svc, Request req, Timestamp now) {
          return get_silence(svc, req.matches[1].str(), now);
        }));
  s.Delete("/api/v2/silence/([^/]+)/?", endpoint(hook, [](Service svc, Request req, Timestamp now) {
             return delete_silence(svc, req.matches[1].str(), now);
           }));
  s.Get("/api/v2/status/?",
        endpoint(hook, [](Service svc, Request, Timestamp) { return get_status(svc); }));
  s.Get("/api/v2/receivers/?",
        endpoint(hook, [](Service svc, Request, Timestamp) { return get_receivers(svc); }));
  s.Post("/api/v1/alerts",
         endpoint_with_body(hook, [](Service svc, Request, std::string_view body, Timestamp now) {
           return post_alerts_v1(svc, body, now);
         }));

  // Go's ServeMux redirects to the subtree; go-openapi answers the rest.
  s.Get("/api/v2",
        [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/api/v2/", 301); });
  const std::string rest = "/api/v2/.*";
  s.Get(rest, fallback);
  s.Post(rest, fallback);
  s.Put(rest, fallback);
  s.Patch(rest, fallback);
  s.Delete(rest, fallback);
  s.Options(rest, fallback);
}

}  // namespace tocsin::api
