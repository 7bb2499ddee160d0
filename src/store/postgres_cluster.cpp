#include "store/postgres_cluster.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <span>
#include <string_view>
#include <utility>

#include <fmt/format.h>
#include <libpq-fe.h>
#include <poll.h>

#include "core/log.h"
#include "store/postgres_connection.h"
#include "store/row_codec.h"

namespace tocsin::store {
namespace {

using pg::column_list;
using pg::Connection;
using pg::PgColumns;
using pg::PgResult;
using namespace pg::columns;

// The database's clock, in Unix milliseconds.
constexpr std::string_view kNowMs = "(extract(epoch FROM clock_timestamp()) * 1000)::bigint";

// The registry forgets a replica not seen for this long.
constexpr auto kReplicaForgetAfter = std::chrono::hours(1);

std::int64_t millis(Duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

// A shared table as the change log names it ("kind") and what keys it.
struct SharedTable {
  std::string_view kind;
  std::string_view key;
  std::span<const std::string_view> columns;
};
constexpr SharedTable kSilences{"silences", "id", kSilenceColumns};
constexpr SharedTable kAcknowledgements{"acknowledgements", "id", kAcknowledgementColumns};
constexpr SharedTable kHeartbeats{"heartbeats", "name", kHeartbeatColumns};
constexpr SharedTable kAlerts{"alerts", "fingerprint", kAlertColumns};
constexpr SharedTable kNotifications{"notification_log", "group_key", kNotificationColumns};
constexpr SharedTable kSharedTables[] = {kSilences, kAcknowledgements, kHeartbeats, kAlerts,
                                         kNotifications};

class PostgresCluster final : public Cluster {
 public:
  PostgresCluster(std::string url, std::string name, PostgresOptions options)
      : db_(std::move(url), std::move(name), std::move(options)) {}

  const std::string& replica() const override { return db_.options().replica; }
  Result<ReplicaView> announce(std::string_view address, Duration live_within) override;
  Status leave() override;
  Result<std::int64_t> last_change() override;
  Result<PeerChanges> changes_after(std::int64_t seq, std::size_t max_changes) override;
  Result<PeerChanges> everything() override;
  Result<bool> wait_for_change(Duration timeout) override;
  Result<Claim> claim(const ClaimKey& key, Duration hold,
                      const std::function<bool(const NotificationRow*)>& needed) override;
  Status settle(const ClaimKey& key, std::int64_t epoch, const NotificationRow* sent) override;
  Result<std::vector<GroupLease>> hold_leases(std::vector<std::string> group_keys,
                                              Duration ttl) override;
  Status release_leases(const std::vector<std::string>& group_keys) override;
  Status release_all_leases() override;
  Result<RuleGroupState> rule_group_state(const std::string& group_key) override;

 private:
  // Runs `work` on the shared connection (opened anew if it is not open or
  // broke) inside a transaction begun with `begin`: committed when `work`
  // returns a value and wants it (`commit`), rolled back otherwise.
  template <typename T>
  Result<T> transaction(std::string_view begin,
                        const std::function<Result<T>(PGconn*, bool&)>& work);
  Result<PGconn*> connection();
  Result<PgResult> exec(PGconn* c, const std::string& sql, const Values& values,
                        std::string_view doing) {
    return db_.exec(c, sql, values, doing);
  }
  // Reads the rows of `table` whose keys are `keys` into `out`.
  Status read_rows(PGconn* c, const SharedTable& table, const std::vector<std::string>& keys,
                   PeerChanges& out, bool removals);
  Status read_all(PGconn* c, const SharedTable& table, PeerChanges& out);
  // Ends this replica's leases now: those on `only`'s groups, or all (null).
  Status expire_leases(const std::vector<std::string>* only);

  const pg::Database db_;
  std::mutex mu_;
  Connection connection_;  // guarded by mu_
  Connection listener_;    // wait_for_change's
  int announcements_ = 0;  // guarded by mu_
};

Result<PGconn*> PostgresCluster::connection() {
  if (connection_ != nullptr && PQstatus(connection_.get()) == CONNECTION_OK) {
    return connection_.get();
  }
  connection_.reset();
  auto c = db_.connect();
  if (!c) return std::unexpected(c.error());
  connection_ = std::move(*c);
  return connection_.get();
}

template <typename T>
Result<T> PostgresCluster::transaction(std::string_view begin,
                                       const std::function<Result<T>(PGconn*, bool&)>& work) {
  std::lock_guard lock(mu_);
  auto c = connection();
  if (!c) return std::unexpected(c.error());
  if (auto b = exec(*c, std::string(begin), {}, "starting a transaction"); !b) {
    connection_.reset();
    return std::unexpected(b.error());
  }
  bool commit = true;
  Result<T> result = work(*c, commit);
  if (result && commit) {
    if (auto done = exec(*c, "COMMIT", {}, "committing"); !done) {
      connection_.reset();
      return std::unexpected(done.error());
    }
    return result;
  }
  if (PQstatus(*c) != CONNECTION_OK || !exec(*c, "ROLLBACK", {}, "rolling back")) {
    connection_.reset();
  }
  return result;
}

Result<ReplicaView> PostgresCluster::announce(std::string_view address, Duration live_within) {
  return transaction<ReplicaView>("BEGIN", [&](PGconn* c, bool&) -> Result<ReplicaView> {
    if (auto up = exec(c,
                       fmt::format("INSERT INTO replicas (id, address, started_at, seen_at) "
                                   "VALUES ($1, $2, {0}, {0}) ON CONFLICT (id) DO UPDATE SET "
                                   "address = EXCLUDED.address, seen_at = EXCLUDED.seen_at",
                                   kNowMs),
                       {replica(), std::string(address)}, "announcing the replica");
        !up) {
      return std::unexpected(up.error());
    }
    // About every half minute to a minute (every twelfth announcement): the
    // change log's old entries and replicas long gone.
    if (announcements_++ % 12 == 0) {
      if (auto pruned = exec(c, fmt::format("DELETE FROM changes WHERE at < {} - $1", kNowMs),
                             {millis(kChangeLogRetention)}, "pruning the change log");
          !pruned) {
        return std::unexpected(pruned.error());
      }
      if (auto gone = exec(c, fmt::format("DELETE FROM replicas WHERE seen_at < {} - $1", kNowMs),
                           {millis(kReplicaForgetAfter)}, "forgetting old replicas");
          !gone) {
        return std::unexpected(gone.error());
      }
    }
    auto live = exec(c,
                     fmt::format("SELECT id, address, started_at, seen_at, {0} FROM replicas "
                                 "WHERE seen_at >= {0} - $1 ORDER BY id COLLATE \"C\"",
                                 kNowMs),
                     {millis(live_within)}, "reading the replicas");
    if (!live) return std::unexpected(live.error());
    ReplicaView view;
    for (int i = 0; i < PQntuples(live->get()); ++i) {
      PgColumns row(live->get(), i);
      view.replicas.push_back({row.text(0), row.text(1), row.time(2), row.time(3)});
      view.now = row.time(4);
    }
    return view;
  });
}

Status PostgresCluster::leave() {
  auto left = transaction<bool>("BEGIN", [&](PGconn* c, bool&) -> Result<bool> {
    auto done = exec(c, "DELETE FROM replicas WHERE id = $1", {replica()}, "leaving the cluster");
    if (!done) return std::unexpected(done.error());
    return true;
  });
  if (!left) return std::unexpected(left.error());
  return {};
}

Result<std::int64_t> PostgresCluster::last_change() {
  return transaction<std::int64_t>(
      "BEGIN READ ONLY", [&](PGconn* c, bool&) -> Result<std::int64_t> {
        auto r = exec(c, "SELECT coalesce(max(seq), 0) FROM changes", {}, "reading the change log");
        if (!r) return std::unexpected(r.error());
        return PgColumns(r->get(), 0).integer(0);
      });
}

Status PostgresCluster::read_rows(PGconn* c, const SharedTable& table,
                                  const std::vector<std::string>& keys, PeerChanges& out,
                                  bool removals) {
  if (keys.empty()) return {};
  auto r = exec(c,
                fmt::format("SELECT {} FROM {} WHERE {} = ANY($1::text[])",
                            column_list(table.columns), table.kind, table.key),
                {pg::text_array(keys)}, fmt::format("reading the changed {}", table.kind));
  if (!r) return std::unexpected(r.error());
  std::set<std::string> found;
  for (int i = 0; i < PQntuples(r->get()); ++i) {
    PgColumns row(r->get(), i);
    auto fail_row = [&](const Error& e) {
      return fail(fmt::format("{}: {}", db_.name(), e.message()));
    };
    if (table.kind == kSilences.kind) {
      auto v = silence_from(row);
      if (!v) return fail_row(v.error());
      out.silences.push_back(std::move(*v));
    } else if (table.kind == kAcknowledgements.kind) {
      auto v = acknowledgement_from(row);
      if (!v) return fail_row(v.error());
      found.insert(v->id);
      out.acknowledgements.push_back(std::move(*v));
    } else if (table.kind == kHeartbeats.kind) {
      auto v = heartbeat_from(row);
      if (!v) return fail_row(v.error());
      found.insert(v->name);
      out.heartbeats.push_back(std::move(*v));
    } else if (table.kind == kAlerts.kind) {
      auto v = alert_from(row);
      if (!v) return fail_row(v.error());
      out.alerts.push_back(std::move(*v));
    } else {
      auto v = notification_from(row);
      if (!v) return fail_row(v.error());
      out.notifications.push_back(std::move(*v));
    }
  }
  if (removals) {
    auto& removed = table.kind == kAcknowledgements.kind ? out.removed_acknowledgements
                                                         : out.removed_heartbeats;
    for (const std::string& key : keys) {
      if (!found.contains(key)) removed.push_back(key);
    }
  }
  return {};
}

Result<PeerChanges> PostgresCluster::changes_after(std::int64_t seq, std::size_t max_changes) {
  return transaction<PeerChanges>(
      "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
      [&](PGconn* c, bool&) -> Result<PeerChanges> {
        auto log = exec(c,
                        "SELECT seq, kind, key, origin FROM changes WHERE seq > $1 "
                        "ORDER BY seq LIMIT $2",
                        {seq, static_cast<std::int64_t>(max_changes)}, "reading the change log");
        if (!log) return std::unexpected(log.error());
        PeerChanges out;
        out.through = seq;
        std::map<std::string, std::set<std::string>> keys;  // by kind
        for (int i = 0; i < PQntuples(log->get()); ++i) {
          PgColumns row(log->get(), i);
          out.through = row.integer(0);
          if (row.text(3) == replica()) continue;
          keys[row.text(1)].insert(row.text(2));
        }
        for (const SharedTable& table : kSharedTables) {
          auto it = keys.find(std::string(table.kind));
          if (it == keys.end()) continue;
          std::vector<std::string> wanted(it->second.begin(), it->second.end());
          bool removals = table.kind == kAcknowledgements.kind || table.kind == kHeartbeats.kind;
          if (Status s = read_rows(c, table, wanted, out, removals); !s) {
            return std::unexpected(s.error());
          }
        }
        return out;
      });
}

Status PostgresCluster::read_all(PGconn* c, const SharedTable& table, PeerChanges& out) {
  auto r = exec(c, fmt::format("SELECT {} FROM {}", table.key, table.kind), {},
                fmt::format("reading the {}", table.kind));
  if (!r) return std::unexpected(r.error());
  std::set<std::string> keys;
  for (int i = 0; i < PQntuples(r->get()); ++i) keys.insert(PgColumns(r->get(), i).text(0));
  return read_rows(c, table, std::vector<std::string>(keys.begin(), keys.end()), out, false);
}

Result<PeerChanges> PostgresCluster::everything() {
  return transaction<PeerChanges>("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
                                  [&](PGconn* c, bool&) -> Result<PeerChanges> {
                                    auto last = exec(c, "SELECT coalesce(max(seq), 0) FROM changes",
                                                     {}, "reading the change log");
                                    if (!last) return std::unexpected(last.error());
                                    PeerChanges out;
                                    out.through = PgColumns(last->get(), 0).integer(0);
                                    for (const SharedTable& table : kSharedTables) {
                                      if (Status s = read_all(c, table, out); !s)
                                        return std::unexpected(s.error());
                                    }
                                    return out;
                                  });
}

Result<bool> PostgresCluster::wait_for_change(Duration timeout) {
  if (listener_ == nullptr || PQstatus(listener_.get()) != CONNECTION_OK) {
    listener_.reset();
    auto c = db_.connect();
    if (!c) return std::unexpected(c.error());
    if (auto l = db_.exec(c->get(), "LISTEN tocsin_changes", {}, "listening for changes"); !l) {
      return std::unexpected(l.error());
    }
    listener_ = std::move(*c);
  }
  PGconn* c = listener_.get();
  auto drain = [&] {
    bool any = false;
    while (PGnotify* n = PQnotifies(c)) {
      any = true;
      PQfreemem(n);
    }
    return any;
  };
  if (drain()) return true;
  pollfd fd{PQsocket(c), POLLIN, 0};
  int ready = ::poll(&fd, 1, static_cast<int>(std::max<std::int64_t>(0, millis(timeout))));
  if (ready > 0 && PQconsumeInput(c) == 0) {
    Error e = db_.error("waiting for changes", c);
    listener_.reset();
    return std::unexpected(e);
  }
  return drain();
}

Result<Claim> PostgresCluster::claim(const ClaimKey& key, Duration hold,
                                     const std::function<bool(const NotificationRow*)>& needed) {
  const Values where = {key.group_key, key.receiver, key.integration,
                        static_cast<std::int64_t>(key.index)};
  constexpr std::string_view kWhere =
      "group_key = $1 AND receiver = $2 AND integration = $3 AND idx = $4";
  return transaction<Claim>("BEGIN", [&](PGconn* c, bool& commit) -> Result<Claim> {
    if (auto made = exec(c,
                         "INSERT INTO notification_claims VALUES ($1, $2, $3, $4, '', 0, 0) "
                         "ON CONFLICT DO NOTHING",
                         where, "claiming a notification");
        !made) {
      return std::unexpected(made.error());
    }
    auto held = exec(c,
                     fmt::format("SELECT replica, epoch, expires_at > {} FROM notification_claims "
                                 "WHERE {} FOR UPDATE",
                                 kNowMs, kWhere),
                     where, "claiming a notification");
    if (!held) return std::unexpected(held.error());
    PgColumns holder(held->get(), 0);
    Claim out;
    auto logged = exec(c,
                       fmt::format("SELECT {} FROM notification_log WHERE {}",
                                   column_list(kNotificationColumns), kWhere),
                       where, "reading the notification log");
    if (!logged) return std::unexpected(logged.error());
    if (PQntuples(logged->get()) > 0) {
      auto row = notification_from(PgColumns(logged->get(), 0));
      if (!row) return fail(fmt::format("{}: {}", db_.name(), row.error().message()));
      out.last = std::move(*row);
    }
    const std::string who = holder.text(0);
    if (!who.empty() && who != replica() && holder.text(2) == "t") {
      out.outcome = ClaimOutcome::kBusy;
      out.holder = who;
      commit = false;
      return out;
    }
    if (!needed(out.last ? &*out.last : nullptr)) {
      out.outcome = ClaimOutcome::kTold;
      commit = false;
      return out;
    }
    Values values = where;
    values.push_back(replica());
    values.push_back(millis(hold));
    auto taken = exec(c,
                      fmt::format("UPDATE notification_claims SET replica = $5, epoch = epoch + 1, "
                                  "expires_at = {} + $6 WHERE {} RETURNING epoch",
                                  kNowMs, kWhere),
                      values, "claiming a notification");
    if (!taken) return std::unexpected(taken.error());
    out.outcome = ClaimOutcome::kClaimed;
    out.epoch = PgColumns(taken->get(), 0).integer(0);
    return out;
  });
}

Status PostgresCluster::settle(const ClaimKey& key, std::int64_t epoch,
                               const NotificationRow* sent) {
  auto settled = transaction<bool>("BEGIN", [&](PGconn* c, bool&) -> Result<bool> {
    if (auto locked = exec(c, "SELECT pg_advisory_xact_lock($1)", {kChangeLogLock},
                           "waiting for the change log");
        !locked) {
      return std::unexpected(locked.error());
    }
    if (sent != nullptr) {
      // An entry already newer (another replica's, after a take-over)
      // stays.
      if (auto logged = exec(c,
                             pg::upsert("notification_log", kNotificationColumns, 4,
                                        "notification_log.timestamp <= EXCLUDED.timestamp"),
                             notification_values(*sent), "writing the notification log");
          !logged) {
        return std::unexpected(logged.error());
      }
    }
    auto ended = exec(c,
                      "UPDATE notification_claims SET replica = '', expires_at = 0 "
                      "WHERE group_key = $1 AND receiver = $2 AND integration = $3 AND idx = $4 "
                      "AND replica = $5 AND epoch = $6",
                      {key.group_key, key.receiver, key.integration,
                       static_cast<std::int64_t>(key.index), replica(), epoch},
                      "settling a notification claim");
    if (!ended) return std::unexpected(ended.error());
    return true;
  });
  if (!settled) return std::unexpected(settled.error());
  return {};
}

Result<std::vector<GroupLease>> PostgresCluster::hold_leases(std::vector<std::string> group_keys,
                                                             Duration ttl) {
  // In one order on every replica (the database's "C" order is byte order,
  // as std::string's), so two renewing at once cannot deadlock.
  std::ranges::sort(group_keys);
  group_keys.erase(std::ranges::unique(group_keys).begin(), group_keys.end());
  return transaction<std::vector<GroupLease>>(
      "BEGIN", [&](PGconn* c, bool&) -> Result<std::vector<GroupLease>> {
        // A lease changes hands (a new epoch) when it has expired; its
        // holder renewing it keeps the epoch. A lease that lapsed and is
        // taken again by the same replica gets a new epoch too: another may
        // have held it meanwhile, so the state is read anew.
        // Who held each lease before: a lease back in the hands of the
        // replica that held it last has not changed hands.
        auto before = exec(c,
                           "SELECT group_key, replica FROM rule_group_leases WHERE group_key = "
                           "ANY($1::text[]) ORDER BY group_key COLLATE \"C\" FOR UPDATE",
                           {pg::text_array(group_keys)}, "reading rule group leases");
        if (!before) return std::unexpected(before.error());
        std::set<std::string> held_last;
        for (int i = 0; i < PQntuples(before->get()); ++i) {
          PgColumns row(before->get(), i);
          if (row.text(1) == replica()) held_last.insert(row.text(0));
        }
        auto held = exec(
            c,
            fmt::format("INSERT INTO rule_group_leases AS l (group_key, replica, epoch, "
                        "expires_at) SELECT g, $2, 1, {0} + $3 FROM unnest($1::text[]) "
                        "WITH ORDINALITY AS u(g, n) ORDER BY n "
                        "ON CONFLICT (group_key) DO UPDATE SET replica = EXCLUDED.replica, "
                        "epoch = CASE WHEN l.replica = EXCLUDED.replica AND l.expires_at > "
                        "{0} THEN l.epoch ELSE l.epoch + 1 END, "
                        "expires_at = EXCLUDED.expires_at "
                        "WHERE l.replica = EXCLUDED.replica OR l.expires_at <= {0} "
                        "RETURNING group_key, epoch",
                        kNowMs),
            {pg::text_array(group_keys), replica(), millis(ttl)}, "renewing rule group leases");
        if (!held) return std::unexpected(held.error());
        std::vector<GroupLease> leases;
        for (int i = 0; i < PQntuples(held->get()); ++i) {
          PgColumns row(held->get(), i);
          std::string key = row.text(0);
          bool changed_hands = !held_last.contains(key);
          leases.push_back({std::move(key), row.integer(1), changed_hands});
        }
        std::ranges::sort(leases, {}, &GroupLease::group_key);
        return leases;
      });
}

Status PostgresCluster::release_leases(const std::vector<std::string>& group_keys) {
  if (group_keys.empty()) return {};
  return expire_leases(&group_keys);
}

Status PostgresCluster::release_all_leases() {
  return expire_leases(nullptr);
}

Status PostgresCluster::expire_leases(const std::vector<std::string>* only) {
  auto released = transaction<bool>("BEGIN", [&](PGconn* c, bool&) -> Result<bool> {
    // Expired rather than deleted: the epoch goes on growing.
    const Values values =
        only != nullptr ? Values{replica(), pg::text_array(*only)} : Values{replica()};
    auto done = exec(c,
                     fmt::format("UPDATE rule_group_leases SET expires_at = {0} "
                                 "WHERE replica = $1 AND expires_at > {0}{1}",
                                 kNowMs, only != nullptr ? " AND group_key = ANY($2::text[])" : ""),
                     values, "releasing rule group leases");
    if (!done) return std::unexpected(done.error());
    return true;
  });
  if (!released) return std::unexpected(released.error());
  return {};
}

Result<RuleGroupState> PostgresCluster::rule_group_state(const std::string& group_key) {
  return transaction<RuleGroupState>(
      "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
      [&](PGconn* c, bool&) -> Result<RuleGroupState> {
        RuleGroupState state;
        auto alerts = exec(c,
                           fmt::format("SELECT {} FROM rule_alerts WHERE group_key = $1 "
                                       "ORDER BY rule_key COLLATE \"C\", fingerprint",
                                       column_list(kRuleAlertColumns)),
                           {group_key}, "reading a rule group's alerts");
        if (!alerts) return std::unexpected(alerts.error());
        for (int i = 0; i < PQntuples(alerts->get()); ++i) {
          auto row = rule_alert_from(PgColumns(alerts->get(), i));
          if (!row) return fail(fmt::format("{}: {}", db_.name(), row.error().message()));
          state.alerts.push_back(std::move(*row));
        }
        auto group = exec(c,
                          fmt::format("SELECT {} FROM rule_groups WHERE group_key = $1",
                                      column_list(kRuleGroupColumns)),
                          {group_key}, "reading a rule group's last evaluation");
        if (!group) return std::unexpected(group.error());
        if (PQntuples(group->get()) == 1) {
          state.last_evaluation = rule_group_from(PgColumns(group->get(), 0)).last_evaluation;
        }
        return state;
      });
}

}  // namespace

Result<std::unique_ptr<Cluster>> open_postgres_cluster(const std::string& url,
                                                       const PostgresOptions& options) {
  if (options.replica.empty()) return fail("a cluster replica needs an id");
  auto name = redacted_postgres_url(url);
  if (!name) return std::unexpected(name.error());
  auto cluster = std::make_unique<PostgresCluster>(url, *name, options);
  if (auto first = cluster->last_change(); !first) return std::unexpected(first.error());
  return std::unique_ptr<Cluster>(std::move(cluster));
}

}  // namespace tocsin::store
