#include "rules/alerting_rule.h"

#include <map>

#include <gtest/gtest.h>

#include "rule_times.h"

namespace tocsin::rules {
namespace {

using namespace std::chrono_literals;

using test::kT0;

// A datasource whose answer at each time the test sets: series -> value.
class FakeSeries {
 public:
  void set(Timestamp at, std::vector<std::pair<Labels, double>> series) {
    at_[at] = std::move(series);
  }
  void fail_at(Timestamp at) { failing_.push_back(at); }

  query::QueryFunc func() {
    return [this](std::string_view, Timestamp at) -> query::QueryResult {
      queried_.push_back(at);
      if (std::find(failing_.begin(), failing_.end(), at) != failing_.end()) {
        return std::unexpected(query::QueryError{"connection", "connection refused", 0});
      }
      query::Vector v;
      if (auto it = at_.find(at); it != at_.end()) {
        for (const auto& [labels, value] : it->second)
          v.push_back(query::Sample{labels, value, at});
      }
      return v;
    };
  }
  const std::vector<Timestamp>& queried() const { return queried_; }

 private:
  std::map<Timestamp, std::vector<std::pair<Labels, double>>> at_;
  std::vector<Timestamp> failing_;
  std::vector<Timestamp> queried_;
};

RuleSpec spec(std::string name, Duration for_duration = 0ms, Duration keep_firing_for = 0ms) {
  RuleSpec s;
  s.kind = RuleSpec::Kind::kAlerting;
  s.name = std::move(name);
  s.expr = "errors > 5";
  s.for_duration = for_duration;
  s.keep_firing_for = keep_firing_for;
  return s;
}

std::unique_ptr<AlertingRule> build(const RuleSpec& s) {
  auto rule = AlertingRule::build(s);
  EXPECT_TRUE(rule.has_value());
  return std::move(*rule);
}

class AlertingRuleTest : public ::testing::Test {
 protected:
  Status eval(AlertingRule& rule, Timestamp at, std::int64_t limit = 0) {
    query::QueryFunc q = series_.func();
    return rule.eval(at, EvalContext{q, external_labels_, external_url_, limit, 0ms});
  }
  std::vector<Alert> active(const AlertingRule& rule) { return rule.active_alerts(); }

