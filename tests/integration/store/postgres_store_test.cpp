// The PostgreSQL store against a real PostgreSQL 15 on loopback: the store
// contract (support/store_contract.h) as SQLite passes it; the schema made
// and migrated from every earlier version; every database it cannot use
// refused with the reason and without the password; a server that goes
// away and comes back loses nothing the writer queued; and replicas sharing
// one database (postgres_cluster.h): the change log each follows, the
// claims that let one of them send, the registry of who is alive.
#include "store/postgres_store.h"

#include <atomic>
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include "store/postgres_cluster.h"
#include "store/postgres_connection.h"
#include "store/schema.h"
#include "store/writer.h"
#include "support/fake_clock.h"
#include "support/ports.h"
#include "support/postgres_server.h"
#include "support/store_contract.h"
#include "support/wait.h"

namespace tocsin::store {
namespace {

using namespace std::chrono_literals;
using namespace test::store_rows;
using test::at;
using test::StoreContractTest;

// One server for the whole program, started by the first test that needs
// it and stopped when the tests end; each test gets a database of its own.
test::PostgresServer* shared_server = nullptr;

test::PostgresServer& server() {
  if (shared_server == nullptr) {
    shared_server = new test::PostgresServer();
    Status ok = shared_server->start();
    EXPECT_TRUE(ok) << ok.error().message();
  }
  return *shared_server;
}

class StopServer final : public ::testing::Environment {
 public:
  void TearDown() override {
    delete shared_server;  // stops it
    shared_server = nullptr;
  }
};
[[maybe_unused]] ::testing::Environment* const kStopServer =
    ::testing::AddGlobalTestEnvironment(new StopServer());

std::string fresh_database() {
  static std::atomic<int> next{0};
  auto url = server().create_database(fmt::format("t{}", next++));
  EXPECT_TRUE(url) << url.error().message();
  return url ? *url : "";
}

std::string database_of(const std::string& url) {
  return url.substr(url.rfind('/') + 1);
}

std::unique_ptr<Store> open_ok(const std::string& url) {
  auto store = open_postgres_store(url);
  EXPECT_TRUE(store.has_value()) << (store ? "" : store.error().message());
  return store ? std::move(*store) : nullptr;
}

class PostgresUnderTest final : public test::StoreUnderTest {
 public:
  std::unique_ptr<Store> open() override { return open_ok(url_); }

