// A recording rule, evaluated as Prometheus 2.42's rules/recording.go
// does: the query's result, each sample renamed to the rule's name
// (__name__ = record) with the rule's labels set over its own, becomes
// samples of the recorded series at the evaluation's time. Its group writes
// them (group.h) when the configuration has somewhere to write to
// (remote_write); without one, recording rules are read and checked but not
// evaluated, and their health stays "unknown".
//
// Threads: `eval` on the group's thread; the accessors from any thread.
#pragma once

#include <vector>

#include <tocsin/series.h>

#include "rules/rule.h"
#include "rules/rule_file.h"

namespace tocsin::rules {

class RecordingRule final : public Rule {
 public:
  explicit RecordingRule(const RuleSpec& spec);

  bool alerting() const override { return false; }
  std::string identity() const override { return name() + labels_.to_string(); }
  const Labels& labels() const { return labels_; }

  // Runs the query at `ts` minus the query offset; the samples are stamped
  // with that time. Fails as Prometheus does when two results end up with
  // the same labels, or when there are more than `context.limit` (if set).
  Result<std::vector<SeriesSample>> eval(Timestamp ts, const EvalContext& context) const;

 private:
  const Labels labels_;
};

}  // namespace tocsin::rules