  FakeSeries series_;
  std::map<std::string, std::string> external_labels_{{"cluster", "eu1"}};
  std::string external_url_ = "http://tocsin.example";
  const Labels api_ = Labels{{"__name__", "errors"}, {"job", "api"}};
  const Labels db_ = Labels{{"__name__", "errors"}, {"job", "db"}};
};

TEST_F(AlertingRuleTest, For_PendingUntilTheConditionHeldThatLong) {
  auto rule = build(spec("HighErrors", 2min));
  for (auto t : {kT0, kT0 + 1min, kT0 + 2min}) series_.set(t, {{api_, 7}});

  ASSERT_TRUE(eval(*rule, kT0));
  ASSERT_EQ(active(*rule).size(), 1u);
  EXPECT_EQ(active(*rule)[0].state, AlertState::kPending);
  EXPECT_EQ(active(*rule)[0].active_at, kT0);

  ASSERT_TRUE(eval(*rule, kT0 + 1min));
  EXPECT_EQ(active(*rule)[0].state, AlertState::kPending);

  ASSERT_TRUE(eval(*rule, kT0 + 2min));
  EXPECT_EQ(active(*rule)[0].state, AlertState::kFiring);
  EXPECT_EQ(active(*rule)[0].active_at, kT0);  // activeAt is kept while active
  EXPECT_EQ(active(*rule)[0].fired_at, kT0 + 2min);
  EXPECT_EQ(rule->state(), AlertState::kFiring);
}

TEST_F(AlertingRuleTest, ForZero_FiresOnTheFirstEvaluation) {
  auto rule = build(spec("KillSwitch"));
  series_.set(kT0, {{api_, 1}});
  ASSERT_TRUE(eval(*rule, kT0));
  EXPECT_EQ(active(*rule).at(0).state, AlertState::kFiring);
}

TEST_F(AlertingRuleTest, Labels_DropNameAddRuleLabelsAndAlertname) {
  RuleSpec s = spec("HighErrors");
  s.labels = {{"severity", "critical", {}, {}}, {"job", "overridden-{{ $labels.job }}", {}, {}}};
  s.annotations = {
      {"summary", "{{ $labels.job }} at {{ $value }} in {{ $externalLabels.cluster }}", {}, {}}};
  auto rule = build(s);
  series_.set(kT0, {{api_, 7.5}});
  ASSERT_TRUE(eval(*rule, kT0));
  Alert a = active(*rule).at(0);
  EXPECT_EQ(
      a.labels,
      (Labels{{"alertname", "HighErrors"}, {"job", "overridden-api"}, {"severity", "critical"}}));
  EXPECT_EQ(a.annotations, (Labels{{"summary", "api at 7.5 in eu1"}}));
  EXPECT_EQ(a.value, 7.5);
}

TEST_F(AlertingRuleTest, SeriesDisappears_FiringAlertResolvesAndIsKeptFifteenMinutes) {
  auto rule = build(spec("HighErrors"));
  series_.set(kT0, {{api_, 7}});
  ASSERT_TRUE(eval(*rule, kT0));
  ASSERT_TRUE(eval(*rule, kT0 + 1min));  // no series: resolved

  EXPECT_TRUE(active(*rule).empty());
  ASSERT_EQ(rule->all_alerts().size(), 1u);
  EXPECT_EQ(rule->all_alerts()[0].state, AlertState::kInactive);
  EXPECT_EQ(rule->all_alerts()[0].resolved_at, kT0 + 1min);
  EXPECT_EQ(rule->state(), AlertState::kInactive);

  ASSERT_TRUE(eval(*rule, kT0 + 16min));  // exactly 15m after resolving: still kept
  EXPECT_EQ(rule->alert_count(), 1u);
  ASSERT_TRUE(eval(*rule, kT0 + 16min + 1ms));
  EXPECT_EQ(rule->alert_count(), 0u);
}

TEST_F(AlertingRuleTest, SeriesDisappears_PendingAlertIsDroppedAtOnce) {
  auto rule = build(spec("HighErrors", 5min));
  series_.set(kT0, {{api_, 7}});
  ASSERT_TRUE(eval(*rule, kT0));
  ASSERT_TRUE(eval(*rule, kT0 + 1min));
  EXPECT_EQ(rule->alert_count(), 0u);
}

TEST_F(AlertingRuleTest, ResolvedAlertThatReturnsStartsOverAsPending) {
  auto rule = build(spec("HighErrors", 1min));
  for (auto t : {kT0, kT0 + 1min, kT0 + 3min}) series_.set(t, {{api_, 7}});
  ASSERT_TRUE(eval(*rule, kT0));
  ASSERT_TRUE(eval(*rule, kT0 + 1min));
  ASSERT_EQ(active(*rule)[0].state, AlertState::kFiring);
  ASSERT_TRUE(eval(*rule, kT0 + 2min));
  ASSERT_TRUE(eval(*rule, kT0 + 3min));
  ASSERT_EQ(active(*rule).size(), 1u);
  EXPECT_EQ(active(*rule)[0].state, AlertState::kPending);
  EXPECT_EQ(active(*rule)[0].active_at, kT0 + 3min);
}

TEST_F(AlertingRuleTest, KeepFiringFor_HoldsAFiringAlertAfterTheSeriesVanishes) {
  auto rule = build(spec("HighErrors", 0ms, 10min));
  series_.set(kT0, {{api_, 7}});
  ASSERT_TRUE(eval(*rule, kT0));
  ASSERT_TRUE(eval(*rule, kT0 + 1min));
  ASSERT_EQ(active(*rule).size(), 1u);
  EXPECT_EQ(active(*rule)[0].state, AlertState::kFiring);
  EXPECT_EQ(active(*rule)[0].keep_firing_since, kT0 + 1min);

  ASSERT_TRUE(eval(*rule, kT0 + 10min));  // 9m since it vanished
  EXPECT_EQ(active(*rule)[0].state, AlertState::kFiring);
  ASSERT_TRUE(eval(*rule, kT0 + 11min));  // 10m: keep_firing_for is over
  EXPECT_TRUE(active(*rule).empty());
  EXPECT_EQ(rule->all_alerts().at(0).resolved_at, kT0 + 11min);
}

TEST_F(AlertingRuleTest, KeepFiringFor_ResetsWhenTheSeriesReturns) {
  auto rule = build(spec("HighErrors", 0ms, 5min));
  for (auto t : {kT0, kT0 + 2min}) series_.set(t, {{api_, 7}});
  ASSERT_TRUE(eval(*rule, kT0));
  ASSERT_TRUE(eval(*rule, kT0 + 1min));
  EXPECT_EQ(active(*rule)[0].keep_firing_since, kT0 + 1min);
  ASSERT_TRUE(eval(*rule, kT0 + 2min));
  EXPECT_EQ(active(*rule)[0].keep_firing_since, Timestamp{});
  ASSERT_TRUE(eval(*rule, kT0 + 3min));
  ASSERT_TRUE(eval(*rule, kT0 + 7min));  // 4m since it vanished again
  EXPECT_EQ(active(*rule).at(0).state, AlertState::kFiring);
}

TEST_F(AlertingRuleTest, MultipleSeries_OneResolvesTheOtherKeepsFiring) {
  auto rule = build(spec("HighErrors"));
  series_.set(kT0, {{api_, 7}, {db_, 9}});
  series_.set(kT0 + 1min, {{db_, 9}});
  ASSERT_TRUE(eval(*rule, kT0));
  ASSERT_EQ(active(*rule).size(), 2u);
  ASSERT_TRUE(eval(*rule, kT0 + 1min));
  auto alerts = active(*rule);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].labels.value_of("job"), "db");
  EXPECT_EQ(alerts[0].state, AlertState::kFiring);
}

