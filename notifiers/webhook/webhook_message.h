// The webhook payload exactly as Alertmanager 0.25 posts it (notify/webhook
// Message, version "4"): template.Data's fields (receiver, status, alerts,
// groupLabels, commonLabels, commonAnnotations, externalURL), then version,
// groupKey and truncatedAlerts, encoded as Go's json.Encoder does.
//
// Pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <tocsin/notify.h>

namespace tocsin::notifiers {

struct TruncatedAlerts {
  std::span<const notify::Alert> alerts;
  std::uint64_t dropped = 0;
};

// The first `max_alerts` alerts and how many were left out; all of them when
// max_alerts is 0 (Alertmanager's truncateAlerts).
TruncatedAlerts truncate_alerts(std::span<const notify::Alert> alerts, std::uint64_t max_alerts);

// The body, ending in "\n". Statuses are as of context.now; a firing alert's
// endsAt is Go's zero time, as types.Alerts hides an end still to come; the
// receiver name is regexp-quoted, as Alertmanager's template.Data quotes it.
std::string webhook_message(const notify::Context& context, std::span<const notify::Alert> alerts,
                            std::uint64_t truncated_alerts);

// Go's regexp.QuoteMeta: a backslash before each of \.+*?()|[]{}^$
std::string quote_meta(std::string_view text);

}  // namespace tocsin::notifiers
