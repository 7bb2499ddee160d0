#include "dispatch/notification_log.h"

#include <algorithm>
#include <charconv>
#include <mutex>

#include <fmt/format.h>

#include "dispatch/snapshot_record.h"

namespace tocsin::dispatch {
namespace {

using record::Json;

bool is_subset(const std::vector<std::uint64_t>& set, const AlertHashSet& subset) {
  if (subset.empty()) return true;
  AlertHashSet held(set.begin(), set.end());
  return std::ranges::all_of(subset, [&](std::uint64_t h) { return held.contains(h); });
}

Json hashes_json(const std::vector<std::uint64_t>& hashes) {
  Json out = Json::array();
  for (std::uint64_t h : hashes) out.push_back(fmt::format("{:016x}", h));
  return out;
}

Result<std::vector<std::uint64_t>> hashes_from(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return fail(fmt::format("{} missing", key));
  std::vector<std::uint64_t> out;
  for (const Json& h : *it) {
    std::uint64_t v = 0;
    const std::string* s = h.get_ptr<const std::string*>();
    if (s == nullptr || s->empty() ||
        std::from_chars(s->data(), s->data() + s->size(), v, 16).ptr != s->data() + s->size()) {
      return fail(fmt::format("{}: bad hash {}", key, h.dump()));
    }
    out.push_back(v);
  }
  return out;
}

}  // namespace

bool NotificationLogEntry::is_firing_subset(const AlertHashSet& subset) const {
  return is_subset(firing_alerts, subset);
}

bool NotificationLogEntry::is_resolved_subset(const AlertHashSet& subset) const {
  return is_subset(resolved_alerts, subset);
}

NotificationLog::NotificationLog(Duration retention) : retention_(retention) {}

std::string NotificationLog::key(const NotificationTarget& target, std::string_view group_key) {
  return fmt::format("{}:{}/{}/{}", group_key, target.receiver, target.integration, target.index);
}

void NotificationLog::log(const NotificationTarget& target, std::string_view group_key,
                          std::vector<std::uint64_t> firing_alerts,
                          std::vector<std::uint64_t> resolved_alerts, Duration expiry,
                          Timestamp now) {
  Timestamp expires_at = now + retention_;
  if (expiry > Duration::zero() && retention_ > expiry) expires_at = now + expiry;

  std::unique_lock lock(mu_);
  std::string k = key(target, group_key);
  if (auto it = entries_.find(k); it != entries_.end() && it->second.timestamp > now) return;
  // Alertmanager keeps the held entry when the new one is not strictly
  // newer; that only matters within one tick of its nanosecond clock, but
  // within one of tocsin's milliseconds the later log must still win.
  entries_.insert_or_assign(std::move(k),
                            NotificationLogEntry{.group_key = std::string(group_key),
                                                 .target = target,
                                                 .timestamp = now,
                                                 .firing_alerts = std::move(firing_alerts),
                                                 .resolved_alerts = std::move(resolved_alerts),
                                                 .expires_at = expires_at});
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
  return std::erase_if(entries_, [&](const auto& item) { return item.second.expires_at <= now; });
}

std::size_t NotificationLog::size() const {
  std::shared_lock lock(mu_);
  return entries_.size();
}

Status NotificationLog::snapshot(SnapshotStore& store) const {
  std::vector<std::string> records;
  {
    std::shared_lock lock(mu_);
    records.reserve(entries_.size());
    for (const auto& [k, entry] : entries_) records.push_back(encode_notification_record(entry));
  }
  std::ranges::sort(records);
  return store.save(records);
}

Status NotificationLog::restore(const SnapshotStore& store) {
  auto records = store.load();
  if (!records) return std::unexpected(records.error());
  std::unordered_map<std::string, NotificationLogEntry> loaded;
  for (std::size_t i = 0; i < records->size(); ++i) {
    auto entry = decode_notification_record((*records)[i]);
    if (!entry) {
      return fail(
          fmt::format("notification log snapshot record {}: {}", i + 1, entry.error().message()));
    }
    std::string k = key(entry->target, entry->group_key);
    loaded.insert_or_assign(std::move(k), std::move(*entry));
  }
  std::unique_lock lock(mu_);
  entries_ = std::move(loaded);
  return {};
}

std::string encode_notification_record(const NotificationLogEntry& entry) {
  Json record = {{"groupKey", entry.group_key},
                 {"receiver", entry.target.receiver},
                 {"integration", entry.target.integration},
                 {"index", entry.target.index},
                 {"timestamp", format_rfc3339(entry.timestamp)},
                 {"firingAlerts", hashes_json(entry.firing_alerts)},
                 {"resolvedAlerts", hashes_json(entry.resolved_alerts)},
                 {"expiresAt", format_rfc3339(entry.expires_at)}};
  return record::dump(record);
}

Result<NotificationLogEntry> decode_notification_record(std::string_view text) {
  auto j = record::parse(text);
  if (!j) return std::unexpected(j.error());
  auto group_key = record::string_field(*j, "groupKey");
  auto receiver = record::string_field(*j, "receiver");
  auto integration = record::string_field(*j, "integration");
  for (auto* r : {&group_key, &receiver, &integration}) {
    if (!*r) return std::unexpected(r->error());
  }
  auto timestamp = record::time_field(*j, "timestamp");
  auto expires_at = record::time_field(*j, "expiresAt");
  for (auto* r : {&timestamp, &expires_at}) {
    if (!*r) return std::unexpected(r->error());
  }
  auto firing = hashes_from(*j, "firingAlerts");
  if (!firing) return std::unexpected(firing.error());
  auto resolved = hashes_from(*j, "resolvedAlerts");
  if (!resolved) return std::unexpected(resolved.error());
  auto index = j->find("index");
  if (index == j->end() || !index->is_number_unsigned() ||
      index->get<std::uint64_t>() > UINT32_MAX) {
    return fail("index missing");
  }
  return NotificationLogEntry{.group_key = std::move(*group_key),
                              .target = {.receiver = std::move(*receiver),
                                         .integration = std::move(*integration),
                                         .index = index->get<std::uint32_t>()},
                              .timestamp = *timestamp,
                              .firing_alerts = std::move(*firing),
                              .resolved_alerts = std::move(*resolved),
                              .expires_at = *expires_at};
}

}  // namespace tocsin::dispatch
