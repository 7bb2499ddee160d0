// What several tocsin replicas sharing one database agree on through it
// (PostgreSQL only: postgres_cluster.h). A replica:
//
// - announces itself every few seconds (`announce`), and learns which
//   replicas are alive: those the database saw within the liveness window;
// - follows the change log: every silence, acknowledgement, heartbeat,
//   alert and notification-log entry any replica writes is recorded in the
//   same transaction, and the others read what changed (`changes_after`)
//   when woken (`wait_for_change`, LISTEN/NOTIFY) or at the latest every
//   second; a replica that fell behind the log's retention reads everything
//   (`everything`);
// - claims a notification before it sends it (`claim`), and settles the
//   claim after (`settle`), writing the notification log entry in the same
//   transaction: only one replica holds a claim at a time, and a claim
//   whose holder died expires, so another replica takes it over (at least
//   once);
// - holds leases on the rule groups it evaluates (`hold_leases`): one
//   replica at a time holds a group's lease; one not renewed expires, and
//   another replica takes the group over, with a new epoch, from the state
//   the last holder stored (`rule_group_state`).
//
// The store never interprets what it holds: whether a notification is
// still needed is the caller's decision, made inside the claim's
// transaction on the notification log entry as the database holds it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tocsin/error.h>
#include <tocsin/time.h>

#include "store/store.h"

namespace tocsin::store {

struct ReplicaRow {
  std::string id;
  std::string address;  // where its API listens
  Timestamp started_at{};
  Timestamp seen_at{};  // its last announcement, by the database's clock

  bool operator==(const ReplicaRow&) const = default;
};

// The replicas alive as the database saw them, and its clock then.
struct ReplicaView {
  std::vector<ReplicaRow> replicas;  // by id
  Timestamp now{};
};

// What other replicas changed since a point of the change log, each row as
// it is now. Deleted acknowledgements and heartbeats are listed by key;
// alerts, silences and notification-log entries are only ever dropped by
// garbage collection, which every replica runs for itself.
struct PeerChanges {
  std::int64_t through = 0;  // the last change read: where the next read starts
  std::vector<SilenceRow> silences;
  std::vector<AcknowledgementRow> acknowledgements;
  std::vector<std::string> removed_acknowledgements;  // ids
  std::vector<HeartbeatRow> heartbeats;
  std::vector<std::string> removed_heartbeats;  // names
  std::vector<AlertRow> alerts;
  std::vector<NotificationRow> notifications;

  bool empty() const {
    return silences.empty() && acknowledgements.empty() && removed_acknowledgements.empty() &&
           heartbeats.empty() && removed_heartbeats.empty() && alerts.empty() &&
           notifications.empty();
  }
};

// One receiver integration's notifications about one aggregation group:
// the notification log's key.
struct ClaimKey {
  std::string group_key;
  std::string receiver;
  std::string integration;
  std::uint32_t index = 0;
};

enum class ClaimOutcome {
  kClaimed,  // this replica sends; settle the claim after
  kTold,     // not needed: the log says the receiver was told (see `last`)
  kBusy,     // another replica holds the claim and is sending
};

struct Claim {
  ClaimOutcome outcome = ClaimOutcome::kBusy;
  std::int64_t epoch = 0;               // kClaimed: what settle needs
  std::optional<NotificationRow> last;  // the log entry as the database holds it
  std::string holder;                   // kBusy: the replica that holds it
};

// A rule group's lease as this replica holds it: `epoch` grows every time
// the group changes hands (or its lease lapsed and was taken again).
struct GroupLease {
  std::string group_key;
  std::int64_t epoch = 0;
  // Whether another replica held the lease last (or none ever did): its
  // state is then in the store, not in this replica's memory.
  bool changed_hands = true;

  bool operator==(const GroupLease&) const = default;
};

// A rule group's alerts and last pending evaluation as the store holds them.
struct RuleGroupState {
  std::vector<RuleAlertRow> alerts;
  std::optional<Timestamp> last_evaluation;
};

class Cluster {
 public:
  virtual ~Cluster() = default;

  // This replica's id, as the others see it.
  virtual const std::string& replica() const = 0;

  // Records that this replica (listening at `address`) is alive, drops the
  // change log older than its retention, and returns the replicas seen
  // within `live_within`.
  virtual Result<ReplicaView> announce(std::string_view address, Duration live_within) = 0;

  // Removes this replica from the registry (a clean stop).
  virtual Status leave() = 0;

  // The newest point of the change log.
  virtual Result<std::int64_t> last_change() = 0;

  // What other replicas changed after `seq`, up to `max_changes` log entries.
  virtual Result<PeerChanges> changes_after(std::int64_t seq, std::size_t max_changes) = 0;

  // Every shared row, for a replica that fell behind; `through` is the
  // point of the change log the rows are as of.
  virtual Result<PeerChanges> everything() = 0;

  // Waits up to `timeout` for another replica's change to be announced;
  // true when one was. An error when the connection is lost (the next call
  // connects again).
  virtual Result<bool> wait_for_change(Duration timeout) = 0;

  // Takes the claim on `key` unless another replica holds it and it has not
  // expired, or `needed` (called inside the transaction, with the log entry
  // as the database holds it, or null) says no notification is needed.
  // The claim expires after `hold`.
  virtual Result<Claim> claim(const ClaimKey& key, Duration hold,
                              const std::function<bool(const NotificationRow*)>& needed) = 0;

  // Ends the claim of `epoch` on `key` (if it is still this replica's),
  // writing `sent` to the notification log in the same transaction when the
  // notification was sent (null: it was not; another replica may try).
  virtual Status settle(const ClaimKey& key, std::int64_t epoch, const NotificationRow* sent) = 0;

  // Takes or renews, for `ttl` from now by the database's clock, the lease
  // on each group of `group_keys` that no other replica holds unexpired,
  // and returns the leases this replica holds among them, by group key. Its
  // leases on other groups are not renewed.
  virtual Result<std::vector<GroupLease>> hold_leases(std::vector<std::string> group_keys,
                                                      Duration ttl) = 0;

  // Gives up this replica's leases on `group_keys` (groups it no longer
  // wants), or on every group (a clean stop), so that others take them at
  // once.
  virtual Status release_leases(const std::vector<std::string>& group_keys) = 0;
  virtual Status release_all_leases() = 0;

  // The stored state of the rule group `group_key`, for a replica that has
  // just taken it over.
  virtual Result<RuleGroupState> rule_group_state(const std::string& group_key) = 0;
};

}  // namespace tocsin::store
