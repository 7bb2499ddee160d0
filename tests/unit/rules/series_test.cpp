// What a rule group writes when it has somewhere to write: recording rules'
// samples and ALERTS / ALERTS_FOR_STATE, in rule order, with stale markers
// as Prometheus 2.42's Group.Eval writes them. The differential test against
// a real Prometheus is tests/integration/remote/recording_rules_test.cpp.
#include <bit>
#include <map>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "rules/group.h"
#include "rules/manager.h"
#include "rules/recording_rule.h"
#include "support/fake_clock.h"

namespace tocsin::rules {
namespace {

using namespace std::chrono_literals;

const Timestamp kSeriesT0 = Timestamp(1'700'000'040'000ms);

std::unique_ptr<RuleGroup> group_from(const std::string& yaml) {
  RuleFileResult read = parse_rule_file(yaml, "rules.yml");
  EXPECT_TRUE(read.errors.empty()) << read.errors.front().to_string();
  auto built = RuleGroup::build(read.file.groups.at(0), 1min);
  EXPECT_TRUE(built.has_value());
  return std::move(*built);
}

// "name{labels} value @offset", stale markers as "stale"; offsets from kSeriesT0.
std::string describe(const SeriesSample& s) {
  std::string value = is_stale_nan(s.value) ? "stale" : fmt::format("{}", s.value);
  return fmt::format("{} {} @{}", s.labels.to_string(), value, (s.timestamp - kSeriesT0).count());
}

// An environment whose queries answer from `results` by expression, and
// whose appender records each call.
struct Harness {
  std::map<std::string, query::Vector> results;
  std::map<std::string, bool> failing;
  std::vector<std::vector<std::string>> appends;
  GroupEnvironment env;

