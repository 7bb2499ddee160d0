// The SQLite store: what it writes it reads back after a reopen; a file
// written by each earlier schema version opens and is migrated; and every
// file it cannot use is refused at open with the file's name and the
// reason (newer schema, not a database, corrupt, unreadable, read-only
// directory, held by another tocsin).
#include "store/sqlite_store.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/schema.h"
#include "support/fake_clock.h"
#include "support/temp_dir.h"

namespace tocsin::store {
namespace {

using test::at;

// A connection of the test's own, beside the store's.
class RawDatabase {
 public:
  explicit RawDatabase(const std::string& path) {
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK) << path;
  }
  ~RawDatabase() { sqlite3_close(db_); }
  RawDatabase(const RawDatabase&) = delete;
  RawDatabase& operator=(const RawDatabase&) = delete;

  void exec(const std::string& sql) { EXPECT_EQ(try_exec(sql), SQLITE_OK) << sql; }
  // The result code, for statements expected to fail.
  int try_exec(const std::string& sql) {
    char* message = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
    sqlite3_free(message);
    return rc;
  }
  std::string text(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
    std::string out;
    if (st != nullptr && sqlite3_step(st) == SQLITE_ROW) {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
      out = p ? p : "";
    }
    sqlite3_finalize(st);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

SilenceRow silence(std::string id) {
  return SilenceRow{.id = std::move(id),
                    .matchers = {{"=", "alertname", "ServiceDown"}, {"=~", "env", "prod|stage"}},
                    .starts_at = at("2024-05-01T12:00:00Z"),
                    .ends_at = at("2024-05-01T14:00:00.250Z"),
                    .updated_at = at("2024-05-01T12:00:00Z"),
                    .created_by = "ops",
                    .comment = "maintenance \"window\" ünïcode",
                    .expires_at = at("2024-05-06T14:00:00.250Z")};
}

NotificationRow notification(std::string group_key) {
  return NotificationRow{.group_key = std::move(group_key),
                         .receiver = "team",
                         .integration = "webhook",
                         .index = 1,
                         .timestamp = at("2024-05-01T12:00:30Z"),
                         .firing_alerts = {0x0123456789abcdefULL, 0xffffffffffffffffULL},
                         .resolved_alerts = {42},
                         .expires_at = at("2024-05-06T12:00:30Z")};
}

RuleAlertRow rule_alert(std::string rule_key, std::uint64_t fingerprint, AlertState state) {
  return RuleAlertRow{
      .group_key = "rules/api.yml;api",
      .rule_key = std::move(rule_key),
      .fingerprint = fingerprint,
      .rule = "HighErrors",
      .labels = Labels{{"alertname", "HighErrors"}, {"service", "api \"x\""}},
      .annotations = Labels{{"summary", "api has 10 errors"}},
      .state = state,
      .active_at = at("2024-05-01T12:00:00Z"),
      .fired_at = state == AlertState::kFiring ? at("2024-05-01T12:05:00Z") : Timestamp{},
      .resolved_at = {},
      .keep_firing_since = {},
      .value = 10.5};
}

std::unique_ptr<Store> open_ok(const std::string& path) {
  auto store = open_sqlite_store(path);
  EXPECT_TRUE(store.has_value()) << (store ? "" : store.error().message());
  return store ? std::move(*store) : nullptr;
}

// The message `open` fails with, as user `nobody` when the test runs as
// root (root may write anywhere, so only an unprivileged user shows what
// a read-only directory or an unreadable file does); "" when it opened.
std::string open_error_unprivileged(const std::string& path) {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    if (::getuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(2);
    auto store = open_sqlite_store(path);
    std::string message = store ? "" : store.error().message();
    ssize_t n = ::write(fds[1], message.data(), message.size());
    ::_exit(n == static_cast<ssize_t>(message.size()) ? 0 : 3);
  }
  ::close(fds[1]);
  std::string message;
  char buf[512];
  ssize_t n = 0;
  while ((n = ::read(fds[0], buf, sizeof buf)) > 0) message.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
  return message;
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Traversable by the unprivileged user of the permission tests.
    ::chmod(dir_.path().c_str(), 0755);
  }

  std::string path() const { return dir_.file("tocsin.db"); }

  test::TempDir dir_{"store"};
};

TEST_F(SqliteStoreTest, SqliteStore_CreatesADatabaseAtTheLatestSchemaInWalMode) {
  auto store = open_ok(dir_.file("data/tocsin.db"));  // the directory is made too
  ASSERT_TRUE(store);
  EXPECT_EQ(store->name(), dir_.file("data/tocsin.db"));
  RawDatabase raw(dir_.file("data/tocsin.db"));
  EXPECT_EQ(raw.text("PRAGMA user_version"), std::to_string(latest_schema_version()));
  EXPECT_EQ(raw.text("PRAGMA journal_mode"), "wal");
  auto state = store->load();
  ASSERT_TRUE(state) << state.error().message();
  EXPECT_TRUE(state->silences.empty());
  EXPECT_TRUE(state->notifications.empty());
}

TEST_F(SqliteStoreTest, SqliteStore_ReadsBackWhatItWroteAfterReopening) {
  {
    auto store = open_ok(path());
    ASSERT_TRUE(store);
    Batch batch{PutSilence{silence("b")}, PutSilence{silence("a")},
                PutNotification{notification("{}:{alertname=\"A\"}")}};
    ASSERT_TRUE(store->write(batch));
    // Replacing by key.
    SilenceRow changed = silence("a");
    changed.comment = "changed";
    ASSERT_TRUE(store->write({PutSilence{changed}}));
  }
  auto store = open_ok(path());
  ASSERT_TRUE(store);
  auto state = store->load();
  ASSERT_TRUE(state) << state.error().message();
  SilenceRow a = silence("a");
  a.comment = "changed";
  EXPECT_EQ(state->silences, (std::vector<SilenceRow>{a, silence("b")}));
  EXPECT_EQ(state->notifications,
            std::vector<NotificationRow>{notification("{}:{alertname=\"A\"}")});
}

TEST_F(SqliteStoreTest, SqliteStore_PurgesWhatHasExpired) {
  auto store = open_ok(path());
  ASSERT_TRUE(store);
  SilenceRow later = silence("later");
  later.expires_at = at("2024-05-07T00:00:00Z");
  NotificationRow kept = notification("kept");
  kept.expires_at = at("2024-05-07T00:00:00Z");
  ASSERT_TRUE(store->write({PutSilence{silence("soon")}, PutSilence{later},
                            PutNotification{notification("gone")}, PutNotification{kept}}));
  // Expiring exactly at the purge time counts as expired, as in memory.
  ASSERT_TRUE(store->write({PurgeSilences{at("2024-05-06T14:00:00.250Z")},
                            PurgeNotifications{at("2024-05-06T12:00:30Z")}}));
  auto state = store->load();
  ASSERT_TRUE(state);
  EXPECT_EQ(state->silences, std::vector<SilenceRow>{later});
  EXPECT_EQ(state->notifications, std::vector<NotificationRow>{kept});
}

TEST_F(SqliteStoreTest, SqliteStore_KeepsRuleAlertsAndGroupsByKey) {
  RuleAlertRow firing = rule_alert("HighErrors{}#0", 0xfedcba9876543210ULL, AlertState::kFiring);
  RuleAlertRow pending = rule_alert("HighErrors{}#0", 1, AlertState::kPending);
  pending.value = std::nan("");
  RuleAlertRow other_rule = rule_alert("HighErrors{}#1", 1, AlertState::kInactive);
  other_rule.resolved_at = at("2024-05-01T12:10:00Z");
  RuleAlertRow other_group = rule_alert("Down{}#0", 7, AlertState::kFiring);
  other_group.group_key = "rules/db.yml;db";
  {
    auto store = open_ok(path());
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->write({PutRuleAlert{firing}, PutRuleAlert{pending}, PutRuleAlert{other_rule},
                              PutRuleAlert{other_group},
                              PutRuleGroup{{"rules/api.yml;api", at("2024-05-01T12:10:00Z")}},
                              PutRuleGroup{{"rules/db.yml;db", at("2024-05-01T12:09:00Z")}}}));
    // By key: one alert of one rule goes, the other rule's alert of the
    // same labels stays; a group goes with all its alerts.
    ASSERT_TRUE(store->write({DeleteRuleAlert{"rules/api.yml;api", "HighErrors{}#0", 1},
                              DeleteRuleGroup{"rules/db.yml;db"}}));
  }
  auto store = open_ok(path());
  ASSERT_TRUE(store);
  auto state = store->load();
  ASSERT_TRUE(state) << state.error().message();
  EXPECT_EQ(state->rule_alerts, (std::vector<RuleAlertRow>{firing, other_rule}));
  EXPECT_EQ(state->rule_groups,
            (std::vector<RuleGroupRow>{{"rules/api.yml;api", at("2024-05-01T12:10:00Z")}}));

