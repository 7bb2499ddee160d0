// The notification side's shared vocabulary: the alert as Alertmanager holds
// it, what a notification knows about its aggregation group, and the one
// interface every integration (notifiers/<name>/) implements.
//
// The dispatcher only knows `Notifier`; integrations are built from config
// by the registry in notifiers/registry.h.
#pragma once

#include <cstdint>
#include <expected>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <tocsin/labels.h>
#include <tocsin/time.h>

namespace tocsin::notify {

// An alert as Alertmanager stores and sends it (types.Alert): whoever
// produced it (a tocsin rule, or any client of POST /api/v2/alerts).
struct Alert {
  Labels labels;
  Labels annotations;
  Timestamp starts_at{};
  Timestamp ends_at{};  // unset: firing until resolve_timeout says otherwise
  Timestamp updated_at{};
  std::string generator_url;
  bool timeout = false;  // ends_at was set by resolve_timeout, not by the sender

  std::uint64_t fingerprint() const { return labels.fingerprint(); }
  // Alertmanager's ResolvedAt: ends_at is set and not after `now`.
  bool resolved_at(Timestamp now) const { return ends_at != Timestamp{} && ends_at <= now; }
  // The alert's status as seen at `now`: "firing" or "resolved".
  std::string_view status_at(Timestamp now) const {
    return resolved_at(now) ? "resolved" : "firing";
  }

  bool operator==(const Alert&) const = default;
};

// The fingerprint as Alertmanager prints it: 16 lower-case hex digits.
std::string fingerprint_string(std::uint64_t fingerprint);

// Who acknowledged an alert of the notification (a tocsin extension that
// templates see as .Acknowledged, .AcknowledgedBy, .AcknowledgeComment).
struct AcknowledgementInfo {
  std::string by;
  std::string comment;
};

// What one notification knows about the group it belongs to (the values
// Alertmanager passes along its pipeline in the context).
struct Context {
  std::string receiver;   // the receiver's name
  std::string group_key;  // "{route key}:{group labels}", Alertmanager's aggrGroup.GroupKey()
  Labels group_labels;
  Timestamp now{};  // the flush time: the only "now" a notification uses
  Duration repeat_interval{0};
  std::string external_url;
  // When sending must give up (Alertmanager's context deadline: the group's
  // next flush is due); unset: only the integration's own timeouts.
  Timestamp deadline{};
  // The clock `deadline` is measured on: the dispatcher's. Never null.
  const Clock* clock = &Clock::system();
  // Requested when the notification is cancelled (tocsin stopping): an
  // integration abandons its request at once.
  std::stop_token stop{};
  // The acknowledged alerts among the notification's, by fingerprint.
  std::unordered_map<std::uint64_t, AcknowledgementInfo> acknowledged;
};

// What the receiver answered a notification it took: "HTTP 200", "SMTP
// 250", for the history.
struct Delivery {
  std::string reply;
};

// Why a notification failed, and whether trying again may help (a 5xx or a
// timeout may pass; a 4xx or a template error will not).
struct Failure {
  std::string message;
  bool retryable = false;
};

// One configured integration of a receiver (one entry of slack_configs,
// webhook_configs, ...). Implementations are immutable after construction
// and `notify` is safe to call from several threads.
class Notifier {
 public:
  virtual ~Notifier() = default;

  // Sends one notification about `alerts` (already filtered: resolved
  // alerts are present only when send_resolved() is true). Blocks at most
  // for the integration's own timeouts, cut short by context.deadline and
  // context.stop.
  virtual std::expected<Delivery, Failure> notify(const Context& context,
                                                  std::span<const Alert> alerts) const = 0;

  // "webhook", "slack", "pagerduty", "email": the integration label of
  // Alertmanager's metrics.
  virtual std::string_view kind() const = 0;

  virtual bool send_resolved() const = 0;

  // Whether the receiver has its own notion of acknowledgement that tocsin
  // keeps in step (PagerDuty's incidents).
  virtual bool acknowledges() const { return false; }
  // Tells the receiver that the group's firing `alerts`, which it was
  // notified of, were acknowledged in tocsin. Only called when
  // acknowledges(); blocks as notify does.
  virtual std::expected<Delivery, Failure> acknowledge(const Context& context,
                                                       std::span<const Alert> alerts) const {
    (void)context;
    (void)alerts;
    return std::unexpected(Failure{std::string(kind()) + " has no acknowledgement", false});
  }
};

}  // namespace tocsin::notify
