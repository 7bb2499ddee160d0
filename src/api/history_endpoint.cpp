#include "api/history_endpoint.h"

#include <charconv>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <tocsin/matcher.h>
#include <tocsin/notify.h>

#include "api/cors.h"
#include "api/openapi_response.h"
#include "api/prometheus_api.h"

namespace tocsin::api {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kMaxLimit = 1000;
constexpr std::size_t kMaxFilters = 64;

Result<std::int64_t> positive_integer(std::string_view name, std::string_view text) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v <= 0) {
    return fail(
        fmt::format("invalid parameter \"{}\": \"{}\" is not a positive integer", name, text));
  }
  return v;
}

}  // namespace

Result<store::HistoryQuery> history_query(const web::Request& req) {
  store::HistoryQuery query;
  query.kind = req.param("kind");
  query.state = req.param("state");
  query.receiver = req.param("receiver");
  query.alertname = req.param("alertname");
  if (std::string fp = req.param("fingerprint"); !fp.empty()) {
    auto [end, ec] = std::from_chars(fp.data(), fp.data() + fp.size(), query.fingerprint, 16);
    if (ec != std::errc() || end != fp.data() + fp.size() || fp.size() > 16) {
      return fail(fmt::format(
          "invalid parameter \"fingerprint\": \"{}\" is not an alert fingerprint (16 hex digits)",
          fp));
    }
  }
  for (auto [name, target] : {std::pair{"from", &query.from}, std::pair{"to", &query.to}}) {
    if (std::string text = req.param(name); !text.empty()) {
      auto t = parse_time(text);
      if (!t) {
        return fail(fmt::format("invalid parameter \"{}\": {}", name, t.error().message()));
      }
      *target = *t;
    }
  }
  if (query.from != Timestamp{} && query.to != Timestamp{} && query.to < query.from) {
    return fail("invalid parameter \"to\": end timestamp must not be before start time");
  }
  if (std::string limit = req.param("limit"); !limit.empty()) {
    auto n = positive_integer("limit", limit);
    if (!n) return std::unexpected(n.error());
    if (static_cast<std::size_t>(*n) > kMaxLimit) {
      return fail(fmt::format("invalid parameter \"limit\": at most {}", kMaxLimit));
    }
    query.limit = static_cast<std::size_t>(*n);
  }
  if (std::string cursor = req.param("cursor"); !cursor.empty()) {
    auto n = positive_integer("cursor", cursor);
    if (!n) return std::unexpected(n.error());
    query.before_id = *n;
  }
  Matchers matchers;
  auto [first, last] = req.params.equal_range("filter");
  for (auto it = first; it != last; ++it) {
    if (matchers.size() >= kMaxFilters) {
      return fail(fmt::format("invalid parameter \"filter\": at most {} matchers", kMaxFilters));
    }
    auto m = parse_matcher(it->second);
    if (!m) {
      return fail(
          fmt::format("invalid parameter \"filter\": bad matcher format: {}", m.error().message()));
    }
    matchers.push_back(std::move(*m));
  }
  if (!matchers.empty()) {
    query.matches = [matchers = std::move(matchers)](const Labels& labels) {
      return matches_all(matchers, labels);
    };
  }
  return query;
}

std::string history_response(const store::HistoryPage& page) {
  Json events = Json::array();
  for (const store::HistoryRow& e : page.events) {
    Json event = {
        {"id", e.id}, {"time", format_rfc3339(e.at)}, {"kind", e.kind}, {"state", e.state}};
    if (e.fingerprint != 0) event["fingerprint"] = notify::fingerprint_string(e.fingerprint);
    Json labels = Json::object();
    for (Label l : e.labels) labels[std::string(l.name)] = std::string(l.value);
    event["labels"] = std::move(labels);
    for (auto [key, value] :
         {std::pair{"receiver", &e.receiver}, std::pair{"integration", &e.integration},
          std::pair{"groupKey", &e.group_key}, std::pair{"by", &e.by}}) {
      if (!value->empty()) event[key] = *value;
    }
    Json details = Json::parse(e.details, nullptr, /*allow_exceptions=*/false);
    event["details"] = details.is_object() ? std::move(details) : Json::object();
    events.push_back(std::move(event));
  }
  Json data = {{"events", std::move(events)}};
  if (page.next_before_id > 0) data["next"] = std::to_string(page.next_before_id);
  Json body = {{"status", "success"}, {"data", std::move(data)}};
  return body.dump(-1, ' ', false, Json::error_handler_t::replace);
}

void add_history_endpoint(HttpRouterRoutes& routes, HistoryHook history) {
  auto hook = std::make_shared<const HistoryHook>(std::move(history));
  routes.add("GET", "/api/v1/history", [hook](const web::Request& req, web::Response& res) {
    add_prometheus_cors_headers(req, res);
    if (!*hook) {
      res.status = 503;
      res.set_content(prometheus_error("unavailable", "tocsin keeps no history"),
                      std::string(kJsonContentType));
      return;
    }
    auto query = history_query(req);
    if (!query) {
      res.status = 400;
      res.set_content(prometheus_error("bad_data", query.error().message()),
                      std::string(kJsonContentType));
      return;
    }
    auto page = (*hook)(*query);
    if (!page) {
      res.status = 500;
      res.set_content(prometheus_error("internal", page.error().message()),
                      std::string(kJsonContentType));
      return;
    }
    res.set_content(history_response(*page), std::string(kJsonContentType));
  });
}

}  // namespace tocsin::api