 private:
  std::string url_ = fresh_database();
};

INSTANTIATE_TEST_SUITE_P(Postgres, StoreContractTest,
                         ::testing::Values(test::StoreBackend{
                             "database", [] { return std::make_unique<PostgresUnderTest>(); }}),
                         [](const ::testing::TestParamInfo<test::StoreBackend>& param) {
                           return param.param.name;
                         });

TEST(PostgresStore, PostgresStore_CreatesTheSchemaOfEachVersionAsSqliteDoes) {
  // The same versions, described alike, in both dialects.
  ASSERT_EQ(postgres_migrations().size(), migrations().size());
  for (std::size_t i = 0; i < migrations().size(); ++i) {
    EXPECT_EQ(postgres_migrations()[i].version, migrations()[i].version);
    EXPECT_EQ(postgres_migrations()[i].description, migrations()[i].description);
  }
  std::string url = fresh_database();
  auto store = open_ok(url);
  ASSERT_TRUE(store);
  EXPECT_EQ(store->name(),
            fmt::format("postgres://tocsin@127.0.0.1:{}/{}", server().port(), database_of(url)));
  auto version = server().query(database_of(url), "SELECT version FROM tocsin_schema");
  ASSERT_TRUE(version) << version.error().message();
  EXPECT_EQ(*version, std::to_string(latest_schema_version()));
  // Of an alert or of a group, never both nor neither.
  for (const char* values : {"('x', NULL, NULL, '[]', '{}', '', '', 0, 0)",
                             "('y', '01', 'g', '[]', '{}', '', '', 0, 0)"}) {
    auto refused = server().query(database_of(url),
                                  fmt::format("INSERT INTO acknowledgements VALUES {}", values));
    EXPECT_FALSE(refused) << values;
  }
}

// A database as each earlier version left it (its migrations applied, a
// silence in it) opens, is migrated to the latest version and keeps its rows.
TEST(PostgresStore, PostgresStore_MigratesADatabaseOfEveryEarlierSchemaVersion) {
  for (int version = 1; version < latest_schema_version(); ++version) {
    SCOPED_TRACE(fmt::format("from version {}", version));
    std::string url = fresh_database();
    std::string db = database_of(url);
    for (const Migration& m : postgres_migrations()) {
      if (m.version > version) break;
      ASSERT_TRUE(server().query(db, std::string(m.sql)));
    }
    ASSERT_TRUE(server().query(db, "CREATE TABLE tocsin_schema (version INTEGER NOT NULL)"));
    ASSERT_TRUE(server().query(db, fmt::format("INSERT INTO tocsin_schema VALUES ({})", version)));
    ASSERT_TRUE(server().query(
        db,
        "INSERT INTO silences VALUES ('old', '[{\"type\":\"=\",\"name\":\"a\",\"pattern\":"
        "\"b\"}]', 1, 2, 1, 'ops', 'kept', 3)"));
    auto store = open_ok(url);
    ASSERT_TRUE(store);
    auto state = store->load();
    ASSERT_TRUE(state) << state.error().message();
    ASSERT_EQ(state->silences.size(), 1u);
    EXPECT_EQ(state->silences[0].comment, "kept");
    EXPECT_EQ(state->silences[0].matchers, (std::vector<SilenceMatcherRow>{{"=", "a", "b"}}));
    EXPECT_EQ(*server().query(db, "SELECT version FROM tocsin_schema"),
              std::to_string(latest_schema_version()));
  }
}

TEST(PostgresStore, PostgresStore_RefusesADatabaseOfANewerSchema) {
  std::string url = fresh_database();
  ASSERT_TRUE(open_ok(url));
  ASSERT_TRUE(server().query(database_of(url), fmt::format("UPDATE tocsin_schema SET version = {}",
                                                           latest_schema_version() + 1)));
  auto store = open_postgres_store(url);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().message(),
            fmt::format("postgres://tocsin@127.0.0.1:{}/{}: written by a newer tocsin (schema "
                        "version {}; this tocsin knows versions up to {}): run that tocsin or a "
                        "newer one, or point this one at another database",
                        server().port(), database_of(url), latest_schema_version() + 1,
                        latest_schema_version()));
}

TEST(PostgresStore, PostgresStore_RefusesADatabaseOfAnotherProgram) {
  std::string url = fresh_database();
  ASSERT_TRUE(server().query(database_of(url), "CREATE TABLE alerts (id INTEGER)"));
  auto store = open_postgres_store(url);
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message().find(
                "not a tocsin database (it holds tables named alerts but no schema version"),
            std::string::npos)
      << store.error().message();
}

TEST(PostgresStore, PostgresStore_NamesTheDatabaseWithoutItsPasswordInEveryRefusal) {
  int closed = test::free_port();
  std::string url =
      fmt::format("postgresql://ops:s3cret@127.0.0.1:{}/tocsin?connect_timeout=2", closed);
  auto name = redacted_postgres_url(url);
  ASSERT_TRUE(name);
  EXPECT_EQ(*name, fmt::format("postgres://ops@127.0.0.1:{}/tocsin", closed));
  auto store = open_postgres_store(url);
  ASSERT_FALSE(store);
  EXPECT_TRUE(store.error().message().starts_with(*name + ": cannot connect: "))
      << store.error().message();
  EXPECT_EQ(store.error().message().find("s3cret"), std::string::npos);

  // A login the server refuses, and a URL libpq cannot read.
  auto refused = open_postgres_store(
      fmt::format("postgres://tocsin@127.0.0.1:{}/no_such_database", server().port()));
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("database \"no_such_database\" does not exist"),
            std::string::npos)
      << refused.error().message();
  auto garbled = open_postgres_store("postgres://[::1");
  ASSERT_FALSE(garbled);
  EXPECT_TRUE(garbled.error().message().starts_with("not a PostgreSQL URL: "))
      << garbled.error().message();
  EXPECT_TRUE(is_postgres_url("postgresql://x/y"));
  EXPECT_FALSE(is_postgres_url("data/tocsin.db"));
}

// PostgreSQL's text holds neither NUL nor invalid UTF-8: such bytes (no API
// lets them in) are written as U+FFFD rather than stopping the store.
TEST(PostgresStore, PostgresStore_WritesBytesPostgresCannotHoldAsReplacementCharacters) {
  auto store = open_ok(fresh_database());
  ASSERT_TRUE(store);
  SilenceRow odd = silence("odd");
  odd.comment = std::string("a\xff") + std::string(1, '\0') + "b";
  ASSERT_TRUE(store->write({PutSilence{odd}}));
  auto state = store->load();
  ASSERT_TRUE(state) << state.error().message();
  ASSERT_EQ(state->silences.size(), 1u);
  EXPECT_EQ(state->silences[0].comment, "a\uFFFD\uFFFDb");
}