  // NaN is kept as NaN.
  ASSERT_TRUE(store->write({PutRuleAlert{pending}}));
  state = store->load();
  ASSERT_TRUE(state);
  ASSERT_EQ(state->rule_alerts.size(), 3u);
  EXPECT_TRUE(std::isnan(state->rule_alerts[0].value));  // fingerprint 1 sorts first
  EXPECT_EQ(state->rule_alerts[0].state, AlertState::kPending);
}

TEST_F(SqliteStoreTest, SqliteStore_LivesInMemoryWhenAsked) {
  auto store = open_ok(":memory:");
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->write({PutSilence{silence("a")}}));
  auto state = store->load();
  ASSERT_TRUE(state);
  EXPECT_EQ(state->silences.size(), 1u);
  EXPECT_FALSE(std::filesystem::exists(":memory:"));
}

// A database as each earlier schema version wrote it (testdata/
// schema_vN.sql, kept as they shipped) opens, is migrated to the latest
// version, and still holds its rows. Version 0 is a file no tocsin has
// written to yet (an empty file).
TEST_F(SqliteStoreTest, SqliteStore_MigratesADatabaseOfEveryEarlierSchemaVersion) {
  for (int version = 0; version < latest_schema_version(); ++version) {
    SCOPED_TRACE(fmt::format("schema version {}", version));
    std::string file = dir_.file(fmt::format("v{}.db", version));
    std::size_t silences = 0;
    if (version == 0) {
      std::ofstream(file).flush();
    } else {
      std::string fixture = fmt::format("{}/schema_v{}.sql", TOCSIN_STORE_TESTDATA, version);
      ASSERT_TRUE(std::filesystem::exists(fixture))
          << "every earlier schema version needs a fixture: " << fixture;
      RawDatabase raw(file);
      raw.exec(read_file(fixture));
      ASSERT_EQ(raw.text("PRAGMA user_version"), std::to_string(version));
      silences = std::stoul(raw.text("SELECT count(*) FROM silences"));
      ASSERT_GT(silences, 0u) << "a fixture holds rows to carry over";
    }
    auto store = open_ok(file);
    ASSERT_TRUE(store);
    auto state = store->load();
    ASSERT_TRUE(state) << state.error().message();
    EXPECT_EQ(state->silences.size(), silences);
    store.reset();
    RawDatabase raw(file);
    EXPECT_EQ(raw.text("PRAGMA user_version"), std::to_string(latest_schema_version()));
  }
}

