// The writer: producers never wait, everything queued while a transaction
// runs goes into the next one, a failed write is retried with doubling
// backoff (on a fake clock), counted, and loses nothing, and stop writes
// what is queued.
#include "store/writer.h"

#include <latch>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <sqlite3.h>

#include "store/sqlite_store.h"
#include "support/fake_clock.h"
#include "support/recording_store.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace tocsin::store {
namespace {

using namespace std::chrono_literals;
using test::FakeClock;
using test::wait_until;

// The value of the unlabelled metric `name`; -1 when absent.
double metric(prometheus::Registry& registry, std::string_view name) {
  for (const auto& family : registry.Collect()) {
    if (family.name != name || family.metric.empty()) continue;
    const auto& m = family.metric.front();
    return family.type == prometheus::MetricType::Counter ? m.counter.value : m.gauge.value;
  }
  return -1;
}

// How many observations the unlabelled histogram `name` holds; -1 when absent.
double observations(prometheus::Registry& registry, std::string_view name) {
  for (const auto& family : registry.Collect()) {
    if (family.name != name || family.metric.empty()) continue;
    return static_cast<double>(family.metric.front().histogram.sample_count);
  }
  return -1;
}

SilenceRow silence(std::string id) {
  return SilenceRow{.id = std::move(id),
                    .matchers = {{"=", "alertname", "A"}},
                    .starts_at = test::at("2024-05-01T12:00:00Z"),
                    .ends_at = test::at("2024-05-01T13:00:00Z"),
                    .updated_at = test::at("2024-05-01T12:00:00Z"),
                    .created_by = "ops",
                    .comment = "",
                    .expires_at = test::at("2024-05-06T13:00:00Z")};
}

// Holds its first write until released; records every batch it commits.
// The test keeps a raw pointer; the writer owns it.
class GatedStore final : public Store {
 public:
  explicit GatedStore(std::unique_ptr<Store> inner) : inner_(std::move(inner)) {}

  const std::string& name() const override { return inner_->name(); }
  Result<std::size_t> purge_history(Timestamp before, std::size_t max) override {
    return inner_->purge_history(before, max);
  }
  Result<HistoryPage> history(const HistoryQuery& q) override { return inner_->history(q); }
  Result<std::uint64_t> size_bytes() override { return inner_->size_bytes(); }
  Result<StoredState> load() override { return inner_->load(); }
  Status write(const Batch& batch) override {
    if (first_) {
      first_ = false;
      entered_.count_down();
      release_.wait();
    }
    Status s = inner_->write(batch);
    if (s) {
      std::lock_guard lock(mu_);
      sizes_.push_back(batch.size());
    }
    return s;
  }

  std::latch& entered() { return entered_; }
  std::latch& release() { return release_; }
  std::vector<std::size_t> sizes() const {
    std::lock_guard lock(mu_);
    return sizes_;
  }

 private:
  std::unique_ptr<Store> inner_;
  bool first_ = true;  // the writer's thread only
  std::latch entered_{1};
  std::latch release_{1};
  mutable std::mutex mu_;
  std::vector<std::size_t> sizes_;
};

// Fails its first `failures` writes as a full disk does; then commits.
class FlakyStore final : public test::StubStore {
 public:
  explicit FlakyStore(int failures) : StubStore("test.db"), failures_(failures) {}

  Status write(const Batch& batch) override {
    std::lock_guard lock(mu_);
    if (failures_ > 0) {
      --failures_;
      return fail("test.db: writing silence a: database or disk is full");
    }
    for (const Change& c : batch) ids_.push_back(std::get<PutSilence>(c).row.id);
    return {};
  }
  std::vector<std::string> ids() const {
    std::lock_guard lock(mu_);
    return ids_;
  }

