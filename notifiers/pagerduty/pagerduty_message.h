// PagerDuty events exactly as Alertmanager 0.25 sends them (notify/pagerduty
// pagerDutyMessage), encoded as Go's json.Encoder does:
//   Events API v2 (routing_key): routing_key, dedup_key, event_action,
//     payload {summary, source, severity, class, component, group,
//     custom_details}, client, client_url, images, links;
//   Events API v1 (service_key): service_key, incident_key, event_type,
//     description, "event_action": "", "payload": null, client and
//     client_url (triggers only), details.
// dedup_key and incident_key are the SHA-256 of the group key. A body over
// 512000 bytes has its details replaced by an explanation, as Alertmanager
// does.
#pragma once

#include <cstddef>
#include <expected>
#include <string>
#include <string_view>

#include <tocsin/notify.h>

#include "notifiers/delivery/field_renderer.h"
#include "notifiers/pagerduty/pagerduty_config.h"

namespace tocsin::notifiers {

inline constexpr std::size_t kPagerdutyMaxEventBytes = 512000;
inline constexpr std::size_t kPagerdutyMaxSummaryRunes = 1024;  // v2 summary and v1 description

// A service key (inline or in a file) selects Events API v1.
bool uses_events_api_v1(const PagerdutyConfig& config);

struct PagerdutyEvent {
  std::string body;  // ends in "\n"
  bool summary_truncated = false;
  std::size_t dropped_details_size = 0;  // the size that made details go; 0 if kept
};

// `event_type` is "trigger" or "resolve"; `key` the routing (v2) or service
// (v1) key as configured or read from its file, still a template. Fails,
// not retryably, when a template fails (naming the field) or the key renders
// empty.
std::expected<PagerdutyEvent, notify::Failure> render_pagerduty_event(const PagerdutyConfig& config,
                                                                      std::string_view event_type,
                                                                      std::string_view key,
                                                                      std::string_view group_key,
                                                                      FieldRenderer& render);

// The event that acknowledges the group's incident (tocsin's
// acknowledgements): v2 {"routing_key","dedup_key","event_action":
// "acknowledge"}, v1 {"service_key","incident_key","event_type":
// "acknowledge"}, with the dedup key of the group's triggers, ending in a
// newline as Go's json.Encoder writes. Fails as
// render_pagerduty_event does when the key does not render.
std::expected<std::string, notify::Failure> render_pagerduty_acknowledge(
    const PagerdutyConfig& config, std::string_view key, std::string_view group_key,
    FieldRenderer& render);

}  // namespace tocsin::notifiers
