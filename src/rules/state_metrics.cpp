#include "rules/state_metrics.h"

#include <array>

#include <prometheus/metric_family.h>

namespace tocsin::rules {
namespace {

prometheus::ClientMetric gauge(std::vector<prometheus::ClientMetric::Label> labels, double value) {
  prometheus::ClientMetric m;
  m.label = std::move(labels);
  m.gauge.value = value;
  return m;
}

}  // namespace

std::vector<prometheus::MetricFamily> RuleStateMetrics::Collect() const {
  std::array<double, 3> rules_by_state{};   // indexed by AlertState
  std::array<double, 3> alerts_by_state{};  // pending and firing used
  double recording = 0;
  for (const auto& group : manager_.groups()) {
    for (const auto& rule : group->rules()) {
      auto* ar = dynamic_cast<const AlertingRule*>(rule.get());
      if (ar == nullptr) {
        ++recording;
        continue;
      }
      rules_by_state[static_cast<int>(ar->state())] += 1;
      auto counts = ar->alerts_by_state();
      for (std::size_t s = 0; s < counts.size(); ++s)
        alerts_by_state[s] += static_cast<double>(counts[s]);
    }
  }

  prometheus::MetricFamily rules{
      "tocsin_rules",
      "Alerting rules by state; recording rules are loaded but not evaluated.",
      prometheus::MetricType::Gauge,
      {}};
  for (AlertState s : {AlertState::kInactive, AlertState::kPending, AlertState::kFiring}) {
    rules.metric.push_back(gauge({{"state", std::string(to_string(s))}, {"type", "alerting"}},
                                 rules_by_state[static_cast<int>(s)]));
  }
  rules.metric.push_back(gauge({{"state", "unevaluated"}, {"type", "recording"}}, recording));

  prometheus::MetricFamily alerts{"tocsin_rule_alerts",
                                  "Alerts of alerting rules by state (pending, firing).",
                                  prometheus::MetricType::Gauge,
                                  {}};
  for (AlertState s : {AlertState::kPending, AlertState::kFiring}) {
    alerts.metric.push_back(
        gauge({{"state", std::string(to_string(s))}}, alerts_by_state[static_cast<int>(s)]));
  }
  return {std::move(rules), std::move(alerts)};
}

}  // namespace tocsin::rules
