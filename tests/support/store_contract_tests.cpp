// The store contract (support/store_contract.h), run against each backend
// by the test program that instantiates it.
#include <cmath>
#include <functional>
#include <limits>
#include <vector>

#include <fmt/format.h>

#include "support/store_contract.h"

namespace tocsin::test {
namespace {

using namespace store_rows;
using test::at;

TEST_P(StoreContractTest, ReadsBackWhatItWroteAfterReopening) {
  {
    auto store = open();
    ASSERT_TRUE(store);
    Batch batch{PutSilence{silence("b")}, PutSilence{silence("a")},
                PutNotification{notification("{}:{alertname=\"A\"}")}};
    ASSERT_TRUE(store->write(batch));
    // Replacing by key.
    SilenceRow changed = silence("a");
    changed.comment = "changed";
    ASSERT_TRUE(store->write({PutSilence{changed}}));
  }
  auto store = open();
  ASSERT_TRUE(store);
  auto state = store->load();
  ASSERT_TRUE(state) << state.error().message();
  SilenceRow a = silence("a");
  a.comment = "changed";
  EXPECT_EQ(state->silences, (std::vector<SilenceRow>{a, silence("b")}));
  EXPECT_EQ(state->notifications,
            std::vector<NotificationRow>{notification("{}:{alertname=\"A\"}")});
}

TEST_P(StoreContractTest, PurgesWhatHasExpired) {
  auto store = open();
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

TEST_P(StoreContractTest, KeepsRuleAlertsAndGroupsByKey) {
  RuleAlertRow firing = rule_alert("HighErrors{}#0", 0xfedcba9876543210ULL, AlertState::kFiring);
  RuleAlertRow pending = rule_alert("HighErrors{}#0", 1, AlertState::kPending);
  pending.value = std::nan("");
  RuleAlertRow other_rule = rule_alert("HighErrors{}#1", 1, AlertState::kInactive);
  other_rule.resolved_at = at("2024-05-01T12:10:00Z");
  RuleAlertRow other_group = rule_alert("Down{}#0", 7, AlertState::kFiring);
  other_group.group_key = "rules/db.yml;db";
  {
    auto store = open();
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
  auto store = open();
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

TEST_P(StoreContractTest, KeepsAlertsByFingerprintAndPurgesTheEnded) {
  AlertRow firing = posted_alert(0xfedcba9876543210ULL, at("2024-05-01T12:05:00Z"));
  AlertRow ended = posted_alert(2, at("2024-05-01T12:01:00Z"));
  ended.source = "rule";
  ended.timeout = false;
  AlertRow no_end = posted_alert(3, Timestamp{});
  {
    auto store = open();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->write({PutAlert{firing}, PutAlert{ended}, PutAlert{no_end}}));
    AlertRow changed = firing;
    changed.ends_at = at("2024-05-01T12:09:00Z");
    ASSERT_TRUE(store->write({PutAlert{changed}}));
    firing = changed;
  }
  auto store = open();
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

TEST_P(StoreContractTest, KeepsHeartbeatsByName) {
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
    auto store = open();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->write({PutHeartbeat{watchdog}, PutHeartbeat{backup}, PutHeartbeat{[&] {
                                HeartbeatRow old = backup;
                                old.name = "old";
                                return old;
                              }()},
                              DeleteHeartbeat{"old"}}));
  }
  auto store = open();
  ASSERT_TRUE(store);
  auto state = store->load();
  ASSERT_TRUE(state) << state.error().message();
  EXPECT_EQ(state->heartbeats, (std::vector<HeartbeatRow>{backup, watchdog}));
}

TEST_P(StoreContractTest, KeepsAcknowledgementsOfAlertsAndGroups) {
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
    auto store = open();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->write({PutAcknowledgement{gone}, PutAcknowledgement{group},
                              PutAcknowledgement{alert}, DeleteAcknowledgement{"gone"}}));
  }
  auto store = open();
  ASSERT_TRUE(store);
  auto state = store->load();
  ASSERT_TRUE(state) << state.error().message();
  EXPECT_EQ(state->acknowledgements, (std::vector<AcknowledgementRow>{alert, group}));
}

TEST_P(StoreContractTest, KeepsTheExtensionsOfASilence) {
  SilenceRow ending = silence("ending");
  ending.ends_when_resolved = true;
  ending.matched = true;
  ending.schedule = R"([{"weekdays":["saturday"]}])";
  {
    auto store = open();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->write({PutSilence{ending}, PutSilence{silence("plain")}}));
  }
  auto store = open();
  ASSERT_TRUE(store);
  auto state = store->load();
  ASSERT_TRUE(state) << state.error().message();
  EXPECT_EQ(state->silences, (std::vector<SilenceRow>{ending, silence("plain")}));
}