TEST_F(SqliteStoreTest, SqliteStore_RefusesADatabaseOfANewerSchema) {
  {
    auto store = open_ok(path());
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->write({PutSilence{silence("a")}}));
  }
  {
    RawDatabase raw(path());
    raw.exec(fmt::format("PRAGMA user_version = {}", latest_schema_version() + 1));
  }
  auto store = open_sqlite_store(path());
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().message(),
            fmt::format("{}: written by a newer tocsin (schema version {}; this tocsin knows "
                        "versions up to {}): run that tocsin or a newer one, or move the file "
                        "away to start afresh",
                        path(), latest_schema_version() + 1, latest_schema_version()));
  // Refused, not changed: the newer tocsin still finds its data.
  RawDatabase raw(path());
  EXPECT_EQ(raw.text("PRAGMA user_version"), std::to_string(latest_schema_version() + 1));
  EXPECT_EQ(raw.text("SELECT id FROM silences"), "a");
}

TEST_F(SqliteStoreTest, SqliteStore_RefusesAFileThatIsNotADatabase) {
  dir_.write("tocsin.db", std::string(8192, 'x'));
  auto store = open_sqlite_store(path());
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().message(),
            path() + ": not a tocsin database, or corrupt: file is not a database");
}

TEST_F(SqliteStoreTest, SqliteStore_RefusesACorruptDatabase) {
  {
    auto store = open_ok(path());
    ASSERT_TRUE(store);
    Batch batch;
    for (int i = 0; i < 500; ++i) batch.push_back(PutSilence{silence(fmt::format("s{:04}", i))});
    ASSERT_TRUE(store->write(batch));
  }
  // Past the header and the schema page, a page of the silences' b-tree
  // overwritten with noise, as a torn write or a bad disk leaves it.
  std::string bytes = read_file(path());
  ASSERT_GT(bytes.size(), 4u * 4096);
  for (std::size_t i = 3 * 4096; i < 3 * 4096 + 200; ++i) bytes[i] = static_cast<char>(0xa5);
  dir_.write("tocsin.db", bytes);
  auto store = open_sqlite_store(path());
  ASSERT_FALSE(store);
  EXPECT_TRUE(store.error().message().starts_with(path() + ": ")) << store.error().message();
  EXPECT_NE(store.error().message().find("corrupt"), std::string::npos) << store.error().message();
}

