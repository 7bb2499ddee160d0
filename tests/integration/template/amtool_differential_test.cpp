// Alertmanager is the oracle: every template is rendered by tocsin's
// NotificationTemplates and by `amtool template render` (Debian's
// prometheus-alertmanager 0.25), with the same data, and the outputs must
// be equal byte for byte, in text and in html mode.
//
// Debian's amtool does not embed Alertmanager's default templates; it reads
// them from the files the package installs (/usr/share/prometheus/
// alertmanager/*.tmpl, identical to v0.25.0's template/*.tmpl), so amtool
// gets those files as globs while tocsin uses its own embedded definitions.
#include <cstdlib>
#include <ctime>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/command.h"
#include "support/paths.h"
#include "support/temp_dir.h"
#include "template/notification_data.h"
#include "template/notification_templates.h"

namespace tocsin::tmpl {
namespace {

using nlohmann::json;

std::string amtool_binary() {
  return test::require_tool(test::amtool_binary(), "AMTOOL", "prometheus-alertmanager");
}

constexpr std::string_view kAlertmanagerTemplates = TOCSIN_ALERTMANAGER_TEMPLATES;

// Data sets, as amtool reads them (Alertmanager's template.Data in JSON).
// Label and annotation values carry HTML and URL specials, quotes and
// non-ASCII text; "" stands for amtool's built-in data.
struct DataSet {
  std::string name;
  std::string json;
};

const std::vector<DataSet>& data_sets() {
  static const std::vector<DataSet> sets = {
      {"builtin", ""},
      {"firing", R"json({
  "receiver": "team-X (ops)",
  "status": "firing",
  "alerts": [
    {"status": "firing",
     "labels": {"alertname": "HighLatency", "instance": "db-1:9100", "severity": "page",
                "job": "api<&>\"q'"},
     "annotations": {"summary": "Latency > 2s & rising on <db-1>",
                     "description": "p99 is \"3.5s\" – café ☕ 日本語",
                     "runbook": "https://runbooks.example.com/x?a=1&b=<c> d"},
     "startsAt": "2026-12-05T10:00:00Z", "endsAt": "0001-01-01T00:00:00Z",
     "generatorURL": "http://prom.example.com:9090/graph?g0.expr=up%3D%3D0&x=<y>",
     "fingerprint": "a1b2c3d4e5f60718"},
    {"status": "firing",
     "labels": {"alertname": "HighLatency", "instance": "db-2:9100", "severity": "page",
                "job": "api<&>\"q'"},
     "annotations": {"summary": "Latency > 2s & rising on <db-2>"},
     "startsAt": "2026-12-05T10:01:30.5Z", "endsAt": "0001-01-01T00:00:00Z",
     "generatorURL": "javascript:alert('x')",
     "fingerprint": "0f1e2d3c4b5a6978"}
  ],
  "groupLabels": {"alertname": "HighLatency", "job": "api<&>\"q'"},
  "commonLabels": {"alertname": "HighLatency", "severity": "page", "job": "api<&>\"q'"},
  "commonAnnotations": {},
  "externalURL": "http://am.example.com:9093/prefix"
})json"},
      {"resolved", R"json({
  "receiver": "mail",
  "status": "resolved",
  "alerts": [
    {"status": "resolved",
     "labels": {"alertname": "DiskFull", "mount": "/var/<lib>", "team": "Ünïcode & co"},
     "annotations": {"summary": "Disk 'almost' full", "description": "<b>95%</b> used"},
     "startsAt": "2026-12-05T08:00:00Z", "endsAt": "2026-12-05T09:30:00Z",
     "generatorURL": "https://prom.example.com/graph?g0.expr=disk&g0.tab=1",
     "fingerprint": "1111111111111111"}
  ],
  "groupLabels": {"team": "Ünïcode & co"},
  "commonLabels": {"alertname": "DiskFull", "mount": "/var/<lib>", "team": "Ünïcode & co"},
  "commonAnnotations": {"summary": "Disk 'almost' full", "description": "<b>95%</b> used"},
  "externalURL": "https://am.example.com"
})json"},
      {"mixed", R"json({
  "receiver": "slack.critical",
  "status": "firing",
  "alerts": [
    {"status": "firing",
     "labels": {"alertname": "Down", "instance": "a"},
     "annotations": {"summary": "a is down"},
     "startsAt": "2026-12-05T10:00:00Z", "endsAt": "0001-01-01T00:00:00Z",
     "generatorURL": "http://prom/graph", "fingerprint": "aaaaaaaaaaaaaaaa"},
    {"status": "resolved",
     "labels": {"alertname": "Down", "instance": "b"},
     "annotations": {},
     "startsAt": "2026-12-05T09:00:00Z", "endsAt": "2026-12-05T09:59:59Z",
     "generatorURL": "", "fingerprint": "bbbbbbbbbbbbbbbb"}
  ],
  "groupLabels": {},
  "commonLabels": {"alertname": "Down"},
  "commonAnnotations": {},
  "externalURL": ""
})json"},
  };
  return sets;
}

