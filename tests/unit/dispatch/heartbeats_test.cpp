// Heartbeats on a fake clock: one not renewed within its timeout puts the
// firing HeartbeatMissing alert, again every refresh; a renewal resolves
// it; every change goes to the store with its history event; a restart
// gives each heartbeat a whole timeout before it can go missing.
#include "dispatch/heartbeats.h"

#include <gtest/gtest.h>

#include "support/fake_clock.h"
#include "support/recording_store.h"
#include "support/wait.h"

namespace tocsin::dispatch {
namespace {

using namespace std::chrono_literals;
using test::FakeClock;

class HeartbeatsTest : public ::testing::Test {
 protected:
  Heartbeats::Options options() {
    return Heartbeats::Options{.journal = journal_,
                               .alerts =
                                   [this](std::vector<notify::Alert> alerts) {
                                     std::lock_guard lock(mu_);
                                     for (auto& a : alerts) put_.push_back(std::move(a));
                                   },
                               .clock = &clock_,
                               .refresh = 1min,
                               .max_heartbeats = 3,
                               .durable_timeout = 10s};
  }
  std::vector<notify::Alert> taken() {
    std::lock_guard lock(mu_);
    return std::exchange(put_, {});
  }
  // "kind state" of every history event written since the last call, and
  // whether a heartbeat row was written or deleted.
  std::vector<std::string> written() {
    EXPECT_TRUE(test::wait_until([&] { return journal_->pending_changes() == 0; }, 10s));
    std::vector<std::string> out;
    for (const store::Change& c : recording_->take()) {
      if (const auto* e = std::get_if<store::AppendHistory>(&c)) {
        out.push_back(e->row.kind + " " + e->row.state);
      } else if (const auto* put = std::get_if<store::PutHeartbeat>(&c)) {
        out.push_back(std::string("put ") + (put->row.missing ? "missing" : "ok"));
      } else if (std::holds_alternative<store::DeleteHeartbeat>(c)) {
        out.push_back("delete");
      }
    }
    return out;
  }

  FakeClock clock_;
  test::RecordingStore* recording_ = new test::RecordingStore;
  std::shared_ptr<store::Writer> journal_ = std::make_shared<store::Writer>(
      std::unique_ptr<store::Store>(recording_), store::Writer::Options{});
  std::mutex mu_;
  std::vector<notify::Alert> put_;
};

using V = std::vector<std::string>;

TEST_F(HeartbeatsTest, AHeartbeatNotRenewedInTimeFiresAndARenewalResolvesIt) {
  Heartbeats heartbeats(options());
  const Timestamp t0 = clock_.now();
  HeartbeatPost post;
  post.timeout = 5min;
  post.labels = Labels{{"team", "backup"}, {"alertname", "Ignored"}};
  post.annotations = Labels{{"runbook", "https://runbooks/backup"}};
  post.created_by = "cron";
  auto created = heartbeats.renew("nightly-backup", post, t0);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->due, t0 + 5min);
  EXPECT_EQ(written(), (V{"put ok", "heartbeat created"}));

  heartbeats.check(t0 + 4min);
  EXPECT_TRUE(taken().empty());
  heartbeats.check(t0 + 5min);
  auto firing = taken();
  ASSERT_EQ(firing.size(), 1u);
  EXPECT_EQ(firing[0].labels, (Labels{{"alertname", "HeartbeatMissing"},
                                      {"heartbeat", "nightly-backup"},
                                      {"team", "backup"}}));
  EXPECT_EQ(firing[0].annotations.get("summary"), "No heartbeat from nightly-backup for 5m");
  EXPECT_EQ(firing[0].annotations.get("runbook"), "https://runbooks/backup");
  EXPECT_EQ(firing[0].starts_at, t0 + 5min);
  EXPECT_EQ(firing[0].ends_at, t0 + 5min + 3min);  // three refreshes ahead
  EXPECT_EQ(written(), (V{"put missing", "heartbeat missing"}));
  EXPECT_TRUE(heartbeats.get("nightly-backup")->missing);

  heartbeats.check(t0 + 6min);  // still missing: put again, nothing written
  ASSERT_EQ(taken().size(), 1u);
  EXPECT_EQ(written(), V{});