// The server restarts under a running store: the write that finds the
// connection broken fails, the writer retries it with backoff, and once the
// server is back everything queued is written; history reads reconnect too.
TEST(PostgresStore, PostgresStore_LosesNothingQueuedWhileTheServerIsDown) {
  test::PostgresServer own;  // this test stops its server
  ASSERT_TRUE(own.start());
  auto url = own.create_database("restart");
  ASSERT_TRUE(url) << url.error().message();
  auto opened = open_postgres_store(*url, PostgresOptions{.connect_timeout = 2s});
  ASSERT_TRUE(opened) << opened.error().message();
  prometheus::Registry registry;
  auto writer_owner = std::make_unique<Writer>(
      std::move(*opened),
      Writer::Options{.initial_backoff = 50ms, .max_backoff = 200ms, .registry = &registry});
  Writer& writer = *writer_owner;
  Writer::Sequence first = writer.submit({PutSilence{silence("before")}});
  ASSERT_TRUE(writer.wait_written(first, 10s));

  own.stop();
  Writer::Sequence during =
      writer.submit({PutSilence{silence("during")},
                     AppendHistory{event(at("2024-05-01T12:00:00Z"), "alert", "firing")}});
  ASSERT_TRUE(test::wait_until([&] { return writer.failures() >= 2; }, 30s));
  EXPECT_FALSE(writer.wait_written(during, Duration::zero()));
  EXPECT_FALSE(writer.history({}));  // no server: an error, not a crash

  ASSERT_TRUE(own.start());
  ASSERT_TRUE(writer.wait_written(during, 30s));
  auto page = writer.history({});
  ASSERT_TRUE(page) << page.error().message();
  EXPECT_EQ(page->events.size(), 1u);
  writer_owner.reset();  // closes its connections, and so lets go of the lock

  auto reopened = open_postgres_store(*url);
  ASSERT_TRUE(reopened) << reopened.error().message();
  auto state = (*reopened)->load();
  ASSERT_TRUE(state) << state.error().message();
  ASSERT_EQ(state->silences.size(), 2u);
  EXPECT_EQ(state->silences[0].id, "before");
  EXPECT_EQ(state->silences[1].id, "during");
}

// Replicas sharing one database: a store and a cluster handle each.
struct Replica {
  std::unique_ptr<Store> store;
  std::unique_ptr<Cluster> cluster;
};

Replica replica(const std::string& url, std::string id) {
  PostgresOptions options{.replica = std::move(id)};
  auto store = open_postgres_store(url, options);
  EXPECT_TRUE(store) << (store ? "" : store.error().message());
  auto cluster = open_postgres_cluster(url, options);
  EXPECT_TRUE(cluster) << (cluster ? "" : cluster.error().message());
  if (!store || !cluster) return {};
  return {std::move(*store), std::move(*cluster)};
}

AcknowledgementRow acknowledgement(std::string id) {
  AcknowledgementRow row;
  row.id = std::move(id);
  row.fingerprint = 0x3f2a6c1d9e8b7a65ULL;
  row.covered = {0x3f2a6c1d9e8b7a65ULL};
  row.labels = Labels{{"alertname", "TokenBudgetLow"}};
  row.by = "alice";
  row.comment = "on it";
  row.created_at = at("2024-05-01T12:00:00Z");
  return row;
}

HeartbeatRow heartbeat(std::string name) {
  HeartbeatRow row;
  row.name = std::move(name);
  row.timeout = 5min;
  row.created_at = at("2024-05-01T12:00:00Z");
  row.renewed_at = at("2024-05-01T12:01:00Z");
  row.created_by = "cron";
  return row;
}

