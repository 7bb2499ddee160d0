// The routing tree: which receivers, with which grouping and timers, an
// alert goes to (Alertmanager's dispatch/route.go).
//
// Built once per configuration from the loaded config::Route (whose options
// the loader has already inherited down the tree); immutable afterwards.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <tocsin/labels.h>
#include <tocsin/matcher.h>

#include "config/alertmanager_config.h"

namespace tocsin::dispatch {

class Route {
 public:
  // The tree rooted at `config`.
  static std::unique_ptr<Route> build(const config::Route& config);

  const config::RouteOptions& options() const { return config_.options; }
  const Matchers& matchers() const { return config_.matchers; }
  bool continue_matching() const { return config_.continue_matching; }
  const std::vector<std::string>& mute_time_intervals() const {
    return config_.mute_time_intervals;
  }
  const std::vector<std::string>& active_time_intervals() const {
    return config_.active_time_intervals;
  }
  const std::vector<config::EscalationStep>& escalation() const { return config_.escalation; }
  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }
  const Route* parent() const { return parent_; }

  // The routes `labels` end at: depth first, left to right; a matching child
  // stops the search among its siblings unless it has `continue`; a route
  // whose matching children all fail to match is itself the match.
  std::vector<const Route*> match(const Labels& labels) const;
  // The same, appended to `out` (so a caller can reuse one vector).
  void match_into(const Labels& labels, std::vector<const Route*>& out) const;

  // Alertmanager's Route.Key(): the parent's key, "/", and this route's
  // matchers ("{}" at the root). Part of every group key.
  const std::string& key() const { return key_; }

  // Visits this route and then its children, depth first.
  void walk(const std::function<void(const Route&)>& visit) const;

 private:
  Route(const config::Route& config, const Route* parent);

  const config::Route& config_;  // owned by the configuration the tree was built from
  const Route* parent_;
  std::string key_;
  std::vector<std::unique_ptr<Route>> routes_;
};

// The aggregation group key Alertmanager derives: "{route key}:{labels}",
// the labels printed as Go's model.LabelSet.String() does.
std::string group_key(const Route& route, const Labels& group_labels);

// model.LabelSet.String(): `{a="x", b="y"}`, pairs sorted as strings.
std::string label_set_string(const Labels& labels);

}  // namespace tocsin::dispatch
