#include "config/alertmanager_readers.h"
#include "config/field_readers.h"

namespace tocsin::config::am {

std::optional<InhibitRule> read_inhibit_rule(const YAML::Node& node, const ReadContext& ctx) {
  yaml::MapReader r(node, ctx.diag, "inhibit rule");
  if (!r.is_map()) return std::nullopt;
  InhibitRule rule;
  rule.position = ctx.diag.position(node);
  read_legacy_matchers(r, "source_match", MatchType::kEqual, rule.source_matchers);
  read_legacy_matchers(r, "source_match_re", MatchType::kRegexp, rule.source_matchers);
  read_matcher_lists(r, "source_matchers", rule.source_matchers);
  read_legacy_matchers(r, "target_match", MatchType::kEqual, rule.target_matchers);
  read_legacy_matchers(r, "target_match_re", MatchType::kRegexp, rule.target_matchers);
  read_matcher_lists(r, "target_matchers", rule.target_matchers);
  rule.equal = read_label_names(r, "equal");
  r.finish();
  return rule;
}

}  // namespace tocsin::config::am
