// What one replica takes of what the others wrote (store/cluster.h): each
// in-memory holder merges rows as Alertmanager's gossip merges state (the
// later update wins), and the rendezvous pick of the replica that sends
// when the database cannot be asked.
#include <map>
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "dispatch/acknowledgements.h"
#include "dispatch/alert_store.h"
#include "dispatch/heartbeats.h"
#include "dispatch/notification_log.h"
#include "dispatch/replicas.h"
#include "dispatch/silences.h"
#include "support/fake_clock.h"

namespace tocsin::dispatch {
namespace {

using namespace std::chrono_literals;
using test::at;

store::SilenceRow silence_row_at(std::string id, Timestamp updated, std::string comment) {
  return store::SilenceRow{.id = std::move(id),
                           .matchers = {{"=", "service", "a"}},
                           .starts_at = at("2024-05-01T12:00:00Z"),
                           .ends_at = at("2024-05-01T14:00:00Z"),
                           .updated_at = updated,
                           .created_by = "ops",
                           .comment = std::move(comment),
                           .expires_at = at("2024-05-06T14:00:00Z")};
}

TEST(PeerMerge, Silences_TheLaterUpdateWins) {
  Silences silences;
  ASSERT_TRUE(
      silences.merge_from_peers({silence_row_at("s1", at("2024-05-01T12:00:00Z"), "first")}));
  ASSERT_TRUE(
      silences.merge_from_peers({silence_row_at("s1", at("2024-05-01T11:00:00Z"), "older")}));
  auto held = silences.query({}, at("2024-05-01T12:30:00Z"));
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0].comment, "first");
  ASSERT_TRUE(
      silences.merge_from_peers({silence_row_at("s1", at("2024-05-01T12:10:00Z"), "newer")}));
  held = silences.query({}, at("2024-05-01T12:30:00Z"));
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0].comment, "newer");

  // A row that does not compile is named; the others are taken.
  store::SilenceRow bad = silence_row_at("bad", at("2024-05-01T12:00:00Z"), "");
  bad.matchers = {{"=~", "service", "("}};
  Status merged =
      silences.merge_from_peers({bad, silence_row_at("s2", at("2024-05-01T12:00:00Z"), "")});
  ASSERT_FALSE(merged);
  EXPECT_NE(merged.error().message().find("silence bad"), std::string::npos);
  EXPECT_EQ(silences.size(), 2u);
}

TEST(PeerMerge, Acknowledgements_AddedReplacedAndRemoved) {
  Acknowledgements acks(Acknowledgements::Options{});
  store::AcknowledgementRow row;
  row.id = "k1";
  row.fingerprint = 7;
  row.covered = {7};
  row.by = "alice";
  row.created_at = at("2024-05-01T12:00:00Z");
  acks.merge_from_peers({row}, {});
  auto held = acks.list(at("2024-05-01T12:01:00Z"));
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0].by, "alice");
  row.comment = "escalated to bob";
  acks.merge_from_peers({row}, {});
  held = acks.list(at("2024-05-01T12:01:00Z"));
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0].comment, "escalated to bob");
  acks.merge_from_peers({}, {"k1"});
  EXPECT_TRUE(acks.list(at("2024-05-01T12:01:00Z")).empty());
}

TEST(PeerMerge, Heartbeats_ARenewalElsewhereIsARenewalHere) {
  test::FakeClock clock(at("2024-05-01T12:00:00Z"));
  std::vector<notify::Alert> put;
  Heartbeats::Options options;
  options.alerts = [&](std::vector<notify::Alert> a) { put.insert(put.end(), a.begin(), a.end()); };
  options.clock = &clock;
  Heartbeats heartbeats(options);
  store::HeartbeatRow row;
  row.name = "cron";
  row.timeout = 5min;
  row.created_at = at("2024-05-01T12:00:00Z");
  row.renewed_at = at("2024-05-01T12:00:00Z");
  heartbeats.merge_from_peers({row}, {});
  row.renewed_at = at("2024-05-01T12:04:00Z");
  heartbeats.merge_from_peers({row}, {});
  // Not missing at 12:06: the renewal at 12:04 counts.
  heartbeats.check(at("2024-05-01T12:06:00Z"));
  EXPECT_TRUE(put.empty());
  auto held = heartbeats.get("cron");
  ASSERT_TRUE(held);
  EXPECT_EQ(held->due, at("2024-05-01T12:09:00Z"));
  // An older row changes nothing; a removal stops the watch.
  row.renewed_at = at("2024-05-01T12:01:00Z");
  heartbeats.merge_from_peers({row}, {});
  EXPECT_EQ(heartbeats.get("cron")->due, at("2024-05-01T12:09:00Z"));
  heartbeats.merge_from_peers({}, {"cron"});
  EXPECT_FALSE(heartbeats.get("cron"));
}

TEST(PeerMerge, NotificationLog_TheNewerEntryWins) {
  NotificationLog nflog;
  NotificationTarget target{"team", "webhook", 0};
  auto row = [&](Timestamp when, std::uint64_t firing) {
    return notification_row(
        nflog.entry(target, "{}:{a=\"1\"}", {firing}, {}, Duration::zero(), when));
  };
  nflog.merge({row(at("2024-05-01T12:00:00Z"), 1)});
  nflog.merge({row(at("2024-05-01T11:00:00Z"), 2)});
  auto held = nflog.query(target, "{}:{a=\"1\"}");
  ASSERT_TRUE(held);
  EXPECT_EQ(held->firing_alerts, std::vector<std::uint64_t>{1});
  nflog.merge({row(at("2024-05-01T12:05:00Z"), 3)});
  EXPECT_EQ(nflog.query(target, "{}:{a=\"1\"}")->firing_alerts, std::vector<std::uint64_t>{3});
}