TEST_F(SqliteStoreTest, SqliteStore_RefusesADatabaseOfAnotherProgram) {
  {
    RawDatabase raw(path());
    raw.exec("CREATE TABLE grafana_things (id INTEGER)");
  }
  auto store = open_sqlite_store(path());
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().message(),
            path() + ": not a tocsin database (it holds 1 tables but no schema version)");
}

TEST_F(SqliteStoreTest, SqliteStore_RefusesAReadOnlyDirectory) {
  std::string dir = dir_.file("readonly");
  ASSERT_TRUE(std::filesystem::create_directory(dir));
  ASSERT_EQ(::chmod(dir.c_str(), 0555), 0);
  std::string message = open_error_unprivileged(dir + "/tocsin.db");
  ::chmod(dir.c_str(), 0755);
  EXPECT_EQ(message, fmt::format("{}/tocsin.db: the storage directory {} is not writable: "
                                 "Permission denied",
                                 dir, dir));
}

TEST_F(SqliteStoreTest, SqliteStore_RefusesAFileItCannotRead) {
  {
    auto store = open_ok(path());
    ASSERT_TRUE(store);
  }
  ASSERT_EQ(::chmod(path().c_str(), 0), 0);
  // A directory anyone may write: only the file itself is out of reach.
  ASSERT_EQ(::chmod(dir_.path().c_str(), 0777), 0);
  std::string message = open_error_unprivileged(path());
  EXPECT_EQ(message, path() + ": cannot open it for reading and writing: Permission denied");
}

TEST_F(SqliteStoreTest, SqliteStore_RefusesAFileAnotherTocsinHolds) {
  auto first = open_ok(path());
  ASSERT_TRUE(first);
  auto second = open_sqlite_store(path());
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().message(),
            path() + ": in use by another tocsin; give each its own --storage.path");
  first.reset();
  EXPECT_TRUE(open_ok(path()));  // released on close (and by the kernel on a crash)
}

TEST_F(SqliteStoreTest, SqliteStore_AWriteRefusedByALockChangesNothing) {
  auto store = open_sqlite_store(path(), SqliteOptions{.busy_timeout = Duration::zero()});
  ASSERT_TRUE(store) << store.error().message();
  RawDatabase other(path());
  other.exec("BEGIN IMMEDIATE");
  Status refused = (*store)->write({PutSilence{silence("a")}, PutSilence{silence("b")}});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message(), path() + ": starting a transaction: database is locked");
  other.exec("ROLLBACK");
  auto state = (*store)->load();
  ASSERT_TRUE(state);
  EXPECT_TRUE(state->silences.empty());
  EXPECT_TRUE((*store)->write({PutSilence{silence("a")}}));
}

}  // namespace
}  // namespace tocsin::store

