#include "config/alertmanager_config.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <stdlib.h>

#include "notifiers/notifier_registry.h"

namespace tocsin::config {
namespace {

using namespace std::chrono_literals;

constexpr const char* kPath = "/etc/tocsin/alertmanager.yml";

AlertmanagerConfig load_alertmanager_yml(const std::string& yaml) {
  auto c = parse_alertmanager_config(yaml, kPath, notifiers::receiver_kinds());
  EXPECT_TRUE(c.has_value()) << (c ? "" : c.error().front().to_string());
  return c ? std::move(*c) : AlertmanagerConfig{};
}

std::vector<std::string> alertmanager_yml_problems(const std::string& yaml) {
  auto c = parse_alertmanager_config(yaml, kPath, notifiers::receiver_kinds());
  std::vector<std::string> out;
  if (!c) {
    for (const Error& e : c.error()) out.push_back(e.to_string());
  }
  return out;
}

// The one problem of `yaml`, without the file name.
std::string problem(const std::string& yaml) {
  auto all = alertmanager_yml_problems(yaml);
  if (all.size() != 1) return fmt::format("{} problems: {}", all.size(), fmt::join(all, " | "));
  return all.front().substr(std::string(kPath).size() + 1);
}

std::vector<std::string> strings(const Matchers& matchers) {
  std::vector<std::string> out;
  for (const Matcher& m : matchers) out.push_back(m.to_string());
  return out;
}

constexpr const char* kMinimal = "route: {receiver: default}\nreceivers: [{name: default}]\n";

TEST(AlertmanagerConfig, DefaultsMatchAlertmanagers) {
  AlertmanagerConfig c = load_alertmanager_yml(kMinimal);
  EXPECT_EQ(c.path, kPath);
  EXPECT_EQ(c.global.resolve_timeout, 5min);
  EXPECT_EQ(c.global.smtp_hello, "localhost");
  EXPECT_TRUE(c.global.smtp_require_tls);
  EXPECT_EQ(c.global.pagerduty_url, "https://events.pagerduty.com/v2/enqueue");
  EXPECT_TRUE(c.global.http_config.follow_redirects);
  EXPECT_TRUE(c.global.http_config.enable_http2);
  EXPECT_EQ(c.route.options.receiver, "default");
  EXPECT_EQ(c.route.options.group_wait, 30s);
  EXPECT_EQ(c.route.options.group_interval, 5min);
  EXPECT_EQ(c.route.options.repeat_interval, 4h);
  EXPECT_TRUE(c.route.options.group_by.empty());
  EXPECT_FALSE(c.route.options.group_by_all);
  EXPECT_EQ(c.route.position.line, 1);
  ASSERT_EQ(c.receivers.size(), 1u);
  EXPECT_TRUE(c.receivers[0].empty());
  EXPECT_NE(c.find_receiver("default"), nullptr);
  EXPECT_EQ(c.find_receiver("other"), nullptr);
}

TEST(AlertmanagerConfig, RouteOptionsAreInheritedDownTheTree) {
  AlertmanagerConfig c = load_alertmanager_yml(R"(
route:
  receiver: default
  group_by: [alertname, service]
  group_wait: 10s
  routes:
    - receiver: pager
      matchers: [severity="critical"]
    - matchers: [team="db"]
      group_by: ['...']
      routes:
        - matchers: [env="prod"]
          group_by: [cluster]
    - matchers: [kind="budget"]
      receiver: mail
      group_interval: 24h
      repeat_interval: 24h
      mute_time_intervals: [nights]
      routes:
        - matchers: [team="llm"]
receivers: [{name: default}, {name: pager}, {name: mail}]
time_intervals: [{name: nights, time_intervals: [{times: [{start_time: '00:00', end_time: '06:00'}]}]}]
)");
  const Route& root = c.route;
  ASSERT_EQ(root.routes.size(), 3u);
  const Route& pager = root.routes[0];
  EXPECT_EQ(pager.options.receiver, "pager");
  EXPECT_EQ(pager.options.group_by, (std::vector<std::string>{"alertname", "service"}));
  EXPECT_EQ(pager.options.group_wait, 10s);
  EXPECT_EQ(pager.options.group_interval, 5min);
  EXPECT_EQ(pager.written.receiver, "pager");
  EXPECT_FALSE(pager.written.group_wait.has_value());

  // '...' turns grouping by every label on, and a list turns it off again.
  const Route& db = root.routes[1];
  EXPECT_EQ(db.options.receiver, "default");
  EXPECT_TRUE(db.options.group_by_all);
  ASSERT_EQ(db.routes.size(), 1u);
  EXPECT_FALSE(db.routes[0].options.group_by_all);
  EXPECT_EQ(db.routes[0].options.group_by, std::vector<std::string>{"cluster"});

  const Route& budget = root.routes[2];
  EXPECT_EQ(budget.options.group_interval, 24h);
  EXPECT_EQ(budget.options.repeat_interval, 24h);
  EXPECT_EQ(budget.mute_time_intervals, std::vector<std::string>{"nights"});
  ASSERT_EQ(budget.routes.size(), 1u);
  const Route& llm = budget.routes[0];
  EXPECT_EQ(llm.options.receiver, "mail");
  EXPECT_EQ(llm.options.repeat_interval, 24h);
  EXPECT_EQ(llm.options.group_wait, 10s);
  EXPECT_TRUE(llm.mute_time_intervals.empty());  // not inherited, as in Alertmanager
  EXPECT_EQ(llm.position.line, 20);
}

TEST(AlertmanagerConfig, LegacyAndNewMatchersCombineSorted) {
  AlertmanagerConfig c = load_alertmanager_yml(R"(
route:
  receiver: default
  routes:
    - match: {team: db, env: prod}
      match_re: {service: 'api|web'}
      matchers: ['severity=~"warn.*"', 'region!="eu", zone!~"b"']
      continue: true
receivers: [{name: default}]
)");
  const Route& r = c.route.routes.at(0);
  EXPECT_TRUE(r.continue_matching);
  EXPECT_EQ(strings(r.matchers), (std::vector<std::string>{
                                     "env=\"prod\"", "region!=\"eu\"", "service=~\"^(?:api|web)$\"",
                                     "severity=~\"warn.*\"", "team=\"db\"", "zone!~\"b\""}));
  // match_re values are anchored regular expressions.
  const Matcher& service = r.matchers[2];
  EXPECT_TRUE(service.matches("api"));
  EXPECT_FALSE(service.matches("apis"));
  EXPECT_TRUE(matches_all(r.matchers, Labels{{"env", "prod"},
                                             {"region", "us"},
                                             {"service", "web"},
                                             {"severity", "warning"},
                                             {"team", "db"},
                                             {"zone", "a"}}));
}

TEST(AlertmanagerConfig, InhibitRules) {
  AlertmanagerConfig c = load_alertmanager_yml(R"(
route: {receiver: default}
receivers: [{name: default}]
inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    equal: [service, component]
  - source_match: {alertname: NodeDown}
    source_match_re: {env: 'prod|staging'}
    target_match_re: {alertname: '.+'}
)");
  ASSERT_EQ(c.inhibit_rules.size(), 2u);
  EXPECT_EQ(strings(c.inhibit_rules[0].source_matchers),
            std::vector<std::string>{"severity=\"critical\""});
  EXPECT_EQ(strings(c.inhibit_rules[0].target_matchers),
            std::vector<std::string>{"severity=\"warning\""});
  EXPECT_EQ(c.inhibit_rules[0].equal, (std::vector<std::string>{"service", "component"}));
  EXPECT_EQ(strings(c.inhibit_rules[1].source_matchers),
            (std::vector<std::string>{"alertname=\"NodeDown\"", "env=~\"^(?:prod|staging)$\""}));
  EXPECT_EQ(c.inhibit_rules[1].position.line, 8);
}

TEST(AlertmanagerConfig, TimeIntervalsOfBothListsAreRead) {
  AlertmanagerConfig c = load_alertmanager_yml(R"(
route:
  receiver: default
  routes:
    - receiver: default
      mute_time_intervals: [weekends]
      active_time_intervals: [business]
receivers: [{name: default}]
mute_time_intervals:
  - name: weekends
    time_intervals: [{weekdays: [saturday, sunday]}]
time_intervals:
  - name: business
    time_intervals:
      - times: [{start_time: '09:00', end_time: '17:00'}]
        weekdays: ['Monday:Friday']
        days_of_month: ['1:10', '-5:-1']
        months: ['January:March', '12']
        years: ['2024:2030']
        location: Europe/Berlin
)");
  ASSERT_EQ(c.time_intervals.size(), 2u);
  EXPECT_TRUE(c.time_intervals[0].deprecated_mute);
  const NamedTimeInterval* business = c.find_time_interval("business");
  ASSERT_NE(business, nullptr);
  EXPECT_FALSE(business->deprecated_mute);
  const TimeInterval& ti = business->time_intervals.at(0);
  EXPECT_EQ(ti.times->at(0), (TimeRange{540, 1020}));
  EXPECT_EQ(ti.weekdays->at(0), (InclusiveRange{1, 5}));
  EXPECT_EQ(ti.days_of_month->at(1), (InclusiveRange{-5, -1}));
  EXPECT_EQ(ti.months->at(1), (InclusiveRange{12, 12}));
  EXPECT_EQ(ti.years->at(0), (InclusiveRange{2024, 2030}));
  EXPECT_EQ(ti.location->name(), "Europe/Berlin");
  EXPECT_FALSE(c.time_intervals[0].time_intervals[0].location.has_value());
}

TEST(AlertmanagerConfig, TemplatesResolveAgainstTheFilesDirectory) {
  AlertmanagerConfig c = load_alertmanager_yml(std::string(kMinimal) +
                                               "templates: ['templates/*.tmpl', /abs/x.tmpl]\n");
  EXPECT_EQ(c.templates, (std::vector<std::string>{"/etc/tocsin/templates/*.tmpl", "/abs/x.tmpl"}));
}

TEST(AlertmanagerConfig, ExpandsTemplateGlobs) {
  char dir_template[] = "/tmp/tocsin-templates-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string dir = dir_template;
  for (const char* name : {"b.tmpl", "a.tmpl", "notes.txt"}) std::ofstream(dir + "/" + name) << "x";
  auto c = parse_alertmanager_config(std::string(kMinimal) + "templates: ['*.tmpl', a.tmpl]\n",
                                     dir + "/alertmanager.yml", notifiers::receiver_kinds());
  ASSERT_TRUE(c.has_value());
  auto files = expand_templates(*c);
  ASSERT_TRUE(files.has_value()) << files.error().message();
  EXPECT_EQ(*files, (std::vector<std::string>{dir + "/a.tmpl", dir + "/b.tmpl"}));
  std::filesystem::remove_all(dir);
}

TEST(AlertmanagerConfigErrors, MissingRoute) {
  EXPECT_EQ(alertmanager_yml_problems(""),
            std::vector<std::string>{std::string(kPath) + ":1:1: no route provided in config"});
  EXPECT_EQ(problem("receivers: [{name: a}]\n"), "1:1: no routes provided");
}

TEST(AlertmanagerConfigErrors, RootRouteRules) {
  EXPECT_EQ(problem("route: {group_wait: 1s}\n"),
            "1:8: root route must specify a default receiver");
  EXPECT_EQ(problem("route: {receiver: a, matchers: [x=\"y\"]}\nreceivers: [{name: a}]\n"),
            "1:8: root route must not have any matchers");
  EXPECT_EQ(problem("route: {receiver: a, match: {x: y}}\nreceivers: [{name: a}]\n"),
            "1:8: root route must not have any matchers");
  EXPECT_EQ(problem("route: {receiver: a, continue: true}\nreceivers: [{name: a}]\n"),
            "1:22: cannot have continue in root route");
  EXPECT_EQ(problem("route: {receiver: a, mute_time_intervals: [t]}\nreceivers: [{name: a}]\n"
                    "time_intervals: [{name: t}]\n"),
            "1:22: root route must not have any mute time intervals");
  EXPECT_EQ(problem("route: {receiver: a, active_time_intervals: [t]}\nreceivers: [{name: a}]\n"
                    "time_intervals: [{name: t}]\n"),
            "1:22: root route must not have any active time intervals");
}

TEST(AlertmanagerConfigErrors, UndefinedReferences) {
  EXPECT_EQ(problem(R"(route:
  receiver: a
  routes:
    - receiver: team-x
receivers: [{name: a}]
)"),
            "4:17: undefined receiver \"team-x\" used in route");
  EXPECT_EQ(problem("route: {receiver: nobody}\nreceivers: [{name: a}]\n"),
            "1:19: undefined receiver \"nobody\" used in route");
  EXPECT_EQ(problem(R"(route:
  receiver: a
  routes:
    - active_time_intervals: [business_hours]
receivers: [{name: a}]
)"),
            "4:31: undefined time interval \"business_hours\" used in route");
}

// tocsin's `escalation:` on a route: ordered steps, not inherited.
TEST(AlertmanagerConfig, EscalationStepsAreReadInOrderAndNotInherited) {
  AlertmanagerConfig c = load_alertmanager_yml(R"(route:
  receiver: team
  routes:
    - matchers: [severity="critical"]
      receiver: pager
      escalation:
        - after: 15m
          receiver: lead
        - {after: 1h, receiver: manager, repeat: 30m}
      routes:
        - matchers: [team="db"]
receivers: [{name: team}, {name: pager}, {name: lead}, {name: manager}]
)");
  const Route& critical = c.route.routes.at(0);
  ASSERT_EQ(critical.escalation.size(), 2u);
  EXPECT_EQ(critical.escalation[0].after, 15min);
  EXPECT_EQ(critical.escalation[0].receiver, "lead");
  EXPECT_EQ(critical.escalation[0].repeat, 0s);
  EXPECT_EQ(critical.escalation[1].after, 1h);
  EXPECT_EQ(critical.escalation[1].receiver, "manager");
  EXPECT_EQ(critical.escalation[1].repeat, 30min);
  EXPECT_TRUE(c.route.escalation.empty());
  EXPECT_TRUE(critical.routes.at(0).escalation.empty());
}

TEST(AlertmanagerConfigErrors, MalformedEscalationsAreRefusedWhereTheyAre) {
  auto with = [](std::string_view escalation) {
    return problem(fmt::format(R"(route:
  receiver: pager
  escalation: {}
receivers: [{{name: pager}}, {{name: lead}}, {{name: manager}}]
)",
                               escalation));
  };
  EXPECT_EQ(with("{after: 5m}"), "3:15: escalation: expected a sequence of steps, got a mapping");
  EXPECT_EQ(with("[{receiver: lead}]"), "3:16: escalation[0]: after is required");
  EXPECT_EQ(with("[{after: 5m}]"), "3:16: escalation[0]: receiver is required");
  EXPECT_EQ(with("[{after: 0s, receiver: lead}]"), "3:24: escalation[0].after must be more than 0");
  EXPECT_EQ(with("[{after: 30m, receiver: lead}, {after: 15m, receiver: manager}]"),
            "3:54: escalation[1].after must be later than the step before (30m)");
  EXPECT_EQ(with("[{after: 5m, receiver: nobody}]"),
            "3:38: undefined receiver \"nobody\" used in escalation[0]");
  EXPECT_EQ(with("[{after: 5m, receiver: pager}]"),
            "3:38: escalation[0]: receiver \"pager\" is the route's own; repeat_interval "
            "repeats its notifications");
  EXPECT_EQ(with("[{after: 5m, receiver: lead}, {after: 10m, receiver: lead}]"),
            "3:68: escalation[1]: receiver \"lead\" is already an earlier step's");
  EXPECT_EQ(with("[{after: 5m, receiver: lead, repeat: 0s}]"),
            "3:52: escalation[0].repeat must be more than 0");
  EXPECT_EQ(with("[{after: 5m, receiver: lead, every: 1m}]"),
            "3:44: field every not found in escalation[0]");
  EXPECT_EQ(with("[{after: soon, receiver: lead}]").substr(0, 22), "3:24: escalation[0].af");
}

TEST(AlertmanagerConfigErrors, GroupByAndTimers) {
  auto route = [](const std::string& fields) {
    return problem("route: {receiver: a, routes: [{" + fields + "}]}\nreceivers: [{name: a}]\n");
  };
  EXPECT_EQ(route("group_by: [cluster, cluster]"),
            "1:52: duplicated label \"cluster\" in group_by");
  EXPECT_EQ(route("group_by: ['...', cluster]"),
            "1:42: cannot have wildcard group_by (`...`) and other labels at the same time");
  EXPECT_EQ(route("group_by: [-invalid-]"),
            "1:43: invalid label name \"-invalid-\" in group_by list");
  EXPECT_EQ(route("group_interval: 0s"), "1:48: group_interval cannot be zero");
  EXPECT_EQ(route("repeat_interval: 0"), "1:49: repeat_interval cannot be zero");
  EXPECT_EQ(route("group_wait: 1 minute"),
            "1:44: group_wait: not a valid duration string: \"1 minute\"");
  EXPECT_TRUE(
      alertmanager_yml_problems("route: {receiver: a, group_wait: 0s}\nreceivers: [{name: a}]\n")
          .empty());
}

TEST(AlertmanagerConfigErrors, Matchers) {
  auto route = [](const std::string& fields) {
    return problem("route:\n  receiver: a\n  routes:\n    - " + fields +
                   "\nreceivers: [{name: a}]\n");
  };
  EXPECT_EQ(route("match: {foo-bar: x}"), "4:15: match: invalid label name \"foo-bar\"");
  EXPECT_EQ(route("match_re: {foo: }"), "4:18: match_re: invalid regexp value for \"foo\"");
  EXPECT_EQ(route("match_re: {foo: '(['}").substr(0, 33), "4:23: match_re: error parsing reg");
  EXPECT_EQ(route("matchers: ['=x']"), "4:18: matchers: bad matcher format: =x");
  EXPECT_TRUE(alertmanager_yml_problems(
                  "route:\n  receiver: a\n  routes: [{match: {foo: }}]\nreceivers: [{name: a}]\n")
                  .empty());  // a null `match` value is ""
}

TEST(AlertmanagerConfigErrors, ReceiversAndTimeIntervalNames) {
  EXPECT_EQ(problem("route: {receiver: a}\nreceivers: [{name: a}, {name: a}]\n"),
            "2:25: notification config name \"a\" is not unique");
  EXPECT_EQ(problem("route: {receiver: a}\nreceivers: [{name: a}, {webhook_configs: []}]\n"),
            "2:24: missing name in receiver");
  EXPECT_EQ(problem(std::string(kMinimal) + "time_intervals: [{time_intervals: []}]\n"),
            "3:18: missing name in time interval");
  EXPECT_EQ(problem(std::string(kMinimal) + "mute_time_intervals: [{name: ''}]\n"),
            "3:23: missing name in mute time interval");
  EXPECT_EQ(problem(std::string(kMinimal) +
                    "mute_time_intervals: [{name: t}]\ntime_intervals: [{name: t}]\n"),
            "4:19: time interval \"t\" is not unique");
  EXPECT_EQ(problem(std::string(kMinimal) + "mute_time_intervals: [{name: t}, {name: t}]\n"),
            "3:35: mute time interval \"t\" is not unique");
}

TEST(AlertmanagerConfigErrors, TimeIntervalValues) {
  auto interval = [](const std::string& fields) {
    return problem(std::string(kMinimal) +
                   "time_intervals:\n  - name: t\n    time_intervals:\n      - " + fields + "\n");
  };
  EXPECT_EQ(interval("weekdays: [funday]"), "6:20: weekdays: funday is not a valid weekday");
  EXPECT_EQ(interval("times: [{start_time: '23:00', end_time: '25:00'}]"),
            "6:17: times: couldn't parse timestamp 25:00, invalid format");
  EXPECT_EQ(interval("times: [{start_time: '10:00', end_time: '11:00', foo: 1}]"),
            "6:58: field foo not found in times");
  EXPECT_EQ(interval("days_of_month: ['-1:1']"),
            "6:25: days_of_month: end day must be negative if start day is negative");
  EXPECT_EQ(interval("months: [foo]"), "6:18: months: foo is not a valid month");
  EXPECT_EQ(interval("years: ['2025:2020']"),
            "6:17: years: end year 2020 is before start year 2025");
  EXPECT_EQ(interval("location: Mars/Base"), "6:19: location: unknown time zone Mars/Base");
  EXPECT_EQ(interval("hours: ['1']"), "6:9: field hours not found in time_interval");
}

TEST(AlertmanagerConfigErrors, UnknownFieldsEverywhere) {
  EXPECT_EQ(problem(std::string(kMinimal) + "alerts: {}\n"),
            "3:1: field alerts not found in alertmanager configuration");
  EXPECT_EQ(problem("route: {receiver: a, group: x}\nreceivers: [{name: a}]\n"),
            "1:22: field group not found in route");
  EXPECT_EQ(problem("route: {receiver: a}\nreceivers: [{name: a, email: x}]\n"),
            "2:23: field email not found in receiver");
  EXPECT_EQ(problem("global: {smtp_port: 25}\n" + std::string(kMinimal)),
            "1:10: field smtp_port not found in global");
  EXPECT_EQ(problem(std::string(kMinimal) + "inhibit_rules: [{source: x}]\n"),
            "3:18: field source not found in inhibit rule");
  EXPECT_EQ(problem("route: {receiver: a, receiver: a}\nreceivers: [{name: a}]\n"),
            "1:22: route: mapping key \"receiver\" already defined");
}

TEST(AlertmanagerConfigErrors, InhibitRuleLabelNames) {
  EXPECT_EQ(problem(std::string(kMinimal) + "inhibit_rules: [{equal: ['a-b']}]\n"),
            "3:26: equal: \"a-b\" is not a valid label name");
  EXPECT_EQ(problem(std::string(kMinimal) + "inhibit_rules: [{target_match: {9x: y}}]\n"),
            "3:33: target_match: invalid label name \"9x\"");
  EXPECT_EQ(problem(std::string(kMinimal) + "inhibit_rules: [{source_match_re: {x: }}]\n"),
            "3:36: source_match_re: invalid regexp value for \"x\"");
}

TEST(AlertmanagerConfigErrors, EveryProblemIsReportedInOnePass) {
  auto all = alertmanager_yml_problems(R"(global:
  smtp_smarthost: localhost
route:
  receiver: missing
  group_interval: 0s
receivers:
  - name: a
    opsgenie_configs: [{api_key: x}]
  - name: a
)");
  EXPECT_EQ(
      all,
      (std::vector<std::string>{
          std::string(kPath) + ":2:19: smtp_smarthost: address localhost: missing port in address",
          std::string(kPath) + ":8:5: receiver \"a\": opsgenie_configs are not supported by tocsin",
          std::string(kPath) + ":9:5: notification config name \"a\" is not unique",
          std::string(kPath) + ":4:13: undefined receiver \"missing\" used in route",
          std::string(kPath) + ":5:19: group_interval cannot be zero"}));
}

TEST(AlertmanagerConfig, SyntaxErrorsHaveTheirPosition) {
  auto all = alertmanager_yml_problems("route: {receiver: a\nreceivers: []\n");
  ASSERT_EQ(all.size(), 1u);
  EXPECT_TRUE(all[0].starts_with(std::string(kPath) + ":")) << all[0];
  EXPECT_NE(all[0].find("YAML syntax error"), std::string::npos) << all[0];
}

TEST(AlertmanagerConfig, ReadsTheAlertingSectionOfTocsinYml) {
  auto root = yaml::parse(R"(datasource: {url: 'http://prom:9090'}
alerting:
  route:
    receiver: ops
    routes: [{receiver: nobody}]
  receivers: [{name: ops}]
)",
                          "/etc/tocsin/tocsin.yml");
  ASSERT_TRUE(root.has_value());
  yaml::Diagnostics diag("/etc/tocsin/tocsin.yml");
  auto c = read_alertmanager_config((*root)["alerting"], "/etc/tocsin", notifiers::receiver_kinds(),
                                    diag);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->route.options.receiver, "ops");
  ASSERT_EQ(diag.errors().size(), 1u);
  EXPECT_EQ(diag.errors()[0].to_string(),
            "/etc/tocsin/tocsin.yml:5:25: undefined receiver \"nobody\" used in route");
}

TEST(AlertmanagerConfig, LoadsFromAFile) {
  auto c = load_alertmanager_config(TOCSIN_SOURCE_DIR "/examples/alertmanager.yml",
                                    notifiers::receiver_kinds());
  ASSERT_TRUE(c.has_value()) << c.error().front().to_string();
  EXPECT_EQ(c->path, TOCSIN_SOURCE_DIR "/examples/alertmanager.yml");
  EXPECT_FALSE(c->route.routes.empty());
  auto missing =
      load_alertmanager_config("/nonexistent/alertmanager.yml", notifiers::receiver_kinds());
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().front().to_string().find("/nonexistent/alertmanager.yml"),
            std::string::npos);
}

}  // namespace
}  // namespace tocsin::config
