// `tocsin routes test` against `amtool config routes test` (Alertmanager
// 0.25): the same configurations, hundreds of generated label sets, the
// same receivers printed, and the same matching tree with --tree.
#include <fstream>
#include <random>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/command.h"
#include "support/paths.h"
#include "support/temp_dir.h"
#include "support/tocsin_server.h"

namespace tocsin::test {
namespace {

// A tree that uses every routing feature: nesting, continue, the new
// matcher syntax with all four operators, legacy match/match_re, and
// routes that match but whose children do not.
const char* kVariedConfig = R"(route:
  receiver: default
  group_by: [alertname]
  routes:
    - matchers: [severity="critical"]
      receiver: pager
      continue: true
      routes:
        - matchers: ['team=~"db|infra"', 'env!="dev"']
          receiver: db-pager
        - match: {service: checkout}
          receiver: checkout-pager
          continue: true
        - match_re: {service: 'check.*'}
          receiver: shop-pager
    - matchers: ['severity=~"critical|warning"', 'team!~"sre|ops"']
      receiver: slack
      routes:
        - matchers: [component=budget]
          receiver: email
        - matchers: ['env=~"prod|staging"']
          receiver: slack-prod
          continue: true
        - matchers: ['component=~"policy|llm"']
          receiver: slack-policy
    - matchers: [team=sre]
      continue: true
      receiver: sre
    - matchers: ['alertname=~"Watchdog|Heartbeat"']
      receiver: deadman
    - matchers: ['env=""']
      receiver: unlabelled
receivers:
  - name: default
  - name: pager
  - name: db-pager
  - name: checkout-pager
  - name: shop-pager
  - name: slack
  - name: email
  - name: slack-prod
  - name: slack-policy
  - name: sre
  - name: deadman
  - name: unlabelled
)";

// Label sets drawn from values each route cares about, "" meaning absent.
std::vector<std::vector<std::string>> generated_label_sets(std::size_t n) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> choices = {
      {"severity", {"critical", "warning", "info", ""}},
      {"team", {"db", "infra", "sre", "ops", "web", ""}},
      {"env", {"prod", "staging", "dev", ""}},
      {"service", {"checkout", "checkout-v2", "shannon", ""}},
      {"component", {"budget", "policy", "llm", "orchestrator", ""}},
      {"alertname", {"Watchdog", "Heartbeat", "HighErrors", "InstanceDown"}},
  };
  std::mt19937 random(20260522);  // fixed: every run tests the same sets
  std::vector<std::vector<std::string>> out;
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<std::string> labels;
    for (const auto& [name, values] : choices) {
      const std::string& v = values[random() % values.size()];
      if (!v.empty()) labels.push_back(fmt::format("{}={}", name, v));
    }
    out.push_back(std::move(labels));
  }
  return out;
}

CommandResult amtool(const std::string& config, const std::vector<std::string>& labels, bool tree) {
  std::vector<std::string> argv = {
      require_tool(amtool_binary(), "AMTOOL", "prometheus-alertmanager"), "config", "routes",
      "test", "--config.file=" + config};
  if (tree) argv.push_back("--tree");
  argv.insert(argv.end(), labels.begin(), labels.end());
  return run_command(argv);
}

CommandResult tocsin(const std::string& config, const std::vector<std::string>& labels, bool tree) {
  std::vector<std::string> argv = {tocsin_binary(), "routes", "--config", config, "test"};
  if (tree) argv.push_back("--tree");
  argv.insert(argv.end(), labels.begin(), labels.end());
  return run_command(argv);
}

void expect_same_routing(const std::string& config, std::size_t label_sets) {
  std::size_t i = 0;
  std::set<std::string> receivers_seen;
  for (const auto& labels : generated_label_sets(label_sets)) {
    bool tree = i++ % 8 == 0;
    SCOPED_TRACE(fmt::format("labels: {}{}", fmt::join(labels, " "), tree ? " --tree" : ""));
    CommandResult theirs = amtool(config, labels, tree);
    ASSERT_TRUE(theirs.success()) << theirs.output;
    CommandResult ours = tocsin(config, labels, tree);
    ASSERT_TRUE(ours.success()) << ours.output;
    EXPECT_EQ(ours.stdout_text, theirs.stdout_text);
    receivers_seen.insert(theirs.stdout_text);
  }
  // The generated sets must exercise the tree, not all land on one receiver.
  EXPECT_GE(receivers_seen.size(), 8u);
}

TEST(RoutesTest, AgreesWithAmtoolOnAVariedTree) {
  TempDir dir("routes");
  expect_same_routing(dir.write("alertmanager.yml", kVariedConfig), 240);
}

