#include "dispatch/heartbeats.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/log.h"

namespace tocsin::dispatch {
namespace {

constexpr std::size_t kMaxNameLength = 128;
constexpr std::size_t kMaxLabels = 64;
constexpr Duration kMaxTimeout = std::chrono::hours(24 * 366);

HeartbeatError invalid(std::string message) {
  return HeartbeatError{HeartbeatError::Kind::kInvalid, std::move(message)};
}

store::HeartbeatRow row_of(const Heartbeat& h) {
  return store::HeartbeatRow{h.name,       h.timeout,    h.labels,  h.annotations,
                             h.created_at, h.renewed_at, h.missing, h.created_by};
}

}  // namespace

Status validate_heartbeat_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength) {
    return fail(fmt::format("heartbeat name must be 1 to {} characters", kMaxNameLength));
  }
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-';
    if (!ok) {
      return fail(
          fmt::format("invalid heartbeat name \"{}\": only letters, digits, '_', '.' "
                      "and '-' are allowed",
                      name));
    }
  }
  return {};
}

Heartbeats::Heartbeats(Options options) : options_(std::move(options)) {}

Heartbeats::~Heartbeats() {
  stop();
}

void Heartbeats::restore(const std::vector<store::HeartbeatRow>& rows, Timestamp now) {
  std::lock_guard lock(mu_);
  for (const store::HeartbeatRow& row : rows) {
    Heartbeat h{row.name,       row.timeout, row.labels,  row.annotations, row.created_at,
                row.renewed_at, Timestamp{}, row.missing, row.created_by};
    // A whole timeout from the restart: its sender may have tried while
    // tocsin was down.
    h.due = std::max(row.renewed_at, now) + row.timeout;
    heartbeats_.insert_or_assign(h.name, std::move(h));
  }
}

void Heartbeats::merge_from_peers(const std::vector<store::HeartbeatRow>& rows,
                                  const std::vector<std::string>& removed) {
  std::lock_guard lock(mu_);
  for (const std::string& name : removed) {
    if (auto it = heartbeats_.find(name); it != heartbeats_.end()) heartbeats_.erase(it);
  }
  for (const store::HeartbeatRow& row : rows) {
    auto it = heartbeats_.find(row.name);
    if (it != heartbeats_.end() && it->second.renewed_at > row.renewed_at) continue;
    Heartbeat h{row.name,
                row.timeout,
                row.labels,
                row.annotations,
                row.created_at,
                row.renewed_at,
                row.renewed_at + row.timeout,
                row.missing,
                row.created_by};
    heartbeats_.insert_or_assign(h.name, std::move(h));
  }
  ++version_;
  changed_.notify_all();
}

void Heartbeats::start() {
  if (thread_.joinable()) return;
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void Heartbeats::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
}

notify::Alert Heartbeats::alert_of(const Heartbeat& h, Timestamp now, bool resolved) const {
  LabelsBuilder labels(h.labels);
  labels.set("alertname", kHeartbeatAlertName);
  labels.set("heartbeat", h.name);
  LabelsBuilder annotations;
  annotations.set("summary",
                  fmt::format("No heartbeat from {} for {}", h.name, format_duration(h.timeout)));
  for (Label l : h.annotations) annotations.set(l.name, l.value);
  notify::Alert a;
  a.labels = labels.labels();
  a.annotations = annotations.labels();
  a.starts_at = h.due;
  a.ends_at = resolved ? now : now + 3 * options_.refresh;
  a.updated_at = now;
  return a;
}

store::HistoryRow Heartbeats::event(const Heartbeat& h, std::string_view state, Timestamp at,
                                    std::string_view by) const {
  store::HistoryRow row;
  row.at = at;
  row.kind = "heartbeat";
  row.state = std::string(state);
  row.labels = alert_of(h, at, false).labels;
  row.by = std::string(by);
  row.details = nlohmann::json{{"name", h.name},
                               {"timeout", format_duration(h.timeout)},
                               {"renewedAt", format_rfc3339(h.renewed_at)},
                               {"dueAt", format_rfc3339(h.due)}}
                    .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return row;
}

store::Writer::Sequence Heartbeats::queue_locked(store::Batch changes) {
  if (!options_.journal || changes.empty()) return 0;
  return options_.journal->submit(std::move(changes));
}

HeartbeatResult<void> Heartbeats::durable(store::Writer::Sequence sequence,
                                          std::string_view name) const {
  if (sequence == 0) return {};
  Status written = options_.journal->wait_written(sequence, options_.durable_timeout);
  if (written) return {};
  return std::unexpected(HeartbeatError{
      HeartbeatError::Kind::kNotDurable,
      fmt::format("heartbeat {} is in force but not yet stored, so a restart would lose it: {}",
                  name, written.error().message())});
}

