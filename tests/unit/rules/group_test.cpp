#include "rules/group.h"

#include <gtest/gtest.h>

#include "rules/manager.h"

namespace tocsin::rules {
namespace {

using namespace std::chrono_literals;

const Timestamp kT0 = Timestamp(1'700'000'000'000ms);

RuleGroupSpec group_spec(std::string name, std::vector<std::string> alerts,
                         Duration interval = 1min) {
  RuleGroupSpec g;
  g.file = "rules.yml";
  g.name = std::move(name);
  g.interval = interval;
  for (auto& a : alerts) {
    RuleSpec r;
    r.name = a;
    r.expr = "up == 0";
    r.for_duration = 5min;
    g.rules.push_back(r);
  }
  return g;
}

std::unique_ptr<RuleGroup> build(const RuleGroupSpec& spec) {
  auto g = RuleGroup::build(spec, 1min);
  EXPECT_TRUE(g.has_value());
  return std::move(*g);
}

TEST(RuleGroup, SlotsAreIntervalApartAndShiftedByAStableOffset) {
  auto g = build(group_spec("slo", {"A"}, 30s));
  Timestamp s1 = g->slot_at_or_before(kT0);
  EXPECT_LE(s1, kT0);
  EXPECT_GT(s1 + 30s, kT0);
  EXPECT_EQ(g->slot_at_or_before(kT0 + 30s), s1 + 30s);
  EXPECT_EQ(g->slot_at_or_before(s1), s1);
  EXPECT_EQ(g->slot_at_or_before(s1 - 1ms), s1 - 30s);
  // The offset depends on the group only: a rebuilt group has the same slots.
  EXPECT_EQ(build(group_spec("slo", {"B"}, 30s))->slot_at_or_before(kT0), s1);
}

TEST(RuleGroup, DifferentGroupsGetDifferentOffsets) {
  std::set<std::int64_t> offsets;
  for (int i = 0; i < 20; ++i) {
    auto g = build(group_spec("group" + std::to_string(i), {"A"}, 1min));
    offsets.insert((g->slot_at_or_before(kT0).time_since_epoch() % 60s).count());
  }
  EXPECT_GT(offsets.size(), 15u);
}

TEST(RuleGroup, EvaluatesRulesInOrderAtTheSlotTimestampAndRecordsHealth) {
  auto g = build(group_spec("slo", {"First", "Second"}));
  std::vector<std::pair<std::string, Timestamp>> calls;
  GroupEnvironment env;
  env.query = [&](std::string_view expr, Timestamp at) -> query::QueryResult {
    calls.emplace_back(std::string(expr), at);
    if (calls.size() == 2)
      return std::unexpected(query::QueryError{"bad_data", "parse error", 400});
    return query::Vector{};
  };
  g->eval(kT0, env);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].second, kT0);
  EXPECT_EQ(calls[1].second, kT0);
  EXPECT_EQ(g->rules()[0]->status().health, RuleHealth::kGood);
  EXPECT_EQ(g->rules()[1]->status().health, RuleHealth::kBad);
  EXPECT_EQ(g->rules()[1]->status().last_error, "bad_data: parse error");
  EXPECT_EQ(g->status().last_slot, kT0);
}

TEST(RuleGroup, CopyState_MatchesRulesByNameAndLabels) {
  auto old_group = build(group_spec("slo", {"Kept", "Dropped"}));
  GroupEnvironment env;
  env.query = [](std::string_view, Timestamp at) -> query::QueryResult {
    return query::Vector{query::Sample{Labels{{"job", "api"}}, 1, at}};
  };
  old_group->eval(kT0, env);

  auto new_group = build(group_spec("slo", {"New", "Kept"}));
  new_group->copy_state_from(*old_group);
  auto* kept = dynamic_cast<AlertingRule*>(new_group->rules()[1].get());
  auto* fresh = dynamic_cast<AlertingRule*>(new_group->rules()[0].get());
  ASSERT_EQ(kept->active_alerts().size(), 1u);
  EXPECT_EQ(kept->active_alerts()[0].active_at, kT0);
  EXPECT_TRUE(fresh->active_alerts().empty());
}

TEST(RuleGroup, SameDefinitionIgnoresPositionsButNotContent) {
  RuleGroupSpec a = group_spec("slo", {"A"});
  RuleGroupSpec b = a;
  b.rules[0].position = SourcePosition{"rules.yml", 40, 3};
  EXPECT_TRUE(build(a)->same_definition(*build(b)));
  b.rules[0].expr = "up == 1";
  EXPECT_FALSE(build(a)->same_definition(*build(b)));
}

TEST(RuleGroup, RecordingRulesAreHeldButNotEvaluated) {
  RuleGroupSpec g = group_spec("slo", {"A"});
  RuleSpec rec;
  rec.kind = RuleSpec::Kind::kRecording;
  rec.name = "job:up:sum";
  rec.expr = "sum(up)";
  g.rules.push_back(rec);
  auto group = build(g);
  int queries = 0;
  GroupEnvironment env;
  env.query = [&](std::string_view, Timestamp) -> query::QueryResult {
    ++queries;
    return query::Vector{};
  };
  group->eval(kT0, env);
  EXPECT_EQ(queries, 1);
  EXPECT_EQ(group->rules()[1]->status().health, RuleHealth::kUnknown);
}

}  // namespace
}  // namespace tocsin::rules
