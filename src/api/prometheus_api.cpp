#include "api/prometheus_api.h"

#include <fmt/format.h>

#include "gocompat/strconv.h"
#include "rules/recording_rule.h"

namespace tocsin::api {
namespace {

Json labels_json(const Labels& labels) {
  Json out = Json::object();
  for (Label l : labels) out[std::string(l.name)] = l.value;
  return out;
}

double seconds(std::chrono::nanoseconds d) {
  return std::chrono::duration<double>(d).count();
}
double seconds(Duration d) {
  return std::chrono::duration<double>(d).count();
}

Json alert_json(const Alert& a) {
  Json out;
  out["labels"] = labels_json(a.labels);
  out["annotations"] = labels_json(a.annotations);
  out["state"] = to_string(a.state);
  out["activeAt"] = go_time(a.active_at);
  if (a.keep_firing_since != Timestamp{}) out["keepFiringSince"] = go_time(a.keep_firing_since);
  out["value"] = gocompat::format_float(a.value, 'e', -1);
  return out;
}

Json alerts_json(const rules::AlertingRule& rule) {
  Json out = Json::array();
  for (const Alert& a : rule.active_alerts()) out.push_back(alert_json(a));
  return out;
}

Json alerting_rule_json(const rules::AlertingRule& rule) {
  rules::RuleStatus status = rule.status();
  Json out;
  out["state"] = to_string(rule.state());
  out["name"] = rule.name();
  out["query"] = rule.expr();
  out["duration"] = seconds(rule.hold_duration());
  out["keepFiringFor"] = seconds(rule.keep_firing_for());
  out["labels"] = labels_json(rule.labels());
  out["annotations"] = labels_json(rule.annotations());
  out["alerts"] = alerts_json(rule);
  out["health"] = to_string(status.health);
  if (!status.last_error.empty()) out["lastError"] = status.last_error;
  out["evaluationTime"] = seconds(status.evaluation_time);
  out["lastEvaluation"] = go_time(status.last_evaluation);
  out["type"] = "alerting";
  return out;
}

Json recording_rule_json(const rules::RecordingRule& rule) {
  rules::RuleStatus status = rule.status();
  Json out;
  out["name"] = rule.name();
  out["query"] = rule.expr();
  if (!rule.labels().empty()) out["labels"] = labels_json(rule.labels());
  out["health"] = to_string(status.health);
  if (!status.last_error.empty()) out["lastError"] = status.last_error;
  out["evaluationTime"] = seconds(status.evaluation_time);
  out["lastEvaluation"] = go_time(status.last_evaluation);
  out["type"] = "recording";
  return out;
}

Json success(Json data) {
  Json out;
  out["status"] = "success";
  out["data"] = std::move(data);
  return out;
}

}  // namespace

std::string go_time(Timestamp t) {
  if (t == Timestamp{}) return "0001-01-01T00:00:00Z";
  return format_rfc3339(t);
}

Json error_response(std::string_view type, std::string_view message) {
  Json out;
  out["status"] = "error";
  out["errorType"] = type;
  out["error"] = message;
  return out;
}

Result<Json> rules_response(const Groups& groups, std::string_view type) {
  if (!type.empty() && type != "alert" && type != "record") {
    return fail(
        fmt::format("invalid parameter \"type\": not supported value {}", gocompat::quote(type)));
  }
  bool want_alerting = type.empty() || type == "alert";
  bool want_recording = type.empty() || type == "record";
  Json list = Json::array();
  for (const auto& group : groups) {
    rules::GroupStatus status = group->status();
    Json g;
    g["name"] = group->name();
    g["file"] = group->file();
    Json rules = Json::array();
    for (const auto& rule : group->rules()) {
      if (auto* ar = dynamic_cast<const rules::AlertingRule*>(rule.get())) {
        if (want_alerting) rules.push_back(alerting_rule_json(*ar));
      } else if (auto* rr = dynamic_cast<const rules::RecordingRule*>(rule.get())) {
        if (want_recording) rules.push_back(recording_rule_json(*rr));
      }
    }
    g["rules"] = std::move(rules);
    g["interval"] = seconds(group->interval());
    g["limit"] = group->limit();
    g["evaluationTime"] = seconds(status.evaluation_time);
    g["lastEvaluation"] = go_time(status.last_evaluation);
    list.push_back(std::move(g));
  }
  Json data;
  data["groups"] = std::move(list);
  return success(std::move(data));
}

Json alerts_response(const Groups& groups) {
  Json alerts = Json::array();
  for (const auto& group : groups) {
    for (const auto& rule : group->rules()) {
      if (auto* ar = dynamic_cast<const rules::AlertingRule*>(rule.get())) {
        for (const Alert& a : ar->active_alerts()) alerts.push_back(alert_json(a));
      }
    }
  }
  Json data;
  data["alerts"] = std::move(alerts);
  return success(std::move(data));
}

}  // namespace tocsin::api
