#include "rules/rule_file.h"

#include <gtest/gtest.h>

namespace tocsin::rules {
namespace {

using namespace std::chrono_literals;

std::vector<std::string> problems(const std::string& yaml) {
  RuleFileResult r = parse_rule_file(yaml, "rules.yml");
  std::vector<std::string> out;
  for (const Error& e : r.errors) out.push_back(e.to_string());
  return out;
}

TEST(RuleFile, ReadsEveryField) {
  RuleFileResult r = parse_rule_file(R"(groups:
  - name: slo
    interval: 30s
    limit: 10
    query_offset: 1m
    rules:
      - alert: PolicyErrorRateHigh
        expr: errors > 5
        for: 2m
        keep_firing_for: 1h30m
        labels:
          severity: critical
        annotations:
          summary: "{{ $value }}"
      - record: job:errors:rate5m
        expr: rate(errors[5m])
        labels:
          team: policy
)",
                                     "rules.yml");
  ASSERT_TRUE(r.errors.empty()) << r.errors.front().to_string();
  ASSERT_EQ(r.file.groups.size(), 1u);
  const RuleGroupSpec& g = r.file.groups[0];
  EXPECT_EQ(g.name, "slo");
  EXPECT_EQ(g.file, "rules.yml");
  EXPECT_EQ(g.interval, 30s);
  EXPECT_EQ(g.limit, 10);
  EXPECT_EQ(g.query_offset, 1min);
  ASSERT_EQ(g.rules.size(), 2u);
  const RuleSpec& a = g.rules[0];
  EXPECT_TRUE(a.alerting());
  EXPECT_EQ(a.name, "PolicyErrorRateHigh");
  EXPECT_EQ(a.expr, "errors > 5");
  EXPECT_EQ(a.for_duration, 2min);
  EXPECT_EQ(a.keep_firing_for, 90min);
  ASSERT_EQ(a.labels.size(), 1u);
  EXPECT_EQ(a.labels[0].key, "severity");
  EXPECT_EQ(a.labels[0].value, "critical");
  EXPECT_EQ(a.labels[0].value_position.line, 12);
  EXPECT_EQ(a.labels[0].value_position.column, 21);
  EXPECT_EQ(a.annotations[0].value, "{{ $value }}");
  EXPECT_EQ(a.position.line, 7);
  EXPECT_EQ(a.position.column, 16);
  EXPECT_FALSE(g.rules[1].alerting());
  EXPECT_EQ(g.rules[1].name, "job:errors:rate5m");
}

// yaml-cpp bounds its recursive parser; the error says what went wrong.
TEST(RuleFile, YamlNestedTooDeepIsAPositionedError) {
  auto found = problems("groups: " + std::string(100000, '[') + std::string(100000, ']'));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_TRUE(found[0].starts_with("rules.yml:1:")) << found[0];
  EXPECT_TRUE(found[0].ends_with(": YAML syntax error: nested deeper than 499 levels")) << found[0];
}

TEST(RuleFile, EmptyFileHasNoGroups) {
  RuleFileResult r = parse_rule_file("", "rules.yml");
  EXPECT_TRUE(r.errors.empty());
  EXPECT_TRUE(r.file.groups.empty());
}

TEST(RuleFile, RejectsUnknownFieldsWithTheirPosition) {
  EXPECT_EQ(
      problems("groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        "
               "severity: x\n"),
      std::vector<std::string>{"rules.yml:6:9: field severity not found in rule"});
  EXPECT_EQ(problems("groups:\n  - name: g\n    evaluation: 1m\n    rules: []\n"),
            std::vector<std::string>{"rules.yml:3:5: field evaluation not found in rule group"});
  EXPECT_EQ(problems("group:\n  - name: g\n"),
            std::vector<std::string>{"rules.yml:1:1: field group not found in rule file"});
}

TEST(RuleFile, RejectsDuplicateGroupNames) {
  EXPECT_EQ(
      problems("groups:\n  - name: g\n    rules: []\n  - name: g\n    rules: []\n"),
      std::vector<std::string>{"rules.yml:4:5: groupname: \"g\" is repeated in the same file"});
}

TEST(RuleFile, RejectsEmptyGroupName) {
  EXPECT_EQ(problems("groups:\n  - rules: []\n"),
            std::vector<std::string>{"rules.yml:2:5: Groupname must not be empty"});
}

TEST(RuleFile, RejectsBothAlertAndRecord) {
  EXPECT_EQ(
      problems("groups:\n  - name: g\n    rules:\n      - alert: A\n        record: b\n        "
               "expr: up\n"),
      std::vector<std::string>{
          "rules.yml:5:17: group \"g\", rule 1, \"A\": only one of 'record' and 'alert' "
          "must be set"});
}

TEST(RuleFile, RejectsNeitherAlertNorRecord) {
  EXPECT_EQ(
      problems("groups:\n  - name: g\n    rules:\n      - expr: up\n"),
      std::vector<std::string>{
          "rules.yml:4:9: group \"g\", rule 1, \"\": one of 'record' or 'alert' must be set"});
}

TEST(RuleFile, RejectsEmptyExpr) {
  EXPECT_EQ(problems("groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: \"\"\n"),
            std::vector<std::string>{
                "rules.yml:5:15: group \"g\", rule 1, \"A\": field 'expr' must be set in rule"});
  EXPECT_EQ(problems("groups:\n  - name: g\n    rules:\n      - alert: A\n"),
            std::vector<std::string>{
                "rules.yml:4:16: group \"g\", rule 1, \"A\": field 'expr' must be set in rule"});
}

TEST(RuleFile, RejectsInvalidLabelNames) {
  EXPECT_EQ(
      problems("groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        "
               "labels:\n          9bad: x\n          __name__: y\n"),
      (std::vector<std::string>{
          "rules.yml:7:11: group \"g\", rule 1, \"A\": invalid label name: 9bad",
          "rules.yml:8:11: group \"g\", rule 1, \"A\": invalid label name: __name__"}));
  EXPECT_EQ(
      problems("groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        "
               "annotations:\n          bad-name: x\n"),
      std::vector<std::string>{
          "rules.yml:7:11: group \"g\", rule 1, \"A\": invalid annotation name: bad-name"});
}

TEST(RuleFile, RejectsBadDurations) {
  EXPECT_EQ(
      problems("groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        "
               "for: 5 minutes\n"),
      std::vector<std::string>{"rules.yml:6:14: for: not a valid duration string: \"5 minutes\""});
  EXPECT_EQ(
      problems("groups:\n  - name: g\n    interval: 1.5m\n    rules: []\n"),
      std::vector<std::string>{"rules.yml:3:15: interval: not a valid duration string: \"1.5m\""});
}

TEST(RuleFile, RejectsAlertingFieldsOnRecordingRules) {
  EXPECT_EQ(
      problems("groups:\n  - name: g\n    rules:\n      - record: r\n        expr: up\n        "
               "for: 1m\n        keep_firing_for: 1m\n        annotations:\n          a: b\n"),
      (std::vector<std::string>{
          "rules.yml:4:17: group \"g\", rule 1, \"r\": invalid field 'annotations' in "
          "recording rule",
          "rules.yml:4:17: group \"g\", rule 1, \"r\": invalid field 'for' in recording rule",
          "rules.yml:4:17: group \"g\", rule 1, \"r\": invalid field 'keep_firing_for' in "
          "recording rule"}));
}

TEST(RuleFile, RejectsInvalidRecordName) {
  EXPECT_EQ(
      problems("groups:\n  - name: g\n    rules:\n      - record: 'job rate'\n        expr: up\n"),
      std::vector<std::string>{"rules.yml:4:17: group \"g\", rule 1, \"job rate\": invalid "
                               "recording rule name: job rate"});
}

TEST(RuleFile, RejectsDuplicateKeys) {
  EXPECT_EQ(
      problems("groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        "
               "expr: down\n"),
      std::vector<std::string>{"rules.yml:6:9: rule: mapping key \"expr\" already defined"});
}

TEST(RuleFile, RejectsWrongTypes) {
  EXPECT_EQ(problems("groups:\n  - name: g\n    rules: {a: b}\n"),
            std::vector<std::string>{"rules.yml:3:12: rules: expected a sequence, got a mapping"});
  EXPECT_EQ(
      problems("groups:\n  - name: g\n    rules:\n      - alert: [A]\n        expr: up\n"),
      (std::vector<std::string>{
          "rules.yml:4:16: alert: expected a string, got a sequence",
          "rules.yml:4:9: group \"g\", rule 1, \"\": one of 'record' or 'alert' must be set"}));
}

TEST(RuleFile, ReportsYamlSyntaxErrorsWithPosition) {
  auto p = problems("groups:\n  - name: g\n    rules: [\n");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_TRUE(p[0].starts_with("rules.yml:4:1: YAML syntax error:")) << p[0];
}

TEST(RuleFile, ReportsEveryProblemInOneRun) {
  auto p = problems(
      "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: ''\n      - record: 'x "
      "y'\n "
      "       expr: up\n  - name: g\n    rules: []\n");
  EXPECT_EQ(p.size(), 3u);
}

TEST(RuleFile, MissingFileIsAnError) {
  RuleFileResult r = read_rule_file("/nonexistent/rules.yml");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_TRUE(r.errors[0].to_string().starts_with("/nonexistent/rules.yml: cannot read file"))
      << r.errors[0].to_string();
}

}  // namespace
}  // namespace tocsin::rules
