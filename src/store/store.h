// Where tocsin keeps what must survive a restart: silences, the
// notification log, the alerts of its alerting rules, the alerts held for
// notification, heartbeats, acknowledgements, escalation progress, and the
// history of what happened. One interface, so that a
// second backend (PostgreSQL, for several replicas) can stand beside the
// SQLite one (sqlite_store.h).
//
// A store holds rows, not domain objects: dispatch turns a Silence into a
// SilenceRow and back (the store never interprets a matcher or a hash), so
// the store depends on nothing above core.
//
// Writes are batches of changes applied in order, all or nothing; the state
// is read once, at start, before anything is written. Threads: `load`,
// `write` and `purge_history` from one thread at a time (at start the
// daemon's, then the writer's, writer.h); `history` and `size_bytes` from
// any thread, also while a write runs.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <variant>
#include <vector>

#include <tocsin/alert.h>
#include <tocsin/error.h>
#include <tocsin/labels.h>
#include <tocsin/time.h>

namespace tocsin::store {

// A silence's matcher as the silence holds it: `type` is "=", "!=", "=~"
// or "!~".
struct SilenceMatcherRow {
  std::string type;
  std::string name;
  std::string pattern;

  bool operator==(const SilenceMatcherRow&) const = default;
};

struct SilenceRow {
  std::string id;
  std::vector<SilenceMatcherRow> matchers;  // in the order the client gave them
  Timestamp starts_at{};
  Timestamp ends_at{};
  Timestamp updated_at{};
  std::string created_by;
  std::string comment;
  Timestamp expires_at{};           // when garbage collection may drop it
  bool ends_when_resolved = false;  // tocsin's: ends once what it matched resolved
  bool matched = false;             // it has matched a firing alert
  std::string schedule{};           // tocsin's: JSON time intervals; empty: always

  bool operator==(const SilenceRow&) const = default;
};

// One entry of the notification log: what the last successful notification
// of one receiver integration told it about one aggregation group.
struct NotificationRow {
  std::string group_key;
  std::string receiver;
  std::string integration;
  std::uint32_t index = 0;
  Timestamp timestamp{};
  std::vector<std::uint64_t> firing_alerts;  // alert hashes
  std::vector<std::uint64_t> resolved_alerts;
  Timestamp expires_at{};

  bool operator==(const NotificationRow&) const = default;
};

// One alert of an alerting rule, as the rule's state machine holds it
// (include/tocsin/alert.h), keyed by its group, its rule and its labels.
struct RuleAlertRow {
  std::string group_key;  // "FILE;GROUP"
  std::string rule_key;   // the rule's identity in its group (rules::RuleGroup)
  std::uint64_t fingerprint = 0;
  std::string rule;  // the rule's name
  Labels labels;
  Labels annotations;
  AlertState state = AlertState::kPending;
  Timestamp active_at{};
  Timestamp fired_at{};
  Timestamp resolved_at{};
  Timestamp keep_firing_since{};
  double value = 0;  // may be NaN

  bool operator==(const RuleAlertRow&) const = default;
};

// When a rule group last evaluated with pending alerts: where a restart
// measures the outage from (Prometheus's downAt).
struct RuleGroupRow {
  std::string group_key;
  Timestamp last_evaluation{};

  bool operator==(const RuleGroupRow&) const = default;
};

// One alert held for notification (dispatch's alert store): posted to the
// API or sent by one of tocsin's rules, as Alertmanager holds it.
struct AlertRow {
  std::uint64_t fingerprint = 0;  // of the labels
  Labels labels;
  Labels annotations;
  Timestamp starts_at{};
  Timestamp ends_at{};
  Timestamp updated_at{};
  std::string generator_url;
  bool timeout = false;  // ends_at came from resolve_timeout
  std::string source;    // "api" (posted), "rule" (tocsin's rules) or "heartbeat"

  bool operator==(const AlertRow&) const = default;
};

// One event of the history: an alert's state change, a notification
// attempt, a silence, an acknowledgement, a heartbeat or a reload.
struct HistoryRow {
  std::int64_t id = 0;  // given by the store, increasing; 0 in an AppendHistory
  Timestamp at{};
  std::string kind;   // "alert", "notification", "silence", "reload", ...
  std::string state;  // what happened: "firing", "resolved", "sent", "failed", "created", ...
  std::uint64_t fingerprint = 0;  // the alert's, when the event is about one alert; else 0
  Labels labels;                  // the alert's labels, or a notification's group labels
  std::string receiver;
  std::string integration;
  std::string group_key;
  std::string by;       // who did it, when someone did (createdBy, by)
  std::string details;  // a JSON object: whatever else the kind records

  bool operator==(const HistoryRow&) const = default;
};

// A heartbeat (dead man's switch): a sender that must renew it within
// `timeout`, or the alert HeartbeatMissing fires.
struct HeartbeatRow {
  std::string name;
  Duration timeout{};
  Labels labels;       // added to the HeartbeatMissing alert's
  Labels annotations;  // of the HeartbeatMissing alert
  Timestamp created_at{};
  Timestamp renewed_at{};  // the last renewal (or the creation)
  bool missing = false;    // its alert fires
  std::string created_by;

