#include "rules/recording_rule.h"

#include <algorithm>
#include <unordered_set>

#include <fmt/format.h>

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

Result<std::vector<SeriesSample>> RecordingRule::eval(Timestamp ts,
                                                      const EvalContext& context) const {
  const Timestamp at = ts - context.query_offset;
  auto result = context.query(expr(), at);
  if (!result) return fail(result.error().to_string());

  std::vector<SeriesSample> samples;
  samples.reserve(result->size());
  std::unordered_set<std::uint64_t> seen;
  seen.reserve(result->size());
  bool duplicate = false;
  for (query::Sample& sample : *result) {
    LabelsBuilder b(sample.metric);
    b.set(kMetricNameLabel, name());
    for (Label l : labels_) b.set(l.name, l.value);
    SeriesSample& out = samples.emplace_back();
    out.labels = b.labels();
    out.timestamp = at;
    out.value = sample.value;
    // Prometheus's Vector.ContainsSameLabelset, by its label hash; a hash
    // collision is told apart below.
    if (!seen.insert(out.labels.hash()).second) duplicate = true;
  }
  if (duplicate) {
    std::vector<const Labels*> sorted;
    sorted.reserve(samples.size());
    for (const SeriesSample& s : samples) sorted.push_back(&s.labels);
    std::ranges::sort(sorted, [](const Labels* a, const Labels* b) { return *a < *b; });
    for (std::size_t i = 1; i < sorted.size(); ++i) {
      if (*sorted[i] == *sorted[i - 1]) {
        return fail("vector contains metrics with the same labelset after applying rule labels");
      }
    }
  }
  if (context.limit > 0 && static_cast<std::int64_t>(samples.size()) > context.limit) {
    return fail(fmt::format("exceeded limit of {} with {} series", context.limit, samples.size()));
  }
  return samples;
}

}  // namespace tocsin::rules
