// The manager's part in durable rule state: the first update restores every
// group from what the store held before any runner starts, and every update
// rewrites the store's rows of the groups it rebuilt and drops those of
// groups that are gone, in one batch queued before the first evaluation.
#include "rules/manager.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/fake_clock.h"
#include "support/recording_store.h"
#include "support/wait.h"

namespace tocsin::rules {
namespace {

using namespace std::chrono_literals;
using test::FakeClock;

RuleSet rule_set(std::vector<std::string> groups) {
  RuleSet set;
  for (const std::string& name : groups) {
    RuleGroupSpec spec;
    spec.file = "rules.yml";
    spec.name = name;
    spec.interval = 1min;
    RuleSpec rule;
    rule.name = "Down";
    rule.expr = "up == 0";
    rule.for_duration = 30min;
    spec.rules.push_back(rule);
    set.groups.push_back(std::move(*RuleGroup::build(spec, 1min)));
  }
  return set;
}

store::RuleAlertRow stored(std::string group, AlertState state, Timestamp active_at) {
  Alert a;
  a.labels = Labels{{"alertname", "Down"}, {"job", std::string(group)}};
  a.state = state;
  a.active_at = active_at;
  return alert_row("rules.yml;" + group, "Down{}#0", "Down", a);
}

class RuleManagerTest : public ::testing::Test {
 protected:
  GroupEnvironment env() {
    GroupEnvironment env;
    env.clock = &clock_;
    env.journal = journal_;
    env.query = [](std::string_view, Timestamp) -> query::QueryResult { return query::Vector{}; };
    return env;
  }

  // The kinds of change written so far, in order, as "drop KEY",
  // "put KEY STATE" and "group KEY".
  std::vector<std::string> written() {
    EXPECT_TRUE(test::wait_until([&] { return journal_->pending_changes() == 0; }, 10s));
    std::vector<std::string> out;
    for (const store::Change& c : store_->take()) {
      if (const auto* drop = std::get_if<store::DeleteRuleGroup>(&c)) {
        out.push_back("drop " + drop->group_key);
      } else if (const auto* put = std::get_if<store::PutRuleAlert>(&c)) {
        out.push_back(fmt::format("put {} {}", put->row.group_key, to_string(put->row.state)));
      } else if (const auto* group = std::get_if<store::PutRuleGroup>(&c)) {
        out.push_back("group " + group->row.group_key);
      }
    }
    return out;
  }

  static const AlertingRule& rule(const RuleManager& manager, std::size_t group) {
    return dynamic_cast<const AlertingRule&>(*manager.groups().at(group)->rules().at(0));
  }

  FakeClock clock_;  // never advanced: no runner evaluates
  test::RecordingStore* store_ = nullptr;
  std::shared_ptr<store::Writer> journal_ = [this] {
    auto owned = std::make_unique<test::RecordingStore>();
    store_ = owned.get();
    return std::make_shared<store::Writer>(std::move(owned), store::Writer::Options{});
  }();
};

TEST_F(RuleManagerTest, RuleManager_RestoresBeforeTheFirstEvaluationAndRewritesTheStore) {
  const Timestamp now = clock_.now();
  RuleManager manager(nullptr);
  manager.restore_at_first_update({stored("api", AlertState::kFiring, now - 2h),
                                   stored("db", AlertState::kPending, now - 10min),
                                   stored("gone", AlertState::kFiring, now - 1h)},
                                  {{"rules.yml;db", now - 2min}, {"rules.yml;gone", now - 2min}},
                                  RestorePolicy{.outage_tolerance = 1h, .grace_period = 10min});
  manager.update(rule_set({"api", "db"}), env());

  ASSERT_EQ(rule(manager, 0).active_alerts().size(), 1u);
  EXPECT_EQ(rule(manager, 0).active_alerts()[0].state, AlertState::kFiring);
  EXPECT_EQ(rule(manager, 0).active_alerts()[0].active_at, now - 2h);
  // Pending 8 minutes at the last evaluation: it keeps them, from the
  // group's first slot on.
  ASSERT_EQ(rule(manager, 1).active_alerts().size(), 1u);
  Alert pending = rule(manager, 1).active_alerts()[0];
  EXPECT_EQ(pending.state, AlertState::kPending);
  EXPECT_EQ(pending.active_at, manager.groups()[1]->first_slot(now) - 8min);

  EXPECT_EQ(written(), (std::vector<std::string>{
                           "drop rules.yml;gone", "drop rules.yml;api", "put rules.yml;api firing",
                           "drop rules.yml;db", "put rules.yml;db pending", "group rules.yml;db"}));

  // A reload that drops a group and keeps the other unchanged writes only
  // the drop; the restore happened once.
  manager.update(rule_set({"api"}), env());
  EXPECT_EQ(written(), (std::vector<std::string>{"drop rules.yml;db"}));
  EXPECT_EQ(rule(manager, 0).active_alerts().size(), 1u);
  manager.stop();
}

}  // namespace
}  // namespace tocsin::rules