  Harness() {
    env.query = [this](std::string_view expr, Timestamp at) -> query::QueryResult {
      if (failing[std::string(expr)]) {
        return std::unexpected(query::QueryError{"execution", "boom", 422});
      }
      query::Vector out = results[std::string(expr)];
      for (query::Sample& s : out) s.timestamp = at;
      return out;
    };
    env.append = [this](std::vector<SeriesSample> samples) {
      std::vector<std::string> call;
      for (const SeriesSample& s : samples) call.push_back(describe(s));
      appends.push_back(std::move(call));
    };
  }
  void set(const std::string& expr, std::vector<std::pair<Labels, double>> samples) {
    query::Vector v;
    for (auto& [labels, value] : samples) v.push_back(query::Sample{labels, value, {}});
    results[expr] = std::move(v);
  }
  // What the last evaluation appended; empty when it appended nothing.
  std::vector<std::string> last() {
    if (appends.empty()) return {};
    auto out = std::move(appends.back());
    appends.clear();
    return out;
  }
};

using Lines = std::vector<std::string>;

TEST(RecordingRule, RenamesItsResultAndSetsItsLabelsOverTheResults) {
  auto g = group_from(R"(groups:
  - name: g
    rules:
      - record: job:requests:rate5m
        expr: rate5m
        labels: {instance: overridden, team: sre}
)");
  Harness h;
  h.set("rate5m", {{Labels{{"__name__", "requests_total"}, {"job", "api"}, {"instance", "a"}}, 3},
                   {Labels{{"job", "db"}}, 4.5}});
  g->eval(kSeriesT0, h.env);
  EXPECT_EQ(
      h.last(),
      (Lines{
          R"({__name__="job:requests:rate5m", instance="overridden", job="api", team="sre"} 3 @0)",
          R"({__name__="job:requests:rate5m", instance="overridden", job="db", team="sre"} 4.5 @0)"}));
  EXPECT_EQ(g->rules()[0]->status().health, RuleHealth::kGood);
}

TEST(RecordingRule, FailsAsPrometheusDoes) {
  auto g = group_from(R"(groups:
  - name: g
    limit: 2
    rules:
      - record: same
        expr: two
        labels: {instance: x}
      - record: many
        expr: three
)");
  Harness h;
  h.set("two", {{Labels{{"instance", "a"}}, 1}, {Labels{{"instance", "b"}}, 2}});
  h.set("three", {{Labels{{"i", "1"}}, 1}, {Labels{{"i", "2"}}, 2}, {Labels{{"i", "3"}}, 3}});
  g->eval(kSeriesT0, h.env);
  EXPECT_EQ(g->rules()[0]->status().last_error,
            "vector contains metrics with the same labelset after applying rule labels");
  EXPECT_EQ(g->rules()[1]->status().last_error, "exceeded limit of 2 with 3 series");
  EXPECT_EQ(g->rules()[1]->status().health, RuleHealth::kBad);
  EXPECT_TRUE(h.last().empty());
}

TEST(RecordingRule, WithoutAnAppenderItIsNotEvaluated) {
  auto g = group_from(R"(groups:
  - name: g
    rules:
      - record: r
        expr: up
)");
  Harness h;
  h.env.append = nullptr;
  int queries = 0;
  h.env.query = [&](std::string_view, Timestamp) -> query::QueryResult {
    ++queries;
    return query::Vector{};
  };
  g->eval(kSeriesT0, h.env);
  EXPECT_EQ(queries, 0);
  EXPECT_EQ(g->rules()[0]->status().health, RuleHealth::kUnknown);
}

TEST(RuleGroupSeries, RuleOrderAndStaleMarkersWhenASeriesDisappears) {
  auto g = group_from(R"(groups:
  - name: g
    rules:
      - record: first
        expr: a
      - record: second
        expr: b
)");
  Harness h;
  h.set("a", {{Labels{{"x", "1"}}, 1}, {Labels{{"x", "2"}}, 2}});
  h.set("b", {{Labels{{"y", "1"}}, 10}});
  g->eval(kSeriesT0, h.env);
  EXPECT_EQ(h.last(),
            (Lines{R"({__name__="first", x="1"} 1 @0)", R"({__name__="first", x="2"} 2 @0)",
                   R"({__name__="second", y="1"} 10 @0)"}));
  // x="2" and the whole of "second" go: each rule's stale markers follow its
  // own samples, at the evaluation's time.
  h.set("a", {{Labels{{"x", "1"}}, 1.5}});
  h.set("b", {});
  g->eval(kSeriesT0 + 1min, h.env);
  EXPECT_EQ(h.last(), (Lines{R"({__name__="first", x="1"} 1.5 @60000)",
                             R"({__name__="first", x="2"} stale @60000)",
                             R"({__name__="second", y="1"} stale @60000)"}));
  // Once stale, a series is not marked again.
  g->eval(kSeriesT0 + 2min, h.env);
  EXPECT_EQ(h.last(), (Lines{R"({__name__="first", x="1"} 1.5 @120000)"}));
}

TEST(RuleGroupSeries, AFailedEvaluationWritesNothingAndMarksNothingStale) {
  auto g = group_from(R"(groups:
  - name: g
    rules:
      - record: r
        expr: a
)");
  Harness h;
  h.set("a", {{Labels{{"x", "1"}}, 1}});
  g->eval(kSeriesT0, h.env);
  h.last();
  h.failing["a"] = true;
  g->eval(kSeriesT0 + 1min, h.env);
  EXPECT_TRUE(h.last().empty());
  EXPECT_EQ(g->rules()[0]->status().last_error, "execution: boom");
  // The next success compares with the last success.
  h.failing["a"] = false;
  h.set("a", {});
  g->eval(kSeriesT0 + 2min, h.env);
  EXPECT_EQ(h.last(), (Lines{R"({__name__="r", x="1"} stale @120000)"}));
}

TEST(RuleGroupSeries, AlertsAndAlertsForStateAsPrometheusWritesThem) {
  auto g = group_from(R"(groups:
  - name: g
    rules:
      - alert: HighErrors
        expr: errors
        for: 2m
        labels: {severity: page, empty: "{{ if false }}x{{ end }}"}
        annotations: {summary: "{{ $value }}"}
)");
  Harness h;
  h.set("errors", {{Labels{{"__name__", "errors"}, {"job", "api"}}, 7}});
  // activeAt is kSeriesT0; ALERTS_FOR_STATE holds it in whole seconds.
  const std::string for_state_series =
      R"({__name__="ALERTS_FOR_STATE", alertname="HighErrors", empty="{{ if false }}x{{ end }}", job="api", severity="page"})";
  const std::string for_state = for_state_series + " 1700000040 @";
  const std::string pending =
      R"({__name__="ALERTS", alertname="HighErrors", alertstate="pending", empty="{{ if false }}x{{ end }}", job="api", severity="page"})";
  const std::string firing =
      R"({__name__="ALERTS", alertname="HighErrors", alertstate="firing", empty="{{ if false }}x{{ end }}", job="api", severity="page"})";
  g->eval(kSeriesT0, h.env);
  EXPECT_EQ(h.last(), (Lines{pending + " 1 @0", for_state + "0"}));
  g->eval(kSeriesT0 + 1min, h.env);
  EXPECT_EQ(h.last(), (Lines{pending + " 1 @60000", for_state + "60000"}));
  // Firing: the pending series is marked stale.
  g->eval(kSeriesT0 + 2min, h.env);
  EXPECT_EQ(h.last(),
            (Lines{firing + " 1 @120000", for_state + "120000", pending + " stale @120000"}));
  // Resolved: both go stale.
  h.set("errors", {});
  g->eval(kSeriesT0 + 3min, h.env);
  EXPECT_EQ(h.last(), (Lines{firing + " stale @180000", for_state_series + " stale @180000"}))
      << "stale markers go in label order";
}

TEST(RuleGroupSeries, KeepFiringForKeepsWritingTheFiringSeries) {
  auto g = group_from(R"(groups:
  - name: g
    rules:
      - alert: A
        expr: cond
        keep_firing_for: 5m
)");
  Harness h;
  h.set("cond", {{Labels{{"job", "api"}}, 1}});
  g->eval(kSeriesT0, h.env);
  h.last();
  h.set("cond", {});
  g->eval(kSeriesT0 + 1min, h.env);
  EXPECT_EQ(
      h.last(),
      (Lines{R"({__name__="ALERTS", alertname="A", alertstate="firing", job="api"} 1 @60000)",
             R"({__name__="ALERTS_FOR_STATE", alertname="A", job="api"} 1700000040 @60000)"}));
}

TEST(RuleGroupSeries, SamplesAreStampedWithTheTimeTheQueriesRanAt) {
  auto g = group_from(R"(groups:
  - name: g
    query_offset: 30s
    rules:
      - record: r
        expr: a
      - alert: A
        expr: a
)");
  Harness h;
  Timestamp queried{};
  h.env.query = [&](std::string_view, Timestamp at) -> query::QueryResult {
    queried = at;
    return query::Vector{query::Sample{Labels{{"x", "1"}}, 2, at}};
  };
  g->eval(kSeriesT0, h.env);
  EXPECT_EQ(queried, kSeriesT0 - 30s);
  EXPECT_EQ(h.last(),
            (Lines{R"({__name__="r", x="1"} 2 @-30000)",
                   R"({__name__="ALERTS", alertname="A", alertstate="firing", x="1"} 1 @-30000)",
                   R"({__name__="ALERTS_FOR_STATE", alertname="A", x="1"} 1700000040 @-30000)"}));
}

TEST(RuleGroupSeries, TheFirstSampleOfASeriesWinsAndADifferentLaterOneIsAnError) {
  auto g = group_from(R"(groups:
  - name: g
    rules:
      - record: r
        expr: a
      - record: r
        expr: same
      - record: r
        expr: other
)");
  Harness h;
  h.set("a", {{Labels{{"x", "1"}}, 1}});
  h.set("same", {{Labels{{"x", "1"}}, 1}});
  h.set("other", {{Labels{{"x", "1"}}, 2}});
  g->eval(kSeriesT0, h.env);
  EXPECT_EQ(h.last(), (Lines{R"({__name__="r", x="1"} 1 @0)"}));
  EXPECT_EQ(g->rules()[1]->status().health, RuleHealth::kGood);
  EXPECT_EQ(g->rules()[2]->status().last_error, "duplicate sample for timestamp");
}

TEST(RuleGroupSeries, AReloadMarksTheSeriesOfRulesThatAreGoneStaleAtTheFirstEvaluation) {
  const std::string both = R"(groups:
  - name: g
    rules:
      - record: kept
        expr: a
      - record: dropped
        expr: b
)";
  auto old_group = group_from(both);
  Harness h;
  h.set("a", {{Labels{{"x", "1"}}, 1}, {Labels{{"x", "2"}}, 2}});
  h.set("b", {{Labels{{"y", "1"}}, 3}});
  old_group->eval(kSeriesT0, h.env);
  h.last();

