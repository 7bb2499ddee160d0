#include "dispatch/aggregation_group.h"

#include <algorithm>

#include "dispatch/alert_order.h"

namespace tocsin::dispatch {

AggregationGroup::AggregationGroup(const Route& route, Labels labels, Timestamp created)
    : route_(route),
      labels_(std::move(labels)),
      key_(group_key(route, labels_)),
      next_flush_(created + route.options().group_wait) {}

bool AggregationGroup::insert(AlertPtr alert, Timestamp now) {
  std::uint64_t fingerprint = alert->fingerprint();
  Timestamp starts_at = alert->starts_at;
  std::lock_guard lock(mu_);
  alerts_.insert_or_assign(fingerprint, std::move(alert));
  // An alert that started longer than group_wait ago needs no more waiting.
  if (!has_flushed_ && starts_at + route_.options().group_wait < now && now < next_flush_) {
    next_flush_ = now;
    return true;
  }
  return false;
}

std::vector<notify::Alert> AggregationGroup::alerts_to_flush(Timestamp now) const {
  std::vector<notify::Alert> out;
  {
    std::lock_guard lock(mu_);
    out.reserve(alerts_.size());
    for (const auto& [fp, a] : alerts_) out.push_back(*a);
  }
  for (notify::Alert& a : out) {
    if (!a.resolved_at(now)) a.ends_at = Timestamp{};
  }
  std::stable_sort(out.begin(), out.end(), alert_before);
  return out;
}

void AggregationGroup::forget_sent_resolved(const std::vector<notify::Alert>& sent, Timestamp now) {
  std::lock_guard lock(mu_);
  for (const notify::Alert& a : sent) {
    auto it = alerts_.find(a.fingerprint());
    if (it == alerts_.end()) continue;
    if (a.resolved_at(now) && it->second->updated_at == a.updated_at) alerts_.erase(it);
  }
}

std::vector<notify::Alert> AggregationGroup::alerts() const {
  std::lock_guard lock(mu_);
  std::vector<notify::Alert> out;
  out.reserve(alerts_.size());
  for (const auto& [fp, a] : alerts_) out.push_back(*a);
  return out;
}

bool AggregationGroup::empty() const {
  std::lock_guard lock(mu_);
  return alerts_.empty();
}

Timestamp AggregationGroup::next_flush() const {
  std::lock_guard lock(mu_);
  return next_flush_;
}

void AggregationGroup::set_next_flush(Timestamp at) {
  std::lock_guard lock(mu_);
  next_flush_ = at;
}

bool AggregationGroup::has_flushed() const {
  std::lock_guard lock(mu_);
  return has_flushed_;
}

void AggregationGroup::mark_flushed() {
  std::lock_guard lock(mu_);
  has_flushed_ = true;
}

}  // namespace tocsin::dispatch