TEST_F(AlertingRuleTest, QueryError_LeavesEveryAlertAsItWas) {
  auto rule = build(spec("HighErrors"));
  series_.set(kT0, {{api_, 7}});
  series_.fail_at(kT0 + 1min);
  ASSERT_TRUE(eval(*rule, kT0));
  Status failed = eval(*rule, kT0 + 1min);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message(), "connection: connection refused");
  ASSERT_EQ(active(*rule).size(), 1u);
  EXPECT_EQ(active(*rule)[0].state, AlertState::kFiring);
  EXPECT_FALSE(active(*rule)[0].resolved());
}

TEST_F(AlertingRuleTest, ValueAndAnnotationsFollowTheLatestEvaluation) {
  RuleSpec s = spec("HighErrors", 5min);
  s.annotations = {{"summary", "value {{ $value }}", {}, {}}};
  auto rule = build(s);
  series_.set(kT0, {{api_, 7}});
  series_.set(kT0 + 1min, {{api_, 8}});
  ASSERT_TRUE(eval(*rule, kT0));
  ASSERT_TRUE(eval(*rule, kT0 + 1min));
  Alert a = active(*rule).at(0);
  EXPECT_EQ(a.value, 8);
  EXPECT_EQ(a.annotations.value_of("summary"), "value 8");
  EXPECT_EQ(a.active_at, kT0);
}

TEST_F(AlertingRuleTest, Limit_ExceededDropsAllAlertsAndFails) {
  auto rule = build(spec("HighErrors"));
  series_.set(kT0, {{api_, 7}, {db_, 9}});
  Status s = eval(*rule, kT0, 1);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message(), "exceeded limit of 1 with 2 alerts");
  EXPECT_EQ(rule->alert_count(), 0u);
  EXPECT_TRUE(eval(*rule, kT0, 2));
}

