#include "dispatch/pipeline.h"

#include <algorithm>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "core/log.h"
#include "dispatch/dedup.h"
#include "dispatch/history.h"

namespace tocsin::dispatch {
namespace {

// The randomised wait before the next attempt, and the one after it.
class RetryTimer {
 public:
  explicit RetryTimer(const Backoff& backoff)
      : backoff_(backoff), interval_(backoff.initial), rng_(std::random_device{}()) {}

  Duration next() {
    double base = std::chrono::duration<double>(interval_).count();
    double delta = base * backoff_.randomization;
    std::uniform_real_distribution<double> jitter(base - delta, base + delta);
    auto wait = std::chrono::duration_cast<Duration>(std::chrono::duration<double>(jitter(rng_)));
    auto grown = std::chrono::duration_cast<Duration>(interval_ * backoff_.multiplier);
    interval_ = std::min(grown, backoff_.max_interval);
    return wait;
  }

 private:
  const Backoff& backoff_;
  Duration interval_;
  std::mt19937_64 rng_;
};

std::vector<notify::Alert> firing_only(const std::vector<notify::Alert>& alerts, Timestamp now) {
  std::vector<notify::Alert> out;
  for (const notify::Alert& a : alerts) {
    if (!a.resolved_at(now)) out.push_back(a);
  }
  return out;
}

std::string target_name(const NotificationTarget& target) {
  return fmt::format("{}/{}[{}]", target.receiver, target.integration, target.index);
}

}  // namespace

std::vector<notify::Alert> Pipeline::unmuted(const Flush& flush) const {
  std::vector<notify::Alert> alerts;
  alerts.reserve(flush.alerts.size());
  for (const notify::Alert& a : flush.alerts) {
    if (parts_.inhibitor && parts_.inhibitor->inhibited_by(a.labels, flush.now)) continue;
    alerts.push_back(a);
  }
  if (alerts.empty()) return alerts;

  if (auto it = parts_.time_mutes.find(flush.route); it != parts_.time_mutes.end()) {
    if (it->second.should_mute(flush.now)) {
      log::debug("Notifications muted by time interval",
                 {{"group_key", flush.group_key}, {"alerts", alerts.size()}});
      return {};
    }
  }

  if (parts_.silences) {
    std::erase_if(alerts, [&](const notify::Alert& a) {
      return !parts_.silences->mutes(a.labels, flush.now).empty();
    });
  }
  return alerts;
}

notify::Context Pipeline::context_of(const Flush& flush, std::stop_token stop) const {
  notify::Context context;
  context.receiver = flush.route->options().receiver;
  context.group_key = flush.group_key;
  context.group_labels = flush.group_labels;
  context.now = flush.now;
  context.repeat_interval = flush.route->options().repeat_interval;
  context.external_url = parts_.external_url;
  context.deadline = flush.deadline;
  context.clock = parts_.clock;
  context.stop = stop;
  return context;
}

bool Pipeline::flush(const Flush& flush, std::stop_token stop) const {
  if (parts_.acknowledgements) {
    parts_.acknowledgements->end_resolved(flush.group_key, flush.alerts, flush.now);
  }
  const std::string& receiver = flush.route->options().receiver;
  auto found = parts_.receivers.find(receiver);
  if (found == parts_.receivers.end() || found->second.empty()) return true;
  const std::vector<ReceiverIntegration>& integrations = found->second;

  std::vector<notify::Alert> alerts = unmuted(flush);
  if (alerts.empty()) return true;

  notify::Context context = context_of(flush, stop);
  // Acknowledged: some alert fires, and every firing one is covered.
  bool acknowledged = false;
  if (parts_.acknowledgements) {
    bool all = true;
    bool any_firing = false;
    for (const notify::Alert& a : alerts) {
      if (a.resolved_at(flush.now)) continue;
      any_firing = true;
      auto ack = parts_.acknowledgements->covering(a.fingerprint(), flush.group_key, flush.now);
      if (ack) {
        context.acknowledged.emplace(a.fingerprint(),
                                     notify::AcknowledgementInfo{ack->by, ack->comment});
      } else {
        all = false;
      }
    }
    acknowledged = any_firing && all;
  }

  if (integrations.size() == 1) {
    return notify(integrations.front(), context, alerts, acknowledged, flush.deadline, stop);
  }
  // One thread per integration: a hanging one holds up only itself.
  std::vector<char> ok(integrations.size(), 0);
  {
    std::vector<std::jthread> threads;
    threads.reserve(integrations.size());
    for (std::size_t i = 0; i < integrations.size(); ++i) {
      threads.emplace_back([&, i] {
        ok[i] =
            notify(integrations[i], context, alerts, acknowledged, flush.deadline, stop) ? 1 : 0;
      });
    }
  }  // joins
  return std::ranges::all_of(ok, [](char c) { return c != 0; });
}

bool Pipeline::acknowledge(const Flush& flush, std::stop_token stop) const {
  auto found = parts_.receivers.find(flush.route->options().receiver);
  if (found == parts_.receivers.end()) return true;
  std::vector<notify::Alert> firing = firing_only(flush.alerts, flush.now);
  if (firing.empty()) return true;
  notify::Context context = context_of(flush, stop);
  bool ok = true;
  for (const ReceiverIntegration& integration : found->second) {
    if (!integration.notifier->acknowledges()) continue;
    std::optional<NotificationLogEntry> last =
        parts_.nflog->query(integration.target, context.group_key);
    // Nothing open at the receiver: it was never told, or told all resolved.
    if (!last || last->firing_alerts.empty()) continue;
    auto sent = send_with_retries(integration, context, firing, flush.deadline, stop,
                                  /*acknowledge=*/true);
    if (!sent) {
      ok = false;
      log::error("Acknowledging at the receiver failed",
                 {{"integration", target_name(integration.target)},
                  {"group_key", context.group_key},
                  {"err", sent.error().message}});
    }
  }
  return ok;
}

bool Pipeline::notify(const ReceiverIntegration& integration, const notify::Context& context,
                      const std::vector<notify::Alert>& alerts, bool acknowledged,
                      Timestamp deadline, std::stop_token stop) const {
  const notify::Notifier& notifier = *integration.notifier;
  AlertHashes hashes = hash_alerts(alerts, context.now);
  std::optional<NotificationLogEntry> last =
      parts_.nflog->query(integration.target, context.group_key);
  if (!needs_update(last ? &*last : nullptr, hashes.firing_set, hashes.resolved_set,
                    notifier.send_resolved(), context.repeat_interval, context.now,
                    /*repeat=*/!acknowledged)) {
    log::debug(acknowledged ? "Notification not needed: the receiver was told and every firing "
                              "alert is acknowledged"
                            : "Notification not needed: the receiver was already told",
               {{"integration", target_name(integration.target)},
                {"group_key", context.group_key},
                {"alerts", alerts.size()}});
    return true;
  }

  std::string_view kind = notifier.kind();
  if (parts_.metrics) parts_.metrics->notification(kind);
  std::vector<notify::Alert> to_send =
      notifier.send_resolved() ? alerts : firing_only(alerts, context.now);
  // Only resolved alerts and no send_resolved: nothing to say, but the log
  // must still learn that the firing ones are gone.
  if (!to_send.empty()) {
    auto sent = send_with_retries(integration, context, to_send, deadline, stop);
    if (!sent) {
      if (parts_.metrics) parts_.metrics->notification_failed(kind);
      log::error("Notify for alerts failed", {{"integration", target_name(integration.target)},
                                              {"group_key", context.group_key},
                                              {"alerts", to_send.size()},
                                              {"err", sent.error().message}});
      return false;
    }
    log::debug("Notify success", {{"integration", target_name(integration.target)},
                                  {"group_key", context.group_key},
                                  {"alerts", to_send.size()}});
  }
  // The receiver has it. A crash from here until the entry is committed
  // sends it again after the restart (the log forgets it was sent): at
  // least once, never lost. The flush counts as done only once the entry is
  // on the disk, or at its deadline, when the entry stays queued and the
  // flush goes on rather than hold the group.
  store::Writer::Sequence logged =
      parts_.nflog->log(integration.target, context.group_key, std::move(hashes.firing),
                        std::move(hashes.resolved), Duration::zero(), context.now);
  Duration left = std::max(Duration::zero(), deadline - parts_.clock->now());
  if (Status written = parts_.nflog->wait_written(logged, left); !written) {
    log::warn("Notification log entry not yet stored; a restart now would send it again",
              {{"integration", target_name(integration.target)},
               {"group_key", context.group_key},
               {"err", written.error()}});
  }
  return true;
}

std::expected<void, notify::Failure> Pipeline::send_with_retries(
    const ReceiverIntegration& integration, const notify::Context& context,
    std::span<const notify::Alert> alerts, Timestamp deadline, std::stop_token stop,
    bool acknowledge) const {
  const notify::Notifier& notifier = *integration.notifier;
  RetryTimer timer(parts_.backoff);
  std::string last_error;
  for (int attempt = 1;; ++attempt) {
    auto start = std::chrono::steady_clock::now();
    auto result =
        acknowledge ? notifier.acknowledge(context, alerts) : notifier.notify(context, alerts);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (parts_.metrics) parts_.metrics->request(notifier.kind(), seconds, result.has_value());
    if (parts_.history) {
      Attempt a{attempt, result.has_value(), result ? std::string() : result.error().message,
                seconds, acknowledge};
      parts_.history->submit({store::AppendHistory{
          notification_event(integration.target, context, alerts, a, parts_.clock->now())}});
    }
    if (result) {
      if (attempt > 1) {
        log::info("Notify success after retries",
                  {{"integration", target_name(integration.target)}, {"attempts", attempt}});
      }
      return {};
    }
    const notify::Failure& failure = result.error();
    if (!failure.retryable) {
      return std::unexpected(notify::Failure{
          fmt::format("{}: notify retry canceled due to unrecoverable error after {} attempts: {}",
                      target_name(integration.target), attempt, failure.message),
          false});
    }
    if (failure.message != last_error) {
      log::warn("Notify attempt failed, will retry later",
                {{"integration", target_name(integration.target)},
                 {"attempts", attempt},
                 {"err", failure.message}});
      last_error = failure.message;
    }
    Timestamp retry_at = parts_.clock->now() + timer.next();
    if (retry_at >= deadline || !parts_.clock->sleep_until(retry_at, stop)) {
      return std::unexpected(
          notify::Failure{fmt::format("{}: notify retry canceled after {} attempts: {}",
                                      target_name(integration.target), attempt, failure.message),
                          true});
    }
  }
}

}  // namespace tocsin::dispatch