TEST(RoutesTest, AgreesWithAmtoolOnTheShippedExample) {
  std::string example = source_dir() + "/examples/alertmanager.yml";
  std::size_t i = 0;
  for (const auto& labels : generated_label_sets(40)) {
    SCOPED_TRACE(fmt::format("labels: {}", fmt::join(labels, " ")));
    CommandResult theirs = amtool(example, labels, i % 4 == 0);
    CommandResult ours = tocsin(example, labels, i++ % 4 == 0);
    ASSERT_TRUE(theirs.success()) << theirs.output;
    EXPECT_EQ(ours.stdout_text, theirs.stdout_text);
  }
}

TEST(RoutesTest, ReadsTheAlertingSectionOfATocsinConfig) {
  TempDir dir("routes");
  std::string am = dir.write("alertmanager.yml", kVariedConfig);
  std::string inline_config = "datasource: {url: 'http://127.0.0.1:9090'}\nalerting:\n";
  for (std::string_view line :
       std::views::split(std::string_view(kVariedConfig), '\n') |
           std::views::transform([](auto r) { return std::string_view(r.begin(), r.end()); })) {
    if (!line.empty()) inline_config += fmt::format("  {}\n", line);
  }
  std::string inline_path = dir.write("inline.yml", inline_config);
  std::string by_file = dir.write(
      "by-file.yml",
      "datasource: {url: 'http://127.0.0.1:9090'}\nalerting_config_file: alertmanager.yml\n");
  std::vector<std::string> labels = {"severity=critical", "team=db", "env=prod"};
  std::string expected = amtool(am, labels, true).stdout_text;
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(tocsin(inline_path, labels, true).stdout_text, expected);
  EXPECT_EQ(tocsin(by_file, labels, true).stdout_text, expected);
}

// amtool's users put the flag after the subcommand, with either spelling.
TEST(RoutesTest, TakesTheConfigFlagWhereAmtoolUsersTypeIt) {
  std::string example = source_dir() + "/examples/alertmanager.yml";
  std::vector<std::string> labels = {"severity=critical", "service=shannon"};
  std::string expected = amtool(example, labels, false).stdout_text;
  ASSERT_FALSE(expected.empty());
  for (const std::vector<std::string>& argv : std::vector<std::vector<std::string>>{
           {"routes", "test", "--config", example},
           {"routes", "test", "--config.file=" + example},
           {"routes", "--config.file", example, "test"},
       }) {
    std::vector<std::string> full = {tocsin_binary()};
    full.insert(full.end(), argv.begin(), argv.end());
    full.insert(full.end(), labels.begin(), labels.end());
    CommandResult ours = run_command(full);
    EXPECT_TRUE(ours.success()) << fmt::format("{}", fmt::join(argv, " ")) << ": " << ours.output;
    EXPECT_EQ(ours.stdout_text, expected) << fmt::format("{}", fmt::join(argv, " "));
  }
}

// Every `tocsin routes` and `tocsin check config` command the README shows
// runs as written from the repository's root.
TEST(RoutesTest, TheReadmeCommandsWorkAsWritten) {
  std::ifstream readme(source_dir() + "/README.md");
  ASSERT_TRUE(readme) << "README.md not found";
  std::vector<std::string> commands;
  for (std::string line; std::getline(readme, line);) {
    if (line.starts_with("tocsin routes ") || line.starts_with("tocsin check config examples/")) {
      commands.push_back(line.substr(0, line.find('#')));
    }
  }
  ASSERT_GE(commands.size(), 3u) << "the README shows these commands";
  for (const std::string& command : commands) {
    std::vector<std::string> argv = {tocsin_binary()};
    std::istringstream words(command.substr(std::string("tocsin ").size()));
    for (std::string word; words >> word;) argv.push_back(word);
    CommandResult ours = run_command(argv, std::chrono::seconds(60), {}, source_dir());
    EXPECT_TRUE(ours.success()) << command << ": " << ours.output;
  }
}

TEST(RoutesTest, VerifyReceiversAndBadLabels) {
  TempDir dir("routes");
  std::string config = dir.write("alertmanager.yml", kVariedConfig);
  CommandResult ok =
      run_command({tocsin_binary(), "routes", "--config", config, "test",
                   "--verify.receivers=db-pager,slack", "severity=critical", "team=db"});
  EXPECT_TRUE(ok.success()) << ok.output;
  CommandResult wrong = run_command({tocsin_binary(), "routes", "--config", config, "test",
                                     "--verify.receivers=pager", "severity=critical", "team=db"});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_NE(wrong.stdout_text.find("WARNING: Expected receivers did not match resolved receivers."),
            std::string::npos);
  CommandResult regex = tocsin(config, {"severity=~crit.*"}, false);
  EXPECT_EQ(regex.exit_code, 1);
  EXPECT_NE(regex.stderr_text.find("labels must be specified as key=value pairs"),
            std::string::npos);
}

}  // namespace
}  // namespace tocsin::test
