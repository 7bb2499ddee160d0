#include "dispatch/alert_store.h"

namespace tocsin::dispatch {
namespace {

// Alertmanager's model.Alert.Resolved(): ends_at set and already passed
// (relative to the wall clock in Alertmanager; to updated_at here, which is
// when the alert arrived).
bool resolved(const notify::Alert& a, Timestamp now) {
  return a.resolved_at(now);
}

}  // namespace

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

void AlertStore::put(std::span<const notify::Alert> alerts) {
  put(std::vector<notify::Alert>(alerts.begin(), alerts.end()));
}

void AlertStore::put(std::vector<notify::Alert>&& alerts) {
  if (alerts.empty()) return;
  std::lock_guard order(listener_mu_);
  std::vector<AlertPtr> stored;
  stored.reserve(alerts.size());
  std::shared_ptr<const BatchListener> listener;
  {
    std::lock_guard lock(mu_);
    for (notify::Alert& incoming : alerts) {
      auto [it, inserted] = alerts_.try_emplace(incoming.fingerprint());
      if (!inserted) {
        const notify::Alert& old = *it->second;
        // Merge only when the activity ranges overlap, as Alertmanager does.
        bool overlaps = (incoming.ends_at > old.starts_at && incoming.ends_at < old.ends_at) ||
                        (incoming.starts_at > old.starts_at && incoming.starts_at < old.ends_at);
        if (overlaps) {
          it->second = std::make_shared<const notify::Alert>(merge_alerts(old, incoming));
          stored.push_back(it->second);
          continue;
        }
      }
      incoming.generator_url.shrink_to_fit();  // held for as long as the alert
      it->second = std::make_shared<const notify::Alert>(std::move(incoming));
      stored.push_back(it->second);
    }
    listener = listener_;
  }
  if (listener && *listener) (*listener)(stored);
}

std::vector<notify::Alert> AlertStore::list() const {
  std::lock_guard lock(mu_);
  std::vector<notify::Alert> out;
  out.reserve(alerts_.size());
  for (const auto& [fp, a] : alerts_) out.push_back(*a);
  return out;
}

std::vector<AlertPtr> AlertStore::snapshot() const {
  std::lock_guard lock(mu_);
  std::vector<AlertPtr> out;
  out.reserve(alerts_.size());
  for (const auto& [fp, a] : alerts_) out.push_back(a);
  return out;
}

std::optional<notify::Alert> AlertStore::get(std::uint64_t fingerprint) const {
  std::lock_guard lock(mu_);
  auto it = alerts_.find(fingerprint);
  if (it == alerts_.end()) return std::nullopt;
  return *it->second;
}

std::size_t AlertStore::size() const {
  std::lock_guard lock(mu_);
  return alerts_.size();
}

std::size_t AlertStore::collect_garbage(Timestamp now) {
  std::lock_guard lock(mu_);
  return std::erase_if(alerts_, [&](const auto& entry) { return resolved(*entry.second, now); });
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
