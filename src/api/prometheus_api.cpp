#include "api/prometheus_api.h"

#include <fmt/format.h>

#include "gocompat/json_writer.h"
#include "gocompat/strconv.h"
#include "rules/recording_rule.h"

namespace tocsin::api {
namespace {

using gocompat::JsonWriter;

double seconds(std::chrono::nanoseconds d) {
  return std::chrono::duration<double>(d).count();
}
double seconds(Duration d) {
  return std::chrono::duration<double>(d).count();
}

void write_labels(JsonWriter& json, const Labels& labels) {
  json.begin_object();
  for (Label l : labels) json.field(l.name, l.value);
  json.end_object();
}

void write_alert(JsonWriter& json, const Alert& a) {
  json.begin_object();
  json.key("labels");
  write_labels(json, a.labels);
  json.key("annotations");
  write_labels(json, a.annotations);
  json.field("state", to_string(a.state));
  json.key("activeAt");
  json.time(a.active_at);
  if (a.keep_firing_since != Timestamp{}) {
    json.key("keepFiringSince");
    json.time(a.keep_firing_since);
  }
  json.field("value", gocompat::format_float(a.value, 'e', -1));
  json.end_object();
}

// health, lastError (omitempty), evaluationTime, lastEvaluation, type.
void write_rule_status(JsonWriter& json, const rules::RuleStatus& status, std::string_view type) {
  json.field("health", to_string(status.health));
  json.field_omitempty("lastError", status.last_error);
  json.key("evaluationTime");
  json.float64(seconds(status.evaluation_time));
  json.key("lastEvaluation");
  json.time(status.last_evaluation);
  json.field("type", type);
}

void write_alerting_rule(JsonWriter& json, const rules::AlertingRule& rule) {
  rules::RuleStatus status = rule.status();
  json.begin_object();
  json.field("state", to_string(rule.state()));
  json.field("name", rule.name());
  json.field("query", rule.expr());
  json.key("duration");
  json.float64(seconds(rule.hold_duration()));
  json.key("keepFiringFor");
  json.float64(seconds(rule.keep_firing_for()));
  json.key("labels");
  write_labels(json, rule.labels());
  json.key("annotations");
  write_labels(json, rule.annotations());
  json.key("alerts");
  json.begin_array();
  for (const Alert& a : rule.active_alerts()) write_alert(json, a);
  json.end_array();
  write_rule_status(json, status, "alerting");
  json.end_object();
}

void write_recording_rule(JsonWriter& json, const rules::RecordingRule& rule) {
  rules::RuleStatus status = rule.status();
  json.begin_object();
  json.field("name", rule.name());
  json.field("query", rule.expr());
  if (!rule.labels().empty()) {  // omitempty
    json.key("labels");
    write_labels(json, rule.labels());
  }
  write_rule_status(json, status, "recording");
  json.end_object();
}

}  // namespace

std::string prometheus_error(std::string_view type, std::string_view message) {
  JsonWriter json;
  json.begin_object();
  json.field("status", "error");
  json.field("errorType", type);
  json.field("error", message);
  json.end_object();
  return std::move(json).marshal();
}

Result<std::string> rules_response(const Groups& groups, std::string_view type) {
  if (!type.empty() && type != "alert" && type != "record") {
    return fail(
        fmt::format("invalid parameter \"type\": not supported value {}", gocompat::quote(type)));
  }
  bool want_alerting = type.empty() || type == "alert";
  bool want_recording = type.empty() || type == "record";
  JsonWriter json;
  json.begin_object();
  json.field("status", "success");
  json.key("data");
  json.begin_object();
  json.key("groups");
  json.begin_array();
  for (const auto& group : groups) {
    rules::GroupStatus status = group->status();
    json.begin_object();
    json.field("name", group->name());
    json.field("file", group->file());
    json.key("rules");
    json.begin_array();
    for (const auto& rule : group->rules()) {
      if (auto* ar = dynamic_cast<const rules::AlertingRule*>(rule.get())) {
        if (want_alerting) write_alerting_rule(json, *ar);
      } else if (auto* rr = dynamic_cast<const rules::RecordingRule*>(rule.get())) {
        if (want_recording) write_recording_rule(json, *rr);
      }
    }
    json.end_array();
    json.key("interval");
    json.float64(seconds(group->interval()));
    json.key("limit");
    json.integer(static_cast<std::int64_t>(group->limit()));
    json.key("evaluationTime");
    json.float64(seconds(status.evaluation_time));
    json.key("lastEvaluation");
    json.time(status.last_evaluation);
    json.end_object();
  }
  json.end_array();
  json.end_object();
  json.end_object();
  return std::move(json).marshal();
}

std::string alerts_response(const Groups& groups) {
  JsonWriter json;
  json.begin_object();
  json.field("status", "success");
  json.key("data");
  json.begin_object();
  json.key("alerts");
  json.begin_array();
  for (const auto& group : groups) {
    for (const auto& rule : group->rules()) {
      if (auto* ar = dynamic_cast<const rules::AlertingRule*>(rule.get())) {
        for (const Alert& a : ar->active_alerts()) write_alert(json, a);
      }
    }
  }
  json.end_array();
  json.end_object();
  json.end_object();
  return std::move(json).marshal();
}

}  // namespace tocsin::api