namespace tocsin::store {
namespace {

AlertRow posted_alert(std::uint64_t fingerprint, Timestamp ends_at) {
  return AlertRow{.fingerprint = fingerprint,
                  .labels = Labels{{"alertname", "Down"}, {"instance", "a:9100"}},
                  .annotations = Labels{{"summary", "a:9100 is down"}},
                  .starts_at = at("2024-05-01T12:00:00Z"),
                  .ends_at = ends_at,
                  .updated_at = at("2024-05-01T12:01:00Z"),
                  .generator_url = "http://prometheus:9090/graph?g0.expr=up",
                  .timeout = true,
                  .source = "api"};
}

HistoryRow event(Timestamp when, std::string kind, std::string state, Labels labels = {}) {
  HistoryRow row;
  row.at = when;
  row.kind = std::move(kind);
  row.state = std::move(state);
  row.labels = std::move(labels);
  row.details = R"({"k":1})";
  return row;
}

TEST_F(SqliteStoreTest, SqliteStore_KeepsAlertsByFingerprintAndPurgesTheEnded) {
  AlertRow firing = posted_alert(0xfedcba9876543210ULL, at("2024-05-01T12:05:00Z"));
  AlertRow ended = posted_alert(2, at("2024-05-01T12:01:00Z"));
  ended.source = "rule";
  ended.timeout = false;
  AlertRow no_end = posted_alert(3, Timestamp{});
  {
    auto store = open_ok(path());
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->write({PutAlert{firing}, PutAlert{ended}, PutAlert{no_end}}));
    AlertRow changed = firing;
    changed.ends_at = at("2024-05-01T12:09:00Z");
    ASSERT_TRUE(store->write({PutAlert{changed}}));
    firing = changed;
  }
  auto store = open_ok(path());
  ASSERT_TRUE(store);
  auto state = store->load();
  ASSERT_TRUE(state) << state.error().message();
  EXPECT_EQ(state->alerts, (std::vector<AlertRow>{ended, no_end, firing}));  // by fingerprint

  // Ended at or before the purge time; an alert without an end stays.
  ASSERT_TRUE(store->write({PurgeAlerts{at("2024-05-01T12:01:00Z")}}));
  state = store->load();
  ASSERT_TRUE(state);
  EXPECT_EQ(state->alerts, (std::vector<AlertRow>{no_end, firing}));
}

TEST_F(SqliteStoreTest, SqliteStore_KeepsHeartbeatsByName) {
  HeartbeatRow backup{.name = "nightly-backup",
                      .timeout = std::chrono::hours(26),
                      .labels = Labels{{"team", "storage"}},
                      .annotations = Labels{{"runbook", "https://runbooks/backup"}},
                      .created_at = at("2024-05-01T00:00:00Z"),
                      .renewed_at = at("2024-05-01T02:00:00.5Z"),
                      .missing = true,
                      .created_by = "cron"};
  HeartbeatRow watchdog = backup;
  watchdog.name = "watchdog";
  watchdog.missing = false;
  {
    auto store = open_ok(path());
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->write({PutHeartbeat{watchdog}, PutHeartbeat{backup}, PutHeartbeat{[&] {
                                HeartbeatRow old = backup;
                                old.name = "old";
                                return old;
                              }()},
                              DeleteHeartbeat{"old"}}));
  }
  auto store = open_ok(path());
  ASSERT_TRUE(store);
  auto state = store->load();
  ASSERT_TRUE(state) << state.error().message();
  EXPECT_EQ(state->heartbeats, (std::vector<HeartbeatRow>{backup, watchdog}));
}