// What one replica writes to a shared table, each other replica reads from
// the change log as it is now (deleted acknowledgements and heartbeats by
// key); its own writes it does not read back.
TEST(PostgresCluster, PostgresCluster_ReplicasReadWhatTheOthersChanged) {
  std::string url = fresh_database();
  Replica a = replica(url, "a");
  Replica b = replica(url, "b");
  ASSERT_TRUE(a.store && b.store);
  auto start = a.cluster->last_change();
  ASSERT_TRUE(start) << start.error().message();

  ASSERT_TRUE(b.store->write(
      {PutSilence{silence("s1")}, PutAcknowledgement{acknowledgement("k1")},
       PutHeartbeat{heartbeat("cron")}, PutAlert{posted_alert(7, at("2024-05-01T12:05:00Z"))},
       PutNotification{notification("{}:{a=\"1\"}")},
       AppendHistory{event(at("2024-05-01T12:00:00Z"), "alert", "firing")}}));
  ASSERT_TRUE(a.store->write({PutSilence{silence("mine")}}));

  auto changes = a.cluster->changes_after(*start, 1000);
  ASSERT_TRUE(changes) << changes.error().message();
  ASSERT_EQ(changes->silences.size(), 1u);
  EXPECT_EQ(changes->silences[0], silence("s1"));
  ASSERT_EQ(changes->acknowledgements.size(), 1u);
  EXPECT_EQ(changes->acknowledgements[0], acknowledgement("k1"));
  ASSERT_EQ(changes->heartbeats.size(), 1u);
  EXPECT_EQ(changes->heartbeats[0], heartbeat("cron"));
  ASSERT_EQ(changes->alerts.size(), 1u);
  EXPECT_EQ(changes->alerts[0], posted_alert(7, at("2024-05-01T12:05:00Z")));
  ASSERT_EQ(changes->notifications.size(), 1u);
  EXPECT_EQ(changes->notifications[0], notification("{}:{a=\"1\"}"));
  EXPECT_TRUE(changes->removed_acknowledgements.empty());

  // b sees a's silence only.
  auto theirs = b.cluster->changes_after(*start, 1000);
  ASSERT_TRUE(theirs) << theirs.error().message();
  ASSERT_EQ(theirs->silences.size(), 1u);
  EXPECT_EQ(theirs->silences[0].id, "mine");
  EXPECT_TRUE(theirs->alerts.empty());
  EXPECT_EQ(theirs->through, changes->through);

  // Deletions, read on from where a was.
  ASSERT_TRUE(b.store->write({DeleteAcknowledgement{"k1"}, DeleteHeartbeat{"cron"}}));
  auto later = a.cluster->changes_after(changes->through, 1000);
  ASSERT_TRUE(later) << later.error().message();
  EXPECT_EQ(later->removed_acknowledgements, std::vector<std::string>{"k1"});
  EXPECT_EQ(later->removed_heartbeats, std::vector<std::string>{"cron"});
  EXPECT_TRUE(later->acknowledgements.empty());
  EXPECT_GT(later->through, changes->through);

  // Nothing new: nothing read, the point stays.
  auto none = a.cluster->changes_after(later->through, 1000);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  EXPECT_EQ(none->through, later->through);

  // A replica that fell behind reads every shared row.
  auto all = a.cluster->everything();
  ASSERT_TRUE(all) << all.error().message();
  EXPECT_EQ(all->silences.size(), 2u);
  EXPECT_EQ(all->alerts.size(), 1u);
  EXPECT_EQ(all->notifications.size(), 1u);
  EXPECT_TRUE(all->acknowledgements.empty());
  EXPECT_EQ(all->through, later->through);
}

// A change wakes the replicas waiting for one (LISTEN/NOTIFY).
TEST(PostgresCluster, PostgresCluster_AChangeWakesTheOthers) {
  std::string url = fresh_database();
  Replica a = replica(url, "a");
  Replica b = replica(url, "b");
  ASSERT_TRUE(a.store && b.store);
  auto quiet = a.cluster->wait_for_change(50ms);  // also starts listening
  ASSERT_TRUE(quiet) << quiet.error().message();
  EXPECT_FALSE(*quiet);
  std::jthread writer([&] { EXPECT_TRUE(b.store->write({PutSilence{silence("s")}})); });
  bool woken = false;
  ASSERT_TRUE(test::wait_until(
      [&] {
        auto w = a.cluster->wait_for_change(100ms);
        woken = w && *w;
        return woken;
      },
      10s));
}

