#include "dispatch/acknowledgements.h"

#include <algorithm>
#include <unordered_set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace tocsin::dispatch {
namespace {

constexpr std::size_t kMaxText = 4096;

AcknowledgementError invalid(std::string message) {
  return AcknowledgementError{AcknowledgementError::Kind::kInvalid, std::move(message)};
}

store::AcknowledgementRow row_of(const Acknowledgement& a) {
  return store::AcknowledgementRow{a.id, a.fingerprint, a.group_key,  a.covered,   a.labels,
                                   a.by, a.comment,     a.created_at, a.expires_at};
}

}  // namespace

bool Acknowledgement::covers(std::uint64_t alert, std::string_view in_group) const {
  if (of_group() && group_key != in_group) return false;
  return std::binary_search(covered.begin(), covered.end(), alert);
}

Acknowledgements::Acknowledgements(Options options)
    : options_(std::move(options)),
      new_id_(options_.new_id ? options_.new_id : random_silence_ids()) {}

void Acknowledgements::restore(const std::vector<store::AcknowledgementRow>& rows) {
  std::lock_guard lock(mu_);
  for (const store::AcknowledgementRow& r : rows) {
    Acknowledgement a{r.id, r.fingerprint, r.group_key,  r.covered,   r.labels,
                      r.by, r.comment,     r.created_at, r.expires_at};
    std::ranges::sort(a.covered);
    acks_.push_back(std::move(a));
  }
  std::ranges::stable_sort(acks_, {}, &Acknowledgement::created_at);
}

void Acknowledgements::merge_from_peers(const std::vector<store::AcknowledgementRow>& rows,
                                        const std::vector<std::string>& removed) {
  std::lock_guard lock(mu_);
  for (const std::string& id : removed) {
    std::erase_if(acks_, [&](const Acknowledgement& a) { return a.id == id; });
  }
  for (const store::AcknowledgementRow& r : rows) {
    Acknowledgement a{r.id, r.fingerprint, r.group_key,  r.covered,   r.labels,
                      r.by, r.comment,     r.created_at, r.expires_at};
    std::ranges::sort(a.covered);
    auto it = std::ranges::find(acks_, r.id, &Acknowledgement::id);
    if (it != acks_.end()) {
      *it = std::move(a);
    } else {
      acks_.push_back(std::move(a));
    }
  }
  std::ranges::stable_sort(acks_, {}, &Acknowledgement::created_at);
}

store::HistoryRow Acknowledgements::event(const Acknowledgement& ack, std::string_view state,
                                          Timestamp at, std::string_view by) const {
  store::HistoryRow row;
  row.at = at;
  row.kind = "acknowledgement";
  row.state = std::string(state);
  row.fingerprint = ack.fingerprint;
  row.labels = ack.labels;
  row.group_key = ack.group_key;
  row.by = std::string(by);
  nlohmann::json covered = nlohmann::json::array();
  for (std::uint64_t fp : ack.covered) covered.push_back(notify::fingerprint_string(fp));
  nlohmann::json details{{"id", ack.id}, {"comment", ack.comment}, {"covered", covered}};
  if (ack.expires_at != Timestamp{}) details["expiresAt"] = format_rfc3339(ack.expires_at);
  row.details = details.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return row;
}

store::Writer::Sequence Acknowledgements::queue_locked(store::Batch changes) {
  if (!options_.journal || changes.empty()) return 0;
  return options_.journal->submit(std::move(changes));
}

AcknowledgementResult<void> Acknowledgements::durable(store::Writer::Sequence sequence,
                                                      std::string_view id) const {
  if (sequence == 0) return {};
  Status written = options_.journal->wait_written(sequence, options_.durable_timeout);
  if (written) return {};
  return std::unexpected(AcknowledgementError{
      AcknowledgementError::Kind::kNotDurable,
      fmt::format("acknowledgement {} is in force but not yet stored, so a restart would lose "
                  "it: {}",
                  id, written.error().message())});
}

AcknowledgementResult<Acknowledgement> Acknowledgements::add(Acknowledgement ack, Timestamp now) {
  if (ack.covered.empty()) return std::unexpected(invalid("no firing alert to acknowledge"));
  if (ack.of_group() == (ack.fingerprint != 0)) {
    return std::unexpected(
        invalid("acknowledge either an alert (fingerprint) or a group (groupKey)"));
  }
  if (ack.by.size() > kMaxText || ack.comment.size() > kMaxText) {
    return std::unexpected(invalid(fmt::format("by and comment: at most {} bytes", kMaxText)));
  }
  if (ack.expires_at != Timestamp{} && ack.expires_at <= now) {
    return std::unexpected(invalid("expiresAt is not in the future"));
  }
  std::ranges::sort(ack.covered);
  ack.covered.erase(std::unique(ack.covered.begin(), ack.covered.end()), ack.covered.end());
  ack.created_at = now;
  store::Writer::Sequence sequence = 0;
  {
    std::lock_guard lock(mu_);
    if (acks_.size() >= options_.max_acknowledgements) {
      return std::unexpected(AcknowledgementError{
          AcknowledgementError::Kind::kTooMany,
          fmt::format("too many acknowledgements (at most {})", options_.max_acknowledgements)});
    }
    ack.id = new_id_();
    acks_.push_back(ack);
    sequence = queue_locked({store::PutAcknowledgement{row_of(ack)},
                             store::AppendHistory{event(ack, "created", now, ack.by)}});
  }
  if (auto ok = durable(sequence, ack.id); !ok) return std::unexpected(ok.error());
  return ack;
}

