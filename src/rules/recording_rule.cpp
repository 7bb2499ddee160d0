#include "rules/recording_rule.h"

namespace tocsin::rules {
namespace {

Labels labels_of(const RuleSpec& spec) {
  LabelsBuilder b;
  for (const auto& e : spec.labels) b.set(e.key, e.value);
  return b.labels();
}

}  // namespace

RecordingRule::RecordingRule(const RuleSpec& spec)
    : Rule(spec.name, spec.expr), labels_(labels_of(spec)) {}

}  // namespace tocsin::rules