// Only one replica holds a claim; the one that sent settles it with the
// log entry, and the next replica learns the receiver was told; a claim
// whose holder went silent expires, and the late holder's settle changes
// nothing of the new claim.
TEST(PostgresCluster, PostgresCluster_OneReplicaHoldsAClaimAndATakeOverFencesTheOld) {
  std::string url = fresh_database();
  Replica a = replica(url, "a");
  Replica b = replica(url, "b");
  ASSERT_TRUE(a.store && b.store);
  ClaimKey key{"{}:{alertname=\"Down\"}", "team", "webhook", 1};
  auto always = [](const NotificationRow*) { return true; };

  auto first = a.cluster->claim(key, 1min, always);
  ASSERT_TRUE(first) << first.error().message();
  EXPECT_EQ(first->outcome, ClaimOutcome::kClaimed);
  EXPECT_FALSE(first->last);

  auto busy = b.cluster->claim(key, 1min, always);
  ASSERT_TRUE(busy) << busy.error().message();
  EXPECT_EQ(busy->outcome, ClaimOutcome::kBusy);
  EXPECT_EQ(busy->holder, "a");

  NotificationRow sent = notification(key.group_key);
  ASSERT_TRUE(a.cluster->settle(key, first->epoch, &sent));
  const NotificationRow* seen = nullptr;
  NotificationRow copy;
  auto told = b.cluster->claim(key, 1min, [&](const NotificationRow* row) {
    if (row != nullptr) copy = *row;
    seen = row != nullptr ? &copy : nullptr;
    return row == nullptr;  // needed only if nothing was sent
  });
  ASSERT_TRUE(told) << told.error().message();
  EXPECT_EQ(told->outcome, ClaimOutcome::kTold);
  ASSERT_TRUE(told->last);
  EXPECT_EQ(*told->last, sent);
  ASSERT_NE(seen, nullptr);
  EXPECT_EQ(copy, sent);
  // The entry is in the store as the others load it.
  auto state = b.store->load();
  ASSERT_TRUE(state);
  ASSERT_EQ(state->notifications.size(), 1u);
  EXPECT_EQ(state->notifications[0], sent);

  // a claims again and goes silent (its claim expires at once): b takes it
  // over with the next epoch; a's late settle leaves b's claim alone.
  auto stale = a.cluster->claim(key, 0ms, always);
  ASSERT_TRUE(stale);
  ASSERT_EQ(stale->outcome, ClaimOutcome::kClaimed);
  auto over = b.cluster->claim(key, 1min, always);
  ASSERT_TRUE(over) << over.error().message();
  ASSERT_EQ(over->outcome, ClaimOutcome::kClaimed);
  EXPECT_GT(over->epoch, stale->epoch);
  ASSERT_TRUE(a.cluster->settle(key, stale->epoch, nullptr));
  auto third = replica(url, "c");
  auto still = third.cluster->claim(key, 1min, always);
  ASSERT_TRUE(still);
  EXPECT_EQ(still->outcome, ClaimOutcome::kBusy);
  EXPECT_EQ(still->holder, "b");

  // An older entry does not replace a newer one.
  NotificationRow older = sent;
  older.timestamp = sent.timestamp - 1min;
  older.firing_alerts = {1};
  ASSERT_TRUE(b.cluster->settle(key, over->epoch, &older));
  auto after = b.store->load();
  ASSERT_TRUE(after);
  EXPECT_EQ(after->notifications[0], sent);
}

