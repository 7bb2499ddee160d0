#include "dispatch/silences.h"

#include <algorithm>
#include <mutex>

#include <fmt/format.h>

#include "core/log.h"
#include "dispatch/history.h"

namespace tocsin::dispatch {
namespace {

SilenceError not_found() {
  return {SilenceError::Kind::kNotFound, "silence not found"};
}

std::unexpected<SilenceError> invalid(const Error& error) {
  return std::unexpected(
      SilenceError{SilenceError::Kind::kInvalid, "silence invalid: " + error.message()});
}

// Go's Time.Unix(): whole seconds, rounded down.
std::int64_t unix_seconds(Timestamp t) {
  return std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count();
}

// Alertmanager's canUpdate: may `prev` become `next` without rewriting what
// was silenced in the past?
bool can_update(const Silence& prev, const Silence& next, Timestamp now) {
  if (prev.matchers != next.matchers) return false;
  switch (prev.state_at(now)) {
    case SilenceState::kActive:
      return unix_seconds(next.starts_at) == unix_seconds(prev.starts_at) && next.ends_at >= now;
    case SilenceState::kPending:
      return next.starts_at >= now;
    case SilenceState::kExpired:
      return false;
  }
  return false;
}

bool filter_matches(const Silence& silence, const Matchers& filter) {
  return std::ranges::all_of(filter, [&](const Matcher& wanted) {
    return std::ranges::any_of(silence.matchers,
                               [&](const Matcher& held) { return held == wanted; });
  });
}

bool passes(const Silence& silence, const SilenceQuery& query, Timestamp now) {
  if (!query.states.empty() &&
      std::ranges::find(query.states, silence.state_at(now)) == query.states.end()) {
    return false;
  }
  if (query.matching && !silence.matches(*query.matching)) return false;
  return filter_matches(silence, query.filter);
}

std::optional<MatchType> match_type_from(std::string_view op) {
  for (MatchType t :
       {MatchType::kEqual, MatchType::kNotEqual, MatchType::kRegexp, MatchType::kNotRegexp}) {
    if (to_string(t) == op) return t;
  }
  return std::nullopt;
}

}  // namespace

Silences::Silences(Options options)
    : retention_(options.retention),
      new_id_(options.new_id ? std::move(options.new_id) : random_silence_ids()),
      journal_(std::move(options.journal)),
      durable_timeout_(options.durable_timeout) {}

void Silences::store_locked(Silence silence, Timestamp now, store::Batch& changes,
                            std::string_view event, std::string_view by) {
  silence.updated_at = now;
  Timestamp expires_at = silence.ends_at + retention_;
  if (journal_) {
    changes.push_back(store::PutSilence{silence_row(silence, expires_at)});
    changes.push_back(store::AppendHistory{silence_event(silence, event, now, by)});
  }
  std::string id = silence.id;
  silences_.insert_or_assign(std::move(id), Entry{std::move(silence), expires_at});
  ++version_;
}

store::Writer::Sequence Silences::journal_locked(store::Batch changes) {
  if (!journal_ || changes.empty()) return 0;
  return journal_->submit(std::move(changes));
}

SilenceResult<void> Silences::durable(store::Writer::Sequence sequence, std::string_view id) const {
  if (sequence == 0) return {};
  Status written = journal_->wait_written(sequence, durable_timeout_);
  if (written) return {};
  return std::unexpected(SilenceError{
      SilenceError::Kind::kNotDurable,
      fmt::format("silence {} is in force but not yet stored, so a restart would lose it: {}", id,
                  written.error().message())});
}

void Silences::expire_locked(const Silence& silence, Timestamp now, store::Batch& changes,
                             std::string_view by) {
  Silence ended = silence;
  switch (silence.state_at(now)) {
    case SilenceState::kExpired:
      return;
    case SilenceState::kActive:
      ended.ends_at = now;
      break;
    case SilenceState::kPending:
      ended.starts_at = now;
      ended.ends_at = now;
      break;
  }
  store_locked(std::move(ended), now, changes, "expired", by);
}

SilenceResult<std::string> Silences::set(const PostableSilence& posted, Timestamp now) {
  auto matchers = compile_silence_matchers(posted.matchers);
  if (!matchers) return invalid(matchers.error());
  auto schedule = compile_schedule(posted.schedule);
  if (!schedule) return invalid(schedule.error());
  Silence next{.id = posted.id,
               .matchers = std::move(*matchers),
               .starts_at = posted.starts_at,
               .ends_at = posted.ends_at,
               .updated_at = now,
               .created_by = posted.created_by,
               .comment = posted.comment,
               .ends_when_resolved = posted.ends_when_resolved,
               .matched = false,
               .schedule = posted.schedule,
               .schedule_intervals = std::move(*schedule)};

  // Memory changes and the change is queued under one lock, so the store
  // takes changes in memory's order. A crash before the queued change is
  // committed loses it, but `durable` has not answered yet: the client
  // never heard that the silence exists.
  store::Batch changes;
  std::string id;
  store::Writer::Sequence sequence = 0;
  {
    std::unique_lock lock(mu_);
    const Silence* prev = nullptr;
    if (!posted.id.empty()) {
      auto it = silences_.find(posted.id);
      if (it == silences_.end()) return std::unexpected(not_found());
      prev = &it->second.silence;
      if (can_update(*prev, next, now)) {
        if (auto ok = validate_silence_times(next.starts_at, next.ends_at); !ok) {
          return invalid(ok.error());
        }
        next.matched = next.ends_when_resolved && prev->matched;
        id = posted.id;
        std::string by = next.created_by;
        store_locked(std::move(next), now, changes, "updated", by);
        sequence = journal_locked(std::move(changes));
      }
    }
    if (id.empty()) {
      // A new silence, or one replacing `prev`. Unlike Alertmanager, which
      // ends the old silence before validating the new one, a refused change
      // leaves the old silence alone.
      next.starts_at = std::max(next.starts_at, now);
      if (auto ok = validate_silence_times(next.starts_at, next.ends_at); !ok) {
        return invalid(ok.error());
      }
      // The old silence's end and the new silence go in one batch: a crash
      // keeps both or neither.
      if (prev != nullptr) expire_locked(*prev, now, changes, next.created_by);
      do {
        next.id = new_id_();
      } while (silences_.contains(next.id));
      id = next.id;
      std::string by = next.created_by;
      store_locked(std::move(next), now, changes, "created", by);
      sequence = journal_locked(std::move(changes));
    }
  }
  // Committed once this returns: only now may the API answer 200.
  if (auto ok = durable(sequence, id); !ok) return std::unexpected(ok.error());
  return id;
}

SilenceResult<void> Silences::expire(std::string_view id, Timestamp now) {
  store::Writer::Sequence sequence = 0;
  {
    std::unique_lock lock(mu_);
    auto it = silences_.find(std::string(id));
    if (it == silences_.end()) return std::unexpected(not_found());
    store::Batch changes;
    expire_locked(it->second.silence, now, changes, "");
    sequence = journal_locked(std::move(changes));
  }
  // As in `set`: a crash before this commit leaves the silence active
  // after the restart, and the client got no answer saying otherwise.
  return durable(sequence, id);
}

bool Silences::has_resolve_ending(Timestamp now) const {
  std::shared_lock lock(mu_);
  return std::ranges::any_of(silences_, [&](const auto& entry) {
    const Silence& s = entry.second.silence;
    return s.ends_when_resolved && s.state_at(now) == SilenceState::kActive;
  });
}

std::size_t Silences::end_resolved(const std::vector<Labels>& firing, Timestamp now) {
  std::unique_lock lock(mu_);
  store::Batch changes;
  std::size_t ended = 0;
  for (auto& [id, entry] : silences_) {
    Silence& s = entry.silence;
    if (!s.ends_when_resolved || s.state_at(now) != SilenceState::kActive) continue;
    bool matching = std::ranges::any_of(firing, [&](const Labels& l) { return s.matches(l); });
    if (matching && !s.matched) {
      // Not an event of its own: the row remembers it for a restart.
      log::debug("Silence matched a firing alert; it ends once they resolve", {{"id", id}});
      s.matched = true;
      if (journal_) changes.push_back(store::PutSilence{silence_row(s, entry.expires_at)});
      ++version_;
    } else if (!matching && s.matched) {
      expire_locked(s, now, changes, kResolvedBy);
      ++ended;
    }
  }
  journal_locked(std::move(changes));
  return ended;
}

std::optional<Silence> Silences::get(std::string_view id) const {
  std::shared_lock lock(mu_);
  auto it = silences_.find(std::string(id));
  if (it == silences_.end()) return std::nullopt;
  return it->second.silence;
}

std::vector<Silence> Silences::query(const SilenceQuery& query, Timestamp now) const {
  std::vector<Silence> out;
  {
    std::shared_lock lock(mu_);
    auto consider = [&](const Silence& s) {
      if (passes(s, query, now)) out.push_back(s);
    };
    if (query.ids) {
      for (const std::string& id : *query.ids) {
        if (auto it = silences_.find(id); it != silences_.end()) consider(it->second.silence);
      }
    } else {
      for (const auto& [id, entry] : silences_) consider(entry.silence);
    }
  }
  std::ranges::sort(out, {}, &Silence::id);
  auto dup = std::ranges::unique(out, {}, &Silence::id);  // an id asked for twice
  out.erase(dup.begin(), dup.end());
  return out;
}

std::vector<std::string> Silences::mutes(const Labels& labels, Timestamp now) const {
  std::vector<std::string> ids;
  {
    std::shared_lock lock(mu_);
    for (const auto& [id, entry] : silences_) {
      const Silence& s = entry.silence;
      if (s.mutes_at(now) && s.matches(labels)) ids.push_back(id);
    }
  }
  std::ranges::sort(ids);
  return ids;
}

SilenceCounts Silences::counts(Timestamp now) const {
  SilenceCounts counts;
  std::shared_lock lock(mu_);
  for (const auto& [id, entry] : silences_) {
    switch (entry.silence.state_at(now)) {
      case SilenceState::kActive:
        ++counts.active;
        break;
      case SilenceState::kPending:
        ++counts.pending;
        break;
      case SilenceState::kExpired:
        ++counts.expired;
        break;
    }
  }
  return counts;
}

std::size_t Silences::size() const {
  std::shared_lock lock(mu_);
  return silences_.size();
}

std::size_t Silences::collect_garbage(Timestamp now) {
  std::unique_lock lock(mu_);
  std::size_t removed =
      std::erase_if(silences_, [&](const auto& item) { return item.second.expires_at <= now; });
  if (removed > 0) {
    ++version_;
    // Not waited for: a crash before it is written keeps silences that a
    // restart drops again (restore skips nothing, the next collection does).
    journal_locked({store::PurgeSilences{now}});
  }
  return removed;
}

std::uint64_t Silences::version() const {
  std::shared_lock lock(mu_);
  return version_;
}

Status Silences::restore(const std::vector<store::SilenceRow>& rows) {
  std::unordered_map<std::string, Entry> loaded;
  for (const store::SilenceRow& row : rows) {
    auto silence = silence_from_row(row);
    if (!silence) {
      return fail(fmt::format("silence {}: {}", row.id, silence.error().message()));
    }
    loaded.insert_or_assign(row.id, Entry{std::move(*silence), row.expires_at});
  }
  std::unique_lock lock(mu_);
  silences_ = std::move(loaded);
  ++version_;
  return {};
}

Status Silences::merge_from_peers(const std::vector<store::SilenceRow>& rows) {
  std::string errors;
  std::unique_lock lock(mu_);
  for (const store::SilenceRow& row : rows) {
    auto silence = silence_from_row(row);
    if (!silence) {
      errors += fmt::format("{}silence {}: {}", errors.empty() ? "" : "; ", row.id,
                            silence.error().message());
      continue;
    }
    auto it = silences_.find(row.id);
    if (it != silences_.end() && it->second.silence.updated_at > row.updated_at) continue;
    silences_.insert_or_assign(row.id, Entry{std::move(*silence), row.expires_at});
    ++version_;
  }
  if (!errors.empty()) return fail(errors);
  return {};
}

void order_for_listing(std::vector<Silence>& silences, Timestamp now) {
  auto rank = [](SilenceState s) {
    switch (s) {
      case SilenceState::kActive:
        return 1;
      case SilenceState::kPending:
        return 2;
      case SilenceState::kExpired:
        return 3;
    }
    return 3;
  };
  std::ranges::stable_sort(silences, [&](const Silence& a, const Silence& b) {
    SilenceState sa = a.state_at(now), sb = b.state_at(now);
    if (sa != sb) return rank(sa) < rank(sb);
    switch (sa) {
      case SilenceState::kActive:
        if (a.ends_at != b.ends_at) return a.ends_at < b.ends_at;
        break;
      case SilenceState::kPending:
        if (a.starts_at != b.starts_at) return a.starts_at < b.starts_at;
        break;
      case SilenceState::kExpired:
        if (a.ends_at != b.ends_at) return a.ends_at > b.ends_at;
        break;
    }
    return a.id < b.id;
  });
}

store::SilenceRow silence_row(const Silence& silence, Timestamp expires_at) {
  store::SilenceRow row{.id = silence.id,
                        .matchers = {},
                        .starts_at = silence.starts_at,
                        .ends_at = silence.ends_at,
                        .updated_at = silence.updated_at,
                        .created_by = silence.created_by,
                        .comment = silence.comment,
                        .expires_at = expires_at,
                        .ends_when_resolved = silence.ends_when_resolved,
                        .matched = silence.matched,
                        .schedule = silence.schedule};
  for (const Matcher& m : silence.matchers) {
    row.matchers.push_back({std::string(to_string(m.type())), m.name(), m.value()});
  }
  return row;
}

Result<Silence> silence_from_row(const store::SilenceRow& row) {
  Silence silence{.id = row.id,
                  .matchers = {},
                  .starts_at = row.starts_at,
                  .ends_at = row.ends_at,
                  .updated_at = row.updated_at,
                  .created_by = row.created_by,
                  .comment = row.comment,
                  .ends_when_resolved = row.ends_when_resolved,
                  .matched = row.matched,
                  .schedule = row.schedule};
  auto schedule = compile_schedule(row.schedule);
  if (!schedule) return std::unexpected(schedule.error());
  silence.schedule_intervals = std::move(*schedule);
  for (const store::SilenceMatcherRow& m : row.matchers) {
    auto type = match_type_from(m.type);
    if (!type) return fail(fmt::format("unknown matcher type \"{}\"", m.type));
    auto compiled = Matcher::create(*type, m.name, m.pattern);
    if (!compiled) return std::unexpected(compiled.error());
    silence.matchers.push_back(std::move(*compiled));
  }
  return silence;
}

}  // namespace tocsin::dispatch
