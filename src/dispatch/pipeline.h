// What one flush of an aggregation group goes through before it reaches a
// receiver, in Alertmanager's order (notify.BuildPipeline):
//
//   inhibition -> active/mute time intervals -> silences ->
//     for each integration of the receiver, concurrently:
//       dedup against the notification log -> send, retrying with
//       exponential backoff and jitter until the flush deadline ->
//       log what was sent, on success only
//
// A stage that leaves no alert ends the flush successfully without a
// notification, as Alertmanager's MultiStage does. Each integration runs on
// its own thread, so one receiver that never answers delays no other.
// Every attempt goes into the history (queued, never waited for): when, to
// whom, about which alerts, how long it took and what the receiver said.
//
// Acknowledgements (acknowledgements.h): a flush first ends those of the
// group that what they covered has outlived; while every firing alert of
// the flush is acknowledged, the dedup stage does not repeat at
// repeat_interval. The acknowledgers of the notified alerts reach the
// templates through notify::Context::acknowledged.
// Retries wait on Parts::clock and stop at the flush deadline as that clock
// reads it; only the request durations reported to metrics use steady_clock.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stop_token>
#include <string>
#include <unordered_map>
#include <vector>

#include <tocsin/notify.h>

#include "dispatch/acknowledgements.h"
#include "dispatch/dedup.h"
#include "dispatch/dispatcher.h"
#include "dispatch/escalations.h"
#include "dispatch/inhibitor.h"
#include "dispatch/notification_log.h"
#include "dispatch/notification_metrics.h"
#include "dispatch/replicas.h"
#include "dispatch/silences.h"
#include "dispatch/time_mute.h"

namespace tocsin::dispatch {

// One configured integration of a receiver and where its sends are logged.
struct ReceiverIntegration {
  NotificationTarget target;  // receiver name, integration kind, index among that kind
  std::shared_ptr<const notify::Notifier> notifier;
};

// The waits between attempts: Alertmanager's (cenkalti/backoff defaults):
// 500ms growing by 1.5x up to 60s, each randomised by +-50%.
struct Backoff {
  Duration initial = std::chrono::milliseconds(500);
  double multiplier = 1.5;
  double randomization = 0.5;
  Duration max_interval = std::chrono::seconds(60);
};

class Pipeline {
 public:
  struct Parts {
    // By receiver name. A receiver without integrations is absent or empty.
    std::unordered_map<std::string, std::vector<ReceiverIntegration>> receivers;
    // The routes with mute_time_intervals or active_time_intervals.
    std::unordered_map<const Route*, TimeMute> time_mutes;
    std::shared_ptr<const Inhibitor> inhibitor;  // may be null: no inhibit_rules
    std::shared_ptr<const Silences> silences;
    std::shared_ptr<Acknowledgements> acknowledgements;  // may be null: none
    std::shared_ptr<Escalations> escalations;            // may be null: routes do not escalate
    std::shared_ptr<NotificationLog> nflog;
    std::shared_ptr<NotificationMetrics> metrics;  // may be null
    // Several replicas on one database: each notification is claimed
    // before it is sent (replicas.h). Null: this tocsin sends alone.
    std::shared_ptr<Replicas> replicas;
    // With replicas: whether a flush's alerts hold news of this replica's
    // own rules (AlertStore::any_from_own_rules), which it alone may know
    // while the database is away. May be empty.
    std::function<bool(std::span<const notify::Alert>)> from_own_rules;
    // Where every attempt is recorded in the history; null: nowhere.
    std::shared_ptr<store::Writer> history;
    std::string external_url;
    Backoff backoff;
    // The time retries wait on and deadlines are measured against; the
    // dispatcher's. Must outlive the pipeline.
    const Clock* clock = &Clock::system();
  };

  explicit Pipeline(Parts parts) : parts_(std::move(parts)) {}

  // Notifies the flush's receiver; true when every integration succeeded or
  // had nothing to send. Returns soon after `stop` is requested.
  bool flush(const Flush& flush, std::stop_token stop) const;

  // Tells the integrations of the flush's receiver that keep their own
  // acknowledgements (PagerDuty) that the group's firing alerts were
  // acknowledged, if the notification log says they were told of firing
  // alerts; retried as notifications are, until flush.deadline. True when
  // every such integration took it (or none needed it).
  bool acknowledge(const Flush& flush, std::stop_token stop) const;

 private:
  // One receiver a flush notifies, and whether it may repeat now.
  struct Delivery {
    std::string receiver;
    Duration repeat_interval{};
    bool repeat = true;
  };

  // A claim this replica holds: its epoch (none when the database could
  // not be asked and this replica sends as the one picked for the group),
  // and until when, on the steady clock, it may still send.
  struct Claimed {
    std::optional<std::int64_t> epoch;
    std::optional<std::chrono::steady_clock::time_point> held_until;
  };
  // How much longer than the flush's deadline a claim is held.
  static constexpr Duration kClaimMargin = std::chrono::seconds(10);

  static store::ClaimKey claim_key(const ReceiverIntegration& integration,
                                   const notify::Context& context);
  // Claims the notification; nullopt when this replica must not send it
  // now, with `done` saying whether the flush may count it delivered (the
  // receiver was told) or must try again at the next one (another replica
  // holds the claim, or the database could not be asked).
  std::optional<Claimed> claim(const ReceiverIntegration& integration,
                               const notify::Context& context,
                               const std::vector<notify::Alert>& alerts, const AlertHashes& hashes,
                               bool repeat, Timestamp deadline, bool& done) const;
  std::vector<notify::Alert> unmuted(const Flush& flush) const;
  // The escalation steps of the flush's route that it notifies (those due
  // and not held back by an acknowledgement), starting the group's episode
  // when something fires.
  std::vector<Delivery> escalation_steps(const Flush& flush, bool any_firing,
                                         bool acknowledged) const;
  // Whether an integration of `receiver` was told of the group at `since` or later.
  bool told_since(const std::string& receiver, const std::string& group_key, Timestamp since) const;
  notify::Context context_of(const Flush& flush, std::stop_token stop) const;
  // `repeat`: whether repeat_interval may re-send; `acknowledged`: every
  // firing alert is (for the log's words).
  bool notify(const ReceiverIntegration& integration, const notify::Context& context,
              const std::vector<notify::Alert>& alerts, bool repeat, bool acknowledged,
              Timestamp deadline, std::stop_token stop) const;
  // Sends (or, with `acknowledge`, acknowledges) until success, a failure
  // not worth retrying, the deadline or stop.
  std::expected<notify::Delivery, notify::Failure> send_with_retries(
      const ReceiverIntegration& integration, const notify::Context& context,
      std::span<const notify::Alert> alerts, Timestamp deadline, std::stop_token stop,
      bool acknowledge = false) const;

  const Parts parts_;
};

}  // namespace tocsin::dispatch
