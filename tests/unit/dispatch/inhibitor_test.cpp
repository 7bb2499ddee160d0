#include "dispatch/inhibitor.h"

#include <thread>

#include <gtest/gtest.h>

#include "config/alertmanager_config.h"
#include "notifiers/notifier_registry.h"
#include "support/alerts.h"
#include "support/fake_clock.h"

namespace tocsin::dispatch {
namespace {

using namespace std::chrono_literals;
using test::FakeClock;

config::InhibitRule rule(std::string_view source, std::string_view target,
                         std::vector<std::string> equal) {
  return config::InhibitRule{.source_matchers = parse_matchers(source).value(),
                             .target_matchers = parse_matchers(target).value(),
                             .equal = std::move(equal),
                             .position = {}};
}

notify::Alert hour_old_alert(Labels labels, Timestamp ends_at = Timestamp{}) {
  return test::AlertBuilder(std::move(labels)).starts(FakeClock().now() - 1h).ends(ends_at);
}

// The classic rule: a critical alert mutes the warnings of the same cluster.
const std::vector<config::InhibitRule> kCriticalMutesWarning = {
    rule(R"({severity="critical"})", R"({severity="warning"})", {"cluster"})};

class InhibitorTest : public ::testing::Test {
 protected:
  FakeClock clock_;
};

TEST_F(InhibitorTest, Inhibitor_FiringSourceMutesTargetWithEqualLabels) {
  Inhibitor inhibitor(kCriticalMutesWarning);
  notify::Alert down =
      hour_old_alert({{"alertname", "ClusterDown"}, {"severity", "critical"}, {"cluster", "eu"}});
  inhibitor.observe(down);

  Labels warning{{"alertname", "HighLatency"}, {"severity", "warning"}, {"cluster", "eu"}};
  EXPECT_EQ(inhibitor.inhibited_by(warning, clock_.now()), down.fingerprint());
  EXPECT_EQ(inhibitor.mutes(warning, clock_.now()), std::vector<std::uint64_t>{down.fingerprint()});
}

TEST_F(InhibitorTest, Inhibitor_DifferentEqualValuesDoNotInhibit) {
  Inhibitor inhibitor(kCriticalMutesWarning);
  inhibitor.observe(hour_old_alert({{"severity", "critical"}, {"cluster", "eu"}}));
  EXPECT_FALSE(inhibitor.inhibited_by({{"severity", "warning"}, {"cluster", "us"}}, clock_.now()));
  EXPECT_TRUE(inhibitor.mutes({{"severity", "warning"}, {"cluster", "us"}}, clock_.now()).empty());
}

TEST_F(InhibitorTest, Inhibitor_MissingEqualLabelCountsAsEmpty) {
  Inhibitor inhibitor(kCriticalMutesWarning);
  inhibitor.observe(hour_old_alert({{"severity", "critical"}}));
  EXPECT_TRUE(inhibitor.inhibited_by({{"severity", "warning"}}, clock_.now()));
  EXPECT_FALSE(inhibitor.inhibited_by({{"severity", "warning"}, {"cluster", "eu"}}, clock_.now()));
}

TEST_F(InhibitorTest, Inhibitor_TargetNotMatchingTheRuleIsNotInhibited) {
  Inhibitor inhibitor(kCriticalMutesWarning);
  inhibitor.observe(hour_old_alert({{"severity", "critical"}, {"cluster", "eu"}}));
  EXPECT_FALSE(inhibitor.inhibited_by({{"severity", "info"}, {"cluster", "eu"}}, clock_.now()));
}

TEST_F(InhibitorTest, Inhibitor_NoSourceNoInhibition) {
  Inhibitor inhibitor(kCriticalMutesWarning);
  inhibitor.observe(hour_old_alert({{"severity", "warning"}, {"cluster", "eu"}}));  // not a source
  EXPECT_FALSE(inhibitor.inhibited_by({{"severity", "warning"}, {"cluster", "eu"}}, clock_.now()));
  Inhibitor no_rules(std::span<const config::InhibitRule>{});
  no_rules.observe(hour_old_alert({{"severity", "critical"}}));
  EXPECT_FALSE(no_rules.inhibited_by({{"severity", "warning"}}, clock_.now()));
}

TEST_F(InhibitorTest, Inhibitor_ResolvedSourceNoLongerInhibits) {
  Inhibitor inhibitor(kCriticalMutesWarning);
  Labels warning{{"severity", "warning"}, {"cluster", "eu"}};
  // Resolved in ten minutes (resolve_timeout, or a sender's endsAt): still
  // firing until then, resolved from then on.
  inhibitor.observe(
      hour_old_alert({{"severity", "critical"}, {"cluster", "eu"}}, clock_.now() + 10min));
  EXPECT_TRUE(inhibitor.inhibited_by(warning, clock_.now()));
  EXPECT_TRUE(inhibitor.inhibited_by(warning, clock_.now() + 10min - 1ms));
  EXPECT_FALSE(inhibitor.inhibited_by(warning, clock_.now() + 10min));
}

TEST_F(InhibitorTest, Inhibitor_LatestStateOfASourceCounts) {
  Inhibitor inhibitor(kCriticalMutesWarning);
  Labels critical{{"severity", "critical"}, {"cluster", "eu"}};
  Labels warning{{"severity", "warning"}, {"cluster", "eu"}};
  inhibitor.observe(hour_old_alert(critical));
  EXPECT_TRUE(inhibitor.inhibited_by(warning, clock_.now()));
  inhibitor.observe(hour_old_alert(critical, clock_.now() - 1s));  // resolved
  EXPECT_FALSE(inhibitor.inhibited_by(warning, clock_.now()));
  inhibitor.observe(hour_old_alert(critical));  // fires again
  EXPECT_TRUE(inhibitor.inhibited_by(warning, clock_.now()));
}

TEST_F(InhibitorTest, Inhibitor_AlertDoesNotInhibitItself) {
  // A rule whose sides overlap: every `severity=critical` alert matches both.
  Inhibitor inhibitor(std::vector{
      rule(R"({severity="critical"})", R"({severity=~"critical|warning"})", {"cluster"})});
  notify::Alert critical =
      hour_old_alert({{"alertname", "A"}, {"severity", "critical"}, {"cluster", "eu"}});
  inhibitor.observe(critical);
  EXPECT_FALSE(inhibitor.inhibited_by(critical.labels, clock_.now()));
  // Nor does another alert matching both sides: Alertmanager leaves out
  // every source that also matches the target side when the target matches
  // the source side too.
  notify::Alert other =
      hour_old_alert({{"alertname", "B"}, {"severity", "critical"}, {"cluster", "eu"}});
  inhibitor.observe(other);
  EXPECT_FALSE(inhibitor.inhibited_by(critical.labels, clock_.now()));
  EXPECT_FALSE(inhibitor.inhibited_by(other.labels, clock_.now()));
  // A one-sided target is inhibited by them as usual.
  EXPECT_TRUE(inhibitor.inhibited_by({{"severity", "warning"}, {"cluster", "eu"}}, clock_.now()));
}

TEST_F(InhibitorTest, Inhibitor_TwoSidedTargetIsInhibitedByAOneSidedSource) {
  Inhibitor inhibitor(std::vector{rule(R"({team="db"})", R"({severity="warning"})", {"cluster"})});
  notify::Alert source =
      hour_old_alert({{"team", "db"}, {"severity", "critical"}, {"cluster", "eu"}});
  inhibitor.observe(source);
  Labels both{{"team", "db"}, {"severity", "warning"}, {"cluster", "eu"}};
  inhibitor.observe(hour_old_alert(both));
  EXPECT_EQ(inhibitor.inhibited_by(both, clock_.now()), source.fingerprint());
}

TEST_F(InhibitorTest, Inhibitor_FirstRuleThenLowestFingerprintAnswers) {
  std::vector rules{rule(R"({alertname="NodeDown"})", R"({severity="warning"})", {"node"}),
                    rule(R"({alertname="ClusterDown"})", R"({severity="warning"})", {})};
  Inhibitor inhibitor(rules);
  notify::Alert cluster = hour_old_alert({{"alertname", "ClusterDown"}});
  notify::Alert node_a = hour_old_alert({{"alertname", "NodeDown"}, {"node", "n1"}, {"x", "1"}});
  notify::Alert node_b = hour_old_alert({{"alertname", "NodeDown"}, {"node", "n1"}, {"x", "2"}});
  inhibitor.observe(std::vector{cluster, node_a, node_b});
  Labels warning{{"severity", "warning"}, {"node", "n1"}};
  EXPECT_EQ(inhibitor.inhibited_by(warning, clock_.now()),
            std::min(node_a.fingerprint(), node_b.fingerprint()));
  // Another node's warning: only the second rule (no equal labels) applies.
  EXPECT_EQ(inhibitor.inhibited_by({{"severity", "warning"}, {"node", "n2"}}, clock_.now()),
            cluster.fingerprint());
}

TEST_F(InhibitorTest, Inhibitor_RulesFromAlertmanagerYaml) {
  auto config = config::parse_alertmanager_config(R"(route: {receiver: default}
receivers: [{name: default}]
inhibit_rules:
  - source_match: {severity: critical}
    target_match_re: {severity: warning|info}
    equal: [cluster, service]
  - source_matchers: ['alertname = Maintenance']
    target_matchers: ['alertname != Maintenance']
)",
                                                  "alertmanager.yml", notifiers::receiver_kinds());
  ASSERT_TRUE(config.has_value());
  Inhibitor inhibitor(config->inhibit_rules);
  EXPECT_EQ(inhibitor.rule_count(), 2u);
  inhibitor.observe(
      hour_old_alert({{"severity", "critical"}, {"cluster", "eu"}, {"service", "api"}}));
  EXPECT_TRUE(inhibitor.inhibited_by({{"severity", "info"}, {"cluster", "eu"}, {"service", "api"}},
                                     clock_.now()));
  EXPECT_FALSE(inhibitor.inhibited_by({{"severity", "info"}, {"cluster", "eu"}, {"service", "web"}},
                                      clock_.now()));
  inhibitor.observe(hour_old_alert({{"alertname", "Maintenance"}}));
  EXPECT_TRUE(inhibitor.inhibited_by({{"alertname", "Anything"}}, clock_.now()));
  EXPECT_FALSE(inhibitor.inhibited_by({{"alertname", "Maintenance"}}, clock_.now()));
}

TEST_F(InhibitorTest, Inhibitor_GarbageCollectionForgetsResolvedSources) {
  Inhibitor inhibitor(kCriticalMutesWarning);
  inhibitor.observe(
      hour_old_alert({{"severity", "critical"}, {"cluster", "eu"}}, clock_.now() + 1min));
  inhibitor.observe(hour_old_alert({{"severity", "critical"}, {"cluster", "us"}}));
  EXPECT_EQ(inhibitor.collect_garbage(clock_.now()), 0u);
  EXPECT_EQ(inhibitor.collect_garbage(clock_.now() + 1min), 1u);
  EXPECT_FALSE(inhibitor.inhibited_by({{"severity", "warning"}, {"cluster", "eu"}}, clock_.now()));
  EXPECT_TRUE(inhibitor.inhibited_by({{"severity", "warning"}, {"cluster", "us"}}, clock_.now()));
}

TEST_F(InhibitorTest, Inhibitor_IsSafeToFeedAndAskFromManyThreads) {
  Inhibitor inhibitor(kCriticalMutesWarning);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 300; ++i) {
        std::string cluster = "c" + std::to_string(t * 1000 + i);
        inhibitor.observe(hour_old_alert({{"severity", "critical"}, {"cluster", cluster}}));
        EXPECT_TRUE(
            inhibitor.inhibited_by({{"severity", "warning"}, {"cluster", cluster}}, clock_.now()));
        if (i % 10 == 0) inhibitor.collect_garbage(clock_.now());
      }
    });
  }
  for (auto& th : threads) th.join();
}

}  // namespace
}  // namespace tocsin::dispatch