  auto renewed = heartbeats.renew("nightly-backup", HeartbeatPost{}, t0 + 7min);
  ASSERT_TRUE(renewed);
  EXPECT_FALSE(renewed->missing);
  EXPECT_EQ(renewed->due, t0 + 12min);  // the timeout it had
  auto resolved = taken();
  ASSERT_EQ(resolved.size(), 1u);
  EXPECT_TRUE(resolved[0].resolved_at(t0 + 7min));
  EXPECT_EQ(resolved[0].fingerprint(), firing[0].fingerprint());
  EXPECT_EQ(written(), (V{"put ok", "heartbeat recovered"}));

  // A plain renewal is written but is no event.
  ASSERT_TRUE(heartbeats.renew("nightly-backup", HeartbeatPost{}, t0 + 8min));
  EXPECT_EQ(written(), (V{"put ok"}));
}

TEST_F(HeartbeatsTest, TheWatchingThreadFiresOnTheClock) {
  Heartbeats heartbeats(options());
  heartbeats.start();
  HeartbeatPost post;
  post.timeout = 30s;
  ASSERT_TRUE(heartbeats.renew("job", post, clock_.now()));
  clock_.advance(30s);
  ASSERT_TRUE(test::wait_until(
      [&] {
        std::lock_guard lock(mu_);
        return !put_.empty();
      },
      10s));
  EXPECT_EQ(taken()[0].labels.get("heartbeat"), "job");
}

TEST_F(HeartbeatsTest, DeletingAMissingHeartbeatResolvesItsAlert) {
  Heartbeats heartbeats(options());
  const Timestamp t0 = clock_.now();
  ASSERT_TRUE(heartbeats.renew("job", HeartbeatPost{}, t0));
  heartbeats.check(t0 + kDefaultHeartbeatTimeout);
  ASSERT_EQ(taken().size(), 1u);
  written();
  ASSERT_TRUE(heartbeats.remove("job", t0 + 10min));
  auto resolved = taken();
  ASSERT_EQ(resolved.size(), 1u);
  EXPECT_TRUE(resolved[0].resolved_at(t0 + 10min));
  EXPECT_EQ(written(), (V{"delete", "heartbeat deleted"}));
  EXPECT_FALSE(heartbeats.get("job"));
  auto again = heartbeats.remove("job", t0 + 11min);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, HeartbeatError::Kind::kNotFound);
}

TEST_F(HeartbeatsTest, RefusesBadNamesTimeoutsAndTooManyHeartbeats) {
  Heartbeats heartbeats(options());
  const Timestamp t0 = clock_.now();
  auto bad = heartbeats.renew("a b", HeartbeatPost{}, t0);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, HeartbeatError::Kind::kInvalid);
  EXPECT_EQ(bad.error().message,
            "invalid heartbeat name \"a b\": only letters, digits, '_', '.' and '-' are allowed");
  HeartbeatPost zero;
  zero.timeout = 0s;
  EXPECT_FALSE(heartbeats.renew("a", zero, t0));
  EXPECT_FALSE(heartbeats.renew(std::string(129, 'a'), HeartbeatPost{}, t0));
  for (std::string name : {"a", "b", "c"}) ASSERT_TRUE(heartbeats.renew(name, HeartbeatPost{}, t0));
  auto full = heartbeats.renew("d", HeartbeatPost{}, t0);
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().kind, HeartbeatError::Kind::kTooMany);
  EXPECT_TRUE(heartbeats.renew("a", HeartbeatPost{}, t0));  // renewing is not adding
}

TEST_F(HeartbeatsTest, ARestartGivesEachHeartbeatAWholeTimeoutAndKeepsTheMissingOnes) {
  const Timestamp t0 = clock_.now();
  store::HeartbeatRow quiet{.name = "quiet",
                            .timeout = 10min,
                            .labels = {},
                            .annotations = {},
                            .created_at = t0 - 1h,
                            .renewed_at = t0 - 30min,  // overdue by the restart
                            .missing = false,
                            .created_by = "ops"};
  store::HeartbeatRow gone = quiet;
  gone.name = "gone";
  gone.missing = true;
  Heartbeats heartbeats(options());
  heartbeats.restore({quiet, gone}, t0);
  EXPECT_EQ(heartbeats.get("quiet")->due, t0 + 10min);
  heartbeats.check(t0 + 1min);
  auto firing = taken();
  ASSERT_EQ(firing.size(), 1u);
  EXPECT_EQ(firing[0].labels.get("heartbeat"), "gone");
  heartbeats.check(t0 + 10min);
  EXPECT_EQ(taken().size(), 2u);
}

}  // namespace
}  // namespace tocsin::dispatch
