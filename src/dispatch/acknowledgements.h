// Acknowledgements: "someone is on it". An on-call engineer acknowledges
// one alert (by fingerprint) or a whole aggregation group (by group key);
// while every firing alert of a group is acknowledged, the group is not
// notified again at repeat_interval and does not escalate. A new alert
// joining the group, or a resolve, is still notified (the dedup stage sees
// a change), and the new alert is not covered: the group repeats again until
// that one is acknowledged too.
//
// An acknowledgement covers the alerts that fired when it was made (for a
// group: its firing alerts then; for an alert: that alert) and ends on its
// own when none of them fires any more, or at its expiresAt. Ending is
// noticed at the group's next flush (end_resolved) or by the service's
// maintenance (collect), whichever comes first; both record it in the
// history once.
//
// Durability: as silences (silences.h): `add` and `remove` queue their
// change under the lock and wait for its commit before answering, so an
// acknowledgement the API confirmed survives a crash; a crash before the
// commit loses it and the client got no answer (or a 500). An end noticed
// by a flush or by maintenance is queued and not waited for: a crash before
// it is written only keeps the acknowledgement until it is noticed again
// after the restart.
//
// History: kind "acknowledgement", states "created", "removed" (by whom),
// "ended" (what it covered resolved) and "expired" (its expiresAt passed).
//
// Threads: every method from any thread. Time is always an argument.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <tocsin/labels.h>
#include <tocsin/notify.h>
#include <tocsin/time.h>

#include "dispatch/silence_id.h"
#include "store/store.h"
#include "store/writer.h"

namespace tocsin::dispatch {

struct Acknowledgement {
  std::string id;
  std::uint64_t fingerprint = 0;       // of an alert; 0 for a group's
  std::string group_key;               // of a group; empty for an alert's
  std::vector<std::uint64_t> covered;  // the alerts it covers, ascending
  Labels labels;                       // the alert's, or the group's labels
  std::string by;
  std::string comment;
  Timestamp created_at{};
  Timestamp expires_at{};  // unset: until what it covers has resolved

  bool of_group() const { return !group_key.empty(); }
  bool expired(Timestamp now) const { return expires_at != Timestamp{} && expires_at <= now; }
  // Whether it covers the alert `fingerprint` as a member of the group
  // `group_key` (an alert's acknowledgement covers it in every group).
  bool covers(std::uint64_t alert, std::string_view in_group) const;
};

// kInvalid is 400, kNotFound 404, kTooMany 429, kNotDurable 500 (in force,
// not yet confirmed by the store).
struct AcknowledgementError {
  enum class Kind { kInvalid, kNotFound, kTooMany, kNotDurable };
  Kind kind = Kind::kInvalid;
  std::string message;
};
template <typename T>
using AcknowledgementResult = std::expected<T, AcknowledgementError>;

class Acknowledgements {
 public:
  struct Options {
    std::shared_ptr<store::Writer> journal;  // null: memory only
    SilenceIdGenerator new_id;               // random UUIDs when empty
    std::size_t max_acknowledgements = 10'000;
    Duration durable_timeout = std::chrono::seconds(10);
  };

  explicit Acknowledgements(Options options);

  // What the store held, before anything else touches this.
  void restore(const std::vector<store::AcknowledgementRow>& rows);

  // Takes what other replicas wrote (cluster.h): each row added or
  // replacing the one with its id, each removed id dropped; queues nothing
  // and records no history (the replica that made the change did).
  void merge_from_peers(const std::vector<store::AcknowledgementRow>& rows,
                        const std::vector<std::string>& removed);

  // Makes `ack` (its id is assigned; covered must not be empty) and
  // answers it once stored.
  AcknowledgementResult<Acknowledgement> add(Acknowledgement ack, Timestamp now);
  // Un-acknowledges: the one with `id` ends now, by `by`.
  AcknowledgementResult<Acknowledgement> remove(std::string_view id, std::string_view by,
                                                Timestamp now);

  // Those in force at `now`, oldest first.
  std::vector<Acknowledgement> list(Timestamp now) const;
  // The one in force at `now` covering the alert in that group, if any (an
  // alert's own before its group's).
  std::optional<Acknowledgement> covering(std::uint64_t fingerprint, std::string_view group_key,
                                          Timestamp now) const;
  // The one in force covering the alert in any group (what the alerts API
  // shows, where there is no group).
  std::optional<Acknowledgement> covering_any(std::uint64_t fingerprint, Timestamp now) const;
  // Whether every firing alert (fingerprints) of the group is covered;
  // false for none.
  bool all_covered(std::span<const std::uint64_t> firing, std::string_view group_key,
                   Timestamp now) const;

  // At a flush of `group_key` with the group's `alerts`: ends the group's
  // acknowledgements whose covered alerts no longer fire there, and those
  // of alerts that resolved.
  void end_resolved(std::string_view group_key, std::span<const notify::Alert> alerts,
                    Timestamp now);
  // Ends those that expired and those none of whose covered alerts still
  // fires by `firing`; returns how many ended.
  std::size_t collect(Timestamp now, const std::function<bool(std::uint64_t)>& firing);

 private:
  // The one in force covering the alert in `group_key` (null: in any
  // group), an alert's own before a group's.
  std::optional<Acknowledgement> find(std::uint64_t fingerprint, const std::string_view* group_key,
                                      Timestamp now) const;
  store::HistoryRow event(const Acknowledgement& ack, std::string_view state, Timestamp at,
                          std::string_view by) const;
  // Drops acks_[i] and queues the row's deletion and its event.
  void end_locked(std::size_t i, std::string_view state, Timestamp at, std::string_view by,
                  store::Batch& changes);
  store::Writer::Sequence queue_locked(store::Batch changes);
  AcknowledgementResult<void> durable(store::Writer::Sequence sequence, std::string_view id) const;

  const Options options_;
  const SilenceIdGenerator new_id_;
  mutable std::mutex mu_;
  std::vector<Acknowledgement> acks_;  // oldest first; guarded by mu_
};

}  // namespace tocsin::dispatch