HeartbeatResult<Heartbeat> Heartbeats::renew(std::string_view name, const HeartbeatPost& post,
                                             Timestamp now) {
  if (Status ok = validate_heartbeat_name(name); !ok)
    return std::unexpected(invalid(ok.error().message()));
  if (post.timeout && (*post.timeout <= Duration::zero() || *post.timeout > kMaxTimeout)) {
    return std::unexpected(invalid(
        fmt::format("timeout must be more than 0 and at most {}", format_duration(kMaxTimeout))));
  }
  for (const auto* labels : {&post.labels, &post.annotations}) {
    if (*labels && (*labels)->size() > kMaxLabels) {
      return std::unexpected(
          invalid(fmt::format("at most {} labels and {} annotations", kMaxLabels, kMaxLabels)));
    }
  }
  std::vector<notify::Alert> resolved;
  Heartbeat answer;
  store::Writer::Sequence sequence = 0;
  {
    std::lock_guard lock(mu_);
    auto it = heartbeats_.find(name);
    store::Batch changes;
    if (it == heartbeats_.end()) {
      if (heartbeats_.size() >= options_.max_heartbeats) {
        return std::unexpected(
            HeartbeatError{HeartbeatError::Kind::kTooMany,
                           fmt::format("too many heartbeats (at most {}); delete one first",
                                       options_.max_heartbeats)});
      }
      Heartbeat h;
      h.name = std::string(name);
      h.timeout = post.timeout.value_or(kDefaultHeartbeatTimeout);
      h.labels = post.labels.value_or(Labels{});
      h.annotations = post.annotations.value_or(Labels{});
      h.created_at = now;
      h.renewed_at = now;
      h.due = now + h.timeout;
      h.created_by = post.created_by;
      changes.push_back(store::AppendHistory{event(h, "created", now, post.created_by)});
      it = heartbeats_.emplace(h.name, std::move(h)).first;
    } else {
      Heartbeat& h = it->second;
      bool updated = (post.timeout && *post.timeout != h.timeout) ||
                     (post.labels && *post.labels != h.labels) ||
                     (post.annotations && *post.annotations != h.annotations);
      const bool recovered = h.missing;
      // The alert resolves under the labels it fired with.
      if (recovered) resolved.push_back(alert_of(h, now, true));
      if (post.timeout) h.timeout = *post.timeout;
      if (post.labels) h.labels = *post.labels;
      if (post.annotations) h.annotations = *post.annotations;
      h.missing = false;
      h.renewed_at = now;
      h.due = now + h.timeout;
      if (recovered) {
        changes.push_back(store::AppendHistory{event(h, "recovered", now, post.created_by)});
      }
      if (updated)
        changes.push_back(store::AppendHistory{event(h, "updated", now, post.created_by)});
    }
    changes.insert(changes.begin(), store::PutHeartbeat{row_of(it->second)});
    answer = it->second;
    sequence = queue_locked(std::move(changes));
    ++version_;
    changed_.notify_all();
  }
  if (!resolved.empty() && options_.alerts) options_.alerts(std::move(resolved));
  if (auto ok = durable(sequence, name); !ok) return std::unexpected(ok.error());
  return answer;
}

HeartbeatResult<void> Heartbeats::remove(std::string_view name, Timestamp now) {
  std::vector<notify::Alert> resolved;
  store::Writer::Sequence sequence = 0;
  {
    std::lock_guard lock(mu_);
    auto it = heartbeats_.find(name);
    if (it == heartbeats_.end()) {
      return std::unexpected(
          HeartbeatError{HeartbeatError::Kind::kNotFound, "heartbeat not found"});
    }
    if (it->second.missing) resolved.push_back(alert_of(it->second, now, true));
    sequence = queue_locked({store::DeleteHeartbeat{it->second.name},
                             store::AppendHistory{event(it->second, "deleted", now, "")}});
    heartbeats_.erase(it);
    ++version_;
    changed_.notify_all();
  }
  if (!resolved.empty() && options_.alerts) options_.alerts(std::move(resolved));
  return durable(sequence, name);
}

std::vector<Heartbeat> Heartbeats::list() const {
  std::lock_guard lock(mu_);
  std::vector<Heartbeat> out;
  out.reserve(heartbeats_.size());
  for (const auto& [name, h] : heartbeats_) out.push_back(h);
  return out;
}

std::optional<Heartbeat> Heartbeats::get(std::string_view name) const {
  std::lock_guard lock(mu_);
  auto it = heartbeats_.find(name);
  if (it == heartbeats_.end()) return std::nullopt;
  return it->second;
}

void Heartbeats::check(Timestamp now) {
  std::vector<notify::Alert> firing;
  {
    std::lock_guard lock(mu_);
    store::Batch changes;
    for (auto& [name, h] : heartbeats_) {
      if (!h.missing && now >= h.due) {
        h.missing = true;
        changes.push_back(store::PutHeartbeat{row_of(h)});
        changes.push_back(store::AppendHistory{event(h, "missing", now, "")});
        log::warn("Heartbeat missing",
                  {{"heartbeat", name}, {"timeout", format_duration(h.timeout)}});
      }
      if (h.missing) firing.push_back(alert_of(h, now, false));
    }
    queue_locked(std::move(changes));
    next_refresh_ = now + options_.refresh;
  }
  if (!firing.empty() && options_.alerts) options_.alerts(std::move(firing));
}

void Heartbeats::run(std::stop_token stop) {
  const Clock& clock = *options_.clock;
  check(clock.now());
  std::unique_lock lock(mu_);
  while (!stop.stop_requested()) {
    Timestamp next = next_refresh_;
    for (const auto& [name, h] : heartbeats_) {
      if (!h.missing) next = std::min(next, h.due);
    }
    // A change (a new heartbeat, a shorter timeout) wakes it to plan anew.
    const std::uint64_t seen = version_;
    clock.wait_until(lock, changed_, next, stop, [&] { return version_ != seen; });
    if (stop.stop_requested()) return;
    if (clock.now() >= next) {
      lock.unlock();
      check(clock.now());
      lock.lock();
    }
  }
}

}  // namespace tocsin::dispatch