TEST_F(SqliteStoreTest, SqliteStore_KeepsAcknowledgementsOfAlertsAndGroups) {
  AcknowledgementRow alert{.id = "a1",
                           .fingerprint = 0xabcdef0123456789ULL,
                           .group_key = "",
                           .covered = {0xabcdef0123456789ULL},
                           .labels = Labels{{"alertname", "Down"}, {"env", "prod"}},
                           .by = "alice",
                           .comment = "looking",
                           .created_at = at("2024-05-01T12:00:00Z"),
                           .expires_at = at("2024-05-01T14:00:00.25Z")};
  AcknowledgementRow group{.id = "g1",
                           .fingerprint = 0,
                           .group_key = "{}/{severity=\"critical\"}:{alertname=\"Down\"}",
                           .covered = {1, 2, 0xffffffffffffffffULL},
                           .labels = Labels{{"alertname", "Down"}},
                           .by = "bob",
                           .comment = "",
                           .created_at = at("2024-05-01T12:01:00Z"),
                           .expires_at = Timestamp{}};
  AcknowledgementRow gone = alert;
  gone.id = "gone";
  {
    auto store = open_ok(path());
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->write({PutAcknowledgement{gone}, PutAcknowledgement{group},
                              PutAcknowledgement{alert}, DeleteAcknowledgement{"gone"}}));
  }
  auto store = open_ok(path());
  ASSERT_TRUE(store);
  auto state = store->load();
  ASSERT_TRUE(state) << state.error().message();
  EXPECT_EQ(state->acknowledgements, (std::vector<AcknowledgementRow>{alert, group}));
  // Of an alert or of a group, never both nor neither.
  RawDatabase raw(path());
  EXPECT_EQ(raw.try_exec(
                "INSERT INTO acknowledgements VALUES ('x', NULL, NULL, '[]', '{}', '', '', 0, 0)"),
            SQLITE_CONSTRAINT);
  EXPECT_EQ(raw.try_exec(
                "INSERT INTO acknowledgements VALUES ('y', '01', 'g', '[]', '{}', '', '', 0, 0)"),
            SQLITE_CONSTRAINT);
}

TEST_F(SqliteStoreTest, SqliteStore_KeepsTheExtensionsOfASilence) {
  SilenceRow ending = silence("ending");
  ending.ends_when_resolved = true;
  ending.matched = true;
  ending.schedule = R"([{"weekdays":["saturday"]}])";
  {
    auto store = open_ok(path());
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->write({PutSilence{ending}, PutSilence{silence("plain")}}));
  }
  auto store = open_ok(path());
  ASSERT_TRUE(store);
  auto state = store->load();
  ASSERT_TRUE(state) << state.error().message();
  EXPECT_EQ(state->silences, (std::vector<SilenceRow>{ending, silence("plain")}));
}

TEST_F(SqliteStoreTest, SqliteStore_KeepsEscalationEpisodesByGroup) {
  EscalationRow down{"{}/{severity=\"critical\"}:{alertname=\"Down\"}",
                     at("2024-05-01T12:00:00.5Z")};
  EscalationRow slow{"{}:{alertname=\"Slow\"}", at("2024-05-01T12:05:00Z")};
  {
    auto store = open_ok(path());
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->write({PutEscalation{slow}, PutEscalation{down},
                              PutEscalation{{"gone", at("2024-05-01T11:00:00Z")}},
                              DeleteEscalation{"gone"}}));
  }
  auto store = open_ok(path());
  ASSERT_TRUE(store);
  auto state = store->load();
  ASSERT_TRUE(state) << state.error().message();
  EXPECT_EQ(state->escalations, (std::vector<EscalationRow>{down, slow}));
}

