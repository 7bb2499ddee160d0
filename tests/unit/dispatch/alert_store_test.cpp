#include "dispatch/alert_store.h"

#include <gtest/gtest.h>

#include "dispatch/aggregation_group.h"
#include "dispatch/route.h"
#include "support/alerts.h"

namespace tocsin::dispatch {
namespace {

using namespace std::chrono_literals;

const Timestamp kT0 = Timestamp(1'714'564'800'000ms);

notify::Alert alert(Timestamp starts, Timestamp ends, Timestamp updated, bool timeout = false) {
  return test::AlertBuilder(Labels{{"alertname", "Down"}})
      .starts(starts)
      .ends(ends)
      .updated(updated)
      .timeout(timeout);
}

TEST(AlertMerge, KeepsTheEarliestStartAndTheNewerAlertsFields) {
  notify::Alert older = alert(kT0, kT0 + 5min, kT0, true);
  notify::Alert newer = alert(kT0 + 1min, kT0 + 6min, kT0 + 1min, true);
  newer.annotations = Labels{{"summary", "new"}};
  notify::Alert m = merge_alerts(older, newer);
  EXPECT_EQ(m.starts_at, kT0);
  EXPECT_EQ(m.ends_at, kT0 + 6min);
  EXPECT_EQ(m.annotations, newer.annotations);
  EXPECT_EQ(merge_alerts(newer, older), m);  // argument order does not matter
}

TEST(AlertMerge, ALaterExplicitEndWinsOverATimeout) {
  notify::Alert explicit_end = alert(kT0, kT0 + 10min, kT0);
  notify::Alert timed_out = alert(kT0, kT0 + 5min + 1min, kT0 + 1min, true);
  EXPECT_EQ(merge_alerts(explicit_end, timed_out).ends_at, kT0 + 10min);
  notify::Alert by_timeout = alert(kT0, kT0 + 10min, kT0, true);
  EXPECT_EQ(merge_alerts(by_timeout, timed_out).ends_at, kT0 + 6min);
}

TEST(AlertMerge, TheLatestResolutionWinsWhenBothAreResolved) {
  notify::Alert a = alert(kT0, kT0 + 2min, kT0 + 2min);
  notify::Alert b = alert(kT0, kT0 + 1min, kT0 + 3min);
  EXPECT_EQ(merge_alerts(a, b).ends_at, kT0 + 2min);
}

TEST(AlertStore, PutMergesOverlappingAlertsAndTellsTheListener) {
  AlertStore store;
  std::vector<notify::Alert> heard;
  store.set_listener([&](const notify::Alert& a) { heard.push_back(a); });
  std::vector<notify::Alert> first{alert(kT0, kT0 + 5min, kT0, true)};
  store.put(first);
  std::vector<notify::Alert> again{alert(kT0 + 1min, kT0 + 6min, kT0 + 1min, true)};
  store.put(again);
  ASSERT_EQ(store.size(), 1u);
  EXPECT_EQ(store.list()[0].starts_at, kT0);  // merged: the earliest start
  ASSERT_EQ(heard.size(), 2u);
  EXPECT_EQ(heard[1].starts_at, kT0);
  EXPECT_EQ(store.get(first[0].fingerprint())->ends_at, kT0 + 6min);
}

TEST(AlertStore, ANewActivityRangeReplacesTheOldOne) {
  AlertStore store;
  std::vector<notify::Alert> old_one{alert(kT0, kT0 + 5min, kT0)};
  store.put(old_one);
  std::vector<notify::Alert> later{alert(kT0 + 1h, kT0 + 1h + 5min, kT0 + 1h)};
  store.put(later);
  EXPECT_EQ(store.list()[0].starts_at, kT0 + 1h);
}

TEST(AlertStore, GarbageCollectionDropsResolvedAlerts) {
  AlertStore store;
  notify::Alert firing = alert(kT0, kT0 + 1h, kT0);
  notify::Alert resolved = alert(kT0, kT0 + 1min, kT0);
  resolved.labels = Labels{{"alertname", "Gone"}};
  std::vector<notify::Alert> both{firing, resolved};
  store.put(both);
  EXPECT_EQ(store.collect_garbage(kT0 + 2min), 1u);
  ASSERT_EQ(store.size(), 1u);
  EXPECT_EQ(store.list()[0].labels, firing.labels);
}

TEST(AlertStore, ARepostStoresANewVersionAndLeavesTheOldOneAsItWas) {
  AlertStore store;
  std::vector<AlertPtr> heard;
  store.set_listener(AlertStore::BatchListener([&](std::span<const AlertPtr> alerts) {
    heard.insert(heard.end(), alerts.begin(), alerts.end());
  }));
  std::vector<notify::Alert> first{alert(kT0, kT0 + 5min, kT0, true)};
  store.put(first);
  ASSERT_EQ(store.snapshot().size(), 1u);
  AlertPtr v1 = store.snapshot()[0];
  std::vector<notify::Alert> again{alert(kT0 + 1min, kT0 + 6min, kT0 + 1min, true)};
  store.put(again);
  AlertPtr v2 = store.snapshot()[0];
  EXPECT_NE(v1, v2);
  EXPECT_EQ(v1->ends_at, kT0 + 5min);  // what was handed out never changes
  EXPECT_EQ(v2->ends_at, kT0 + 6min);
  EXPECT_EQ(v2->starts_at, kT0);
  // The listener got the very copies the store holds, in put order.
  ASSERT_EQ(heard.size(), 2u);
  EXPECT_EQ(heard[0], v1);
  EXPECT_EQ(heard[1], v2);
}

TEST(AlertStore, OnePutReachesTheListenerAsOneBatchInOrder) {
  AlertStore store;
  std::vector<std::size_t> batches;
  std::vector<std::string> names;
  store.set_listener(AlertStore::BatchListener([&](std::span<const AlertPtr> alerts) {
    batches.push_back(alerts.size());
    for (const AlertPtr& a : alerts) names.emplace_back(a->labels.value_of("alertname"));
  }));
  std::vector<notify::Alert> three;
  for (std::string_view name : {"C", "A", "B"}) {
    three.push_back(alert(kT0, kT0 + 5min, kT0));
    three.back().labels = Labels{{"alertname", name}};
  }
  store.put(three);
  EXPECT_EQ(batches, std::vector<std::size_t>{3});
  EXPECT_EQ(names, (std::vector<std::string>{"C", "A", "B"}));
  store.set_listener(nullptr);
  store.put(three);
  EXPECT_EQ(batches.size(), 1u);
}

TEST(AggregationGroup, HoldsTheStoresCopyAndTheLatestVersion) {
  config::Route config;
  config.options.receiver = "r";
  config.options.group_wait = 30s;
  std::unique_ptr<Route> root = Route::build(config);
  AlertStore store;
  std::vector<notify::Alert> first{alert(kT0, kT0 + 5min, kT0)};
  store.put(first);
  AlertPtr v1 = store.snapshot()[0];
  AggregationGroup group(*root, Labels{}, kT0);
  // A fresh alert leaves the first flush where group_wait put it.
  EXPECT_FALSE(group.insert(v1, kT0));
  EXPECT_EQ(group.next_flush(), kT0 + 30s);
  EXPECT_EQ(v1.use_count(), 3);  // the store, the group and v1: one alert, no copy
  std::vector<notify::Alert> again{alert(kT0 + 1min, kT0 + 6min, kT0 + 1min)};
  store.put(again);
  AlertPtr v2 = store.snapshot()[0];
  EXPECT_FALSE(group.insert(v2, kT0 + 1s));
  EXPECT_EQ(v1.use_count(), 1);  // the old version is gone from both
  ASSERT_EQ(group.alerts().size(), 1u);
  EXPECT_EQ(group.alerts()[0].ends_at, kT0 + 6min);
  // An alert that started longer than group_wait ago moves the flush to now.
  notify::Alert old_one = alert(kT0 - 1h, kT0 + 1h, kT0);
  old_one.labels = Labels{{"alertname", "Old"}};
  EXPECT_TRUE(group.insert(old_one, kT0 + 10s));
  EXPECT_EQ(group.next_flush(), kT0 + 10s);
  EXPECT_FALSE(group.insert(old_one, kT0 + 20s));  // already due
  EXPECT_EQ(group.next_flush(), kT0 + 10s);
}

}  // namespace
}  // namespace tocsin::dispatch