 private:
  mutable std::mutex mu_;
  int failures_;
  std::vector<std::string> ids_;
};

TEST(Writer, Writer_WritesWhatWasQueuedDuringATransactionInTheNextOne) {
  test::TempDir dir("writer");
  auto sqlite = open_sqlite_store(dir.file("tocsin.db"));
  ASSERT_TRUE(sqlite) << sqlite.error().message();
  auto gated = std::make_unique<GatedStore>(std::move(*sqlite));
  GatedStore* store = gated.get();
  prometheus::Registry registry;
  Writer writer(std::move(gated), Writer::Options{.registry = &registry});

  writer.submit({PutSilence{silence("first")}});
  store->entered().wait();  // the writer is inside its first transaction
  Writer::Sequence last = 0;
  for (int i = 0; i < 1000; ++i) last = writer.submit({PutSilence{silence(fmt::format("s{}", i))}});
  EXPECT_EQ(last, 1001u);
  EXPECT_EQ(writer.pending_changes(), 1001u);
  EXPECT_EQ(metric(registry, "tocsin_store_pending_changes"), 1001);
  store->release().count_down();

  ASSERT_TRUE(writer.wait_written(last, 10s));
  EXPECT_EQ(store->sizes(), (std::vector<std::size_t>{1, 1000}));
  EXPECT_EQ(writer.transactions(), 2u);
  EXPECT_EQ(metric(registry, "tocsin_store_transactions_total"), 2);
  EXPECT_EQ(metric(registry, "tocsin_store_pending_changes"), 0);
  EXPECT_EQ(metric(registry, "tocsin_store_write_failures_total"), 0);
  auto state = store->load();
  ASSERT_TRUE(state);
  EXPECT_EQ(state->silences.size(), 1001u);
}

// A real lock held by another connection: the write fails at once (no
// busy timeout), is counted, waits the backoff on the clock, and goes
// through once the lock is gone.
TEST(Writer, Writer_RetriesALockedDatabaseWithBackoffAndCountsEachFailure) {
  test::TempDir dir("writer");
  std::string path = dir.file("tocsin.db");
  auto sqlite = open_sqlite_store(path, SqliteOptions{.busy_timeout = Duration::zero()});
  ASSERT_TRUE(sqlite) << sqlite.error().message();
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);

  FakeClock clock;
  prometheus::Registry registry;
  auto writer_owner = std::make_unique<Writer>(
      std::move(*sqlite),
      Writer::Options{.initial_backoff = 100ms, .clock = &clock, .registry = &registry});
  Writer& writer = *writer_owner;
  Writer::Sequence first = writer.submit({PutSilence{silence("a")}});

  // Failed once, now waiting 100ms on the clock.
  ASSERT_TRUE(clock.await_sleeper(clock.now() + 100ms));
  EXPECT_EQ(writer.failures(), 1u);
  EXPECT_EQ(metric(registry, "tocsin_store_write_failures_total"), 1);
  Status pending = writer.wait_written(first, Duration::zero());
  ASSERT_FALSE(pending);
  EXPECT_EQ(pending.error().message(),
            "not yet written, retrying: " + path + ": starting a transaction: database is locked");
  // Queued meanwhile: retried with the first.
  Writer::Sequence second = writer.submit({PutSilence{silence("b")}});
  EXPECT_EQ(writer.pending_changes(), 2u);

  // Still locked: the next wait doubles.
  clock.advance(100ms);
  ASSERT_TRUE(clock.await_sleeper(clock.now() + 200ms));
  EXPECT_EQ(metric(registry, "tocsin_store_write_failures_total"), 2);

  ASSERT_EQ(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(other);
  clock.advance(200ms);
  ASSERT_TRUE(wait_until([&] { return writer.written() >= second; }, 10s));
  EXPECT_TRUE(writer.wait_written(second, Duration::zero()));
  EXPECT_EQ(writer.transactions(), 1u);
  EXPECT_EQ(metric(registry, "tocsin_store_write_failures_total"), 2);
  EXPECT_EQ(metric(registry, "tocsin_store_pending_changes"), 0);
  // Every attempt's latency, the failed ones too: two refused, one committed.
  EXPECT_EQ(observations(registry, "tocsin_store_write_duration_seconds"), 3);
  writer_owner.reset();  // closes the file

  auto reopened = open_sqlite_store(path);
  ASSERT_TRUE(reopened);
  auto state = (*reopened)->load();
  ASSERT_TRUE(state);
  ASSERT_EQ(state->silences.size(), 2u);
}

TEST(Writer, Writer_KeepsSubmissionOrderAcrossFailures) {
  FakeClock clock;
  auto flaky = std::make_unique<FlakyStore>(3);
  FlakyStore* store = flaky.get();
  Writer writer(std::move(flaky), Writer::Options{.initial_backoff = 1s, .clock = &clock});
  writer.submit({PutSilence{silence("a")}, PutSilence{silence("b")}});
  Duration wait = 1s;
  for (int failure = 1; failure <= 3; ++failure) {
    ASSERT_TRUE(clock.await_sleeper(clock.now() + wait)) << "failure " << failure;
    writer.submit({PutSilence{silence(fmt::format("c{}", failure))}});
    clock.advance(wait);
    wait *= 2;
  }
  ASSERT_TRUE(wait_until([&] { return writer.pending_changes() == 0; }, 10s));
  EXPECT_EQ(store->ids(), (std::vector<std::string>{"a", "b", "c1", "c2", "c3"}));
  EXPECT_EQ(writer.failures(), 3u);
}

TEST(Writer, Writer_StopWritesWhatIsQueued) {
  test::TempDir dir("writer");
  {
    auto sqlite = open_sqlite_store(dir.file("tocsin.db"));
    ASSERT_TRUE(sqlite);
    Writer writer(std::move(*sqlite), Writer::Options{});
    for (int i = 0; i < 100; ++i) writer.submit({PutSilence{silence(fmt::format("s{}", i))}});
  }  // stops
  auto reopened = open_sqlite_store(dir.file("tocsin.db"));
  ASSERT_TRUE(reopened);
  auto state = (*reopened)->load();
  ASSERT_TRUE(state);
  EXPECT_EQ(state->silences.size(), 100u);
}

TEST(Writer, Writer_GivesUpOnlyWhenStoppedAndSaysSo) {
  FakeClock clock;
  Writer writer(std::make_unique<FlakyStore>(1000),
                Writer::Options{.initial_backoff = 1s, .clock = &clock});
  Writer::Sequence seq = writer.submit({PutSilence{silence("a")}});
  ASSERT_TRUE(clock.await_sleeper(clock.now() + 1s));
  writer.stop();  // one more attempt, which fails
  EXPECT_EQ(writer.failures(), 2u);
  Status status = writer.wait_written(seq, 1s);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message(),
            "not written, and no longer retried (stopping): test.db: writing silence a: "
            "database or disk is full");
}

}  // namespace
}  // namespace tocsin::store