// A rule group's lease: one replica holds it; renewing keeps its epoch; one
// that runs out passes to another with the next epoch (changed hands), and
// back to the first with the next again; a replica taking back a lease it
// let lapse, with nobody in between, has it with the hands unchanged. A
// release (of every lease, or of some) hands the groups on at once.
TEST(PostgresCluster, PostgresCluster_OneReplicaHoldsARuleGroupsLease) {
  std::string url = fresh_database();
  Replica a = replica(url, "a");
  Replica b = replica(url, "b");
  ASSERT_TRUE(a.store && b.store);
  const std::string g1 = "rules/api.yml;api", g2 = "rules/slo.yml;slo";

  auto first = a.cluster->hold_leases({g2, g1, g1}, 1min);
  ASSERT_TRUE(first) << first.error().message();
  EXPECT_EQ(*first, (std::vector<GroupLease>{{g1, 1, true}, {g2, 1, true}}));
  auto refused = b.cluster->hold_leases({g1}, 1min);
  ASSERT_TRUE(refused) << refused.error().message();
  EXPECT_TRUE(refused->empty());
  auto renewed = a.cluster->hold_leases({g1}, 1min);
  ASSERT_TRUE(renewed);
  EXPECT_EQ(*renewed, (std::vector<GroupLease>{{g1, 1, false}}));

  // g1 runs out (renewed for no time at all): b takes it.
  ASSERT_TRUE(a.cluster->hold_leases({g1}, 0ms));
  auto taken = b.cluster->hold_leases({g1, g2}, 1min);
  ASSERT_TRUE(taken) << taken.error().message();
  EXPECT_EQ(*taken, (std::vector<GroupLease>{{g1, 2, true}}));
  // a cannot renew what it lost.
  auto lost = a.cluster->hold_leases({g1, g2}, 1min);
  ASSERT_TRUE(lost);
  EXPECT_EQ(*lost, (std::vector<GroupLease>{{g2, 1, false}}));

  // b's lapses and b takes it again: a new epoch, the same hands.
  ASSERT_TRUE(b.cluster->hold_leases({g1}, 0ms));
  auto again = b.cluster->hold_leases({g1}, 1min);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, (std::vector<GroupLease>{{g1, 3, false}}));

  // a stops cleanly: b has g2 at once.
  ASSERT_TRUE(a.cluster->release_all_leases());
  auto handed = b.cluster->hold_leases({g1, g2}, 1min);
  ASSERT_TRUE(handed);
  EXPECT_EQ(*handed, (std::vector<GroupLease>{{g1, 3, false}, {g2, 2, true}}));

  // b gives g1 up (a joined and wants it): a has it at once; b keeps g2.
  ASSERT_TRUE(b.cluster->release_leases({g1}));
  auto wanted = a.cluster->hold_leases({g1, g2}, 1min);
  ASSERT_TRUE(wanted);
  EXPECT_EQ(*wanted, (std::vector<GroupLease>{{g1, 4, true}}));
}

// Two replicas renewing overlapping sets of many leases at once, in
// different orders, never deadlock, and each group ends with one holder.
TEST(PostgresCluster, PostgresCluster_ConcurrentLeaseRenewalsAllCommit) {
  std::string url = fresh_database();
  Replica a = replica(url, "a");
  Replica b = replica(url, "b");
  ASSERT_TRUE(a.store && b.store);
  std::vector<std::string> keys;
  for (int i = 0; i < 200; ++i) keys.push_back(fmt::format("rules/r.yml;g{}", i));
  std::vector<std::string> reversed(keys.rbegin(), keys.rend());
  std::atomic<int> failures{0};
  auto renew = [&](Cluster& cluster, const std::vector<std::string>& wanted) {
    for (int round = 0; round < 20; ++round) {
      auto held = cluster.hold_leases(wanted, 20ms);
      if (!held) {
        ++failures;
        ADD_FAILURE() << held.error().message();
      }
    }
  };
  std::thread ta([&] { renew(*a.cluster, keys); });
  std::thread tb([&] { renew(*b.cluster, reversed); });
  ta.join();
  tb.join();
  EXPECT_EQ(failures.load(), 0);
  auto final_a = a.cluster->hold_leases(keys, 1min);
  auto final_b = b.cluster->hold_leases(keys, 1min);
  ASSERT_TRUE(final_a && final_b);
  std::map<std::string, int> holders;
  for (const auto* held : {&*final_a, &*final_b}) {
    for (const GroupLease& lease : *held) ++holders[lease.group_key];
  }
  for (const std::string& key : keys) EXPECT_EQ(holders[key], 1) << key;
}

// A group's stored state, as a replica taking it over reads it: its alerts
// (no other group's) and its last pending evaluation.
TEST(PostgresCluster, PostgresCluster_ReadsARuleGroupsStoredState) {
  std::string url = fresh_database();
  Replica a = replica(url, "a");
  ASSERT_TRUE(a.store);
  RuleAlertRow firing = test::store_rows::rule_alert("HighErrors{}#0", 7, AlertState::kFiring);
  RuleAlertRow pending = test::store_rows::rule_alert("HighErrors{}#0", 3, AlertState::kPending);
  RuleAlertRow other = test::store_rows::rule_alert("Down{}#0", 9, AlertState::kFiring);
  other.group_key = "rules/other.yml;other";
  const Timestamp evaluated = at("2024-05-01T12:06:00Z");
  ASSERT_TRUE(a.store->write({PutRuleAlert{firing}, PutRuleAlert{pending}, PutRuleAlert{other},
                              PutRuleGroup{{firing.group_key, evaluated}}}));

  auto state = a.cluster->rule_group_state(firing.group_key);
  ASSERT_TRUE(state) << state.error().message();
  EXPECT_EQ(state->alerts, (std::vector<RuleAlertRow>{pending, firing}));
  EXPECT_EQ(state->last_evaluation, evaluated);
  auto none = a.cluster->rule_group_state("rules/none.yml;none");
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->alerts.empty());
  EXPECT_FALSE(none->last_evaluation);
}

