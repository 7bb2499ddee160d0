// The SQLite store: the store contract (support/store_contract.h) on a
// file; a file written by each earlier schema version opens and is
// migrated; and every
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
#include "support/store_contract.h"
#include "support/temp_dir.h"

namespace tocsin::store {
namespace {

using namespace test::store_rows;
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

// The store contract (support/store_contract.h) on SQLite: a file in a
// fresh directory each test.
class SqliteUnderTest final : public test::StoreUnderTest {
 public:
  std::unique_ptr<Store> open() override { return open_ok(dir_.file("tocsin.db")); }

 private:
  test::TempDir dir_{"store"};
};

using test::StoreContractTest;
INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContractTest,
                         ::testing::Values(test::StoreBackend{
                             "file", [] { return std::make_unique<SqliteUnderTest>(); }}),
                         [](const ::testing::TestParamInfo<test::StoreBackend>& param) {
                           return param.param.name;
                         });

// Of an alert or of a group, never both nor neither: the table says so too.
TEST_F(SqliteStoreTest, SqliteStore_AnAcknowledgementIsOfAnAlertOrOfAGroup) {
  ASSERT_TRUE(open_ok(path()));
  RawDatabase raw(path());
  EXPECT_EQ(raw.try_exec(
                "INSERT INTO acknowledgements VALUES ('x', NULL, NULL, '[]', '{}', '', '', 0, 0)"),
            SQLITE_CONSTRAINT);
  EXPECT_EQ(raw.try_exec(
                "INSERT INTO acknowledgements VALUES ('y', '01', 'g', '[]', '{}', '', '', 0, 0)"),
            SQLITE_CONSTRAINT);
  EXPECT_EQ(raw.try_exec(
                "INSERT INTO acknowledgements VALUES ('z', '01', NULL, '[]', '{}', '', '', 0, 0)"),
            SQLITE_OK);
}

}  // namespace
}  // namespace tocsin::store