TEST_P(StoreContractTest, KeepsEscalationEpisodesByGroup) {
  EscalationRow down{"{}/{severity=\"critical\"}:{alertname=\"Down\"}",
                     at("2024-05-01T12:00:00.5Z")};
  EscalationRow slow{"{}:{alertname=\"Slow\"}", at("2024-05-01T12:05:00Z")};
  {
    auto store = open();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->write({PutEscalation{slow}, PutEscalation{down},
                              PutEscalation{{"gone", at("2024-05-01T11:00:00Z")}},
                              DeleteEscalation{"gone"}}));
  }
  auto store = open();
  ASSERT_TRUE(store);
  auto state = store->load();
  ASSERT_TRUE(state) << state.error().message();
  EXPECT_EQ(state->escalations, (std::vector<EscalationRow>{down, slow}));
}

TEST_P(StoreContractTest, ReadsTheHistoryNewestFirstWithEveryFilter) {
  auto store = open();
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

TEST_P(StoreContractTest, PagesTheHistoryWithACursor) {
  auto store = open();
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

TEST_P(StoreContractTest, PurgesTheOldestHistoryInChunksAndNeverReusesAnId) {
  auto store = open();
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

// A batch larger than any backend sends in one go is still one batch: all
// of it is written, in order.
TEST_P(StoreContractTest, WritesALargeBatchWhole) {
  auto store = open();
  ASSERT_TRUE(store);
  Batch batch;
  for (int i = 0; i < 1200; ++i) {
    batch.push_back(PutSilence{silence(fmt::format("s{:05}", i))});
    batch.push_back(
        AppendHistory{event(at("2024-05-01T12:00:00Z") + std::chrono::seconds(i), "alert", "x")});
  }
  SilenceRow last = silence("s00000");
  last.comment = "replaced later in the same batch";
  batch.push_back(PutSilence{last});
  ASSERT_TRUE(store->write(batch));
  auto state = store->load();
  ASSERT_TRUE(state) << state.error().message();
  ASSERT_EQ(state->silences.size(), 1200u);
  EXPECT_EQ(state->silences.front(), last);
  HistoryQuery all;
  all.limit = 2000;
  auto page = store->history(all);
  ASSERT_TRUE(page) << page.error().message();
  EXPECT_EQ(page->events.size(), 1200u);
}

// Values a rule's alert may hold: infinities and NaN come back as written.
TEST_P(StoreContractTest, KeepsInfiniteAndNaNValues) {
  auto store = open();
  ASSERT_TRUE(store);
  RuleAlertRow up = rule_alert("A{}#0", 1, AlertState::kFiring);
  up.value = std::numeric_limits<double>::infinity();
  RuleAlertRow down = rule_alert("A{}#0", 2, AlertState::kFiring);
  down.value = -std::numeric_limits<double>::infinity();
  RuleAlertRow tiny = rule_alert("A{}#0", 3, AlertState::kFiring);
  tiny.value = 4.9406564584124654e-324;
  RuleAlertRow nan = rule_alert("A{}#0", 4, AlertState::kFiring);
  nan.value = std::nan("");
  ASSERT_TRUE(
      store->write({PutRuleAlert{up}, PutRuleAlert{down}, PutRuleAlert{tiny}, PutRuleAlert{nan}}));
  auto state = store->load();
  ASSERT_TRUE(state) << state.error().message();
  ASSERT_EQ(state->rule_alerts.size(), 4u);
  EXPECT_EQ(state->rule_alerts[0].value, up.value);
  EXPECT_EQ(state->rule_alerts[1].value, down.value);
  EXPECT_EQ(state->rule_alerts[2].value, tiny.value);
  EXPECT_TRUE(std::isnan(state->rule_alerts[3].value));
}

}  // namespace
}  // namespace tocsin::test
