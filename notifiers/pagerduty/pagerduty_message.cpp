#include "notifiers/pagerduty/pagerduty_message.h"

#include <map>
#include <vector>

#include <fmt/format.h>

#include "gocompat/json_writer.h"
#include "notifiers/delivery/group_key.h"
#include "notifiers/delivery/json_objects.h"
#include "notifiers/delivery/truncate.h"

namespace tocsin::notifiers {
namespace {

using StringMap = std::map<std::string, std::string>;

constexpr std::string_view kDetailsRemoved =
    "Custom details have been removed because the original event exceeds the maximum size of "
    "512KB";

// pagerDutyMessage and pagerDutyPayload with what is set for one event.
struct Event {
  bool v1 = false;
  std::string key;  // routing_key (v2) or service_key (v1)
  std::string dedup_key;
  std::string event_type;  // v1's event_type, v2's event_action
  std::string description;
  std::string client;
  std::string client_url;
  StringMap details;
  std::vector<PagerdutyImage> images;  // rendered, those without src left out
  std::vector<PagerdutyLink> links;    // rendered, those without href left out
  // v2 payload
  std::string summary;
  std::string source;
  std::string severity;
  std::string event_class;
  std::string component;
  std::string group;
};

void write_string_map_omitempty(gocompat::JsonWriter& json, std::string_view name,
                                const StringMap& map) {
  if (map.empty()) return;
  json.key(name);
  json.string_map(map);
}

void write_payload(gocompat::JsonWriter& json, const Event& e) {
  json.begin_object();
  json.field("summary", e.summary);
  json.field("source", e.source);
  json.field("severity", e.severity);
  json.field_omitempty("class", e.event_class);
  json.field_omitempty("component", e.component);
  json.field_omitempty("group", e.group);
  write_string_map_omitempty(json, "custom_details", e.details);
  json.end_object();
}

std::string encode(const Event& e) {
  gocompat::JsonWriter json;
  json.begin_object();
  if (e.v1) {
    json.field_omitempty("service_key", e.key);
    json.field_omitempty("incident_key", e.dedup_key);
    json.field_omitempty("event_type", e.event_type);
    json.field_omitempty("description", e.description);
    json.field("event_action", "");
    json.key("payload");
    json.null();
  } else {
    json.field_omitempty("routing_key", e.key);
    json.field_omitempty("dedup_key", e.dedup_key);
    json.field("event_action", e.event_type);
    json.key("payload");
    write_payload(json, e);
  }
  json.field_omitempty("client", e.client);
  json.field_omitempty("client_url", e.client_url);
  if (e.v1) write_string_map_omitempty(json, "details", e.details);
  write_texts_omitempty(json, "images", e.images, kPagerdutyImageTexts);
  write_texts_omitempty(json, "links", e.links, kPagerdutyLinkTexts);
  json.end_object();
  return std::move(json).finish();
}

}  // namespace

bool uses_events_api_v1(const PagerdutyConfig& config) {
  return !config.service_key.empty() || !config.service_key_file.empty();
}

std::expected<PagerdutyEvent, notify::Failure> render_pagerduty_event(const PagerdutyConfig& c,
                                                                      std::string_view event_type,
                                                                      std::string_view key,
                                                                      std::string_view group_key,
                                                                      FieldRenderer& render) {
  Event e;
  e.v1 = uses_events_api_v1(c);
  const std::string_view version = e.v1 ? "v1" : "v2";
  for (const auto& [name, text] : c.details) {
    e.details[name] = render.text(fmt::format("details.{}", name), text);
  }
  if (render.failed()) {
    return std::unexpected(
        render.failure(fmt::format("failed to template PagerDuty {} message", version)));
  }

  PagerdutyEvent out;
  e.event_type = event_type;
  e.dedup_key = group_key_hash(group_key);
  Truncated summary =
      truncate_in_runes(render.text("description", c.description), kPagerdutyMaxSummaryRunes);
  out.summary_truncated = summary.truncated;
  if (e.v1) {
    e.description = std::move(summary.text);
    e.key = render.text("service_key", key);
    if (event_type == "trigger") {
      e.client = render.text("client", c.client);
      e.client_url = render.text("client_url", c.client_url);
    }
  } else {
    e.summary = std::move(summary.text);
    e.client = render.text("client", c.client);
    e.client_url = render.text("client_url", c.client_url);
    e.key = render.text("routing_key", key);
    e.source = render.text("source", c.source);
    e.severity = render.text("severity", c.severity.empty() ? "error" : c.severity);
    e.event_class = render.text("class", c.event_class);
    e.component = render.text("component", c.component);
    e.group = render.text("group", c.group);
    for (std::size_t i = 0; i < c.images.size(); ++i) {
      PagerdutyImage image = c.images[i];
      render.texts(fmt::format("images[{}]", i), kPagerdutyImageTexts, image);
      if (!image.src.empty()) e.images.push_back(std::move(image));
    }
    for (std::size_t i = 0; i < c.links.size(); ++i) {
      PagerdutyLink link = c.links[i];
      render.texts(fmt::format("links[{}]", i), kPagerdutyLinkTexts, link);
      if (!link.href.empty()) e.links.push_back(std::move(link));
    }
  }
  if (render.failed()) {
    return std::unexpected(
        render.failure(fmt::format("failed to template PagerDuty {} message", version)));
  }
  if (e.key.empty()) {
    return std::unexpected(notify::Failure{
        e.v1 ? "service key cannot be empty" : "routing key cannot be empty", false});
  }

  out.body = encode(e);
  if (out.body.size() > kPagerdutyMaxEventBytes) {
    out.dropped_details_size = out.body.size();
    e.details = {{"error", std::string(kDetailsRemoved)}};
    out.body = encode(e);
  }
  return out;
}

std::expected<std::string, notify::Failure> render_pagerduty_acknowledge(
    const PagerdutyConfig& config, std::string_view key, std::string_view group_key,
    FieldRenderer& render) {
  const bool v1 = uses_events_api_v1(config);
  std::string rendered_key = render.text(v1 ? "service_key" : "routing_key", key);
  if (render.failed()) {
    return std::unexpected(render.failure(
        fmt::format("failed to template PagerDuty {} acknowledgement", v1 ? "v1" : "v2")));
  }
  if (rendered_key.empty()) {
    return std::unexpected(
        notify::Failure{v1 ? "service key cannot be empty" : "routing key cannot be empty", false});
  }
  gocompat::JsonWriter json;
  json.begin_object();
  json.field(v1 ? "service_key" : "routing_key", rendered_key);
  json.field(v1 ? "incident_key" : "dedup_key", group_key_hash(group_key));
  json.field(v1 ? "event_type" : "event_action", "acknowledge");
  json.end_object();
  return std::move(json).finish();
}

}  // namespace tocsin::notifiers
