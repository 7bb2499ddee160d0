#include "dispatch/alert_store.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "dispatch/aggregation_group.h"
#include "dispatch/route.h"
#include "support/alerts.h"
#include "support/recording_store.h"
#include "support/wait.h"

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

namespace tocsin::dispatch {
namespace {

using namespace std::chrono_literals;

std::vector<store::Change> written(store::Writer& writer, test::RecordingStore& store) {
  EXPECT_TRUE(test::wait_until([&] { return writer.pending_changes() == 0; }, 10s));
  return store.take();
}

// "put END" for an alert written, "history STATE at MINUTE" for an event,
// "purge" for a purge; END and MINUTE in minutes after kT0.
std::vector<std::string> describe(const std::vector<store::Change>& changes) {
  std::vector<std::string> out;
  for (const store::Change& c : changes) {
    auto minutes = [](Timestamp t) {
      return std::chrono::duration_cast<std::chrono::minutes>(t - kT0).count();
    };
    if (const auto* put = std::get_if<store::PutAlert>(&c)) {
      out.push_back(fmt::format("put {} {}", minutes(put->row.ends_at), put->row.source));
    } else if (const auto* event = std::get_if<store::AppendHistory>(&c)) {
      out.push_back(fmt::format("history {} at {}", event->row.state, minutes(event->row.at)));
    } else if (std::holds_alternative<store::PurgeAlerts>(c)) {
      out.push_back("purge");
    } else {
      out.push_back("other");
    }
  }
  return out;
}

class JournaledAlertStore : public ::testing::Test {
 protected:
  // Prometheus's re-send: every minute, the end four minutes ahead.
  void resend(int minute, AlertOrigin origin = AlertOrigin::kApi) {
    Timestamp now = kT0 + 1min * minute;
    std::vector<notify::Alert> a{alert(kT0, now + 4min, now)};
    alerts_.put(std::move(a), origin);
  }
  std::vector<std::string> changes() { return describe(written(*journal_, *recording_)); }

  test::RecordingStore* recording_ = new test::RecordingStore;
  std::shared_ptr<store::Writer> journal_ = std::make_shared<store::Writer>(
      std::unique_ptr<store::Store>(recording_), store::Writer::Options{});
  AlertStore alerts_{journal_};
};

using V = std::vector<std::string>;

// A re-posted alert is written again only once the end the store holds has
// used up half of what is left: with Prometheus's cadence, one write in
// three, and the stored end always at least two minutes ahead.
TEST_F(JournaledAlertStore, WritesARepostedAlertOnlyWhenItsStoredEndRunsLow) {
  resend(0);
  EXPECT_EQ(changes(), (V{"history firing at 0", "put 4 api"}));
  resend(1);  // stored end 4, 3 minutes left of a new 4: kept
  resend(2);  // 2 left of 4: kept
  EXPECT_EQ(changes(), V{});
  resend(3);  // 1 left of 4: written
  EXPECT_EQ(changes(), V{"put 7 api"});
  resend(4);
  resend(5);
  EXPECT_EQ(changes(), V{});
  resend(6);
  EXPECT_EQ(changes(), V{"put 10 api"});

  // New annotations are a change at once.
  std::vector<notify::Alert> changed{alert(kT0, kT0 + 11min, kT0 + 7min)};
  changed[0].annotations = Labels{{"summary", "worse"}};
  alerts_.put(std::move(changed));
  EXPECT_EQ(changes(), V{"put 11 api"});

  // A resolve is written and recorded; an alert of a rule is written but
  // its history is the rule's.
  std::vector<notify::Alert> resolved{alert(kT0, kT0 + 8min, kT0 + 8min)};
  alerts_.put(std::move(resolved));
  EXPECT_EQ(changes(), (V{"history resolved at 8", "put 8 api"}));
  resend(20, AlertOrigin::kRule);
  EXPECT_EQ(changes(), V{"put 24 rule"});
}

// An alert whose end passed without a resolve is recorded as resolved at
// its end: by garbage collection, or by the next put if that comes first.
TEST_F(JournaledAlertStore, RecordsAnAlertThatTimedOutAsResolvedAtItsEnd) {
  resend(0);
  EXPECT_EQ(changes(), (V{"history firing at 0", "put 4 api"}));
  EXPECT_EQ(alerts_.collect_garbage(kT0 + 10min), 1u);
  EXPECT_EQ(changes(), (V{"history resolved at 4", "purge"}));

  resend(20);
  EXPECT_EQ(changes(), (V{"history firing at 20", "put 24 api"}));
  resend(30);  // came back after its end had passed
  EXPECT_EQ(changes(), (V{"history resolved at 24", "history firing at 30", "put 34 api"}));

  // Nothing resolved, nothing dropped: no batch at all.
  auto before = journal_->written();
  EXPECT_EQ(alerts_.collect_garbage(kT0 + 31min), 0u);
  EXPECT_EQ(journal_->written(), before);
}

// What the store held comes back as it was, merged with what is posted
// next; a restored alert that was firing is not recorded firing again,
// and a rule's restored alert is never recorded.
TEST_F(JournaledAlertStore, RestoresWhatTheStoreHeld) {
  notify::Alert firing = alert(kT0, kT0 + 4min, kT0);
  notify::Alert of_rule = alert(kT0, kT0 + 4min, kT0);
  of_rule.labels = Labels{{"alertname", "FromRule"}};
  auto row = [](const notify::Alert& a, std::string source) {
    return store::AlertRow{a.fingerprint(), a.labels,  a.annotations,
                           a.starts_at,     a.ends_at, a.updated_at,
                           a.generator_url, a.timeout, std::move(source)};
  };
  alerts_.restore({row(firing, "api"), row(of_rule, "rule")});
  EXPECT_EQ(alerts_.size(), 2u);
  EXPECT_EQ(alerts_.get(firing.fingerprint()), firing);

  resend(1);  // 3 minutes left of the new 4: not written, not recorded
  EXPECT_EQ(changes(), V{});
  EXPECT_EQ(alerts_.collect_garbage(kT0 + 30min), 2u);
  EXPECT_EQ(changes(), (V{"history resolved at 5", "purge"}));
}

}  // namespace
}  // namespace tocsin::dispatch
