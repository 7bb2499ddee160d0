// Gauges computed at scrape time from the running rules: how many rules are
// in each state, and how many alerts are pending or firing.
#pragma once

#include <prometheus/collectable.h>

#include "rules/manager.h"

namespace tocsin::rules {

class RuleStateMetrics final : public prometheus::Collectable {
 public:
  explicit RuleStateMetrics(const RuleManager& manager) : manager_(manager) {}
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  const RuleManager& manager_;
};

}  // namespace tocsin::rules