// RFC 3339 with an optional fraction, in UTC ("Z") as the data sets write it.
std::pair<std::int64_t, std::int32_t> parse_time(const std::string& s) {
  std::tm tm{};
  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  EXPECT_EQ(
      std::sscanf(s.c_str(), "%d-%d-%dT%d:%d:%d", &year, &month, &day, &hour, &minute, &second), 6)
      << s;
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  std::int64_t seconds = timegm(&tm);
  std::int32_t nanos = 0;
  if (auto dot = s.find('.'); dot != std::string::npos) {
    std::string digits;
    for (std::size_t i = dot + 1; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]));
         ++i) {
      digits += s[i];
    }
    digits.resize(9, '0');
    nanos = std::stoi(digits);
  }
  return {seconds, nanos};
}

std::vector<std::pair<std::string, std::string>> pairs(const json& object) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [k, v] : object.items()) out.emplace_back(k, v.get<std::string>());
  return out;
}

// The same data for tocsin, field for field.
std::shared_ptr<const NotificationData> to_data(const DataSet& set) {
  NotificationData::Fields f;
  if (set.json.empty()) {
    // amtool's built-in data (cli/template_render.go's defaultData).
    f.receiver = "receiver";
    f.status = "alertstatus";
    auto alert = [](std::vector<std::pair<std::string, std::string>> labels,
                    std::vector<std::pair<std::string, std::string>> annotations,
                    std::string fingerprint) {
      AlertData a;
      a.status = "alertstatus";
      a.labels = OwnedKV(std::move(labels));
      a.annotations = OwnedKV(std::move(annotations));
      a.generator_url = "https://generatorurl.com";
      a.fingerprint = std::move(fingerprint);
      return a;
    };
    f.alerts.push_back(alert({{"label1", "value1"},
                              {"label2", "value2"},
                              {"instance", "foo.bar:1234"},
                              {"commonlabelkey1", "commonlabelvalue1"},
                              {"commonlabelkey2", "commonlabelvalue2"}},
                             {{"annotation1", "value1"},
                              {"annotation2", "value2"},
                              {"commonannotationkey1", "commonannotationvalue1"},
                              {"commonannotationkey2", "commonannotationvalue2"}},
                             "fingerprint1"));
    f.alerts.push_back(alert({{"foo", "bar"},
                              {"baz", "qux"},
                              {"commonlabelkey1", "commonlabelvalue1"},
                              {"commonlabelkey2", "commonlabelvalue2"}},
                             {{"aaa", "bbb"},
                              {"ccc", "ddd"},
                              {"commonannotationkey1", "commonannotationvalue1"},
                              {"commonannotationkey2", "commonannotationvalue2"}},
                             "fingerprint2"));
    f.group_labels = {{"grouplabelkey1", "grouplabelvalue1"},
                      {"grouplabelkey2", "grouplabelvalue2"}};
    f.common_labels = {{"commonlabelkey1", "commonlabelvalue1"},
                       {"commonlabelkey2", "commonlabelvalue2"}};
    f.common_annotations = {{"commonannotationkey1", "commonannotationvalue1"},
                            {"commonannotationkey2", "commonannotationvalue2"}};
    f.external_url = "https://example.com";
    return NotificationData::from_fields(std::move(f));
  }
  json j = json::parse(set.json);
  f.receiver = j["receiver"];
  f.status = j["status"];
  for (const json& a : j["alerts"]) {
    AlertData& d = f.alerts.emplace_back();
    d.status = a["status"];
    d.labels = OwnedKV(pairs(a["labels"]));
    d.annotations = OwnedKV(pairs(a["annotations"]));
    std::tie(d.starts_at_seconds, d.starts_at_nanos) = parse_time(a["startsAt"]);
    std::tie(d.ends_at_seconds, d.ends_at_nanos) = parse_time(a["endsAt"]);
    d.generator_url = a["generatorURL"];
    d.fingerprint = a["fingerprint"];
  }
  f.group_labels = pairs(j["groupLabels"]);
  f.common_labels = pairs(j["commonLabels"]);
  f.common_annotations = pairs(j["commonAnnotations"]);
  f.external_url = j["externalURL"];
  return NotificationData::from_fields(std::move(f));
}

