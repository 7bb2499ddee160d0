#include "dispatch/alert_store.h"

#include "dispatch/history.h"

namespace tocsin::dispatch {
namespace {

// Alertmanager's model.Alert.Resolved(): ends_at set and already passed
// (relative to the wall clock in Alertmanager; to updated_at here, which is
// when the alert arrived).
bool resolved(const notify::Alert& a, Timestamp now) {
  return a.resolved_at(now);
}

std::string_view source_name(AlertOrigin origin) {
  switch (origin) {
    case AlertOrigin::kRule:
      return "rule";
    case AlertOrigin::kHeartbeat:
      return "heartbeat";
    case AlertOrigin::kApi:
      break;
  }
  return "api";
}

AlertOrigin origin_of(std::string_view source) {
  if (source == "rule") return AlertOrigin::kRule;
  if (source == "heartbeat") return AlertOrigin::kHeartbeat;
  return AlertOrigin::kApi;
}

store::AlertRow alert_row(const notify::Alert& a, AlertOrigin origin) {
  return store::AlertRow{a.fingerprint(), a.labels,  a.annotations,
                         a.starts_at,     a.ends_at, a.updated_at,
                         a.generator_url, a.timeout, std::string(source_name(origin))};
}

// Whether a re-posted alert differs from the one held in more than its end
// and update times.
bool same_but_times(const notify::Alert& a, const notify::Alert& b) {
  return a.starts_at == b.starts_at && a.timeout == b.timeout && a.labels == b.labels &&
         a.annotations == b.annotations && a.generator_url == b.generator_url;
}

}  // namespace

AlertStore::AlertStore(std::shared_ptr<store::Writer> journal) : journal_(std::move(journal)) {}

void AlertStore::restore(const std::vector<store::AlertRow>& rows) {
  std::lock_guard lock(mu_);
  for (const store::AlertRow& row : rows) {
    notify::Alert a{row.labels,     row.annotations,   row.starts_at, row.ends_at,
                    row.updated_at, row.generator_url, row.timeout};
    Entry entry;
    entry.origin = origin_of(row.source);
    entry.stored_ends_at = row.ends_at;
    // A resolve that arrived was written with its end at or before its
    // arrival, and recorded; any other end is a firing alert's horizon, and
    // one that passed while tocsin was down is recorded at the next
    // garbage collection.
    entry.recorded_firing = entry.origin != AlertOrigin::kRule && !a.resolved_at(a.updated_at);
    entry.alert = std::make_shared<const notify::Alert>(std::move(a));
    alerts_.insert_or_assign(row.fingerprint, std::move(entry));
  }
}

void AlertStore::journal_put(Entry& entry, const AlertPtr& next, store::Batch& changes) const {
  const notify::Alert& n = *next;
  const Timestamp now = n.updated_at;
  if (entry.origin != AlertOrigin::kRule) {
    const bool firing = !n.resolved_at(now);
    if (entry.recorded_firing && entry.alert && entry.alert->resolved_at(now)) {
      // Its end passed unnoticed before this put.
      changes.push_back(store::AppendHistory{
          alert_event(*entry.alert, "resolved", entry.alert->ends_at, source_name(entry.origin))});
      entry.recorded_firing = false;
    }
    if (firing != entry.recorded_firing) {
      changes.push_back(store::AppendHistory{
          alert_event(n, firing ? "firing" : "resolved", now, source_name(entry.origin))});
      entry.recorded_firing = firing;
    }
  }
  bool write =
      !entry.alert || !same_but_times(*entry.alert, n) || entry.stored_ends_at == Timestamp{} ||
      n.ends_at < entry.stored_ends_at ||
      (n.ends_at > entry.stored_ends_at && entry.stored_ends_at - now < (n.ends_at - now) / 2);
  if (write) {
    changes.push_back(store::PutAlert{alert_row(n, entry.origin)});
    entry.stored_ends_at = n.ends_at;
  }
}

notify::Alert merge_alerts(const notify::Alert& a, const notify::Alert& o) {
  if (o.updated_at < a.updated_at) return merge_alerts(o, a);
  notify::Alert res = o;
  if (a.starts_at < o.starts_at) res.starts_at = a.starts_at;
  Timestamp now = o.updated_at;
  if (resolved(o, now)) {
    // The latest explicit resolution wins when both are resolved.
    if (resolved(a, now) && a.ends_at > o.ends_at) res.ends_at = a.ends_at;
  } else if (a.ends_at > o.ends_at && !a.timeout) {
    // A sender's own end time rules over a resolve_timeout one when later.
    res.ends_at = a.ends_at;
  }
  return res;
}

void AlertStore::put(std::span<const notify::Alert> alerts, AlertOrigin origin) {
  put(std::vector<notify::Alert>(alerts.begin(), alerts.end()), origin);
}

void AlertStore::put(std::vector<notify::Alert>&& alerts, AlertOrigin origin) {
  store(std::move(alerts), origin, journal_ != nullptr);
}

void AlertStore::merge_from_peers(const std::vector<store::AlertRow>& rows) {
  // One store call per origin, keeping the rows' order within each.
  for (AlertOrigin origin : {AlertOrigin::kApi, AlertOrigin::kRule, AlertOrigin::kHeartbeat}) {
    std::vector<notify::Alert> alerts;
    std::vector<Timestamp> ends;
    for (const store::AlertRow& row : rows) {
      if (origin_of(row.source) != origin) continue;
      alerts.push_back(notify::Alert{row.labels, row.annotations, row.starts_at, row.ends_at,
                                     row.updated_at, row.generator_url, row.timeout});
      ends.push_back(row.ends_at);
    }
    store(std::move(alerts), origin, false, ends, /*from_peer=*/true);
  }
}

void AlertStore::store(std::vector<notify::Alert>&& alerts, AlertOrigin origin, bool journal,
                       std::span<const Timestamp> stored_ends, bool from_peer) {
  if (alerts.empty()) return;
  std::lock_guard order(listener_mu_);
  std::vector<AlertPtr> stored;
  stored.reserve(alerts.size());
  store::Batch changes;
  std::shared_ptr<const BatchListener> listener;
  {
    std::lock_guard lock(mu_);
    for (std::size_t i = 0; i < alerts.size(); ++i) {
      notify::Alert& incoming = alerts[i];
      auto [it, inserted] = alerts_.try_emplace(incoming.fingerprint());
      Entry& entry = it->second;
      AlertPtr next;
      if (!inserted) {
        const notify::Alert& old = *entry.alert;
        // Merge only when the activity ranges overlap, as Alertmanager does.
        bool overlaps = (incoming.ends_at > old.starts_at && incoming.ends_at < old.ends_at) ||
                        (incoming.starts_at > old.starts_at && incoming.starts_at < old.ends_at);
        if (overlaps) next = std::make_shared<const notify::Alert>(merge_alerts(old, incoming));
      }
      if (!next) {
        incoming.generator_url.shrink_to_fit();  // held for as long as the alert
        next = std::make_shared<const notify::Alert>(std::move(incoming));
      }
      entry.origin = origin;
      entry.from_peer = from_peer;
      if (journal) journal_put(entry, next, changes);
      // What a peer wrote is in the store: no need to write it again
      // before its end time is half used.
      if (i < stored_ends.size())
        entry.stored_ends_at = std::max(entry.stored_ends_at, stored_ends[i]);
      entry.alert = next;
      stored.push_back(std::move(next));
    }
    listener = listener_;
  }
  // Queued before the dispatcher sees the alerts, and so before any
  // notification about them can be logged.
  if (journal) journal_->submit(std::move(changes));
  if (listener && *listener) (*listener)(stored);
}

std::vector<notify::Alert> AlertStore::list() const {
  std::lock_guard lock(mu_);
  std::vector<notify::Alert> out;
  out.reserve(alerts_.size());
  for (const auto& [fp, e] : alerts_) out.push_back(*e.alert);
  return out;
}

bool AlertStore::any_from_own_rules(std::span<const notify::Alert> alerts) const {
  std::lock_guard lock(mu_);
  return std::ranges::any_of(alerts, [&](const notify::Alert& a) {
    auto it = alerts_.find(a.fingerprint());
    return it != alerts_.end() && it->second.origin == AlertOrigin::kRule && !it->second.from_peer;
  });
}

std::vector<AlertPtr> AlertStore::snapshot() const {
  std::lock_guard lock(mu_);
  std::vector<AlertPtr> out;
  out.reserve(alerts_.size());
  for (const auto& [fp, e] : alerts_) out.push_back(e.alert);
  return out;
}

std::optional<notify::Alert> AlertStore::get(std::uint64_t fingerprint) const {
  std::lock_guard lock(mu_);
  auto it = alerts_.find(fingerprint);
  if (it == alerts_.end()) return std::nullopt;
  return *it->second.alert;
}

std::size_t AlertStore::size() const {
  std::lock_guard lock(mu_);
  return alerts_.size();
}

std::size_t AlertStore::collect_garbage(Timestamp now) {
  store::Batch changes;
  std::size_t dropped = 0;
  {
    std::lock_guard lock(mu_);
    dropped = std::erase_if(alerts_, [&](const auto& item) {
      const Entry& e = item.second;
      if (!resolved(*e.alert, now)) return false;
      if (journal_ && e.recorded_firing) {
        changes.push_back(store::AppendHistory{
            alert_event(*e.alert, "resolved", e.alert->ends_at, source_name(e.origin))});
      }
      return true;
    });
    if (journal_ && dropped > 0) changes.push_back(store::PurgeAlerts{now});
    // Submitted under the lock, so no put's batch about an alert dropped
    // here can overtake the purge.
    if (journal_) journal_->submit(std::move(changes));
  }
  return dropped;
}

void AlertStore::set_listener(Listener listener) {
  if (!listener) {
    set_listener(BatchListener{});
    return;
  }
  set_listener(BatchListener([listener = std::move(listener)](std::span<const AlertPtr> alerts) {
    for (const AlertPtr& a : alerts) listener(*a);
  }));
}

void AlertStore::set_listener(BatchListener listener) {
  std::lock_guard lock(mu_);
  listener_ = listener ? std::make_shared<const BatchListener>(std::move(listener)) : nullptr;
}

}  // namespace tocsin::dispatch
