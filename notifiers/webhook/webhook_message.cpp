#include "notifiers/webhook/webhook_message.h"

#include <map>

#include "gocompat/json_writer.h"
#include "notifiers/delivery/group_status.h"

namespace tocsin::notifiers {
namespace {

using StringMap = std::map<std::string, std::string>;

// Alertmanager's common labels (or annotations): the pairs every alert has
// with the same value.
StringMap common_pairs(std::span<const notify::Alert> alerts, const Labels notify::Alert::*field) {
  if (alerts.empty()) return {};
  StringMap common = (alerts.front().*field).to_map();
  for (const notify::Alert& alert : alerts.subspan(1)) {
    std::erase_if(common, [&](const auto& pair) {
      auto value = (alert.*field).get(pair.first);
      return !value || *value != pair.second;
    });
  }
  return common;
}

void write_alert(gocompat::JsonWriter& json, const notify::Alert& alert, Timestamp now) {
  bool resolved = alert.resolved_at(now);
  json.begin_object();
  json.field("status", resolved ? "resolved" : "firing");
  json.key("labels");
  json.string_pairs(alert.labels);
  json.key("annotations");
  json.string_pairs(alert.annotations);
  json.key("startsAt");
  json.time(alert.starts_at);
  json.key("endsAt");
  json.time(resolved ? alert.ends_at : Timestamp{});
  json.field("generatorURL", alert.generator_url);
  json.field("fingerprint", notify::fingerprint_string(alert.fingerprint()));
  json.end_object();
}

}  // namespace

TruncatedAlerts truncate_alerts(std::span<const notify::Alert> alerts, std::uint64_t max_alerts) {
  if (max_alerts == 0 || alerts.size() <= max_alerts) return {alerts, 0};
  return {alerts.first(max_alerts), alerts.size() - max_alerts};
}

std::string webhook_message(const notify::Context& context, std::span<const notify::Alert> alerts,
                            std::uint64_t truncated_alerts) {
  const bool firing = any_firing(alerts, context.now);

  gocompat::JsonWriter json;
  json.begin_object();
  json.field("receiver", quote_meta(context.receiver));
  json.field("status", firing ? "firing" : "resolved");
  json.key("alerts");
  json.begin_array();
  for (const notify::Alert& alert : alerts) write_alert(json, alert, context.now);
  json.end_array();
  json.key("groupLabels");
  json.string_pairs(context.group_labels);
  json.key("commonLabels");
  json.string_map(common_pairs(alerts, &notify::Alert::labels));
  json.key("commonAnnotations");
  json.string_map(common_pairs(alerts, &notify::Alert::annotations));
  json.field("externalURL", context.external_url);
  json.field("version", "4");
  json.field("groupKey", context.group_key);
  json.key("truncatedAlerts");
  json.number(truncated_alerts);
  json.end_object();
  return std::move(json).finish();
}

std::string quote_meta(std::string_view text) {
  constexpr std::string_view kSpecial = "\\.+*?()|[]{}^$";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (kSpecial.find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

}  // namespace tocsin::notifiers