// The user's template file both sides load.
constexpr std::string_view kUserTemplates = R"({{/* user templates */}}
{{ define "user.text" }}{{ range .Alerts }}[{{ .Status | title }}] {{ .Labels.alertname }} on {{ .Labels.instance }}: {{ .Annotations.summary }}
  since {{ .StartsAt }} ends {{ .EndsAt }} fp={{ .Fingerprint }}
  labels: {{ range .Labels.SortedPairs }}{{ .Name }}={{ .Value }} {{ end }}
  names: {{ .Labels.Names | join "," }} values: {{ .Labels.Values | join "," }}
{{ end }}{{ end }}
{{ define "user.functions" }}{{ toUpper .Status }} {{ toLower "MiXeD ÄÖ" }} {{ title "hello wORLD foo_bar a.b" }}
{{ match "^team" .Receiver }} {{ reReplaceAll "[aeiou]" "_" .Receiver }} {{ stringSlice "a" "b" | join "+" }}
{{ safeHtml "<b>x</b>" }} {{ .CommonLabels.Remove (stringSlice "alertname") }} {{ .GroupLabels }}
{{ len .Alerts.Firing }}/{{ len .Alerts.Resolved }} {{ .CommonLabels.SortedPairs }}{{ end }}
{{ define "user.html" }}<h1 title="{{ .CommonAnnotations.summary }}">{{ .Status | toUpper }} {{ .CommonAnnotations.description }}</h1>
<a href="{{ .ExternalURL }}/#/alerts?receiver={{ .Receiver }}&x={{ .CommonLabels.job }}">open</a>
<a href={{ .ExternalURL }}>bare</a> <a class='{{ .Status }}' href='{{ .CommonLabels.job }}'>rel</a>
{{ range .Alerts }}<li data-fp="{{ .Fingerprint }}"><a href="{{ .GeneratorURL }}">{{ .Labels.alertname }}</a> {{ .Annotations.summary }} {{ .Annotations.description | safeHtml }}</li>
{{ end }}{{ if eq .Status "firing" }}<b>{{ len .Alerts.Firing }} firing</b>{{ else }}<i>{{ .Status }}</i>{{ end }}
{{ with .CommonLabels.severity }}<em>{{ . }}</em>{{ else }}<em>none</em>{{ end }}
<textarea>{{ .CommonLabels.job }}</textarea><title>{{ template "__subject" . }}</title>
<p title="{{ template "user.inner" . }}">{{ template "user.inner" . }}</p>
<div>{{ .Receiver | html }}</div><a href="/q?r={{ .Receiver | urlquery }}">q</a>
<img src="{{ .ExternalURL }}/logo.png" alt="{{ .Receiver }}"><!-- a comment {{ .Receiver }} -->
{{ end }}
{{ define "user.inner" }}{{ .Receiver }} & <{{ .CommonLabels.alertname }}>{{ end }}
{{ define "user.script" }}<script>var r = "{{ .Receiver }}"; var n = {{ len .Alerts }}; var s = {{ .Status }};</script>
<style>p { color: {{ .Status }}; }</style>{{ end }}
{{ define "user.loops" }}{{ range .Alerts }}<a href="{{ .GeneratorURL }}">{{ .Status }}{{ if eq .Status "resolved" }}{{ continue }}{{ end }} <i>{{ .Labels.instance }}</i></a>{{ end }}
{{ range $i, $a := .Alerts }}{{ if gt $i 0 }}{{ break }}{{ end }}<p title="{{ $a.Annotations.summary }}">{{ $i }}</p>{{ end }}{{ end }}
{{ define "user.bad_branch" }}{{ if .Receiver }}<a href="{{ end }}x">{{ end }}
{{ define "user.bad_end" }}<a href="{{ .Receiver }}{{ end }}
)";

struct Case {
  std::string name;
  std::string text;
  bool html = false;
};

