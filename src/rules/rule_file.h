// Rule files in the Prometheus format (`groups[].rules[]`), read and checked
// for everything `promtool check rules` rejects except PromQL syntax, which
// only Prometheus can judge (see `tocsin check rules --datasource`).
// Templates are checked when rules are built (rules/alerting_rule.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <tocsin/error.h>
#include <tocsin/time.h>

#include "config/yaml_reader.h"

namespace tocsin::rules {

struct RuleSpec {
  enum class Kind { kAlerting, kRecording };

  Kind kind = Kind::kAlerting;
  std::string name;  // the `alert` or `record` value
  std::string expr;
  Duration for_duration{0};
  Duration keep_firing_for{0};
  std::vector<yaml::StringEntry> labels;       // in file order, with positions
  std::vector<yaml::StringEntry> annotations;  // in file order, with positions
  SourcePosition position;                     // the rule's `alert`/`record` key
  SourcePosition expr_position;

  bool alerting() const { return kind == Kind::kAlerting; }
};

struct RuleGroupSpec {
  std::string file;
  std::string name;
  std::optional<Duration> interval;  // unset: the global evaluation_interval
  std::int64_t limit = 0;            // 0: no limit on alerts per rule
  Duration query_offset{0};
  std::vector<RuleSpec> rules;
  SourcePosition position;
};

struct RuleFile {
  std::string path;
  std::vector<RuleGroupSpec> groups;
};

// What reading a file produced: the groups that could be read, and every
// problem found (an empty list means the file is valid so far).
struct RuleFileResult {
  RuleFile file;
  std::vector<Error> errors;
};

RuleFileResult read_rule_file(const std::string& path);

// `group "NAME", rule N, "RULE"` (N counts from 1): how promtool names a
// rule in its messages.
std::string describe_rule(std::string_view group, std::size_t index, std::string_view rule);
RuleFileResult parse_rule_file(const std::string& text, const std::string& path);

}  // namespace tocsin::rules