TEST_F(AlertingRuleTest, SameLabelsAfterRuleLabels_IsAnError) {
  RuleSpec s = spec("HighErrors");
  s.labels = {{"job", "all", {}, {}}};
  auto rule = build(s);
  series_.set(kT0, {{api_, 7}, {db_, 9}});
  Status st = eval(*rule, kT0);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().message(),
            "vector contains metrics with the same labelset after applying alert labels");
}

TEST_F(AlertingRuleTest, ScalarResult_IsOneAlertWithoutSeriesLabels) {
  auto rule = build(spec("Scalar"));
  series_.set(kT0, {{Labels(), 3}});
  ASSERT_TRUE(eval(*rule, kT0));
  EXPECT_EQ(active(*rule).at(0).labels, (Labels{{"alertname", "Scalar"}}));
}

TEST_F(AlertingRuleTest, QueryRunsAtTheEvaluationTimestampMinusTheOffset) {
  auto rule = build(spec("HighErrors"));
  query::QueryFunc q = series_.func();
  ASSERT_TRUE(rule->eval(kT0, EvalContext{q, external_labels_, external_url_, 0, 30s}));
  EXPECT_EQ(series_.queried(), std::vector<Timestamp>{kT0 - 30s});
}

TEST_F(AlertingRuleTest, AlertsToSend_FiringResentAfterDelayResolvedOnce) {
  auto rule = build(spec("HighErrors", 1min));
  for (auto t : {kT0, kT0 + 1min, kT0 + 2min}) series_.set(t, {{api_, 7}});
  ASSERT_TRUE(eval(*rule, kT0));
  EXPECT_TRUE(rule->take_alerts_to_send(kT0, 1min, 30s).empty());  // pending is not sent

  ASSERT_TRUE(eval(*rule, kT0 + 1min));
  auto sent = rule->take_alerts_to_send(kT0 + 1min, 1min, 30s);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].valid_until, kT0 + 1min + 4min);
  ASSERT_TRUE(eval(*rule, kT0 + 2min));
  EXPECT_TRUE(rule->take_alerts_to_send(kT0 + 2min, 1min, 30s).empty());  // within resend delay
  ASSERT_TRUE(eval(*rule, kT0 + 3min));                                   // resolved
  sent = rule->take_alerts_to_send(kT0 + 3min, 1min, 30s);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].state, AlertState::kInactive);
  EXPECT_TRUE(rule->take_alerts_to_send(kT0 + 3min + 10s, 1min, 30s).empty());
}

TEST_F(AlertingRuleTest, CopyState_AdoptsThePreviousAlerts) {
  auto old_rule = build(spec("HighErrors", 5min));
  series_.set(kT0, {{api_, 7}});
  ASSERT_TRUE(eval(*old_rule, kT0));
  auto new_rule = build(spec("HighErrors", 5min));
  new_rule->copy_state_from(*old_rule);
  ASSERT_EQ(active(*new_rule).size(), 1u);
  EXPECT_EQ(active(*new_rule)[0].active_at, kT0);
}

TEST(AlertingRuleBuild, ReportsTemplatesThatDoNotParse) {
  RuleSpec s = spec("Bad");
  s.annotations = {{"summary", "{{ .Labels.job", {}, SourcePosition{"rules.yml", 9, 20}}};
  auto built = AlertingRule::build(s);
  ASSERT_FALSE(built.has_value());
  ASSERT_EQ(built.error().size(), 1u);
  EXPECT_EQ(built.error()[0].position().line, 9);
  EXPECT_TRUE(
      built.error()[0].message().starts_with("annotation \"summary\": template: __alert_Bad:1:"))
      << built.error()[0].message();
}

}  // namespace
}  // namespace tocsin::rules
