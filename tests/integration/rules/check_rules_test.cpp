// `tocsin check rules` and `tocsin check config` beside `promtool check
// rules`: the shipped rules pass both; files promtool rejects for structure,
// names, durations or templates, tocsin rejects too, with FILE:LINE:COL; and
// a configuration `tocsin run` would refuse, check config refuses.
#include <filesystem>
#include <regex>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/command.h"
#include "support/paths.h"
#include "support/prometheus_server.h"
#include "support/promtool.h"
#include "support/temp_dir.h"
#include "support/tocsin_server.h"

namespace tocsin::test {
namespace {

CommandResult tocsin(std::vector<std::string> args) {
  args.insert(args.begin(), tocsin_binary());
  return run_command(args);
}

std::vector<std::string> shipped_rule_files() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(source_dir() + "/rules")) {
    if (entry.path().extension() == ".yml") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(CheckRules, ShippedRulesPassPromtoolAndTocsin) {
  auto files = shipped_rule_files();
  ASSERT_GE(files.size(), 4u);
  for (const std::string& file : files) {
    CommandResult promtool = promtool_check_rules({file});
    EXPECT_TRUE(promtool.success()) << promtool.output;
    CommandResult ours = tocsin({"check", "rules", file});
    EXPECT_TRUE(ours.success()) << ours.output;
    EXPECT_TRUE(std::regex_search(ours.stdout_text, std::regex(R"(: \d+ rules found\n)")))
        << ours.stdout_text;
    // Both count the same rules.
    std::smatch n;
    ASSERT_TRUE(std::regex_search(promtool.output, n, std::regex(R"(SUCCESS: (\d+) rules found)")));
    EXPECT_NE(ours.stdout_text.find(fmt::format("{}: {} rules found", file, n[1].str())),
              std::string::npos)
        << ours.stdout_text;
  }
}

struct BadFile {
  const char* what;
  const char* yaml;
  const char* tocsin_says;  // FILE:LINE:COL: message, with the file left out
};

// Each is rejected by promtool 2.42 too (checked below).
const BadFile kBadFiles[] = {
    {"unknown field",
     "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        severity: x\n",
     ":6:9: field severity not found in rule"},
    {"duplicate group", "groups:\n  - name: g\n    rules: []\n  - name: g\n    rules: []\n",
     ":4:5: groupname: \"g\" is repeated in the same file"},
    {"alert and record",
     "groups:\n  - name: g\n    rules:\n      - alert: A\n        record: b\n        expr: up\n",
     ":5:17: group \"g\", rule 1, \"A\": only one of 'record' and 'alert' must be set"},
    {"neither alert nor record", "groups:\n  - name: g\n    rules:\n      - expr: up\n",
     ":4:9: group \"g\", rule 1, \"\": one of 'record' or 'alert' must be set"},
    {"empty expr", "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: ''\n",
     ":5:15: group \"g\", rule 1, \"A\": field 'expr' must be set in rule"},
    {"invalid label name",
     "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        labels: {9x: "
     "y}\n",
     ":6:18: group \"g\", rule 1, \"A\": invalid label name: 9x"},
    {"bad duration",
     "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        for: 5 min\n",
     ":6:14: for: not a valid duration string: \"5 min\""},
    {"template that does not parse",
     "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        annotations:\n "
     "         summary: '{{ $labels.x'\n",
     ":7:20: group \"g\", rule 1, \"A\": annotation \"summary\": template: __alert_A:1: unclosed "
     "action"},
    {"template with an unknown function",
     "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        labels:\n      "
     "    team: '{{ nosuch }}'\n",
     ":7:17: group \"g\", rule 1, \"A\": label \"team\": template: __alert_A:1: function "
     "\"nosuch\" not defined"},
    {"annotations on a recording rule",
     "groups:\n  - name: g\n    rules:\n      - record: r\n        expr: up\n        annotations: "
     "{a: b}\n",
     ":4:17: group \"g\", rule 1, \"r\": invalid field 'annotations' in recording rule"},
    {"for on a recording rule",
     "groups:\n  - name: g\n    rules:\n      - record: r\n        expr: up\n        for: 1m\n",
     ":4:17: group \"g\", rule 1, \"r\": invalid field 'for' in recording rule"},
    {"keep_firing_for on a recording rule",
     "groups:\n  - name: g\n    rules:\n      - record: r\n        expr: up\n        "
     "keep_firing_for: 1m\n",
     ":4:17: group \"g\", rule 1, \"r\": invalid field 'keep_firing_for' in recording rule"},
    {"invalid record name",
     "groups:\n  - name: g\n    rules:\n      - record: 'a-b'\n        expr: up\n",
     ":4:17: group \"g\", rule 1, \"a-b\": invalid recording rule name: a-b"},
    {"YAML syntax", "groups:\n  - name: g\n    rules: [\n", ":4:1: YAML syntax error:"},
};

TEST(CheckRules, RejectsWhatPromtoolRejectsWithThePosition) {
  TempDir dir("check");
  for (const BadFile& bad : kBadFiles) {
    SCOPED_TRACE(bad.what);
    std::string file = dir.write(std::string(bad.what) + ".yml", bad.yaml);
    CommandResult promtool = promtool_check_rules({file});
    EXPECT_FALSE(promtool.success()) << "promtool accepted it: " << promtool.output;
    CommandResult ours = tocsin({"check", "rules", file});
    EXPECT_EQ(ours.exit_code, 1) << ours.output;
    EXPECT_NE(ours.stderr_text.find(file + bad.tocsin_says), std::string::npos) << ours.stderr_text;
    // Where promtool words the problem the same way, the words agree.
    std::string message =
        std::string(bad.tocsin_says).substr(std::string(bad.tocsin_says).find(": ") + 2);
    if (message.starts_with("group ") || message.starts_with("groupname")) {
      EXPECT_NE(promtool.output.find(message), std::string::npos)
          << "promtool: " << promtool.output << "\ntocsin: " << message;
    }
  }
}

TEST(CheckRules, ReportsEveryFileAndEveryProblem) {
  TempDir dir("check");
  std::string good = dir.write(
      "good.yml", "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n");
  std::string bad =
      dir.write("bad.yml", std::string(kBadFiles[4].yaml) + "  - name: g\n    rules: []\n");
  CommandResult ours = tocsin({"check", "rules", good, bad});
  EXPECT_EQ(ours.exit_code, 1);
  EXPECT_NE(ours.stdout_text.find(good + ": 1 rules found"), std::string::npos) << ours.output;
  EXPECT_NE(ours.stderr_text.find(bad + kBadFiles[4].tocsin_says), std::string::npos)
      << ours.output;
  EXPECT_NE(ours.stderr_text.find(bad + ":6:5: groupname: \"g\" is repeated in the same file"),
            std::string::npos)
      << ours.output;
}

// promtool accepts these; a template this deep would overflow tocsin's stack,
// so it is refused with Go's own words and the annotation's position.
TEST(CheckRules, DeeplyNestedTemplatesAreAPositionedErrorNotACrash) {
  TempDir dir("check");
  const std::string rule =
      "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n"
      "        annotations:\n          a: \"";
  auto repeat = [](std::string_view s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += s;
    return out;
  };
  struct Case {
    const char* name;
    std::string annotation;
    const char* message;
  } cases[] = {
      {"parens", "{{" + repeat("(", 100000) + "1" + repeat(")", 100000) + "}}",
       "max expression depth exceeded"},
      {"ifs", repeat("{{if 1}}", 100000) + repeat("{{end}}", 100000), "max nesting depth exceeded"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::string file = dir.write(std::string(c.name) + ".yml", rule + c.annotation + "\"\n");
    CommandResult ours = tocsin({"check", "rules", file});
    EXPECT_EQ(ours.exit_code, 1) << ours.output;
    EXPECT_NE(ours.stderr_text.find(file +
                                    ":7:14: group \"g\", rule 1, \"A\": annotation \"a\": "
                                    "template: __alert_A:1: " +
                                    c.message),
              std::string::npos)
        << ours.stderr_text.substr(0, 500);
  }
}

TEST(CheckRules, AnEndlessFileIsRefusedNotReadIntoMemory) {
  CommandResult ours = tocsin({"check", "rules", "/dev/zero"});
  EXPECT_EQ(ours.exit_code, 1) << ours.output;
  EXPECT_NE(ours.stderr_text.find("/dev/zero: file is larger than the limit of 67108864 bytes"),
            std::string::npos)
      << ours.output;
}

TEST(CheckRules, AcceptsRecordingRulesAndSaysWhenTheyAreEvaluated) {
  TempDir dir("check");
  std::string file = dir.write(
      "rec.yml",
      "groups:\n  - name: g\n    rules:\n      - record: job:up:sum\n        expr: sum(up)\n");
  CommandResult ours = tocsin({"check", "rules", file});
  EXPECT_TRUE(ours.success()) << ours.output;
  EXPECT_NE(ours.stdout_text.find(
                "1 rules found (1 recording rules; tocsin evaluates them when remote_write is "
                "configured)"),
            std::string::npos)
      << ours.stdout_text;
}

TEST(CheckRules, WithADatasourcePrometheusJudgesThePromQL) {
  TempDir dir("check");
  std::string file =
      dir.write("promql.yml",
                "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: rate(x[5m]\n"
                "      - alert: B\n        expr: up == 0\n");
  EXPECT_TRUE(tocsin({"check", "rules", file}).success())
      << "without a datasource PromQL is not parsed";
  EXPECT_FALSE(promtool_check_rules({file}).success());

  PrometheusServer prometheus;
  ASSERT_TRUE(prometheus.start()) << prometheus.log();
  CommandResult ours = tocsin({"check", "rules", "--datasource", prometheus.url(), file});
  EXPECT_EQ(ours.exit_code, 1) << ours.output;
  EXPECT_NE(ours.stderr_text.find(file +
                                  ":5:15: group \"g\", rule 1, \"A\": could not parse expression:"),
            std::string::npos)
      << ours.stderr_text;
  EXPECT_NE(ours.stderr_text.find("unclosed left parenthesis"), std::string::npos)
      << ours.stderr_text;
  EXPECT_EQ(ours.stderr_text.find("\"B\""), std::string::npos) << ours.stderr_text;
}

TEST(CheckConfig, ValidatesTheConfigAndEveryRuleFileItNames) {
  TempDir dir("check");
  dir.write("rules/good.yml",
            "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n");
  std::string config = dir.write(
      "tocsin.yml", "datasource: {url: 'http://127.0.0.1:9090'}\nrule_files: ['rules/*.yml']\n");
  CommandResult ok = tocsin({"check", "config", config});
  EXPECT_TRUE(ok.success()) << ok.output;
  EXPECT_NE(ok.stdout_text.find("valid, 1 rule files found"), std::string::npos) << ok.output;

  std::string broken = dir.write("rules/broken.yml", kBadFiles[0].yaml);
  CommandResult bad = tocsin({"check", "config", config});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.stderr_text.find(broken + kBadFiles[0].tocsin_says), std::string::npos)
      << bad.output;

  std::string typo =
      dir.write("typo.yml", "datasource: {url: 'http://127.0.0.1:9090'}\nrules_files: []\n");
  CommandResult unknown = tocsin({"check", "config", typo});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(
      unknown.stderr_text.find(typo + ":2:1: field rules_files not found in tocsin configuration"),
      std::string::npos)
      << unknown.output;
}

// As amtool check-config checks it: the file and its notification templates.
TEST(CheckConfig, APlainAlertmanagerYmlIsCheckedToo) {
  CommandResult ok = tocsin({"check", "config", source_dir() + "/examples/alertmanager.yml"});
  EXPECT_TRUE(ok.success()) << ok.output;
  EXPECT_NE(ok.stdout_text.find("valid alertmanager.yml, 3 receivers, 1 inhibit rules"),
            std::string::npos)
      << ok.output;

  TempDir dir("check");
  dir.write("bad.tmpl", "{{ define \"x\" }}{{ .Foo \n");
  std::string config = dir.write(
      "alertmanager.yml", "route: {receiver: r}\nreceivers: [{name: r}]\ntemplates: ['*.tmpl']\n");
  CommandResult bad = tocsin({"check", "config", config});
  EXPECT_EQ(bad.exit_code, 1) << bad.output;
  EXPECT_NE(bad.stderr_text.find("bad.tmpl"), std::string::npos) << bad.output;

  std::string typo =
      dir.write("typo.yml", "route: {receiver: r}\nreceivers: [{name: r}]\nroutes: []\n");
  CommandResult unknown = tocsin({"check", "config", typo});
  EXPECT_EQ(unknown.exit_code, 1) << unknown.output;
  EXPECT_NE(unknown.stderr_text.find(typo + ":3:1:"), std::string::npos) << unknown.output;
}

// What `run` would refuse when it builds the receivers' integrations is
// refused here too, every problem named at its section.
TEST(CheckConfig, IntegrationsRunWouldRefuseAreRefused) {
  TempDir dir("check");
  std::string config = dir.write("alertmanager.yml", R"(route: {receiver: r}
receivers:
  - name: r
    webhook_configs:
      - url: http://127.0.0.1:1/hook
        http_config: {oauth2: {client_id: a, client_secret: b, token_url: 'http://t'}}
    email_configs:
      - {to: a@example.com, from: b@example.com, smarthost: 'h:25', tls_config: {ca_file: nope.pem}}
)");
  CommandResult bad = tocsin({"check", "config", config});
  EXPECT_EQ(bad.exit_code, 1) << bad.output;
  EXPECT_NE(bad.stderr_text.find(config + ":5:9: receiver \"r\": webhook[0]: http_config: "
                                          "oauth2 is not supported by tocsin"),
            std::string::npos)
      << bad.output;
  EXPECT_NE(bad.stderr_text.find(config + ":8:9: receiver \"r\": email[0]: email_config: "
                                          "tls_config ca_file: "),
            std::string::npos)
      << bad.output;
}

TEST(CheckConfig, TheShippedExampleIsValid) {
  CommandResult ok = tocsin({"check", "config", source_dir() + "/examples/tocsin.yml"});
  EXPECT_TRUE(ok.success()) << ok.output;
}

}  // namespace
}  // namespace tocsin::test
