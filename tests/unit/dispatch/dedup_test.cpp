#include "dispatch/dedup.h"

#include <gtest/gtest.h>

#include "support/alerts.h"
#include "support/fake_clock.h"

namespace tocsin::dispatch {
namespace {

using namespace std::chrono_literals;
using test::FakeClock;

constexpr Duration kRepeat = 4h;

notify::Alert alert_ending(Labels labels, Timestamp ends_at = Timestamp{}) {
  return test::AlertBuilder(std::move(labels)).ends(ends_at);
}

class DedupTest : public ::testing::Test {
 protected:
  // The entry the last notification left, `ago` before now.
  NotificationLogEntry last(std::vector<std::uint64_t> firing, std::vector<std::uint64_t> resolved,
                            Duration ago = 1min) {
    return NotificationLogEntry{.group_key = "g",
                                .target = {"r", "webhook", 0},
                                .timestamp = clock_.now() - ago,
                                .firing_alerts = std::move(firing),
                                .resolved_alerts = std::move(resolved),
                                .expires_at = clock_.now() + 1h};
  }
  bool notify(const NotificationLogEntry* entry, AlertHashSet firing, AlertHashSet resolved,
              bool send_resolved = true) {
    return needs_update(entry, firing, resolved, send_resolved, kRepeat, clock_.now());
  }