TEST(PeerMerge, AlertStore_PeersAlertsReachTheListenerAsPostedOnes) {
  AlertStore alerts;
  std::vector<std::string> heard;
  alerts.set_listener(
      [&](const notify::Alert& a) { heard.emplace_back(a.labels.get("alertname").value_or("")); });
  store::AlertRow row{.fingerprint = 0,
                      .labels = Labels{{"alertname", "Down"}},
                      .annotations = {},
                      .starts_at = at("2024-05-01T12:00:00Z"),
                      .ends_at = at("2024-05-01T12:05:00Z"),
                      .updated_at = at("2024-05-01T12:01:00Z"),
                      .generator_url = "",
                      .timeout = false,
                      .source = "rule"};
  row.fingerprint = row.labels.fingerprint();
  alerts.merge_from_peers({row});
  EXPECT_EQ(heard, std::vector<std::string>{"Down"});
  ASSERT_TRUE(alerts.get(row.fingerprint));
  // A resolve from a peer, later, ends it (merged as a put merges).
  row.ends_at = at("2024-05-01T12:02:00Z");
  row.updated_at = at("2024-05-01T12:02:00Z");
  alerts.merge_from_peers({row});
  EXPECT_EQ(alerts.get(row.fingerprint)->ends_at, at("2024-05-01T12:02:00Z"));
}

// News of this replica's own rules (what it alone knows while the database
// is away) is an alert its rules sent last; not one posted to the API, nor
// one a peer's rules sent, merged from the database.
TEST(PeerMerge, AlertStore_TellsAlertsItsOwnRulesSentLastFromPeers) {
  AlertStore alerts;
  auto alert = [](std::string name) {
    notify::Alert a;
    a.labels = Labels{{"alertname", std::move(name)}};
    a.starts_at = at("2024-05-01T12:00:00Z");
    a.ends_at = at("2024-05-01T12:05:00Z");
    a.updated_at = at("2024-05-01T12:01:00Z");
    return a;
  };
  const notify::Alert own = alert("Own"), posted = alert("Posted"), peers = alert("Peers");
  alerts.put({own}, AlertOrigin::kRule);
  alerts.put({posted}, AlertOrigin::kApi);
  store::AlertRow row{.fingerprint = peers.fingerprint(),
                      .labels = peers.labels,
                      .annotations = {},
                      .starts_at = peers.starts_at,
                      .ends_at = peers.ends_at,
                      .updated_at = peers.updated_at,
                      .generator_url = "",
                      .timeout = false,
                      .source = "rule"};
  alerts.merge_from_peers({row});
  EXPECT_TRUE(alerts.any_from_own_rules(std::vector{posted, own}));
  EXPECT_FALSE(alerts.any_from_own_rules(std::vector{posted, peers}));
  // The group moved away: a peer's rules sent it last.
  row.fingerprint = own.fingerprint();
  row.labels = own.labels;
  alerts.merge_from_peers({row});
  EXPECT_FALSE(alerts.any_from_own_rules(std::vector{own}));
}

// A cluster that is never asked: Replicas only needs the id.
class IdOnly final : public store::Cluster {
 public:
  explicit IdOnly(std::string id) : id_(std::move(id)) {}
  const std::string& replica() const override { return id_; }
  Result<store::ReplicaView> announce(std::string_view, Duration) override { return fail("no"); }
  Status leave() override { return {}; }
  Result<std::int64_t> last_change() override { return 0; }
  Result<store::PeerChanges> changes_after(std::int64_t, std::size_t) override {
    return fail("no");
  }
  Result<store::PeerChanges> everything() override { return fail("no"); }
  Result<bool> wait_for_change(Duration) override { return false; }
  Result<store::Claim> claim(const store::ClaimKey&, Duration,
                             const std::function<bool(const store::NotificationRow*)>&) override {
    return fail("no");
  }
  Status settle(const store::ClaimKey&, std::int64_t, const store::NotificationRow*) override {
    return {};
  }
  Result<std::vector<store::GroupLease>> hold_leases(std::vector<std::string>, Duration) override {
    return fail("no");
  }
  Status release_leases(const std::vector<std::string>&) override { return {}; }
  Status release_all_leases() override { return {}; }
  Result<store::RuleGroupState> rule_group_state(const std::string&) override { return fail("no"); }

 private:
  std::string id_;
};

// Replicas that agree on who is alive pick exactly one of them for each
// group, and spread the groups over all of them; alone, a replica picks
// itself.
TEST(Replicas, RendezvousPicksExactlyOneReplicaPerGroup) {
  std::vector<store::ReplicaRow> live;
  for (const char* id : {"r0", "r1", "r2"}) live.push_back({id, "", {}, {}});
  std::vector<std::unique_ptr<Replicas>> replicas;
  for (const char* id : {"r0", "r1", "r2"}) {
    replicas.push_back(std::make_unique<Replicas>(std::make_shared<IdOnly>(id)));
    replicas.back()->update(live);
  }
  std::map<int, int> picked;
  for (int g = 0; g < 300; ++g) {
    std::string key = fmt::format("{{}}:{{service=\"{}\"}}", g);
    int count = 0;
    for (int r = 0; r < 3; ++r) {
      if (replicas[r]->preferred(key)) {
        ++count;
        ++picked[r];
      }
    }
    EXPECT_EQ(count, 1) << key;
  }
  for (int r = 0; r < 3; ++r) EXPECT_GT(picked[r], 60) << "replica " << r << " gets its share";

  Replicas alone(std::make_shared<IdOnly>("solo"));
  EXPECT_TRUE(alone.preferred("{}:{a=\"1\"}"));
}

}  // namespace
}  // namespace tocsin::dispatch