// Fencing in the database: while one replica holds a group's lease, what
// another writes of that group's state (a write queued before it was paused
// past its own lease) is dropped; once the lease has run out, it is taken.
TEST(PostgresCluster, PostgresCluster_OnlyTheLeaseHolderWritesARuleGroupsState) {
  std::string url = fresh_database();
  Replica a = replica(url, "a");
  Replica b = replica(url, "b");
  ASSERT_TRUE(a.store && b.store);
  RuleAlertRow mine = test::store_rows::rule_alert("HighErrors{}#0", 7, AlertState::kFiring);
  RuleAlertRow stale = test::store_rows::rule_alert("HighErrors{}#0", 7, AlertState::kPending);
  RuleAlertRow other = test::store_rows::rule_alert("Down{}#0", 9, AlertState::kFiring);
  other.group_key = "rules/other.yml;other";
  ASSERT_TRUE(a.cluster->hold_leases({mine.group_key}, 1min));
  ASSERT_TRUE(a.store->write(
      {PutRuleAlert{mine}, PutRuleGroup{{mine.group_key, at("2024-05-01T12:06:00Z")}}}));

  // b's late write of a's group: dropped, row by row (its other group's is kept).
  ASSERT_TRUE(b.store->write({PutRuleAlert{stale}, PutRuleAlert{other},
                              PutRuleGroup{{mine.group_key, at("2024-05-01T12:00:00Z")}},
                              DeleteRuleAlert{mine.group_key, "HighErrors{}#0", 7}}));
  auto state = a.cluster->rule_group_state(mine.group_key);
  ASSERT_TRUE(state) << state.error().message();
  EXPECT_EQ(state->alerts, (std::vector<RuleAlertRow>{mine}));
  EXPECT_EQ(state->last_evaluation, at("2024-05-01T12:06:00Z"));
  auto elsewhere = a.cluster->rule_group_state(other.group_key);
  ASSERT_TRUE(elsewhere);
  EXPECT_EQ(elsewhere->alerts, (std::vector<RuleAlertRow>{other}));

  // a's lease runs out: b's writes are taken.
  ASSERT_TRUE(a.cluster->hold_leases({mine.group_key}, 0ms));
  ASSERT_TRUE(b.store->write({PutRuleAlert{stale}}));
  auto after = b.cluster->rule_group_state(mine.group_key);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->alerts, (std::vector<RuleAlertRow>{stale}));
}

// Many claims of one key at once from several replicas: exactly one wins
// while the claim is held.
TEST(PostgresCluster, PostgresCluster_ConcurrentClaimsHaveOneWinner) {
  std::string url = fresh_database();
  std::vector<Replica> replicas;
  for (const char* id : {"a", "b", "c"}) replicas.push_back(replica(url, id));
  ClaimKey key{"{}:{g=\"1\"}", "team", "webhook", 0};
  std::atomic<int> won{0}, busy{0}, errors{0};
  {
    std::vector<std::jthread> threads;
    for (Replica& r : replicas) {
      threads.emplace_back([&] {
        for (int i = 0; i < 20; ++i) {
          auto c = r.cluster->claim(key, 1min, [](const NotificationRow*) { return true; });
          if (!c) {
            ++errors;
          } else if (c->outcome == ClaimOutcome::kClaimed) {
            ++won;
          } else {
            ++busy;
          }
        }
      });
    }
  }
  EXPECT_EQ(errors.load(), 0);
  // The winner may claim again (its own claim); nobody else can.
  EXPECT_GE(won.load(), 1);
  EXPECT_EQ(busy.load(), 40);
}

