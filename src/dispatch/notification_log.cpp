#include "dispatch/notification_log.h"

#include <algorithm>
#include <mutex>

#include <fmt/format.h>

namespace tocsin::dispatch {
namespace {

bool is_subset(const std::vector<std::uint64_t>& set, const AlertHashSet& subset) {
  if (subset.empty()) return true;
  AlertHashSet held(set.begin(), set.end());
  return std::ranges::all_of(subset, [&](std::uint64_t h) { return held.contains(h); });
}

}  // namespace

bool NotificationLogEntry::is_firing_subset(const AlertHashSet& subset) const {
  return is_subset(firing_alerts, subset);
}

bool NotificationLogEntry::is_resolved_subset(const AlertHashSet& subset) const {
  return is_subset(resolved_alerts, subset);
}

NotificationLog::NotificationLog(Duration retention, std::shared_ptr<store::Writer> journal)
    : retention_(retention), journal_(std::move(journal)) {}

std::string NotificationLog::key(const NotificationTarget& target, std::string_view group_key) {
  return fmt::format("{}:{}/{}/{}", group_key, target.receiver, target.integration, target.index);
}

store::Writer::Sequence NotificationLog::log(const NotificationTarget& target,
                                             std::string_view group_key,
                                             std::vector<std::uint64_t> firing_alerts,
                                             std::vector<std::uint64_t> resolved_alerts,
                                             Duration expiry, Timestamp now) {
  NotificationLogEntry made =
      entry(target, group_key, std::move(firing_alerts), std::move(resolved_alerts), expiry, now);
  std::unique_lock lock(mu_);
  std::string k = key(target, group_key);
  if (auto it = entries_.find(k); it != entries_.end() && it->second.timestamp > now) return 0;
  // Alertmanager keeps the held entry when the new one is not strictly
  // newer; that only matters within one tick of its nanosecond clock, but
  // within one of tocsin's milliseconds the later log must still win.
  auto [it, inserted] = entries_.insert_or_assign(std::move(k), std::move(made));
  // Queued under the lock, so two logs of one entry reach the store in the
  // order memory took them. A crash from here until the commit loses the
  // entry: the notification it records is sent again after the restart.
  if (!journal_) return 0;
  return journal_->submit({store::PutNotification{notification_row(it->second)}});
}

Status NotificationLog::wait_written(store::Writer::Sequence sequence, Duration timeout) const {
  if (sequence == 0 || !journal_) return {};
  return journal_->wait_written(sequence, timeout);
}

std::optional<NotificationLogEntry> NotificationLog::query(const NotificationTarget& target,
                                                           std::string_view group_key) const {
  std::shared_lock lock(mu_);
  auto it = entries_.find(key(target, group_key));
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

std::size_t NotificationLog::collect_garbage(Timestamp now) {
  std::unique_lock lock(mu_);
  std::size_t removed =
      std::erase_if(entries_, [&](const auto& item) { return item.second.expires_at <= now; });
  // Not waited for: a crash before it is written keeps expired entries,
  // which the next collection after the restart drops again.
  if (removed > 0 && journal_) journal_->submit({store::PurgeNotifications{now}});
  return removed;
}

std::size_t NotificationLog::size() const {
  std::shared_lock lock(mu_);
  return entries_.size();
}

NotificationLogEntry NotificationLog::entry(const NotificationTarget& target,
                                            std::string_view group_key,
                                            std::vector<std::uint64_t> firing_alerts,
                                            std::vector<std::uint64_t> resolved_alerts,
                                            Duration expiry, Timestamp now) const {
  Timestamp expires_at = now + retention_;
  if (expiry > Duration::zero() && retention_ > expiry) expires_at = now + expiry;
  return NotificationLogEntry{.group_key = std::string(group_key),
                              .target = target,
                              .timestamp = now,
                              .firing_alerts = std::move(firing_alerts),
                              .resolved_alerts = std::move(resolved_alerts),
                              .expires_at = expires_at};
}

void NotificationLog::merge(const std::vector<store::NotificationRow>& rows) {
  std::unique_lock lock(mu_);
  for (const store::NotificationRow& row : rows) {
    NotificationLogEntry entry = notification_from_row(row);
    std::string k = key(entry.target, entry.group_key);
    auto it = entries_.find(k);
    if (it != entries_.end() && it->second.timestamp > entry.timestamp) continue;
    entries_.insert_or_assign(std::move(k), std::move(entry));
  }
}

void NotificationLog::restore(const std::vector<store::NotificationRow>& rows) {
  std::unordered_map<std::string, NotificationLogEntry> loaded;
  for (const store::NotificationRow& row : rows) {
    NotificationLogEntry entry = notification_from_row(row);
    std::string k = key(entry.target, entry.group_key);
    loaded.insert_or_assign(std::move(k), std::move(entry));
  }
  std::unique_lock lock(mu_);
  entries_ = std::move(loaded);
}

store::NotificationRow notification_row(const NotificationLogEntry& entry) {
  return store::NotificationRow{.group_key = entry.group_key,
                                .receiver = entry.target.receiver,
                                .integration = entry.target.integration,
                                .index = entry.target.index,
                                .timestamp = entry.timestamp,
                                .firing_alerts = entry.firing_alerts,
                                .resolved_alerts = entry.resolved_alerts,
                                .expires_at = entry.expires_at};
}

NotificationLogEntry notification_from_row(store::NotificationRow row) {
  return NotificationLogEntry{.group_key = std::move(row.group_key),
                              .target = {.receiver = std::move(row.receiver),
                                         .integration = std::move(row.integration),
                                         .index = row.index},
                              .timestamp = row.timestamp,
                              .firing_alerts = std::move(row.firing_alerts),
                              .resolved_alerts = std::move(row.resolved_alerts),
                              .expires_at = row.expires_at};
}

}  // namespace tocsin::dispatch