void Acknowledgements::end_locked(std::size_t i, std::string_view state, Timestamp at,
                                  std::string_view by, store::Batch& changes) {
  const Acknowledgement& ack = acks_[i];
  changes.push_back(store::DeleteAcknowledgement{ack.id});
  changes.push_back(store::AppendHistory{event(ack, state, at, by)});
  acks_.erase(acks_.begin() + static_cast<std::ptrdiff_t>(i));
}

AcknowledgementResult<Acknowledgement> Acknowledgements::remove(std::string_view id,
                                                                std::string_view by,
                                                                Timestamp now) {
  Acknowledgement removed;
  store::Writer::Sequence sequence = 0;
  {
    std::lock_guard lock(mu_);
    auto it = std::ranges::find(acks_, id, &Acknowledgement::id);
    if (it == acks_.end() || it->expired(now)) {
      return std::unexpected(
          AcknowledgementError{AcknowledgementError::Kind::kNotFound, "acknowledgement not found"});
    }
    removed = *it;
    store::Batch changes;
    end_locked(static_cast<std::size_t>(it - acks_.begin()), "removed", now, by, changes);
    sequence = queue_locked(std::move(changes));
  }
  if (auto ok = durable(sequence, removed.id); !ok) return std::unexpected(ok.error());
  return removed;
}

std::vector<Acknowledgement> Acknowledgements::list(Timestamp now) const {
  std::lock_guard lock(mu_);
  std::vector<Acknowledgement> out;
  for (const Acknowledgement& a : acks_) {
    if (!a.expired(now)) out.push_back(a);
  }
  return out;
}

std::optional<Acknowledgement> Acknowledgements::covering(std::uint64_t fingerprint,
                                                          std::string_view group_key,
                                                          Timestamp now) const {
  return find(fingerprint, &group_key, now);
}

std::optional<Acknowledgement> Acknowledgements::covering_any(std::uint64_t fingerprint,
                                                              Timestamp now) const {
  return find(fingerprint, nullptr, now);
}

std::optional<Acknowledgement> Acknowledgements::find(std::uint64_t fingerprint,
                                                      const std::string_view* group_key,
                                                      Timestamp now) const {
  std::lock_guard lock(mu_);
  const Acknowledgement* found = nullptr;
  for (const Acknowledgement& a : acks_) {
    bool covers = group_key != nullptr ? a.covers(fingerprint, *group_key)
                                       : std::ranges::binary_search(a.covered, fingerprint);
    if (a.expired(now) || !covers) continue;
    if (!a.of_group()) return a;  // an alert's own wins
    if (found == nullptr) found = &a;
  }
  if (found == nullptr) return std::nullopt;
  return *found;
}

bool Acknowledgements::all_covered(std::span<const std::uint64_t> firing,
                                   std::string_view group_key, Timestamp now) const {
  if (firing.empty()) return false;
  std::lock_guard lock(mu_);
  if (acks_.empty()) return false;
  return std::ranges::all_of(firing, [&](std::uint64_t fp) {
    return std::ranges::any_of(acks_, [&](const Acknowledgement& a) {
      return !a.expired(now) && a.covers(fp, group_key);
    });
  });
}

void Acknowledgements::end_resolved(std::string_view group_key,
                                    std::span<const notify::Alert> alerts, Timestamp now) {
  std::lock_guard lock(mu_);
  if (acks_.empty()) return;
  std::unordered_set<std::uint64_t> firing;
  std::unordered_set<std::uint64_t> resolved;
  for (const notify::Alert& a : alerts) {
    (a.resolved_at(now) ? resolved : firing).insert(a.fingerprint());
  }
  store::Batch changes;
  for (std::size_t i = acks_.size(); i-- > 0;) {
    const Acknowledgement& a = acks_[i];
    bool ended = false;
    if (a.of_group()) {
      ended = a.group_key == group_key && std::ranges::none_of(a.covered, [&](std::uint64_t fp) {
                return firing.contains(fp);
              });
    } else {
      ended = resolved.contains(a.fingerprint);
    }
    if (ended) end_locked(i, "ended", now, "", changes);
  }
  queue_locked(std::move(changes));
}

std::size_t Acknowledgements::collect(Timestamp now,
                                      const std::function<bool(std::uint64_t)>& firing) {
  std::lock_guard lock(mu_);
  store::Batch changes;
  std::size_t ended = 0;
  for (std::size_t i = acks_.size(); i-- > 0;) {
    const Acknowledgement& a = acks_[i];
    if (a.expired(now)) {
      Timestamp at = a.expires_at;
      end_locked(i, "expired", at, "", changes);
      ++ended;
    } else if (std::ranges::none_of(a.covered, firing)) {
      end_locked(i, "ended", now, "", changes);
      ++ended;
    }
  }
  queue_locked(std::move(changes));
  return ended;
}

}  // namespace tocsin::dispatch
