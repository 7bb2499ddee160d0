#include "dispatch/silences.h"

#include <algorithm>
#include <mutex>

#include <fmt/format.h>

#include "dispatch/snapshot_record.h"

namespace tocsin::dispatch {
namespace {

using record::Json;

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
      new_id_(options.new_id ? std::move(options.new_id) : random_silence_ids()) {}

void Silences::store_locked(Silence silence, Timestamp now) {
  silence.updated_at = now;
  Timestamp expires_at = silence.ends_at + retention_;
  std::string id = silence.id;
  silences_.insert_or_assign(std::move(id), Entry{std::move(silence), expires_at});
  ++version_;
}

void Silences::expire_locked(const Silence& silence, Timestamp now) {
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
  store_locked(std::move(ended), now);
}

SilenceResult<std::string> Silences::set(const PostableSilence& posted, Timestamp now) {
  auto matchers = compile_silence_matchers(posted.matchers);
  if (!matchers) return invalid(matchers.error());
  Silence next{.id = posted.id,
               .matchers = std::move(*matchers),
               .starts_at = posted.starts_at,
               .ends_at = posted.ends_at,
               .updated_at = now,
               .created_by = posted.created_by,
               .comment = posted.comment};

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
      store_locked(std::move(next), now);
      return posted.id;
    }
  }

  // A new silence, or one replacing `prev`. Unlike Alertmanager, which ends
  // the old silence before validating the new one, a refused change leaves
  // the old silence alone.
  next.starts_at = std::max(next.starts_at, now);
  if (auto ok = validate_silence_times(next.starts_at, next.ends_at); !ok) {
    return invalid(ok.error());
  }
  if (prev != nullptr) expire_locked(*prev, now);
  do {
    next.id = new_id_();
  } while (silences_.contains(next.id));
  std::string id = next.id;
  store_locked(std::move(next), now);
  return id;
}

SilenceResult<void> Silences::expire(std::string_view id, Timestamp now) {
  std::unique_lock lock(mu_);
  auto it = silences_.find(std::string(id));
  if (it == silences_.end()) return std::unexpected(not_found());
  expire_locked(it->second.silence, now);
  return {};
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
      if (s.state_at(now) == SilenceState::kActive && s.matches(labels)) ids.push_back(id);
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
  if (removed > 0) ++version_;
  return removed;
}

std::uint64_t Silences::version() const {
  std::shared_lock lock(mu_);
  return version_;
}

Status Silences::snapshot(SnapshotStore& store) const {
  std::vector<std::string> records;
  {
    std::shared_lock lock(mu_);
    records.reserve(silences_.size());
    for (const auto& [id, entry] : silences_) {
      records.push_back(encode_silence_record(entry.silence, entry.expires_at));
    }
  }
  std::ranges::sort(records);  // a stable file for a stable state
  return store.save(records);
}

Status Silences::restore(const SnapshotStore& store) {
  auto records = store.load();
  if (!records) return std::unexpected(records.error());
  std::unordered_map<std::string, Entry> loaded;
  for (std::size_t i = 0; i < records->size(); ++i) {
    auto record = decode_silence_record((*records)[i]);
    if (!record) {
      return fail(fmt::format("silence snapshot record {}: {}", i + 1, record.error().message()));
    }
    std::string id = record->silence.id;
    loaded.insert_or_assign(std::move(id), Entry{std::move(record->silence), record->expires_at});
  }
  std::unique_lock lock(mu_);
  silences_ = std::move(loaded);
  ++version_;
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

std::string encode_silence_record(const Silence& silence, Timestamp expires_at) {
  Json matchers = Json::array();
  for (const Matcher& m : silence.matchers) {
    matchers.push_back({{"type", to_string(m.type())}, {"name", m.name()}, {"pattern", m.value()}});
  }
  Json record = {{"id", silence.id},
                 {"matchers", std::move(matchers)},
                 {"startsAt", format_rfc3339(silence.starts_at)},
                 {"endsAt", format_rfc3339(silence.ends_at)},
                 {"updatedAt", format_rfc3339(silence.updated_at)},
                 {"createdBy", silence.created_by},
                 {"comment", silence.comment},
                 {"expiresAt", format_rfc3339(expires_at)}};
  return record::dump(record);
}

Result<SilenceRecord> decode_silence_record(std::string_view text) {
  auto j = record::parse(text);
  if (!j) return std::unexpected(j.error());
  auto id = record::string_field(*j, "id");
  auto created_by = record::string_field(*j, "createdBy");
  auto comment = record::string_field(*j, "comment");
  for (auto* r : {&id, &created_by, &comment}) {
    if (!*r) return std::unexpected(r->error());
  }
  auto starts_at = record::time_field(*j, "startsAt");
  auto ends_at = record::time_field(*j, "endsAt");
  auto updated_at = record::time_field(*j, "updatedAt");
  auto expires_at = record::time_field(*j, "expiresAt");
  for (auto* r : {&starts_at, &ends_at, &updated_at, &expires_at}) {
    if (!*r) return std::unexpected(r->error());
  }
  SilenceRecord out{.silence = {.id = *id,
                                .matchers = {},
                                .starts_at = *starts_at,
                                .ends_at = *ends_at,
                                .updated_at = *updated_at,
                                .created_by = *created_by,
                                .comment = *comment},
                    .expires_at = *expires_at};

  auto matchers = j->find("matchers");
  if (matchers == j->end() || !matchers->is_array()) return fail("matchers missing");
  for (const Json& m : *matchers) {
    if (!m.is_object()) return fail("bad matcher");
    auto type_text = record::string_field(m, "type");
    auto name = record::string_field(m, "name");
    auto pattern = record::string_field(m, "pattern");
    for (auto* r : {&type_text, &name, &pattern}) {
      if (!*r) return std::unexpected(r->error());
    }
    auto type = match_type_from(*type_text);
    if (!type) return fail(fmt::format("unknown matcher type \"{}\"", *type_text));
    auto compiled = Matcher::create(*type, std::move(*name), std::move(*pattern));
    if (!compiled) return std::unexpected(compiled.error());
    out.silence.matchers.push_back(std::move(*compiled));
  }
  return out;
}

}  // namespace tocsin::dispatch
