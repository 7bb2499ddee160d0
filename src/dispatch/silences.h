// The silences tocsin holds (Alertmanager 0.25's silence.Silences): what
// POST/GET/DELETE /api/v2/silences change and read, and what the pipeline's
// silence stage asks whether an alert is muted.
//
// Threads: every method is safe to call from any thread (HTTP handlers add
// and expire, flushes ask `mutes`, a maintenance timer collects garbage); a
// reader-writer lock guards the state. Time is always an argument: nothing
// here reads a clock.
//
// Durability: with a journal (Options::journal), every change is queued to
// the store under the lock, so the store sees changes in the order memory
// took them. `set` and `expire` then wait until their change is committed:
// the API answers 200 only for a silence that survives a crash. A crash
// before that commit loses the change, and the client, which got no answer
// (or a 500 after durable_timeout), knows it. Garbage collection is queued
// and not waited for: a crash before it is written only keeps an expired
// silence until the next collection after the restart.
//
// Ownership: the store owns its silences; every answer is a copy.
#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <tocsin/error.h>
#include <tocsin/labels.h>
#include <tocsin/matcher.h>
#include <tocsin/time.h>

#include "dispatch/silence.h"
#include "dispatch/silence_id.h"
#include "store/store.h"
#include "store/writer.h"

namespace tocsin::dispatch {

// Why a change to the silences was refused; the API maps kNotFound to 404,
// kInvalid to 400 and kNotDurable to 500. kNotDurable is not a refusal: the
// change is in force and keeps being written, but the store has not
// confirmed it in time.
struct SilenceError {
  enum class Kind { kNotFound, kInvalid, kNotDurable };
  Kind kind = Kind::kInvalid;
  std::string message;  // Alertmanager's: "silence not found", "silence invalid: ..."
};

template <typename T>
using SilenceResult = std::expected<T, SilenceError>;

// Which silences a query returns: those passing every filter that is set.
struct SilenceQuery {
  std::optional<std::vector<std::string>> ids;  // only these ids (QIDs)
  std::vector<SilenceState> states;             // in one of these states at `now` (QState)
  std::optional<Labels> matching;               // whose matchers all match these labels (QMatches)
  // API v2's `filter`: every one of these equals (name, type, value) one of
  // the silence's matchers (CheckSilenceMatchesFilterLabels).
  Matchers filter;
};

struct SilenceCounts {
  std::size_t active = 0;
  std::size_t pending = 0;
  std::size_t expired = 0;
};

class Silences {
 public:
  struct Options {
    // How long an ended silence is kept before garbage collection drops it
    // (Alertmanager's --data.retention).
    Duration retention = std::chrono::hours(120);
    // Ids for new silences; random version 4 UUIDs when empty.
    SilenceIdGenerator new_id;
    // Where every change is written; null keeps silences in memory only.
    std::shared_ptr<store::Writer> journal;
    // How long `set` and `expire` wait for the store to confirm a change.
    Duration durable_timeout = std::chrono::seconds(10);
  };

  Silences() : Silences(Options{}) {}
  explicit Silences(Options options);

  // Alertmanager's Silences.Set. Without an id, adds a silence starting no
  // earlier than `now`. With the id of a held silence, changes it in place
  // when that keeps its history intact (same matchers; an active one keeps
  // its start and does not end in the past; a pending one does not start in
  // the past); otherwise ends the old one and adds a new one with a new id.
  // Returns the id the silence now has, once the change is durable.
  // Errors: "silence not found" for an unknown id, "silence invalid: ..."
  // with validateSilence's words, kNotDurable when the store did not
  // confirm the change within durable_timeout.
  SilenceResult<std::string> set(const PostableSilence& silence, Timestamp now);

  // Ends the silence now: an active one's end becomes `now`, a pending
  // one's start and end become `now`. Expiring an expired silence succeeds
  // and changes nothing (as in Alertmanager 0.25). Errors: "silence not
  // found", kNotDurable.
  SilenceResult<void> expire(std::string_view id, Timestamp now);

  std::optional<Silence> get(std::string_view id) const;

  // The matching silences, ordered by id.
  std::vector<Silence> query(const SilenceQuery& query, Timestamp now) const;

  // The ids, sorted, of the silences active at `now` that match `labels`:
  // the alert's silencedBy. Empty: not silenced.
  std::vector<std::string> mutes(const Labels& labels, Timestamp now) const;

  // Whether an active silence ends when its alerts resolve.
  bool has_resolve_ending(Timestamp now) const;
  // For each active silence that ends when its alerts resolve: marks it
  // matched once one of the `firing` alerts' labels matches it, and expires
  // it (by kResolvedBy) once it was matched and none matches any more.
  // Queued, not waited for: a crash before the write only has it noticed
  // again after the restart. Returns how many it expired.
  std::size_t end_resolved(const std::vector<Labels>& firing, Timestamp now);

  SilenceCounts counts(Timestamp now) const;
  std::size_t size() const;

  // Drops the silences that ended `retention` or longer before `now`, in
  // memory and (queued, not waited for) in the store; returns how many.
  std::size_t collect_garbage(Timestamp now);

  // Grows with every change, so a caller may cache answers per version.
  std::uint64_t version() const;

  // Replaces every silence with the stored ones (at start, before anything
  // asks); on error (a row that no longer compiles) nothing changes.
  Status restore(const std::vector<store::SilenceRow>& rows);

  // Takes what other replicas wrote (cluster.h): each row replaces the
  // silence held unless that one was updated later, as Alertmanager's
  // gossip merges silences; queues nothing. A row that does not compile is
  // skipped and named in the error; the others are taken.
  Status merge_from_peers(const std::vector<store::SilenceRow>& rows);

 private:
  struct Entry {
    Silence silence;
    Timestamp expires_at;  // ends_at + retention: when garbage collection may drop it
  };

  // Stores `silence` as it is, stamped updated at `now`, and adds its row
  // to `changes`.
  // Both queue the change and its history event ("created", "updated",
  // "expired"; by whom) into `changes`.
  void store_locked(Silence silence, Timestamp now, store::Batch& changes, std::string_view event,
                    std::string_view by);
  void expire_locked(const Silence& silence, Timestamp now, store::Batch& changes,
                     std::string_view by);
  // Queues `changes` to the journal; the sequence to wait for (0: none).
  store::Writer::Sequence journal_locked(store::Batch changes);
  // Waits for `sequence` to be written; kNotDurable naming `id` if not.
  SilenceResult<void> durable(store::Writer::Sequence sequence, std::string_view id) const;

  const Duration retention_;
  const SilenceIdGenerator new_id_;
  const std::shared_ptr<store::Writer> journal_;  // may be null
  const Duration durable_timeout_;

  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, Entry> silences_;  // by id; guarded by mu_
  std::uint64_t version_ = 0;                        // guarded by mu_
};

// Who the history says expired a silence that ended with its alerts.
inline constexpr std::string_view kResolvedBy = "tocsin: its alerts resolved";

// Orders silences as GET /api/v2/silences lists them (SortSilences): active
// ones first, the next to end first; then pending ones, the next to start
// first; then expired ones, the most recently ended first. Ties by id.
void order_for_listing(std::vector<Silence>& silences, Timestamp now);

// The silence as the store keeps it, and back (compiling its matchers).
store::SilenceRow silence_row(const Silence& silence, Timestamp expires_at);
Result<Silence> silence_from_row(const store::SilenceRow& row);

}  // namespace tocsin::dispatch
