#include "rules/rule_file.h"

#include <set>

#include <fmt/format.h>

#include <tocsin/labels.h>

#include "core/files.h"

namespace tocsin::rules {
namespace {

void check_label_entries(const std::vector<yaml::StringEntry>& entries, bool annotations,
                         const std::string& context, yaml::Diagnostics& diag) {
  for (const auto& e : entries) {
    if (annotations) {
      if (!is_valid_label_name(e.key)) {
        diag.error(e.key_position, fmt::format("{}: invalid annotation name: {}", context, e.key));
      }
      continue;
    }
    if (!is_valid_label_name(e.key) || e.key == kMetricNameLabel) {
      diag.error(e.key_position, fmt::format("{}: invalid label name: {}", context, e.key));
    }
    if (!is_valid_utf8(e.value)) {
      diag.error(e.value_position, fmt::format("{}: invalid label value: {}", context, e.value));
    }
  }
}

std::optional<RuleSpec> read_rule(const YAML::Node& node, const RuleGroupSpec& group,
                                  std::size_t index, yaml::Diagnostics& diag) {
  yaml::MapReader r(node, diag, "rule");
  if (!r.is_map()) return std::nullopt;

  YAML::Node alert_node = r.take("alert");
  YAML::Node record_node = r.take("record");
  YAML::Node expr_node = r.take("expr");
  auto alert = alert_node.IsDefined() ? yaml::as_string(alert_node, diag, "alert") : std::nullopt;
  auto record =
      record_node.IsDefined() ? yaml::as_string(record_node, diag, "record") : std::nullopt;
  auto expr = expr_node.IsDefined() ? yaml::as_string(expr_node, diag, "expr") : std::nullopt;

  RuleSpec rule;
  bool has_alert = alert && !alert->empty();
  bool has_record = record && !record->empty();
  rule.kind = has_record && !has_alert ? RuleSpec::Kind::kRecording : RuleSpec::Kind::kAlerting;
  rule.name = has_alert ? *alert : record.value_or("");
  rule.position = diag.position(has_alert ? alert_node : has_record ? record_node : node);
  rule.expr = expr.value_or("");
  rule.expr_position = expr_node.IsDefined() ? diag.position(expr_node) : rule.position;
  std::string context = describe_rule(group.name, index, rule.name);

  if (has_alert && has_record) {
    diag.error(diag.position(record_node),
               fmt::format("{}: only one of 'record' and 'alert' must be set", context));
  }
  if (!has_alert && !has_record) {
    diag.error(rule.position, fmt::format("{}: one of 'record' or 'alert' must be set", context));
  }
  if (rule.expr.empty()) {
    diag.error(rule.expr_position, fmt::format("{}: field 'expr' must be set in rule", context));
  }

  YAML::Node for_node = r.take("for");
  YAML::Node keep_node = r.take("keep_firing_for");
  if (for_node.IsDefined()) {
    rule.for_duration = yaml::as_duration(for_node, diag, "for").value_or(Duration(0));
  }
  if (keep_node.IsDefined()) {
    rule.keep_firing_for =
        yaml::as_duration(keep_node, diag, "keep_firing_for").value_or(Duration(0));
  }
  rule.labels = r.string_entries("labels").value_or(std::vector<yaml::StringEntry>{});
  rule.annotations = r.string_entries("annotations").value_or(std::vector<yaml::StringEntry>{});
  r.finish();

  if (has_record && !has_alert) {
    if (!rule.annotations.empty()) {
      diag.error(rule.position,
                 fmt::format("{}: invalid field 'annotations' in recording rule", context));
    }
    if (rule.for_duration != Duration(0)) {
      diag.error(rule.position, fmt::format("{}: invalid field 'for' in recording rule", context));
    }
    if (rule.keep_firing_for != Duration(0)) {
      diag.error(rule.position,
                 fmt::format("{}: invalid field 'keep_firing_for' in recording rule", context));
    }
    if (!is_valid_metric_name(rule.name)) {
      diag.error(rule.position,
                 fmt::format("{}: invalid recording rule name: {}", context, rule.name));
    }
  }
  check_label_entries(rule.labels, false, context, diag);
  check_label_entries(rule.annotations, true, context, diag);
  return rule;
}

std::optional<RuleGroupSpec> read_group(const YAML::Node& node, const std::string& path,
                                        yaml::Diagnostics& diag) {
  yaml::MapReader r(node, diag, "rule group");
  if (!r.is_map()) return std::nullopt;
  RuleGroupSpec group;
  group.file = path;
  group.position = diag.position(node);
  group.name = r.string("name").value_or("");
  group.interval = r.duration("interval");
  if (group.interval && *group.interval <= Duration(0)) group.interval.reset();
  group.limit = r.integer("limit").value_or(0);
  group.query_offset = r.duration("query_offset").value_or(Duration(0));
  YAML::Node rules = r.take("rules");
  r.finish();

  if (rules.IsDefined() && !rules.IsSequence()) {
    diag.error(rules, fmt::format("rules: expected a sequence, got {}", yaml::kind_name(rules)));
  } else if (rules.IsDefined()) {
    for (std::size_t i = 0; i < rules.size(); ++i) {
      if (auto rule = read_rule(rules[i], group, i, diag)) group.rules.push_back(std::move(*rule));
    }
  }
  return group;
}

}  // namespace

RuleFileResult parse_rule_file(const std::string& text, const std::string& path) {
  RuleFileResult result;
  result.file.path = path;
  auto root = yaml::parse(text, path);
  if (!root) {
    result.errors.push_back(root.error());
    return result;
  }
  yaml::Diagnostics diag(path);
  yaml::MapReader top(*root, diag, "rule file");
  YAML::Node groups = top.take("groups");
  top.finish();
  if (groups.IsDefined() && !groups.IsSequence()) {
    diag.error(groups, fmt::format("groups: expected a sequence, got {}", yaml::kind_name(groups)));
  } else if (groups.IsDefined()) {
    std::set<std::string> names;
    for (const auto& node : groups) {
      auto group = read_group(node, path, diag);
      if (!group) continue;
      if (group->name.empty()) {
        diag.error(group->position, "Groupname must not be empty");
      } else if (!names.insert(group->name).second) {
        diag.error(group->position,
                   fmt::format("groupname: \"{}\" is repeated in the same file", group->name));
      }
      result.file.groups.push_back(std::move(*group));
    }
  }
  result.errors = diag.errors();
  return result;
}

std::string describe_rule(std::string_view group, std::size_t index, std::string_view rule) {
  return fmt::format("group \"{}\", rule {}, \"{}\"", group, index + 1, rule);
}

RuleFileResult read_rule_file(const std::string& path) {
  auto text = files::read(path);
  if (!text) return RuleFileResult{RuleFile{path, {}}, {text.error()}};
  return parse_rule_file(*text, path);
}

}  // namespace tocsin::rules