TEST_F(SqliteStoreTest, SqliteStore_ReadsTheHistoryNewestFirstWithEveryFilter) {
  auto store = open_ok(path());
  ASSERT_TRUE(store);
  HistoryRow firing = event(at("2024-05-01T12:00:00Z"), "alert", "firing",
                            Labels{{"alertname", "Down"}, {"severity", "critical"}});
  firing.fingerprint = 0xabcdef0123456789ULL;
  HistoryRow sent =
      event(at("2024-05-01T12:00:30Z"), "notification", "sent", Labels{{"alertname", "Down"}});
  sent.receiver = "pager";
  sent.integration = "pagerduty";
  sent.group_key = "{}:{alertname=\"Down\"}";
  HistoryRow silenced = event(at("2024-05-01T12:01:00Z"), "silence", "created");
  silenced.by = "alice";
  HistoryRow resolved = event(at("2024-05-01T12:02:00Z"), "alert", "resolved",
                              Labels{{"alertname", "Down"}, {"severity", "critical"}});
  resolved.fingerprint = firing.fingerprint;
  HistoryRow other = event(at("2024-05-01T12:03:00Z"), "alert", "firing",
                           Labels{{"alertname", "Slow"}, {"severity", "warning"}});
  other.fingerprint = 5;
  ASSERT_TRUE(store->write({AppendHistory{firing}, AppendHistory{sent}, AppendHistory{silenced},
                            AppendHistory{resolved}, AppendHistory{other}}));

  auto read = [&](const std::function<void(HistoryQuery&)>& set) {
    HistoryQuery q;
    set(q);
    auto page = store->history(q);
    EXPECT_TRUE(page) << page.error().message();
    std::vector<std::string> out;
    if (page) {
      for (const HistoryRow& r : page->events) out.push_back(r.kind + ":" + r.state);
    }
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(read([](HistoryQuery&) {}), (V{"alert:firing", "alert:resolved", "silence:created",
                                           "notification:sent", "alert:firing"}));
  EXPECT_EQ(read([](HistoryQuery& q) { q.kind = "alert"; }),
            (V{"alert:firing", "alert:resolved", "alert:firing"}));
  EXPECT_EQ(read([](HistoryQuery& q) { q.kind = "alert", q.state = "resolved"; }),
            (V{"alert:resolved"}));
  EXPECT_EQ(read([](HistoryQuery& q) { q.receiver = "pager"; }), (V{"notification:sent"}));
  EXPECT_EQ(read([](HistoryQuery& q) { q.alertname = "Slow"; }), (V{"alert:firing"}));
  EXPECT_EQ(read([&](HistoryQuery& q) { q.fingerprint = firing.fingerprint; }),
            (V{"alert:resolved", "alert:firing"}));
  EXPECT_EQ(read([](HistoryQuery& q) {
              q.from = at("2024-05-01T12:00:30Z");
              q.to = at("2024-05-01T12:01:00Z");
            }),
            (V{"silence:created", "notification:sent"}));  // both bounds inclusive
  // A window is read by the ids of its events; with other filters, from
  // one side only, or holding nothing, it reads the same.
  EXPECT_EQ(read([](HistoryQuery& q) {
              q.from = at("2024-05-01T12:00:00Z");
              q.to = at("2024-05-01T12:02:00Z");
              q.kind = "alert";
            }),
            (V{"alert:resolved", "alert:firing"}));
  EXPECT_EQ(read([](HistoryQuery& q) { q.from = at("2024-05-01T12:02:00Z"); }),
            (V{"alert:firing", "alert:resolved"}));
  EXPECT_EQ(read([](HistoryQuery& q) { q.to = at("2024-05-01T12:00:00Z"); }), (V{"alert:firing"}));
  EXPECT_EQ(read([](HistoryQuery& q) {
              q.from = at("2024-05-01T13:00:00Z");
              q.to = at("2024-05-01T14:00:00Z");
            }),
            V{});
  EXPECT_EQ(read([](HistoryQuery& q) {
              q.from = at("2024-05-01T12:00:00Z");
              q.before_id = 3;
              q.matches = [](const Labels& l) { return l.get("alertname") == "Down"; };
            }),
            (V{"notification:sent", "alert:firing"}));
  EXPECT_EQ(read([](HistoryQuery& q) {
              q.matches = [](const Labels& l) { return l.get("severity") == "critical"; };
            }),
            (V{"alert:resolved", "alert:firing"}));

  // Every field comes back as written, with the id the store gave it.
  HistoryQuery notifications;
  notifications.kind = "notification";
  auto page = store->history(notifications);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->events.size(), 1u);
  HistoryRow got = page->events[0];
  EXPECT_EQ(got.id, 2);
  got.id = 0;
  EXPECT_EQ(got, sent);
  EXPECT_EQ(page->next_before_id, 0);
}

