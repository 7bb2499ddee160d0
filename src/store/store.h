// Where tocsin keeps what must survive a restart: silences, the
// notification log and the alerts of its alerting rules. One interface, so that a second backend
// (PostgreSQL, for several replicas) can stand beside the SQLite one (sqlite_store.h).
//
// A store holds rows, not domain objects: dispatch turns a Silence into a
// SilenceRow and back (the store never interprets a matcher or a hash), so
// the store depends on nothing above core.
//
// Writes are batches of changes applied in order, all or nothing; reads
// happen once, at start, before anything is written. Nothing here is
// thread-safe: a store is used by one thread at a time (at start the
// daemon's, then the writer's, writer.h).
#pragma once

#include <cstdint>
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
  Timestamp expires_at{};  // when garbage collection may drop it

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

using Change = std::variant<PutSilence, PurgeSilences, PutNotification, PurgeNotifications,
                            PutRuleAlert, DeleteRuleAlert, PutRuleGroup, DeleteRuleGroup>;
// Changes applied in order in one transaction.
using Batch = std::vector<Change>;

// Everything a store holds, as read at start.
struct StoredState {
  std::vector<SilenceRow> silences;            // by id
  std::vector<NotificationRow> notifications;  // by group key, receiver, integration, index
  std::vector<RuleAlertRow> rule_alerts;       // by group key, rule key, fingerprint
  std::vector<RuleGroupRow> rule_groups;       // by group key
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
};

}  // namespace tocsin::store