  FakeClock clock_;
};

TEST_F(DedupTest, Dedup_NotifiesTheFirstTimeSomethingFires) {
  EXPECT_TRUE(notify(nullptr, {1}, {}));
  EXPECT_TRUE(notify(nullptr, {1}, {2}));
}

TEST_F(DedupTest, Dedup_StaysQuietTheFirstTimeWhenOnlyResolvedAlerts) {
  EXPECT_FALSE(notify(nullptr, {}, {2}));
  EXPECT_FALSE(notify(nullptr, {}, {}));
}

TEST_F(DedupTest, Dedup_NotifiesWhenTheFiringSetGrows) {
  auto e = last({1}, {});
  EXPECT_TRUE(notify(&e, {1, 2}, {}));
}

TEST_F(DedupTest, Dedup_NotifiesWhenTheFiringSetChanges) {
  auto e = last({1, 2}, {});
  EXPECT_TRUE(notify(&e, {1, 3}, {}));
}

TEST_F(DedupTest, Dedup_StaysQuietWhenTheFiringSetShrinksWithoutSendResolved) {
  auto e = last({1, 2}, {});
  EXPECT_FALSE(notify(&e, {1}, {2}, /*send_resolved=*/false));
  EXPECT_FALSE(notify(&e, {1}, {}, /*send_resolved=*/false));
}

TEST_F(DedupTest, Dedup_NotifiesNewlyResolvedAlertsWithSendResolved) {
  auto e = last({1, 2}, {});
  EXPECT_TRUE(notify(&e, {1}, {2}, /*send_resolved=*/true));
}

TEST_F(DedupTest, Dedup_StaysQuietWhenResolvedAlertsWereAlreadyReported) {
  auto e = last({1}, {2});
  EXPECT_FALSE(notify(&e, {1}, {2}, /*send_resolved=*/true));
  // ...or when fewer resolved alerts are left (resolved ones age out of the group).
  auto both = last({1}, {2, 3});
  EXPECT_FALSE(notify(&both, {1}, {3}, /*send_resolved=*/true));
}

TEST_F(DedupTest, Dedup_NotifiesWhenAllResolvedAndTheReceiverKnewOfFiringOnes) {
  // Regardless of send_resolved, so the log stops listing them as firing.
  auto e = last({1, 2}, {});
  EXPECT_TRUE(notify(&e, {}, {1, 2}, /*send_resolved=*/true));
  EXPECT_TRUE(notify(&e, {}, {1, 2}, /*send_resolved=*/false));
  EXPECT_TRUE(notify(&e, {}, {}, /*send_resolved=*/false));
}

TEST_F(DedupTest, Dedup_StaysQuietWhenAllResolvedAndTheReceiverKnewOfNoFiringOnes) {
  // Alerts fired and resolved between two flushes: never the receiver's news.
  auto e = last({}, {1});
  EXPECT_FALSE(notify(&e, {}, {1, 2}, /*send_resolved=*/true));
  EXPECT_FALSE(notify(&e, {}, {}, /*send_resolved=*/true));
}

TEST_F(DedupTest, Dedup_StaysQuietWhenNothingChangedWithinRepeatInterval) {
  auto e = last({1, 2}, {3}, kRepeat - 1ms);
  EXPECT_FALSE(notify(&e, {1, 2}, {3}));
  auto exactly = last({1, 2}, {3}, kRepeat);
  EXPECT_FALSE(notify(&exactly, {1, 2}, {3}));  // strictly older than now - repeat
}

TEST_F(DedupTest, Dedup_ResendsAfterRepeatInterval) {
  auto e = last({1, 2}, {3}, kRepeat + 1ms);
  EXPECT_TRUE(notify(&e, {1, 2}, {3}));
  EXPECT_TRUE(notify(&e, {1}, {}, /*send_resolved=*/false));
}

TEST_F(DedupTest, Dedup_ZeroRepeatIntervalResendsEveryFlushAfterTheFirst) {
  auto e = last({1}, {}, 1ms);
  EXPECT_TRUE(needs_update(&e, {1}, {}, true, 0ms, clock_.now()));
  auto now = last({1}, {}, 0ms);
  EXPECT_FALSE(needs_update(&now, {1}, {}, true, 0ms, clock_.now()));
}

TEST_F(DedupTest, Dedup_HashesAlertsAsAlertmanagerDoes) {
  Labels labels{{"alertname", "Down"}, {"job", "api"}};
  // xxHash64 of "alertname\xffDown\xffjob\xffapi\xff", as notify.hashAlert.
  EXPECT_EQ(alert_hash(labels), labels.hash());
  EXPECT_NE(alert_hash(labels), labels.fingerprint());
  EXPECT_EQ(alert_hash(Labels{{"job", "api"}, {"alertname", "Down"}}), alert_hash(labels));
}

TEST_F(DedupTest, Dedup_SplitsTheGroupIntoFiringAndResolvedAtNow) {
  notify::Alert firing = alert_ending({{"a", "1"}});
  notify::Alert ending_later = alert_ending({{"a", "2"}}, clock_.now() + 1s);
  notify::Alert resolved = alert_ending({{"a", "3"}}, clock_.now());
  std::vector<notify::Alert> alerts{resolved, firing, ending_later};

  AlertHashes hashes = hash_alerts(alerts, clock_.now());
  EXPECT_EQ(hashes.firing, (std::vector<std::uint64_t>{alert_hash(firing.labels),
                                                       alert_hash(ending_later.labels)}));
  EXPECT_EQ(hashes.resolved, std::vector<std::uint64_t>{alert_hash(resolved.labels)});
  EXPECT_EQ(hashes.firing_set,
            (AlertHashSet{alert_hash(firing.labels), alert_hash(ending_later.labels)}));
  EXPECT_EQ(hashes.resolved_set, AlertHashSet{alert_hash(resolved.labels)});
}

TEST_F(DedupTest, Dedup_LogAndDecideTogetherAcrossFlushes) {
  // The story of one group through the log: fire, repeat, resolve.
  NotificationLog log(120h);
  NotificationTarget target{"team", "webhook", 0};
  std::vector<notify::Alert> alerts{alert_ending({{"a", "1"}})};
  auto flush = [&]() {
    AlertHashes h = hash_alerts(alerts, clock_.now());
    auto entry = log.query(target, "g");
    bool send = needs_update(entry ? &*entry : nullptr, h.firing_set, h.resolved_set, true, kRepeat,
                             clock_.now());
    if (send) log.log(target, "g", h.firing, h.resolved, 2 * kRepeat, clock_.now());
    return send;
  };
  EXPECT_TRUE(flush());  // first firing
  clock_.advance(5min);
  EXPECT_FALSE(flush());  // nothing new
  alerts.push_back(alert_ending({{"a", "2"}}));
  EXPECT_TRUE(flush());  // one more fires
  clock_.advance(kRepeat);
  EXPECT_FALSE(flush());  // exactly the repeat interval: not yet
  clock_.advance(1ms);
  EXPECT_TRUE(flush());  // past it
  alerts[0].ends_at = clock_.now();
  EXPECT_TRUE(flush());  // a resolved alert, send_resolved
  alerts[1].ends_at = clock_.now();
  clock_.advance(1s);
  EXPECT_TRUE(flush());  // all resolved
  clock_.advance(5min);
  EXPECT_FALSE(flush());  // and told once
}

}  // namespace
}  // namespace tocsin::dispatch