  auto new_group = group_from(R"(groups:
  - name: g
    rules:
      - record: kept
        expr: a
)");
  new_group->copy_state_from(*old_group);
  EXPECT_EQ(new_group->written_series().size(), 3u);
  h.set("a", {{Labels{{"x", "1"}}, 1}});
  new_group->eval(kSeriesT0 + 1min, h.env);
  EXPECT_EQ(h.last(), (Lines{R"({__name__="kept", x="1"} 1 @60000)",
                             R"({__name__="kept", x="2"} stale @60000)",
                             R"({__name__="dropped", y="1"} stale @60000)"}));
}

TEST(RuleGroupSeries, AGroupAReloadRemovesHasItsSeriesMarkedStaleAtOnce) {
  test::FakeClock clock(kSeriesT0 + 90s);
  std::vector<std::string> appended;
  auto env = [&] {
    GroupEnvironment e;
    e.clock = &clock;
    e.query = [](std::string_view, Timestamp at) -> query::QueryResult {
      return query::Vector{query::Sample{Labels{{"x", "1"}}, 1, at}};
    };
    e.append = [&](std::vector<SeriesSample> samples) {
      for (const SeriesSample& s : samples) appended.push_back(describe(s));
    };
    return e;
  };
  RuleSet first;
  first.groups.push_back(
      group_from("groups:\n  - name: gone\n    rules:\n      - record: r\n        expr: a\n"));
  RuleGroup* gone = first.groups.back().get();
  gone->eval(kSeriesT0 + 60s, env());  // as its runner would have
  appended.clear();

  RuleManager manager(nullptr);
  manager.update(std::move(first), env());
  manager.update(RuleSet{}, env());
  EXPECT_EQ(appended, (std::vector<std::string>{R"({__name__="r", x="1"} stale @90000)"}));
  manager.stop();
}

}  // namespace
}  // namespace tocsin::rules
