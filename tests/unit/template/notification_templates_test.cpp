// NotificationTemplates: Alertmanager's data model, its functions, its
// default templates, user files on top, and html/template's escaping in
// each HTML context. Expected outputs were taken from `amtool template
// render` (Alertmanager 0.25); tests/integration/template compares the two
// programs directly.
#include "template/notification_templates.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "template/notification_data.h"

namespace tocsin::tmpl {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

Timestamp at(std::int64_t unix_seconds) {
  return Timestamp(std::chrono::seconds(unix_seconds));
}

constexpr std::int64_t kNow = 1'796'464'800;  // 2026-12-05T10:00:00Z

// A directory of template files, removed afterwards.
class Files {
 public:
  Files() {
    std::string pattern = (fs::temp_directory_path() / "tocsin-nt-XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
  }
  ~Files() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string write(const std::string& name, std::string_view text) const {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

 private:
  fs::path dir_;
};

std::shared_ptr<const NotificationTemplates> load(const std::vector<std::string>& files = {},
                                                  std::string external_url = "") {
  auto t = NotificationTemplates::load(files, std::move(external_url));
  EXPECT_TRUE(t.has_value()) << t.error().to_string();
  return t.has_value() ? *t : nullptr;
}

// One firing and one resolved alert, as the dispatcher hands them over.
std::vector<notify::Alert> two_alerts() {
  notify::Alert firing;
  firing.labels = Labels{{"alertname", "Down"}, {"instance", "a<1>"}, {"job", "api"}};
  firing.annotations = Labels{{"summary", "a & b"}, {"team", "ops"}};
  firing.starts_at = at(kNow - 600);
  firing.generator_url = "http://prom/graph?g0.expr=up";
  notify::Alert resolved;
  resolved.labels = Labels{{"alertname", "Down"}, {"instance", "b"}, {"job", "api"}};
  resolved.annotations = Labels{{"team", "ops"}};
  resolved.starts_at = at(kNow - 3600);
  resolved.ends_at = at(kNow - 60);
  return {firing, resolved};
}

notify::Context context() {
  notify::Context c;
  c.receiver = "team.ops (a|b)";
  c.group_labels = Labels{{"alertname", "Down"}};
  c.now = at(kNow);
  c.external_url = "http://am:9093";
  return c;
}

std::string render(const NotificationTemplates& t, std::string_view text, bool html = false) {
  auto alerts = two_alerts();
  auto data = t.data(context(), alerts);
  auto out = html ? t.html(text, *data) : t.text(text, *data);
  return out.has_value() ? *out : "ERROR: " + out.error().message();
}

// --- The data model --------------------------------------------------------

TEST(NotificationDataTest, BuildsAlertmanagersData) {
  auto t = load();
  EXPECT_EQ(render(*t, "{{ .Receiver }}|{{ .Status }}|{{ .ExternalURL }}"),
            "team\\.ops \\(a\\|b\\)|firing|http://am:9093");
  EXPECT_EQ(render(*t, "{{ len .Alerts }} {{ len .Alerts.Firing }} {{ len .Alerts.Resolved }}"),
            "2 1 1");
  EXPECT_EQ(render(*t,
                   "{{ range .Alerts }}{{ .Status }} {{ .Fingerprint }} {{ .StartsAt }} "
                   "{{ .EndsAt }}|{{ end }}"),
            "firing " + notify::fingerprint_string(two_alerts()[0].fingerprint()) +
                " 2026-12-05 09:50:00 +0000 UTC 0001-01-01 00:00:00 +0000 UTC|resolved " +
                notify::fingerprint_string(two_alerts()[1].fingerprint()) +
                " 2026-12-05 09:00:00 +0000 UTC 2026-12-05 09:59:00 +0000 UTC|");
  EXPECT_EQ(render(*t, "{{ .GroupLabels }}|{{ .CommonLabels }}|{{ .CommonAnnotations }}"),
            "map[alertname:Down]|map[alertname:Down job:api]|map[team:ops]");
  EXPECT_EQ(render(*t,
                   "{{ range .Alerts.Firing }}{{ .Labels.instance }}{{ end }}/"
                   "{{ range .Alerts.Resolved }}{{ .Labels.instance }}{{ end }}"),
            "a<1>/b");
  EXPECT_EQ(render(*t, "{{ (index .Alerts 0).GeneratorURL }}"), "http://prom/graph?g0.expr=up");
}

// tocsin's acknowledgements reach each alert as .Acknowledged,
// .AcknowledgedBy and .AcknowledgeComment, without changing how an alert
// prints or marshals (Alertmanager's seven fields).
TEST(NotificationDataTest, AnAlertTellsWhoAcknowledgedIt) {
  auto t = load();
  auto alerts = two_alerts();
  notify::Context c = context();
  c.acknowledged.emplace(alerts[0].fingerprint(), notify::AcknowledgementInfo{"alice", "on it"});
  auto data = t->data(c, alerts);
  EXPECT_EQ(t->text("{{ range .Alerts }}{{ .Acknowledged }} {{ .AcknowledgedBy }} "
                    "{{ .AcknowledgeComment }}|{{ end }}",
                    *data)
                .value(),
            "true alice on it|false  |");
  auto plain = t->data(context(), alerts);
  EXPECT_EQ(t->text("{{ index .Alerts 0 }}", *data).value(),
            t->text("{{ index .Alerts 0 }}", *plain).value());
}

TEST(NotificationDataTest, ResolvedWhenEveryAlertIs) {
  auto t = load();
  auto alerts = two_alerts();
  alerts.erase(alerts.begin());
  auto data = t->data(context(), alerts);
  EXPECT_EQ(t->text("{{ .Status }} {{ len .Alerts.Firing }}", *data).value(), "resolved 0");
}

TEST(NotificationDataTest, ExternalUrlOfLoadWins) {
  auto t = load({}, "https://other.example.com");
  EXPECT_EQ(render(*t, "{{ .ExternalURL }}"), "https://other.example.com");
}

TEST(NotificationDataTest, KVMethods) {
  auto t = load();
  EXPECT_EQ(render(*t, "{{ .CommonLabels.SortedPairs }}"), "[{alertname Down} {job api}]");
  EXPECT_EQ(render(*t, "{{ range .CommonLabels.SortedPairs }}{{ .Name }}={{ .Value }};{{ end }}"),
            "alertname=Down;job=api;");
  EXPECT_EQ(render(*t, "{{ .CommonLabels.Names }} {{ .CommonLabels.Values }}"),
            "[alertname job] [Down api]");
  EXPECT_EQ(
      render(*t, "{{ .CommonLabels.SortedPairs.Names }} {{ .CommonLabels.SortedPairs.Values }}"),
      "[alertname job] [Down api]");
  EXPECT_EQ(render(*t, "{{ .CommonLabels.Remove .GroupLabels.Names }}"), "map[job:api]");
  EXPECT_EQ(render(*t, "{{ .CommonLabels.Remove (stringSlice \"job\" \"nope\") }}"),
            "map[alertname:Down]");
  // missingkey=zero: a missing label is "".
  EXPECT_EQ(render(*t, "[{{ .CommonLabels.nope }}][{{ index .CommonLabels \"nope\" }}]"), "[][]");
}

TEST(NotificationDataTest, FromFieldsKeepsWhatItIsGiven) {
  NotificationData::Fields f;
  f.receiver = "a.b";
  f.status = "alertstatus";
  f.common_labels = {{"b", "2"}, {"a", "1"}, {"a", "3"}};
  auto data = NotificationData::from_fields(std::move(f));
  auto t = load();
  EXPECT_EQ(t->text("{{ .Receiver }} {{ .Status }} {{ .CommonLabels }}", *data).value(),
            "a.b alertstatus map[a:3 b:2]");
}

// --- Functions -------------------------------------------------------------

TEST(AlertmanagerFunctionsTest, EachFunction) {
  auto t = load();
  EXPECT_EQ(render(*t, "{{ toUpper \"abc\" }}|{{ toLower \"ÀBC\" }}"), "ABC|àbc");
  EXPECT_EQ(render(*t, "{{ title \"hello wORLD foo_bar a.b 1st\" }}"),
            "Hello World Foo_bar A.b 1St");
  EXPECT_EQ(
      render(*t,
             "{{ stringSlice \"a\" \"b\" | join \"-\" }}|{{ join \",\" .CommonLabels.Values }}"),
      "a-b|Down,api");
  EXPECT_EQ(render(*t, "{{ match \"^team\" .Receiver }} {{ match \"x\" \"y\" }}"), "true false");
  EXPECT_EQ(render(*t, "{{ reReplaceAll \"(a)\" \"[$1]\" \"banana\" }}"), "b[a]n[a]n[a]");
  EXPECT_EQ(render(*t, "{{ safeHtml \"<x>\" }}"), "<x>");
  EXPECT_EQ(render(*t, "[{{ trimSpace \"  a b \\n\" }}]"), "[a b]");
  EXPECT_EQ(render(*t, "{{ humanizeDuration 90 }}|{{ humanizeDuration 0.25 }}"), "1m 30s|250ms");
  EXPECT_EQ(render(*t, "{{ range .Alerts.Firing }}{{ since .StartsAt }}{{ end }}"), "10m0s");
  EXPECT_EQ(render(*t,
                   "{{ range .Alerts.Firing }}{{ date \"2006-01-02 15:04 MST\" .StartsAt }}|"
                   "{{ (tz \"Europe/Berlin\" .StartsAt).Format \"15:04 MST\" }}{{ end }}"),
            "2026-12-05 09:50 UTC|10:50 CET");
  EXPECT_EQ(render(*t, "{{ join \",\" .CommonLabels }}"),
            "ERROR: template: :1:12: executing \"\" at <.CommonLabels>: wrong type for value; "
            "expected []string; got template.KV");
  EXPECT_EQ(render(*t, "{{ tz \"Nowhere/City\" .ExternalURL }}").substr(0, 6), "ERROR:");
}

// --- Default templates and user files --------------------------------------

TEST(NotificationTemplatesTest, DefaultTemplates) {
  auto t = load();
  EXPECT_EQ(render(*t, "{{ template \"__subject\" . }}"), "[FIRING:1] Down (api)");
  EXPECT_EQ(
      render(*t, "{{ template \"slack.default.fallback\" . }}"),
      "[FIRING:1] Down (api) | http://am:9093/#/alerts?receiver=team%5C.ops+%5C%28a%5C%7Cb%5C%29");
  EXPECT_EQ(render(*t,
                   "{{ template \"slack.default.username\" . }}|"
                   "{{ template \"slack.default.text\" . }}|"),
            "Alertmanager||");
  EXPECT_EQ(render(*t, "{{ template \"pagerduty.default.instances\" .Alerts.Firing }}"),
            "Labels:\n - alertname = Down\n - instance = a<1>\n - job = api\nAnnotations:\n"
            " - summary = a & b\n - team = ops\nSource: http://prom/graph?g0.expr=up\n");
  EXPECT_EQ(
      render(*t, "{{ template \"opsgenie.default.description\" . }}"),
      "ops\nAlerts Firing:\nLabels:\n - alertname = Down\n - instance = a<1>\n - job = api\n"
      "Annotations:\n - summary = a & b\n - team = ops\nSource: http://prom/graph?g0.expr=up\n"
      "\nAlerts Resolved:\nLabels:\n - alertname = Down\n - instance = b\n - job = api\n"
      "Annotations:\n - team = ops\nSource: \n");
  EXPECT_EQ(render(*t, "{{ template \"email.default.subject\" . }}"), "[FIRING:1] Down (api)");
  std::string email = render(*t, "{{ template \"email.default.html\" . }}", true);
  EXPECT_NE(email.find("<title>[FIRING:1] Down (api)</title>"), std::string::npos) << email;
  EXPECT_NE(email.find("instance = a&lt;1&gt;<br"), std::string::npos);
  EXPECT_EQ(email.find("<!--"), std::string::npos);  // html/template drops comments
  EXPECT_EQ(render(*t, ""), "");
  EXPECT_EQ(render(*t, "  "), "  ");
}

TEST(NotificationTemplatesTest, UserFilesOverrideDefaultsInOrder) {
  Files files;
  std::string a = files.write("a.tmpl",
                              "{{ define \"__subject\" }}A {{ .Status }}{{ end }}"
                              "{{ define \"mine\" }}mine-a{{ end }}");
  std::string b = files.write("b.tmpl", "{{ define \"mine\" }}mine-b{{ end }}");
  auto t = load({a, b});
  EXPECT_EQ(render(*t, "{{ template \"slack.default.title\" . }}|{{ template \"mine\" . }}"),
            "A firing|mine-b");
}

TEST(NotificationTemplatesTest, ParseErrorNamesFileAndLine) {
  Files files;
  std::string path = files.write("broken.tmpl", "{{ define \"a\" }}ok{{ end }}\n\n{{ if }}\n");
  auto t = NotificationTemplates::load({path}, "");
  ASSERT_FALSE(t.has_value());
  EXPECT_EQ(t.error().message(), "template: broken.tmpl:3: missing value for if");
  EXPECT_EQ(t.error().position().file, path);
  EXPECT_EQ(t.error().position().line, 3);
}

TEST(NotificationTemplatesTest, MissingFileIsAnError) {
  auto t = NotificationTemplates::load({"/nonexistent/x.tmpl"}, "");
  ASSERT_FALSE(t.has_value());
  EXPECT_EQ(t.error().position().file, "/nonexistent/x.tmpl");
}

TEST(NotificationTemplatesTest, RenderErrors) {
  auto t = load();
  EXPECT_EQ(
      render(*t, "{{ template \"nope\" . }}"),
      "ERROR: template: :1:12: executing \"\" at <{{template \"nope\" .}}>: template \"nope\" "
      "not defined");
  EXPECT_EQ(render(*t, "{{ .Nope }}"),
            "ERROR: template: :1:3: executing \"\" at <.Nope>: can't evaluate field Nope in type "
            "*template.Data");
  EXPECT_EQ(render(*t, "{{ if }}"), "ERROR: template: :1: missing value for if");
}

// The base set is never changed by a render: html escaping works on copies.
TEST(NotificationTemplatesTest, RendersDoNotLeakIntoEachOther) {
  Files files;
  std::string path = files.write("u.tmpl", "{{ define \"x\" }}<{{ .Status }}>{{ end }}");
  auto t = load({path});
  EXPECT_EQ(render(*t, "<p title=\"{{ template \"x\" . }}\">", true), "<p title=\"<firing>\">");
  EXPECT_EQ(render(*t, "{{ template \"x\" . }}", true), "&lt;firing>");
  EXPECT_EQ(render(*t, "{{ template \"x\" . }}"), "<firing>");
  EXPECT_EQ(render(*t, "{{ define \"x\" }}y{{ end }}{{ template \"x\" . }}"), "y");
  EXPECT_EQ(render(*t, "{{ template \"x\" . }}"), "<firing>");
}

// --- html/template escaping ------------------------------------------------

// Renders `text` as html with data whose receiver is r<&>"' (amtool's
// outputs for the same data are the expectations).
std::string html(std::string_view text) {
  NotificationData::Fields f;
  f.receiver = "r<&>\"'";
  f.status = "firing";
  AlertData& a = f.alerts.emplace_back();
  a.status = "firing";
  a.labels = OwnedKV(std::vector<std::pair<std::string, std::string>>{{"a", "x y"}});
  a.generator_url = "javascript:x()";
  f.common_labels = {{"a", "x y"}};
  f.external_url = "http://h/p?q=1&r=2";
  auto data = NotificationData::from_fields(std::move(f));
  auto t = load();
  auto out = t->html(text, *data);
  return out.has_value() ? *out : "ERROR: " + out.error().message();
}

TEST(HtmlEscapingTest, Text) {
  EXPECT_EQ(html("<b>{{ .Receiver }}</b>"), "<b>r&lt;&amp;&gt;&#34;&#39;</b>");
  EXPECT_EQ(html("{{ $x := .Receiver }}<b>{{ $x }}</b>"), "<b>r&lt;&amp;&gt;&#34;&#39;</b>");
  EXPECT_EQ(html("{{ safeHtml \"<b>ok</b>\" }} <p title=\"{{ safeHtml \"<b>ok</b>\" }}\">"),
            "<b>ok</b> <p title=\"ok\">");
  EXPECT_EQ(html("<!-- c {{ .Receiver }} -->x"), "x");
}

TEST(HtmlEscapingTest, Attributes) {
  EXPECT_EQ(html("<p title=\"{{ .Receiver }}\">"), "<p title=\"r&lt;&amp;&gt;&#34;&#39;\">");
  EXPECT_EQ(html("<p title='{{ .Receiver }}'>"), "<p title='r&lt;&amp;&gt;&#34;&#39;'>");
  EXPECT_EQ(html("<p title={{ .Receiver }}>"), "<p title=r&lt;&amp;&gt;&#34;&#39;>");
  EXPECT_EQ(html("<p title={{ .CommonLabels.a }}>"), "<p title=x&#32;y>");
  EXPECT_EQ(html("<a {{ .Receiver }}>"), "<a ZgotmplZ>");
  EXPECT_EQ(html("<a onclick=\"f({{ .Receiver }})\">"),
            "<a onclick=\"f(&#34;r\\u003c\\u0026\\u003e\\&#34;&#39;&#34;)\">");
}

TEST(HtmlEscapingTest, Urls) {
  EXPECT_EQ(html("<a href=\"{{ (index .Alerts 0).GeneratorURL }}\">"), "<a href=\"#ZgotmplZ\">");
  EXPECT_EQ(html("<a href=\"{{ .ExternalURL }}\">"), "<a href=\"http://h/p?q=1&amp;r=2\">");
  EXPECT_EQ(html("<a href=\"/x?q={{ .Receiver }}\">"), "<a href=\"/x?q=r%3c%26%3e%22%27\">");
  EXPECT_EQ(html("<a href=\"/x/{{ .Receiver }}\">"), "<a href=\"/x/r%3c&amp;%3e%22%27\">");
  EXPECT_EQ(html("<img srcset=\"{{ .ExternalURL }} 2x\">"),
            "<img srcset=\"http://h/p?q=1&amp;r=2 2x\">");
  EXPECT_EQ(html("<a href=\"{{ if .Receiver }}/a?{{ end }}{{ .Receiver }}\">"),
            "ERROR: html/template::1:42: {{.Receiver}} appears in an ambiguous context within a "
            "URL");
}

TEST(HtmlEscapingTest, RcdataScriptAndStyle) {
  EXPECT_EQ(html("<title>{{ .Receiver }}</title>"), "<title>r&lt;&amp;&gt;&#34;&#39;</title>");
  EXPECT_EQ(html("<textarea>{{ .Receiver }}</textarea>"),
            "<textarea>r&lt;&amp;&gt;&#34;&#39;</textarea>");
  EXPECT_EQ(html("<script>var x = {{ .Receiver }}; var y = \"{{ .Receiver }}\";</script>"),
            "<script>var x = \"r\\u003c\\u0026\\u003e\\\"'\"; var y = "
            "\"r\\u003c\\u0026\\u003e\\u0022\\u0027\";</script>");
  EXPECT_EQ(html("<style>p { color: {{ .Receiver }} }</style>"),
            "<style>p { color: ZgotmplZ }</style>");
  EXPECT_EQ(html("<script>var s = `{{ .Receiver }}`;</script>"),
            "ERROR: html/template::1:20: {{.Receiver}} appears in a JS template literal");
}

TEST(HtmlEscapingTest, PredefinedEscapers) {
  EXPECT_EQ(html("{{ .Receiver | html }}"), "r&lt;&amp;&gt;&#34;&#39;");
  EXPECT_EQ(html("{{ html .Receiver .Status }}"), "r&lt;&amp;&gt;&#34;&#39;firing");
  EXPECT_EQ(html("{{ .Receiver | urlquery }}"), "r%3C%26%3E%22%27");
  EXPECT_EQ(html("<a href=\"/x?q={{ .Receiver | urlquery }}\">"),
            "<a href=\"/x?q=r%3C%26%3E%22%27\">");
  EXPECT_EQ(html("{{ .Receiver | html | toUpper }}"),
            "ERROR: html/template::1:3: predefined escaper \"html\" disallowed in template");
  EXPECT_EQ(html("<p title={{ .Receiver | html }}>"),
            "ERROR: html/template::1:12: predefined escaper \"html\" disallowed in template");
}

TEST(HtmlEscapingTest, BranchesJoinOrFail) {
  EXPECT_EQ(html("{{ if .Receiver }}<b>{{ else }}<i>{{ end }}{{ .Status }}"), "<b>firing");
  EXPECT_EQ(html("{{ with .CommonLabels.a }}<p title=\"{{ . }}\">{{ end }}"), "<p title=\"x y\">");
  EXPECT_EQ(html("{{ if .Receiver }}<a href=\"{{ end }}x\">"),
            "ERROR: html/template::1:6: {{if}} branches end in different contexts: {stateURL "
            "delimDoubleQuote urlPartNone jsCtxRegexp attrURL elementNone <nil>}, {stateText "
            "delimNone urlPartNone jsCtxRegexp attrNone elementNone <nil>}");
  EXPECT_EQ(html("{{ range .Alerts }}<a href=\"{{ end }}x\">"),
            "ERROR: html/template::1:9: on range loop re-entry: {{range}} branches end in "
            "different contexts: {stateURL delimDoubleQuote urlPartNone jsCtxRegexp attrURL "
            "elementNone <nil>}, {stateTag delimNone urlPartNone jsCtxRegexp attrNone elementNone "
            "<nil>}");
  EXPECT_EQ(html("<a href=\"{{ .Receiver }}"),
            "ERROR: html/template: ends in a non-text context: {stateURL delimDoubleQuote "
            "urlPartNone jsCtxRegexp attrURL elementNone <nil>}");
}

TEST(HtmlEscapingTest, BreakAndContinue) {
  EXPECT_EQ(html("{{ range .Alerts }}<a href=\"{{ .GeneratorURL }}\">{{ break }}</a>{{ end }}"),
            "<a href=\"#ZgotmplZ\">");
  EXPECT_EQ(html("{{ range .Alerts }}{{ if .Status }}{{ continue }}{{ end }}<b>{{ .Status }}</b>"
                 "{{ end }}"),
            "");
}

TEST(HtmlEscapingTest, TemplateCallsAreSpecialisedPerContext) {
  EXPECT_EQ(
      html("{{ define \"T\" }}{{ .Receiver }} <i>{{ end }}<p title=\"{{ template \"T\" . }}\">"
           "{{ template \"T\" . }}</i>"),
      "<p title=\"r&lt;&amp;&gt;&#34;&#39; <i>\">r&lt;&amp;&gt;&#34;&#39; <i></i>");
  // Recursion reaches a fixed point.
  EXPECT_EQ(html("{{ define \"R\" }}{{ if . }}<b>{{ template \"R\" (slice . 1) }}</b>{{ end }}"
                 "{{ end }}{{ template \"R\" .Alerts }}"),
            "<b></b>");
  EXPECT_EQ(html("{{ template \"nope\" . }}"),
            "ERROR: html/template::1:12: no such template \"nope\"");
}

}  // namespace
}  // namespace tocsin::tmpl
