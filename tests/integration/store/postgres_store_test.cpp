// The PostgreSQL store against a real PostgreSQL 15 on loopback: the store
// contract (support/store_contract.h) as SQLite passes it; the schema made
// and migrated from every earlier version; every database it cannot use
// refused with the reason and without the password; and a server that goes
// away and comes back loses nothing the writer queued.
#include "store/postgres_store.h"

#include <atomic>
#include <chrono>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <prometheus/registry.h>

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

TEST(PostgresStore, PostgresStore_RefusesADatabaseAnotherTocsinHolds) {
  std::string url = fresh_database();
  auto first = open_ok(url);
  ASSERT_TRUE(first);
  auto second = open_postgres_store(url, PostgresOptions{.lock_wait = 200ms});
  ASSERT_FALSE(second);
  EXPECT_NE(second.error().message().find("in use by another tocsin"), std::string::npos)
      << second.error().message();
  // Its connection, and so its lock, goes: the next open waits for the
  // server to end that session (a moment after the socket closes).
  first.reset();
  EXPECT_TRUE(open_ok(url));
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

}  // namespace
}  // namespace tocsin::store
