#include "rules/rule.h"

namespace tocsin::rules {

std::string_view to_string(RuleHealth health) {
  switch (health) {
    case RuleHealth::kGood:
      return "ok";
    case RuleHealth::kBad:
      return "err";
    case RuleHealth::kUnknown:
      break;
  }
  return "unknown";
}

RuleStatus Rule::status() const {
  std::lock_guard lock(mu_);
  return status_;
}

void Rule::record_evaluation(const Status& outcome, Timestamp started,
                             std::chrono::nanoseconds took) {
  std::lock_guard lock(mu_);
  status_.health = outcome ? RuleHealth::kGood : RuleHealth::kBad;
  status_.last_error = outcome ? std::string() : outcome.error().message();
  status_.last_evaluation = started;
  status_.evaluation_time = took;
}

}  // namespace tocsin::rules