  bool operator==(const HeartbeatRow&) const = default;
};

// An acknowledgement: someone is on it. Of one alert (fingerprint set,
// group_key empty) or of a whole aggregation group (group_key set,
// fingerprint 0), covering the alerts that fired when it was made.
struct AcknowledgementRow {
  std::string id;
  std::uint64_t fingerprint = 0;
  std::string group_key;
  std::vector<std::uint64_t> covered;  // alert fingerprints, ascending
  Labels labels;                       // the alert's, or the group's labels
  std::string by;
  std::string comment;
  Timestamp created_at{};
  Timestamp expires_at{};  // unset: until what it covers has resolved

  bool operator==(const AcknowledgementRow&) const = default;
};

// When an aggregation group with an escalation policy first fired in its
// current episode (dispatch/escalations.h).
struct EscalationRow {
  std::string group_key;
  Timestamp first_fired{};

  bool operator==(const EscalationRow&) const = default;
};

// Which events a history read wants. Unset fields do not filter.
struct HistoryQuery {
  std::string kind;
  std::string state;
  std::string receiver;
  std::string alertname;  // the alertname label
  std::uint64_t fingerprint = 0;
  Timestamp from{};  // events at or after
  Timestamp to{};    // events at or before
  // Label matchers, applied to each event's labels (the store interprets
  // none); null: every event.
  std::function<bool(const Labels&)> matches;
  // The cursor: only events older than this id; 0 starts at the newest.
  std::int64_t before_id = 0;
  std::size_t limit = 100;
  // At most this many events are examined by one read (the matchers run in
  // tocsin, not in the database); a page cut short by it still returns a
  // cursor to read on from.
  std::size_t max_examined = 200'000;
};

struct HistoryPage {
  std::vector<HistoryRow> events;  // newest first
  // Where the next page starts (HistoryQuery::before_id); 0 when there is
  // nothing older.
  std::int64_t next_before_id = 0;
};

// Adds the silence, or replaces the one with its id.
struct PutSilence {
  SilenceRow row;
};
// Drops every silence whose expires_at is at or before `expired_by`.
struct PurgeSilences {
  Timestamp expired_by{};
};
// Adds the entry, or replaces the one for its group key and integration.
struct PutNotification {
  NotificationRow row;
};
// Drops every entry whose expires_at is at or before `expired_by`.
struct PurgeNotifications {
  Timestamp expired_by{};
};

// Adds the alert, or replaces the one with its group, rule and fingerprint.
struct PutRuleAlert {
  RuleAlertRow row;
};
struct DeleteRuleAlert {
  std::string group_key;
  std::string rule_key;
  std::uint64_t fingerprint = 0;
};
// Adds or replaces the group's row.
struct PutRuleGroup {
  RuleGroupRow row;
};
// Drops the group's row and every alert of its rules.
struct DeleteRuleGroup {
  std::string group_key;
};

// Adds the alert, or replaces the one with its fingerprint.
struct PutAlert {
  AlertRow row;
};
// Drops every alert whose ends_at is set and at or before `ended_by`.
struct PurgeAlerts {
  Timestamp ended_by{};
};
// Adds the heartbeat, or replaces the one of its name.
struct PutHeartbeat {
  HeartbeatRow row;
};
struct DeleteHeartbeat {
  std::string name;
};
// Adds the acknowledgement, or replaces the one with its id.
struct PutAcknowledgement {
  AcknowledgementRow row;
};
struct DeleteAcknowledgement {
  std::string id;
};
// Adds the group's escalation episode, or replaces it.
struct PutEscalation {
  EscalationRow row;
};
struct DeleteEscalation {
  std::string group_key;
};
// Appends an event to the history.
struct AppendHistory {
  HistoryRow row;
};

using Change = std::variant<PutSilence, PurgeSilences, PutNotification, PurgeNotifications,
                            PutRuleAlert, DeleteRuleAlert, PutRuleGroup, DeleteRuleGroup, PutAlert,
                            PurgeAlerts, PutHeartbeat, DeleteHeartbeat, PutAcknowledgement,
                            DeleteAcknowledgement, PutEscalation, DeleteEscalation, AppendHistory>;
// Changes applied in order in one transaction.
using Batch = std::vector<Change>;

// Everything a store holds, as read at start.
struct StoredState {
  std::vector<SilenceRow> silences;                  // by id
  std::vector<NotificationRow> notifications;        // by group key, receiver, integration, index
  std::vector<RuleAlertRow> rule_alerts;             // by group key, rule key, fingerprint
  std::vector<RuleGroupRow> rule_groups;             // by group key
  std::vector<AlertRow> alerts;                      // by fingerprint
  std::vector<HeartbeatRow> heartbeats;              // by name
  std::vector<AcknowledgementRow> acknowledgements;  // by id
  std::vector<EscalationRow> escalations;            // by group key
};

class Store {
 public:
  virtual ~Store() = default;

  // What the store is, for messages and logs: "data/tocsin.db".
  virtual const std::string& name() const = 0;

  // Everything held. An error names the store and what could not be read.
  virtual Result<StoredState> load() = 0;

  // Applies `batch` in one transaction: every change or none.
  virtual Status write(const Batch& batch) = 0;

  // Drops up to `max_events` of the oldest history events that happened
  // before `before`, in one transaction; returns how many it dropped.
  virtual Result<std::size_t> purge_history(Timestamp before, std::size_t max_events) = 0;

  // Reads one page of the history, newest first. Any thread.
  virtual Result<HistoryPage> history(const HistoryQuery& query) = 0;

  // What the store takes on the disk (or in memory), in bytes. Any thread.
  virtual Result<std::uint64_t> size_bytes() = 0;
};

}  // namespace tocsin::store
