#include "rules/group.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "rule_times.h"
#include "rules/manager.h"
#include "support/recording_store.h"
#include "support/wait.h"

namespace tocsin::rules {
namespace {

using namespace std::chrono_literals;
using store::Writer;

using test::kT0;

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

// The changes one evaluation wrote, once the writer has them.
std::vector<store::Change> written(store::Writer& writer, test::RecordingStore& store) {
  EXPECT_TRUE(test::wait_until([&] { return writer.pending_changes() == 0; }, 10s));
  return store.take();
}

std::string describe(const store::Change& change) {
  if (const auto* put = std::get_if<store::PutRuleAlert>(&change)) {
    return fmt::format("put {} {} {}", put->row.rule_key, to_string(put->row.state),
                       put->row.labels.to_string());
  }
  if (const auto* del = std::get_if<store::DeleteRuleAlert>(&change)) {
    return fmt::format("delete {} {:016x}", del->rule_key, del->fingerprint);
  }
  if (const auto* group = std::get_if<store::PutRuleGroup>(&change)) {
    return fmt::format("group {} {}", group->row.group_key,
                       (group->row.last_evaluation - kT0).count());
  }
  if (const auto* group = std::get_if<store::DeleteRuleGroup>(&change)) {
    return fmt::format("drop group {}", group->group_key);
  }
  if (const auto* event = std::get_if<store::AppendHistory>(&change)) {
    return fmt::format(
        "history {} {} {} at {}", event->row.kind, event->row.state, event->row.labels.to_string(),
        std::chrono::duration_cast<std::chrono::minutes>(event->row.at - kT0).count());
  }
  return "other";
}

std::vector<std::string> describe(const std::vector<store::Change>& changes) {
  std::vector<std::string> out;
  for (const store::Change& c : changes) out.push_back(describe(c));
  return out;
}

// for: 5m. Each evaluation writes what changed and nothing else: a new
// value every time is no change, a steady firing alert costs no write. Each
// new state is a history event, with the labels the alert is sent with
// (external labels added where the alert has none of that name).
TEST(RuleGroup, RuleGroup_WritesOnlyWhatChangedInItsAlerts) {
  auto g = build(group_spec("slo", {"Down"}));
  auto recording = std::make_unique<test::RecordingStore>();
  test::RecordingStore& store = *recording;
  auto journal = std::make_shared<store::Writer>(std::move(recording), store::Writer::Options{});
  bool present = true;
  double value = 1;
  GroupEnvironment env;
  env.journal = journal;
  env.external_labels = {{"cluster", "eu1"}, {"job", "not this one"}};
  env.query = [&](std::string_view, Timestamp at) -> query::QueryResult {
    if (!present) return query::Vector{};
    return query::Vector{query::Sample{Labels{{"job", "api"}}, value++, at}};
  };
  const std::string pending = R"(put Down{}#0 pending {alertname="Down", job="api"})";
  const std::string firing = R"(put Down{}#0 firing {alertname="Down", job="api"})";
  const std::string inactive = R"(put Down{}#0 inactive {alertname="Down", job="api"})";
  const std::string slo = "group rules.yml;slo ";
  auto history = [](std::string_view state, int minute) {
    return fmt::format(R"(history alert {} {{alertname="Down", cluster="eu1", job="api"}} at {})",
                       state, minute);
  };

  g->eval(kT0, env);
  EXPECT_EQ(describe(written(*journal, store)),
            (std::vector<std::string>{history("pending", 0), pending, slo + "0"}));
  // Still pending: only the evaluation time the countdown is measured to.
  g->eval(kT0 + 1min, env);
  EXPECT_EQ(describe(written(*journal, store)), (std::vector<std::string>{slo + "60000"}));
  g->eval(kT0 + 5min, env);
  EXPECT_EQ(describe(written(*journal, store)),
            (std::vector<std::string>{history("firing", 5), firing}));
  // Firing, a new value: nothing to write, no batch at all.
  Writer::Sequence before = journal->written();
  g->eval(kT0 + 6min, env);
  EXPECT_EQ(journal->written(), before);
  EXPECT_TRUE(written(*journal, store).empty());

  present = false;
  g->eval(kT0 + 7min, env);
  EXPECT_EQ(describe(written(*journal, store)),
            (std::vector<std::string>{history("resolved", 7), inactive}));
  g->eval(kT0 + 23min, env);  // resolved more than 15 minutes ago: gone, no event
  auto alert_fp = Labels{{"alertname", "Down"}, {"job", "api"}}.fingerprint();
  EXPECT_EQ(describe(written(*journal, store)),
            (std::vector<std::string>{fmt::format("delete Down{{}}#0 {:016x}", alert_fp)}));

  // Pending again, then gone before `for` passed: "inactive", when it went.
  present = true;
  g->eval(kT0 + 30min, env);
  EXPECT_EQ(describe(written(*journal, store)),
            (std::vector<std::string>{history("pending", 30), pending, slo + "1800000"}));
  present = false;
  g->eval(kT0 + 31min, env);
  EXPECT_EQ(describe(written(*journal, store)),
            (std::vector<std::string>{history("inactive", 31),
                                      fmt::format("delete Down{{}}#0 {:016x}", alert_fp)}));
}

// The state batch is queued before the alerts reach the notifier, so the
// store never holds a notification without the state that caused it.
TEST(RuleGroup, RuleGroup_QueuesTheStateBeforeTheNotifierHearsOfIt) {
  RuleGroupSpec spec = group_spec("slo", {"Down"});
  spec.rules[0].for_duration = Duration::zero();
  auto g = build(spec);
  auto journal = std::make_shared<store::Writer>(std::make_unique<test::RecordingStore>(),
                                                 store::Writer::Options{});
  GroupEnvironment env;
  env.journal = journal;
  env.query = [](std::string_view, Timestamp at) -> query::QueryResult {
    return query::Vector{query::Sample{Labels{{"job", "api"}}, 1, at}};
  };
  int notified = 0;
  env.notify = [&](const RuleGroup&, const AlertingRule&, std::vector<Alert> alerts) {
    ++notified;
    EXPECT_EQ(alerts.at(0).state, AlertState::kFiring);
    // Queued or already written, never still to come.
    EXPECT_TRUE(journal->pending_changes() > 0 || journal->transactions() > 0);
  };
  g->eval(kT0, env);
  EXPECT_EQ(notified, 1);
}

TEST(RuleGroup, RuleGroup_RestoresItsRulesAlertsByRuleKey) {
  RuleGroupSpec spec = group_spec("slo", {"Down", "Down", "Other"});
  spec.rules[0].for_duration = 1h;
  auto g = build(spec);
  EXPECT_EQ(g->rule_key(0), "Down{}#0");
  EXPECT_EQ(g->rule_key(1), "Down{}#1");
  EXPECT_EQ(g->rule_key(2), "Other{}#0");

  auto row = [&](std::string rule_key, AlertState state) {
    Alert a;
    a.labels = Labels{{"alertname", "Down"}, {"job", "api"}};
    a.state = state;
    a.active_at = kT0;
    return alert_row(g->key(), rule_key, "Down", a);
  };
  store::RuleAlertRow pending = row("Down{}#0", AlertState::kPending);
  store::RuleAlertRow firing = row("Down{}#1", AlertState::kFiring);
  store::RuleAlertRow gone = row("Removed{}#0", AlertState::kFiring);
  std::size_t restored = g->restore({&pending, &firing, &gone}, kT0 + 10min, kT0 + 12min,
                                    RestorePolicy{.outage_tolerance = 1h, .grace_period = 10min});
  EXPECT_EQ(restored, 2u);
  auto* first = dynamic_cast<AlertingRule*>(g->rules()[0].get());
  auto* second = dynamic_cast<AlertingRule*>(g->rules()[1].get());
  auto* other = dynamic_cast<AlertingRule*>(g->rules()[2].get());
  ASSERT_EQ(first->active_alerts().size(), 1u);
  EXPECT_EQ(first->active_alerts()[0].active_at, kT0 + 2min);  // the outage does not count
  ASSERT_EQ(second->active_alerts().size(), 1u);
  EXPECT_EQ(second->active_alerts()[0].state, AlertState::kFiring);
  EXPECT_TRUE(other->active_alerts().empty());

  store::Batch all;
  g->collect_all(all);
  EXPECT_EQ(
      describe(all),
      (std::vector<std::string>{
          "drop group rules.yml;slo", R"(put Down{}#0 pending {alertname="Down", job="api"})",
          R"(put Down{}#1 firing {alertname="Down", job="api"})", "group rules.yml;slo 720000"}));
}

}  // namespace
}  // namespace tocsin::rules