namespace tocsin::store {
namespace {

HistoryRow history_at(Timestamp when) {
  HistoryRow row;
  row.at = when;
  row.kind = "alert";
  row.state = "firing";
  return row;
}

// Every purge_interval (on the writer's clock) the history loses what is
// older than the retention, a chunk per transaction until none is left;
// the count and the time of the last purge are metrics, as is the size.
TEST(Writer, Writer_PurgesHistoryOlderThanTheRetentionInChunks) {
  test::TempDir dir("writer");
  auto sqlite = open_sqlite_store(dir.file("tocsin.db"));
  ASSERT_TRUE(sqlite) << sqlite.error().message();
  FakeClock clock(test::at("2024-05-10T00:00:00Z"));
  prometheus::Registry registry;
  Writer writer(std::move(*sqlite), Writer::Options{.history_retention = 24h,
                                                    .purge_interval = 1h,
                                                    .purge_chunk = 2,
                                                    .clock = &clock,
                                                    .registry = &registry});
  Batch batch;
  for (int i = 0; i < 5; ++i)
    batch.push_back(AppendHistory{history_at(clock.now() - 48h + 1min * i)});
  batch.push_back(AppendHistory{history_at(clock.now() - 1h)});  // within the retention
  ASSERT_TRUE(writer.wait_written(writer.submit(std::move(batch)), 10s));
  EXPECT_GT(metric(registry, "tocsin_store_size_bytes"), 0);
  EXPECT_EQ(writer.purged_events(), 0u);  // not due yet

  clock.advance(1h);
  ASSERT_TRUE(wait_until([&] { return writer.purged_events() == 5; }, 10s))
      << writer.purged_events();
  EXPECT_EQ(metric(registry, "tocsin_store_history_purged_total"), 5);
  ASSERT_TRUE(wait_until(
      [&] {
        return metric(registry, "tocsin_store_last_history_purge_timestamp_seconds") ==
               to_unix_seconds(clock.now());
      },
      10s));
  auto page = writer.history(HistoryQuery{});
  ASSERT_TRUE(page) << page.error().message();
  ASSERT_EQ(page->events.size(), 1u);
  EXPECT_EQ(page->events[0].at, clock.now() - 2h);
}

TEST(Writer, Writer_KeepsTheHistoryForEverWithoutARetention) {
  test::TempDir dir("writer");
  auto sqlite = open_sqlite_store(dir.file("tocsin.db"));
  ASSERT_TRUE(sqlite) << sqlite.error().message();
  FakeClock clock(test::at("2024-05-10T00:00:00Z"));
  Writer writer(std::move(*sqlite),
                Writer::Options{.history_retention = Duration::zero(), .clock = &clock});
  ASSERT_TRUE(writer.wait_written(
      writer.submit({AppendHistory{history_at(clock.now() - 24h * 365)}}), 10s));
  clock.advance(24h * 30);
  // A write after the clock moved: had a purge been due, the writer would
  // have run it right after this commit.
  ASSERT_TRUE(writer.wait_written(writer.submit({AppendHistory{history_at(clock.now())}}), 10s));
  EXPECT_EQ(writer.purged_events(), 0u);
  auto page = writer.history(HistoryQuery{});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->events.size(), 2u);
}

}  // namespace
}  // namespace tocsin::store
