// A recording rule: read and validated so that existing rule files load
// unchanged, but not evaluated — tocsin has no storage to write its series
// to. Keep recording rules in Prometheus; `tocsin check rules` says so.
#pragma once

#include "rules/rule.h"
#include "rules/rule_file.h"

namespace tocsin::rules {

class RecordingRule final : public Rule {
 public:
  explicit RecordingRule(const RuleSpec& spec);

  bool alerting() const override { return false; }
  std::string identity() const override { return name() + labels_.to_string(); }
  const Labels& labels() const { return labels_; }

 private:
  const Labels labels_;
};

}  // namespace tocsin::rules