std::vector<Case> cases() {
  std::vector<Case> out;
  // Every template Alertmanager 0.25 defines, in text mode.
  for (const char* name : {"__alertmanager",
                           "__alertmanagerURL",
                           "__subject",
                           "__description",
                           "slack.default.title",
                           "slack.default.username",
                           "slack.default.fallback",
                           "slack.default.callbackid",
                           "slack.default.pretext",
                           "slack.default.titlelink",
                           "slack.default.iconemoji",
                           "slack.default.iconurl",
                           "slack.default.text",
                           "slack.default.footer",
                           "pagerduty.default.description",
                           "pagerduty.default.client",
                           "pagerduty.default.clientURL",
                           "opsgenie.default.message",
                           "opsgenie.default.description",
                           "opsgenie.default.source",
                           "wechat.default.message",
                           "wechat.default.to_user",
                           "wechat.default.to_party",
                           "wechat.default.to_tag",
                           "wechat.default.agent_id",
                           "victorops.default.state_message",
                           "victorops.default.entity_display_name",
                           "victorops.default.monitoring_tool",
                           "pushover.default.title",
                           "pushover.default.message",
                           "pushover.default.url",
                           "sns.default.subject",
                           "sns.default.message",
                           "telegram.default.message",
                           "discord.default.title",
                           "discord.default.message",
                           "webex.default.message",
                           "email.default.subject",
                           "email.default.html"}) {
    std::string id = name;
    for (char& c : id) {
      if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    }
    out.push_back({"text_" + id, std::string("{{ template \"") + name + "\" . }}", false});
  }
  // Alertmanager's PagerDuty config calls this one with a list of alerts.
  out.push_back({"text_pagerduty_default_instances_firing",
                 "{{ template \"pagerduty.default.instances\" .Alerts.Firing }}", false});
  out.push_back({"text_pagerduty_default_instances_resolved",
                 "{{ template \"pagerduty.default.instances\" .Alerts.Resolved }}", false});
  out.push_back(
      {"text_alert_list_firing", "{{ template \"__text_alert_list\" .Alerts.Firing }}", false});
  out.push_back(
      {"text_alert_list_resolved", "{{ template \"__text_alert_list\" .Alerts.Resolved }}", false});
  // What the notifiers render as HTML.
  out.push_back({"html_email_default_html", "{{ template \"email.default.html\" . }}", true});
  out.push_back({"html_email_default_subject", "{{ template \"email.default.subject\" . }}", true});
  out.push_back({"html_subject", "{{ template \"__subject\" . }}", true});
  out.push_back({"html_alertmanager_url", "{{ template \"__alertmanagerURL\" . }}", true});
  out.push_back({"html_text_alert_list", "{{ template \"__text_alert_list\" .Alerts }}", true});
  // The user's own templates.
  for (const char* name :
       {"user.text", "user.functions", "user.html", "user.script", "user.loops"}) {
    std::string id = name;
    id[4] = '_';
    out.push_back({"text_" + id, std::string("{{ template \"") + name + "\" . }}", false});
    out.push_back({"html_" + id, std::string("{{ template \"") + name + "\" . }}", true});
  }
  out.push_back({"html_inline",
                 "<p>{{ .Receiver }}</p><a href=\"{{ .ExternalURL }}?{{ .Status }}\">"
                 "{{ .CommonLabels.alertname }}</a>",
                 true});
  // Go 1.19.8 escapes a backtick in a JS string (CVE-2023-24538).
  out.push_back({"html_js_string_backtick",
                 "<script>var s = \"{{ \"a`b'c\" }}\"; var r = '{{ .Receiver }}`';</script>",
                 true});
  out.push_back({"html_bad_branch", "{{ template \"user.bad_branch\" . }}", true});
  out.push_back({"html_bad_end", "{{ template \"user.bad_end\" . }}", true});
  out.push_back({"html_inline_bad_end", "<a href=\"{{ .Receiver }}", true});
  out.push_back({"text_undefined", "{{ template \"nope\" . }}", false});
  out.push_back({"html_undefined", "{{ template \"nope\" . }}", true});
  return out;
}

struct Param {
  std::size_t data;
  Case c;
};

// What GoogleTest (and so ctest's test list) shows for a case: its name,
// not the bytes of the struct.
void PrintTo(const Param& param, std::ostream* out) {
  *out << data_sets()[param.data].name << "_" << param.c.name;
}

