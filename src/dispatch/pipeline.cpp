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
  std::vector<notify::Alert> alerts = unmuted(flush);
  bool any_firing = std::ranges::any_of(
      alerts, [&](const notify::Alert& a) { return !a.resolved_at(flush.now); });

  notify::Context context = context_of(flush, stop);
  // Acknowledged: some alert fires, and every firing one is covered.
  bool acknowledged = false;
  if (parts_.acknowledgements && any_firing) {
    bool all = true;
    for (const notify::Alert& a : alerts) {
      if (a.resolved_at(flush.now)) continue;
      auto ack = parts_.acknowledgements->covering(a.fingerprint(), flush.group_key, flush.now);
      if (ack) {
        context.acknowledged.emplace(a.fingerprint(),
                                     notify::AcknowledgementInfo{ack->by, ack->comment});
      } else {
        all = false;
      }
    }
    acknowledged = all;
  }

  std::vector<Delivery> deliveries;
  deliveries.push_back(
      {flush.route->options().receiver, flush.route->options().repeat_interval, !acknowledged});
  std::vector<Delivery> steps = escalation_steps(flush, any_firing, acknowledged);
  deliveries.insert(deliveries.end(), steps.begin(), steps.end());

  bool ok = true;
  if (!alerts.empty()) {
    // Each integration of each receiver on a thread of its own: a hanging
    // one holds up only itself.
    struct Job {
      const ReceiverIntegration* integration;
      notify::Context context;
      bool repeat;
    };
    std::vector<Job> jobs;
    for (const Delivery& d : deliveries) {
      auto found = parts_.receivers.find(d.receiver);
      if (found == parts_.receivers.end()) continue;
      notify::Context c = context;
      c.receiver = d.receiver;
      c.repeat_interval = d.repeat_interval;
      for (const ReceiverIntegration& integration : found->second) {
        jobs.push_back({&integration, c, d.repeat});
      }
    }
    auto run = [&](const Job& job) {
      return notify(*job.integration, job.context, alerts, job.repeat, acknowledged, flush.deadline,
                    stop);
    };
    if (jobs.size() == 1) {
      ok = run(jobs.front());
    } else {
      std::vector<char> done(jobs.size(), 0);
      {
        std::vector<std::jthread> threads;
        threads.reserve(jobs.size());
        for (std::size_t i = 0; i < jobs.size(); ++i) {
          threads.emplace_back([&, i] { done[i] = run(jobs[i]) ? 1 : 0; });
        }
      }  // joins
      ok = std::ranges::all_of(done, [](char c) { return c != 0; });
    }
  }
  // Nothing fires any more and every receiver heard so: the episode is over.
  if (!any_firing && ok && parts_.escalations && !flush.route->escalation().empty()) {
    parts_.escalations->end(flush.group_key);
  }
  return ok;
}

bool Pipeline::told_since(const std::string& receiver, const std::string& group_key,
                          Timestamp since) const {
  auto found = parts_.receivers.find(receiver);
  if (found == parts_.receivers.end()) return false;
  return std::ranges::any_of(found->second, [&](const ReceiverIntegration& integration) {
    auto last = parts_.nflog->query(integration.target, group_key);
    return last && last->timestamp >= since;
  });
}

std::vector<Pipeline::Delivery> Pipeline::escalation_steps(const Flush& flush, bool any_firing,
                                                           bool acknowledged) const {
  const std::vector<config::EscalationStep>& steps = flush.route->escalation();
  std::vector<Delivery> out;
  if (steps.empty() || !parts_.escalations) return out;
  std::optional<Timestamp> first;
  if (any_firing) {
    Escalations::Episode episode = parts_.escalations->start(flush.group_key, flush.now);
    first = episode.first_fired;
    // A step sent before its episode is stored could, after a crash, be
    // counted from a later start: sent twice, and the next one late.
    if (episode.stored != 0) {
      Duration left = std::max(Duration::zero(), flush.deadline - parts_.clock->now());
      if (Status written = parts_.escalations->journal()->wait_written(episode.stored, left);
          !written) {
        log::warn("Escalation not yet stored; its steps wait for the next flush",
                  {{"group_key", flush.group_key}, {"err", written.error()}});
        return out;
      }
    }
  } else {
    first = parts_.escalations->first_fired(flush.group_key);
  }
  if (!first) return out;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const config::EscalationStep& step = steps[i];
    if (flush.now < *first + step.after) break;  // steps are ordered by `after`
    bool told = told_since(step.receiver, flush.group_key, *first);
    // A step not yet taken waits while everything firing is acknowledged,
    // and is never taken for resolved alerts alone; one taken hears what
    // the route's receiver hears (new alerts, resolves).
    if (!told && (acknowledged || !any_firing)) continue;
    if (!told) {
      log::info("Escalating", {{"group_key", flush.group_key},
                               {"step", i + 1},
                               {"receiver", step.receiver},
                               {"after", format_duration(step.after)}});
    }
    out.push_back({step.receiver, step.repeat, step.repeat > Duration::zero() && !acknowledged});
  }
  return out;
}