// Replicas writing the same rows at once never deadlock (every transaction
// takes the change log's lock first), and the log's order is the commit
// order: a reader that follows it sees every change.
TEST(PostgresCluster, PostgresCluster_ConcurrentWritersOfTheSameRowsAllCommit) {
  std::string url = fresh_database();
  Replica a = replica(url, "a");
  Replica b = replica(url, "b");
  Replica reader = replica(url, "r");
  ASSERT_TRUE(a.store && b.store && reader.store);
  std::atomic<int> failed{0};
  auto write = [&](Store& store, int n) {
    for (int i = 0; i < n; ++i) {
      Batch batch;
      for (std::uint64_t fp = 1; fp <= 5; ++fp) {
        AlertRow row = posted_alert(fp, at("2024-05-01T12:05:00Z") + std::chrono::seconds(i));
        batch.push_back(PutAlert{row});
      }
      if (!store.write(batch)) ++failed;
    }
  };
  std::int64_t through = 0;
  std::set<std::uint64_t> seen;
  {
    std::jthread ta([&] { write(*a.store, 50); });
    std::jthread tb([&] { write(*b.store, 50); });
  }
  EXPECT_EQ(failed.load(), 0);
  auto changes = reader.cluster->changes_after(through, 100'000);
  ASSERT_TRUE(changes) << changes.error().message();
  for (const AlertRow& r : changes->alerts) seen.insert(r.fingerprint);
  EXPECT_EQ(seen, (std::set<std::uint64_t>{1, 2, 3, 4, 5}));
}

// Each replica's announcement keeps it in the registry; one not heard from
// within the window is not counted alive; one that leaves is gone.
TEST(PostgresCluster, PostgresCluster_AnnouncementsTellWhoIsAlive) {
  std::string url = fresh_database();
  Replica a = replica(url, "a");
  Replica b = replica(url, "b");
  ASSERT_TRUE(a.store && b.store);
  ASSERT_TRUE(a.cluster->announce("127.0.0.1:9001", 15s));
  auto view = b.cluster->announce("127.0.0.1:9002", 15s);
  ASSERT_TRUE(view) << view.error().message();
  ASSERT_EQ(view->replicas.size(), 2u);
  EXPECT_EQ(view->replicas[0].id, "a");
  EXPECT_EQ(view->replicas[0].address, "127.0.0.1:9001");
  EXPECT_EQ(view->replicas[1].id, "b");
  EXPECT_GE(view->replicas[1].seen_at, view->replicas[0].seen_at);

  // a falls silent: within a short window, only b is alive.
  ASSERT_TRUE(test::wait_until(
      [&] {
        auto v = b.cluster->announce("127.0.0.1:9002", 50ms);
        return v && v->replicas.size() == 1 && v->replicas[0].id == "b";
      },
      10s));
  ASSERT_TRUE(a.cluster->announce("127.0.0.1:9001", 15s));
  ASSERT_TRUE(a.cluster->leave());
  auto after = b.cluster->announce("127.0.0.1:9002", 15s);
  ASSERT_TRUE(after);
  ASSERT_EQ(after->replicas.size(), 1u);
  EXPECT_EQ(after->replicas[0].id, "b");
}

// A replica paused in the middle of a transaction (SIGSTOP, a stalled VM)
// holds the change log's lock: the server ends its session after
// idle_in_transaction_timeout, so the other replicas' writes wait that
// long at most instead of for the whole pause.
TEST(PostgresCluster, PostgresCluster_AReplicaPausedInATransactionHoldsNoOneUpForLong) {
  std::string url = fresh_database();
  PostgresOptions options{.idle_in_transaction_timeout = 500ms, .replica = "paused"};
  auto name = redacted_postgres_url(url);
  ASSERT_TRUE(name);
  pg::Database db(url, *name, options);
  auto paused = db.connect();
  ASSERT_TRUE(paused) << paused.error().message();
  ASSERT_TRUE(db.exec(paused->get(), "BEGIN", {}, "begin"));
  ASSERT_TRUE(db.exec(paused->get(), "SELECT pg_advisory_xact_lock($1)", {kChangeLogLock}, "lock"));
  // ... and says nothing more.
  Replica other = replica(url, "other");
  ASSERT_TRUE(other.store);
  Status written = other.store->write({PutSilence{silence("after")}});
  EXPECT_TRUE(written) << written.error().message();
  EXPECT_FALSE(db.exec(paused->get(), "COMMIT", {}, "commit")) << "its session was ended";
}

// Two tocsins may open one database: nothing is locked any more.
TEST(PostgresStore, PostgresStore_SeveralTocsinsShareADatabase) {
  std::string url = fresh_database();
  auto first = open_ok(url);
  auto second = open_ok(url);
  ASSERT_TRUE(first && second);
  ASSERT_TRUE(first->write({PutSilence{silence("one")}}));
  ASSERT_TRUE(second->write({PutSilence{silence("two")}}));
  auto state = first->load();
  ASSERT_TRUE(state);
  EXPECT_EQ(state->silences.size(), 2u);
}

}  // namespace
}  // namespace tocsin::store