TEST_F(SqliteStoreTest, SqliteStore_PagesTheHistoryWithACursor) {
  auto store = open_ok(path());
  ASSERT_TRUE(store);
  Batch batch;
  for (int i = 0; i < 25; ++i) {
    batch.push_back(AppendHistory{event(at("2024-05-01T12:00:00Z") + std::chrono::seconds(i),
                                        "alert", i % 5 == 0 ? "firing" : "pending")});
  }
  ASSERT_TRUE(store->write(batch));

  std::vector<std::int64_t> ids;
  HistoryQuery query;
  query.limit = 10;
  for (int pages = 0; pages < 10; ++pages) {
    auto page = store->history(query);
    ASSERT_TRUE(page) << page.error().message();
    for (const HistoryRow& r : page->events) ids.push_back(r.id);
    if (page->next_before_id == 0) break;
    query.before_id = page->next_before_id;
  }
  ASSERT_EQ(ids.size(), 25u);
  for (std::size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(ids[i], 25 - static_cast<int>(i));

  // A page cut short by the bound on examined events still says where to
  // go on: here no event of the first 7 examined passes the filter.
  HistoryQuery none;
  none.matches = [](const Labels&) { return false; };
  none.limit = 10;
  none.max_examined = 7;
  auto page = store->history(none);
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->events.empty());
  EXPECT_EQ(page->next_before_id, 19);
}

TEST_F(SqliteStoreTest, SqliteStore_PurgesTheOldestHistoryInChunksAndNeverReusesAnId) {
  auto store = open_ok(path());
  ASSERT_TRUE(store);
  Batch batch;
  for (int i = 0; i < 10; ++i) {
    batch.push_back(
        AppendHistory{event(at("2024-05-01T12:00:00Z") + std::chrono::minutes(i), "alert", "x")});
  }
  ASSERT_TRUE(store->write(batch));
  // Seven are older than 12:07; at most five go per call.
  auto dropped = store->purge_history(at("2024-05-01T12:07:00Z"), 5);
  ASSERT_TRUE(dropped) << dropped.error().message();
  EXPECT_EQ(*dropped, 5u);
  dropped = store->purge_history(at("2024-05-01T12:07:00Z"), 5);
  ASSERT_TRUE(dropped);
  EXPECT_EQ(*dropped, 2u);
  auto page = store->history({});
  ASSERT_TRUE(page);
  ASSERT_EQ(page->events.size(), 3u);
  EXPECT_EQ(page->events.back().at, at("2024-05-01T12:07:00Z"));

  // Emptied, the table still gives new ids after the old ones: a client's
  // cursor never points into newer events.
  ASSERT_TRUE(store->purge_history(at("2024-05-02T00:00:00Z"), 100));
  ASSERT_TRUE(store->write({AppendHistory{event(at("2024-05-02T00:00:00Z"), "reload", "ok")}}));
  page = store->history({});
  ASSERT_TRUE(page);
  ASSERT_EQ(page->events.size(), 1u);
  EXPECT_EQ(page->events[0].id, 11);
}

// History reads run on their own connection: a read while a write holds
// its transaction sees the last commit and does not wait for the writer.
TEST_F(SqliteStoreTest, SqliteStore_ReadsTheHistoryWhileAnotherConnectionWrites) {
  auto store = open_ok(path());
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->write({AppendHistory{event(at("2024-05-01T12:00:00Z"), "alert", "firing")}}));
  RawDatabase other(path());
  other.exec("BEGIN IMMEDIATE");
  other.exec(
      "INSERT INTO history (at, kind, state, labels, details) VALUES (1, 'x', 'y', '{}', "
      "'{}')");
  auto page = store->history({});
  ASSERT_TRUE(page) << page.error().message();
  EXPECT_EQ(page->events.size(), 1u);  // the other transaction is not committed
  other.exec("COMMIT");
  page = store->history({});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->events.size(), 2u);
  auto size = store->size_bytes();
  ASSERT_TRUE(size) << size.error().message();
  EXPECT_GE(*size, std::filesystem::file_size(path()));
}

TEST_F(SqliteStoreTest, SqliteStore_InMemoryServesHistoryAndItsSize) {
  auto store = open_ok(":memory:");
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->write({AppendHistory{event(at("2024-05-01T12:00:00Z"), "alert", "firing")}}));
  auto page = store->history({});
  ASSERT_TRUE(page) << page.error().message();
  EXPECT_EQ(page->events.size(), 1u);
  auto size = store->size_bytes();
  ASSERT_TRUE(size) << size.error().message();
  EXPECT_GT(*size, 0u);
}

}  // namespace
}  // namespace tocsin::store