std::vector<Param> params() {
  std::vector<Param> out;
  for (std::size_t d = 0; d < data_sets().size(); ++d) {
    for (const Case& c : cases()) {
      // amtool's built-in alerts start at time.Now(), printed with its
      // monotonic reading: nothing to compare a printed time with.
      if (data_sets()[d].json.empty() && c.name.ends_with("user_text")) continue;
      out.push_back({d, c});
    }
  }
  return out;
}

class AmtoolDifferentialTest : public ::testing::TestWithParam<Param> {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir("amtool-render");
    user_file_ = new std::string(dir_->write("user.tmpl", kUserTemplates));
    for (const DataSet& set : data_sets()) {
      data_files_.push_back(set.json.empty() ? "" : dir_->write(set.name + ".json", set.json));
    }
  }
  static void TearDownTestSuite() {
    delete user_file_;
    delete dir_;
    data_files_.clear();
  }

  static test::TempDir* dir_;
  static std::string* user_file_;
  static std::vector<std::string> data_files_;
};

test::TempDir* AmtoolDifferentialTest::dir_ = nullptr;
std::string* AmtoolDifferentialTest::user_file_ = nullptr;
std::vector<std::string> AmtoolDifferentialTest::data_files_;

TEST_P(AmtoolDifferentialTest, RendersAsAmtool) {
  const std::string amtool = amtool_binary();
  ASSERT_FALSE(amtool.empty()) << "amtool not found (install prometheus-alertmanager)";
  const Param& p = GetParam();
  const DataSet& set = data_sets()[p.data];

  std::vector<std::string> argv = {amtool,
                                   "template",
                                   "render",
                                   "--template.glob=" + std::string(kAlertmanagerTemplates),
                                   "--template.glob=" + *user_file_,
                                   "--template.text=" + p.c.text};
  if (p.c.html) argv.push_back("--template.type=html");
  if (!data_files_[p.data].empty()) argv.push_back("--template.data=" + data_files_[p.data]);
  test::CommandResult expected = test::run_command(argv);
  ASSERT_FALSE(expected.timed_out);

  auto templates = NotificationTemplates::load({*user_file_}, "");
  ASSERT_TRUE(templates.has_value()) << templates.error().to_string();
  auto data = to_data(set);
  auto actual =
      p.c.html ? (*templates)->html(p.c.text, *data) : (*templates)->text(p.c.text, *data);

  if (expected.success()) {
    ASSERT_TRUE(actual.has_value()) << actual.error().message();
    EXPECT_EQ(*actual, expected.stdout_text);
  } else {
    // amtool prints "amtool: error: <Go's error>".
    std::string message = expected.stderr_text;
    constexpr std::string_view kPrefix = "amtool: error: ";
    ASSERT_TRUE(message.starts_with(kPrefix)) << message;
    message = message.substr(kPrefix.size());
    while (!message.empty() && message.back() == '\n') message.pop_back();
    ASSERT_FALSE(actual.has_value()) << "amtool failed with: " << message;
    EXPECT_EQ(actual.error().message(), message);
  }
}

INSTANTIATE_TEST_SUITE_P(Templates, AmtoolDifferentialTest, ::testing::ValuesIn(params()),
                         [](const ::testing::TestParamInfo<Param>& param) {
                           return data_sets()[param.param.data].name + "_" + param.param.c.name;
                         });

// A user file that does not parse: both name the file's base name and line.
TEST(AmtoolDifferentialErrors, ParseErrorNamesFileAndLine) {
  const std::string amtool = amtool_binary();
  ASSERT_FALSE(amtool.empty());
  test::TempDir dir("amtool-parse");
  std::string file = dir.write("broken.tmpl", "{{ define \"a\" }}ok{{ end }}\n\n{{ if }}\n");
  test::CommandResult expected = test::run_command(
      {amtool, "template", "render", "--template.glob=" + std::string(kAlertmanagerTemplates),
       "--template.glob=" + file, "--template.text={{ template \"a\" . }}"});
  ASSERT_FALSE(expected.success());
  auto loaded = NotificationTemplates::load({file}, "");
  ASSERT_FALSE(loaded.has_value());
  // kingpin ends amtool's error with an empty line.
  EXPECT_EQ("amtool: error: " + loaded.error().message() + "\n\n", expected.stderr_text);
  EXPECT_EQ(loaded.error().position().file, file);
  EXPECT_EQ(loaded.error().position().line, 3);
}

}  // namespace
}  // namespace tocsin::tmpl
