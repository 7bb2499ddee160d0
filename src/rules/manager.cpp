#include "rules/manager.h"

#include <set>

#include "core/log.h"
#include "rules/rule_file.h"

namespace tocsin::rules {

std::expected<RuleSet, std::vector<Error>> load_rule_files(const std::vector<std::string>& files,
                                                           Duration default_interval) {
  RuleSet set;
  std::vector<Error> errors;
  for (const std::string& path : files) {
    RuleFileResult read = read_rule_file(path);
    errors.insert(errors.end(), read.errors.begin(), read.errors.end());
    if (!read.errors.empty()) continue;
    for (const RuleGroupSpec& spec : read.file.groups) {
      auto group = RuleGroup::build(spec, default_interval);
      if (!group) {
        errors.insert(errors.end(), group.error().begin(), group.error().end());
        continue;
      }
      for (const auto& rule : (*group)->rules()) {
        ++set.rule_count;
        if (!rule->alerting()) ++set.recording_rule_count;
      }
      set.groups.push_back(std::move(*group));
    }
  }
  if (!errors.empty()) return std::unexpected(std::move(errors));
  return set;
}

namespace {

bool same_environment(const GroupEnvironment& a, const GroupEnvironment& b) {
  return a.external_labels == b.external_labels && a.external_url == b.external_url &&
         a.resend_delay == b.resend_delay;
}

}  // namespace

void RuleManager::restore_at_first_update(std::vector<store::RuleAlertRow> alerts,
                                          std::vector<store::RuleGroupRow> groups,
                                          RestorePolicy policy) {
  restore_ = Restore{std::move(alerts), std::move(groups), policy};
}

void RuleManager::restore_groups(const std::vector<std::shared_ptr<RuleGroup>>& groups,
                                 Timestamp now, store::Batch* batch) {
  Restore restore = std::move(*restore_);
  restore_.reset();
  std::map<std::string, std::vector<const store::RuleAlertRow*>> rows;
  for (const store::RuleAlertRow& row : restore.alerts) rows[row.group_key].push_back(&row);
  std::map<std::string, Timestamp> last_evaluation;
  for (const store::RuleGroupRow& row : restore.groups) {
    last_evaluation.emplace(row.group_key, row.last_evaluation);
  }

  std::size_t restored = 0;
  std::set<std::string> loaded;
  for (const auto& group : groups) {
    std::string key = group->key();
    loaded.insert(key);
    auto it = rows.find(key);
    if (it == rows.end()) continue;
    auto last = last_evaluation.find(key);
    restored += group->restore(
        it->second,
        last == last_evaluation.end() ? std::nullopt : std::optional<Timestamp>(last->second),
        group->first_slot(now), restore.policy);
  }
  std::set<std::string> stored;
  for (const auto& [key, group_rows] : rows) stored.insert(key);
  for (const auto& [key, at] : last_evaluation) stored.insert(key);
  std::size_t dropped = 0;
  for (const std::string& key : stored) {
    if (loaded.contains(key) || batch == nullptr) continue;
    batch->push_back(store::DeleteRuleGroup{key});
    ++dropped;
  }
  log::info("Restored the state of alerting rules", {{"stored_alerts", restore.alerts.size()},
                                                     {"restored_alerts", restored},
                                                     {"groups_no_longer_loaded", dropped}});
}

void RuleManager::update(RuleSet rules, GroupEnvironment env) {
  // The query and notify functions may capture new clients on every reload,
  // so runners always move to the new environment; unchanged groups keep
  // their objects (and so their state and status) across the restart.
  bool environment_changed = !env_ || !same_environment(*env_, env);
  auto next_env = std::make_unique<GroupEnvironment>(std::move(env));

  // Old runners stop (finishing any evaluation under way) but stay listed,
  // so readers see the old groups until the new ones replace them.
  std::map<std::string, std::shared_ptr<RuleGroup>> previous;
  {
    std::lock_guard lock(mu_);
    for (auto& runner : runners_) previous.emplace(runner->group()->key(), runner->group());
  }
  for (auto& runner : runners_) runner->stop();

  std::vector<std::shared_ptr<RuleGroup>> groups;
  std::vector<bool> rebuilt;
  std::set<std::string> keys;
  for (auto& built : rules.groups) {
    std::shared_ptr<RuleGroup> group = std::move(built);
    bool fresh = true;
    auto it = previous.find(group->key());
    if (it != previous.end()) {
      if (!environment_changed && group->same_definition(*it->second)) {
        group = it->second;  // nothing changed: keep the very same group
        fresh = false;
      } else {
        group->copy_state_from(*it->second);
      }
    }
    keys.insert(group->key());
    groups.push_back(std::move(group));
    rebuilt.push_back(fresh);
  }

  // The series of groups that are gone are marked stale now, at once
  // (Prometheus waits two intervals, so that a rule moved to another group
  // takes its series over without a gap; through remote write a late stale
  // marker would be out of order, and its request refused).
  if (env_ && env_->append) {
    Timestamp now = env_->clock->now();
    std::vector<SeriesSample> stale;
    for (const auto& [key, group] : previous) {
      if (keys.contains(key)) continue;
      for (Labels& series : group->written_series()) {
        stale.push_back(SeriesSample{std::move(series), now - group->query_offset(), stale_nan()});
      }
    }
    if (!stale.empty()) env_->append(std::move(stale));
  }

  // No runner runs: the groups' state and the store's rows can be set
  // side by side, in one batch queued before the first evaluation's. A
  // crash before it is committed leaves the rows the last run wrote, and
  // the next start restores from them as this one did: a pending alert's
  // outage is measured from the same stored evaluation, so nothing counts
  // twice. Once committed, the rows hold the restored alerts, measured up to
  // this start's first evaluation, which comes to the same.
  store::Batch batch;
  //
  // With leases (several replicas share the store), a replica writes only
  // the rows of the groups it holds, and deletes none of groups it does not
  // load: another replica may still load them.
  const GroupLeases* leases = next_env->leases;
  if (restore_)
    restore_groups(groups, next_env->clock->now(), leases == nullptr ? &batch : nullptr);
  if (next_env->journal) {
    for (std::size_t i = 0; i < groups.size(); ++i) {
      if (rebuilt[i] && (leases == nullptr || leases->held(groups[i]->key()))) {
        groups[i]->collect_all(batch);
      }
    }
    for (const auto& [key, group] : previous) {
      if (!keys.contains(key) && leases == nullptr) batch.push_back(store::DeleteRuleGroup{key});
    }
    next_env->journal->submit(std::move(batch));
  }

  std::vector<std::unique_ptr<GroupRunner>> next_runners;
  for (const auto& group : groups) {
    std::optional<GroupMetrics> metrics;
    if (metrics_) metrics.emplace(metrics_->group(group->key()));
    next_runners.push_back(std::make_unique<GroupRunner>(group, *next_env, metrics));
  }
  if (metrics_) {
    for (const auto& [key, group] : previous) {
      if (!keys.contains(key)) metrics_->remove_group(key);
    }
  }

  {
    std::lock_guard lock(mu_);
    runners_.swap(next_runners);
  }
  next_runners.clear();  // the old, stopped runners
  env_ = std::move(next_env);
}

std::vector<std::shared_ptr<const RuleGroup>> RuleManager::groups() const {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<const RuleGroup>> out;
  out.reserve(runners_.size());
  for (const auto& runner : runners_) out.push_back(runner->group());
  return out;
}

void RuleManager::stop() {
  std::vector<std::unique_ptr<GroupRunner>> runners;
  {
    std::lock_guard lock(mu_);
    runners.swap(runners_);
  }
  runners.clear();  // each runner stops and joins
}

}  // namespace tocsin::rules