bool Pipeline::acknowledge(const Flush& flush, std::stop_token stop) const {
  std::vector<notify::Alert> firing = firing_only(flush.alerts, flush.now);
  if (firing.empty()) return true;
  std::vector<std::string> receivers{flush.route->options().receiver};
  for (const config::EscalationStep& step : flush.route->escalation()) {
    receivers.push_back(step.receiver);
  }
  bool ok = true;
  for (const std::string& receiver : receivers) {
    auto found = parts_.receivers.find(receiver);
    if (found == parts_.receivers.end()) continue;
    notify::Context context = context_of(flush, stop);
    context.receiver = receiver;
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
  }
  return ok;
}

bool Pipeline::notify(const ReceiverIntegration& integration, const notify::Context& context,
                      const std::vector<notify::Alert>& alerts, bool repeat, bool acknowledged,
                      Timestamp deadline, std::stop_token stop) const {
  const notify::Notifier& notifier = *integration.notifier;
  AlertHashes hashes = hash_alerts(alerts, context.now);
  std::optional<NotificationLogEntry> last =
      parts_.nflog->query(integration.target, context.group_key);
  if (!needs_update(last ? &*last : nullptr, hashes.firing_set, hashes.resolved_set,
                    notifier.send_resolved(), context.repeat_interval, context.now, repeat)) {
    log::debug(acknowledged ? "Notification not needed: the receiver was told and every firing "
                              "alert is acknowledged"
                            : "Notification not needed: the receiver was already told",
               {{"integration", target_name(integration.target)},
                {"group_key", context.group_key},
                {"alerts", alerts.size()}});
    return true;
  }

  // Several replicas: only the one that claims it sends it (replicas.h).
  std::optional<Claimed> claimed;
  if (parts_.replicas) {
    bool done = false;
    auto outcome = claim(integration, context, alerts, hashes, repeat, deadline, done);
    if (!outcome) return done;
    claimed = *outcome;
  }

  std::string_view kind = notifier.kind();
  if (parts_.metrics) parts_.metrics->notification(kind);
  std::vector<notify::Alert> to_send =
      notifier.send_resolved() ? alerts : firing_only(alerts, context.now);
  // Only resolved alerts and no send_resolved: nothing to say, but the log
  // must still learn that the firing ones are gone.
  if (!to_send.empty()) {
    // A replica paused (or starved) past its claim may find another
    // replica took it over: it must not send what that one sends.
    if (claimed && claimed->held_until &&
        std::chrono::steady_clock::now() >= *claimed->held_until) {
      log::warn(
          "Notification claim expired before sending; another replica takes it over",
          {{"integration", target_name(integration.target)}, {"group_key", context.group_key}});
      return false;
    }
    auto sent = send_with_retries(integration, context, to_send, deadline, stop);
    if (!sent) {
      if (parts_.metrics) parts_.metrics->notification_failed(kind);
      log::error("Notify for alerts failed", {{"integration", target_name(integration.target)},
                                              {"group_key", context.group_key},
                                              {"alerts", to_send.size()},
                                              {"err", sent.error().message}});
      // Another replica may try at its next flush.
      if (claimed && claimed->epoch) {
        if (Status s = parts_.replicas->cluster().settle(claim_key(integration, context),
                                                         *claimed->epoch, nullptr);
            !s) {
          log::warn("Releasing a notification claim failed; it expires by itself",
                    {{"group_key", context.group_key}, {"err", s.error().message()}});
        }
      }
      return false;
    }
    log::debug("Notify success", {{"integration", target_name(integration.target)},
                                  {"group_key", context.group_key},
                                  {"alerts", to_send.size()}});
  }
  // Claimed: the entry goes to the shared log with the claim's end, in one
  // transaction. If that fails (the database went away), it is queued as
  // below and written once the database is back.
  if (claimed && claimed->epoch) {
    store::NotificationRow row =
        notification_row(parts_.nflog->entry(integration.target, context.group_key, hashes.firing,
                                             hashes.resolved, Duration::zero(), context.now));
    Status settled =
        parts_.replicas->cluster().settle(claim_key(integration, context), *claimed->epoch, &row);
    if (settled) {
      parts_.nflog->merge({row});
      return true;
    }
    log::warn("Notification log entry not yet in the database; queued",
              {{"integration", target_name(integration.target)},
               {"group_key", context.group_key},
               {"err", settled.error().message()}});
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

store::ClaimKey Pipeline::claim_key(const ReceiverIntegration& integration,
                                    const notify::Context& context) {
  return store::ClaimKey{context.group_key, integration.target.receiver,
                         integration.target.integration, integration.target.index};
}

std::optional<Pipeline::Claimed> Pipeline::claim(const ReceiverIntegration& integration,
                                                 const notify::Context& context,
                                                 const std::vector<notify::Alert>& alerts,
                                                 const AlertHashes& hashes, bool repeat,
                                                 Timestamp deadline, bool& done) const {
  const notify::Notifier& notifier = *integration.notifier;
  // Held until the flush's deadline and a margin: a replica that dies
  // while sending leaves it to another after that.
  const Duration hold = std::max(Duration::zero(), deadline - parts_.clock->now()) + kClaimMargin;
  const auto claimed_at = std::chrono::steady_clock::now();
  auto outcome = parts_.replicas->cluster().claim(
      claim_key(integration, context), hold, [&](const store::NotificationRow* row) {
        if (row == nullptr) return true;
        NotificationLogEntry last = notification_from_row(*row);
        return needs_update(&last, hashes.firing_set, hashes.resolved_set, notifier.send_resolved(),
                            context.repeat_interval, context.now, repeat);
      });
  if (parts_.metrics)
    parts_.metrics->claim(outcome ? outcome->outcome : std::optional<store::ClaimOutcome>());
  if (!outcome) {
    // The database cannot say: the replica rendezvous hashing picks sends,
    // and so does the one whose rules made what changed (the others cannot
    // hear of it until the database is back: a group's rules are evaluated
    // by one replica). Both may send it: at most one duplicate.
    const bool own_news = parts_.from_own_rules && parts_.from_own_rules(alerts);
    if (!parts_.replicas->preferred(context.group_key) && !own_news) {
      // Not done: the next flush asks the database again, keeping the
      // group's resolved alerts until then.
      done = false;
      log::warn("Cannot claim a notification; another replica sends it",
                {{"integration", target_name(integration.target)},
                 {"group_key", context.group_key},
                 {"err", outcome.error().message()}});
      return std::nullopt;
    }
    log::warn(own_news ? "Cannot claim a notification; sending it as the replica whose rules "
                         "evaluated its alerts"
                       : "Cannot claim a notification; sending it as the replica picked for its "
                         "group",
              {{"integration", target_name(integration.target)},
               {"group_key", context.group_key},
               {"err", outcome.error().message()}});
    return Claimed{};
  }
  switch (outcome->outcome) {
    case store::ClaimOutcome::kTold:
      done = true;
      if (outcome->last) parts_.nflog->merge({*outcome->last});
      log::debug(
          "Notification not needed: the receiver was told by another replica",
          {{"integration", target_name(integration.target)}, {"group_key", context.group_key}});
      return std::nullopt;
    case store::ClaimOutcome::kBusy:
      // Not done: the holder may die before it sends, and then this
      // replica must still have the alerts (resolved ones too) to send at
      // its next flush, once the claim has expired.
      done = false;
      log::debug("Notification claimed by another replica",
                 {{"integration", target_name(integration.target)},
                  {"group_key", context.group_key},
                  {"replica", outcome->holder}});
      return std::nullopt;
    case store::ClaimOutcome::kClaimed:
      break;
  }
  return Claimed{outcome->epoch, claimed_at + hold - kClaimMargin / 2};
}

std::expected<notify::Delivery, notify::Failure> Pipeline::send_with_retries(
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
                seconds, acknowledge,        result ? result->reply : std::string()};
      parts_.history->submit({store::AppendHistory{
          notification_event(integration.target, context, alerts, a, parts_.clock->now())}});
    }
    if (result) {
      if (attempt > 1) {
        log::info("Notify success after retries",
                  {{"integration", target_name(integration.target)}, {"attempts", attempt}});
      }
      return std::move(*result);
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
