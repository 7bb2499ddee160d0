// Prometheus itself is the oracle: tocsin expands a rule's labels and
// annotations for a few series, writes its results as the expectations of a
// `promtool test rules` file, and promtool (Prometheus 2.42) must agree.
// Parse errors are checked against `promtool check rules`.
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "gocompat/strconv.h"
#include "support/command.h"
#include "support/paths.h"
#include "support/temp_dir.h"
#include "template/alert_template.h"

namespace tocsin::tmpl {
namespace {

constexpr std::string_view kAlertName = "TemplateDiff";
constexpr std::string_view kMetric = "metric_a";

using test::CommandResult;
using test::TempDir;

std::string promtool() {
  return test::require_tool(test::promtool_binary(), "PROMTOOL", "prometheus");
}

// A YAML scalar: JSON strings are valid YAML and escape everything needed.
std::string yaml_string(std::string_view s) {
  return nlohmann::json(std::string(s)).dump();
}

struct Series {
  std::map<std::string, std::string> labels;  // without __name__
  std::string value;                          // as promtool reads it
  double number;
};

// The series the rule fires for: values and label values chosen to hit
// humanize's ranges, Go's float printing and odd characters.
std::vector<Series> test_series() {
  auto series = [](std::string name, std::string value, double number) {
    return Series{{{"case", name},
                   {"job", "api"},
                   {"instance", "host-" + std::to_string(name.size()) + ".example.com:9090"},
                   {"path", "/a b&c?d=é"},
                   {"odd", "Ünïcødé \"q\" \\ x\ty"}},
                  std::move(value),
                  number};
  };
  return {series("big", "1234567", 1234567),
          series("pct", "0.1234", 0.1234),
          series("dur", "3661", 3661),
          series("tiny", "0.000012", 0.000012),
          series("neg", "-42.5", -42.5),
          series("zero", "0", 0),
          series("ts", "1700000000.123", 1700000000.123),
          series("huge", "1.5e+21", 1.5e21),
          series("kib", "1048576", 1048576)};
}

// Annotation templates, by name. Some fail at run time on purpose.
std::vector<std::pair<std::string, std::string>> annotation_templates() {
  return {
      {"value", "{{ $value }}|{{ .Value }}"},
      {"humanize", "{{ humanize $value }}"},
      {"humanize1024", "{{ humanize1024 $value }}"},
      {"humanize_duration", "{{ humanizeDuration $value }}"},
      {"humanize_percentage", "{{ humanizePercentage $value }}"},
      {"humanize_timestamp", "{{ humanizeTimestamp $value }}"},
      {"humanize_strings",
       R"t({{ humanize "1234.5" }} {{ humanize 1234 }} {{ humanizeDuration "0.5" }} {{ humanize "NaN" }} {{ humanize "+Inf" }} {{ humanizeDuration "-Inf" }} {{ humanize1024 "-inf" }} {{ humanizePercentage "Inf" }} {{ humanizeTimestamp "NaN" }} {{ humanizeTimestamp 0.001 }} {{ humanizeDuration -3661.5 }} {{ humanize -0.0012 }})t"},
      {"printf",
       R"t({{ printf "%.2f|%e|%g|%8.3f|%-9.1f|%d|%s|%v|%5.3g|%x" $value $value $value $value $value $value $value $value $value $value }})t"},
      {"printf_strings",
       R"t({{ printf "%q|%x|%5s|%-5s|%05d|%c|%t|%%|%U" $labels.odd $labels.job $labels.job $labels.case 42 65 true 9731 }})t"},
      {"printf_mismatch",
       R"t({{ printf "%d %s" "foo" }} {{ printf "%s" 1 2 }} {{ printf "%!" }})t"},
      {"case_functions",
       "{{ $labels.job | toUpper }} {{ toLower $labels.odd }} {{ title $labels.path }} {{ title "
       "\"hello wORLD-foo_bar\" }}"},
      {"range_labels", "{{ range $k, $v := $labels }}{{ $k }}={{ $v }};{{ end }}"},
      {"print_maps", "{{ $labels }} {{ $externalLabels }} {{ args 1 \"x\" $value true }}"},
      {"external", "{{ $externalLabels.region }} {{ $externalURL }} {{ .ExternalURL }}"},
      {"regex",
       R"t({{ reReplaceAll "host-(\\d+)\\.(?P<domain>[a-z]+)" "${domain}_$1x$1 \\ $$ $9 ${" $labels.instance }}|{{ if match "^host-[0-9]+" $labels.instance }}matched{{ else }}no{{ end }}|{{ match "EXAMPLE" $labels.instance }}|{{ reReplaceAll "a*" "-" "baaac" }})t"},
      {"host",
       "{{ $labels.instance | stripPort }} {{ stripDomain $labels.instance }} {{ stripPort "
       "\"[::1]:80\" }} {{ stripDomain \"10.0.0.1:80\" }} {{ stripPort \"nope\" }}"},
      {"query",
       R"t({{ with query "metric_a{case=\"big\"}" }}{{ . | first | value | humanize }} {{ (first .).Labels.job }} {{ . | first | label "case" }}{{ end }})t"},
      {"query_range",
       R"t({{ range query "metric_a" | sortByLabel "case" }}{{ label "case" . }}={{ .Value }} {{ end }})t"},
      {"links", "{{ graphLink \"rate(x{a=\\\"b\\\"}[5m])\" }} {{ tableLink $labels.path }}"},
      {"durations",
       "{{ parseDuration \"1h30m\" }} {{ parseDuration \"90d\" }} {{ parseDuration \"0\" }} {{ "
       "parseDuration \"1500ms\" }}"},
      {"to_time",
       "{{ (toTime $value).Format \"2006-01-02T15:04:05.000Z07:00 Mon Jan _2\" }} {{ (toTime "
       "$value).Unix }}"},
      {"escapers",
       "{{ safeHtml \"<b>\" }} {{ html \"<b>&'\\\"\" }} {{ js \"a'b<c>=\" }} {{ urlquery \"a "
       "b/c&d\" }}"},
      {"builtins",
       R"t({{ len $labels }} {{ index $labels "job" }} {{ slice $labels.job 1 }} {{ eq $labels.case "big" "pct" }} {{ lt $value 100.0 }} {{ and $labels.job 0 }} {{ or "" $labels.case }} {{ not $value }} {{ ne 1 2 }} {{ print 1 2 "a" "b" }} {{ println "x" }})t"},
      {"missing_keys",
       "{{ $labels.missing }}|{{ index $labels \"missing\" }}|{{ $externalLabels.nope }}|{{ with "
       "$labels.missing }}x{{ else }}empty{{ end }}"},
      {"control",
       "{{ range $i, $c := args \"a\" \"b\" \"c\" }}{{ if eq $i \"arg1\" }}{{ continue }}{{ end "
       "}}{{ $c }}{{ end }} {{ $x := 1 }}{{ if $value }}{{ $x = 2 }}{{ end }}{{ $x }} {{ with "
       "$labels.case }}{{ . }}{{ end }} {{ if eq $labels.case \"big\" }}B{{ else if eq "
       "$labels.case \"pct\" }}P{{ else }}O{{ end }}"},
      {"trim", "a  {{- /* comment */ -}}  b {{- 1 }} {{ 2 -}}\n c"},
      {"define",
       "{{ define \"x\" }}[{{ . }}]{{ end }}{{ template \"x\" $labels.case }}{{ block \"y\" $value "
       "}}<{{ . }}>{{ end }}"},
      {"numbers",
       "{{ 1e3 }} {{ 0x1F }} {{ 'a' }} {{ 1_000 }} {{ -0.5 }} {{ 0o17 }} {{ 1.0 }} {{ 100000000.0 "
       "}} {{ 0.00001 }}"},
      {"multiline", "line one\n{{ $labels.case }}\n\tline three {{ printf \"%v\" $value }}"},
      // Failures at run time: the "<error expanding template: ...>" text must match.
      {"fail_humanize", "{{ humanize \"x\" }}"},
      {"fail_index", "{{ index $labels.job 10 }}"},
      {"fail_field", "{{ .Foo }}"},
      {"fail_compare", "{{ if gt $value 100 }}gt{{ end }}"},
      {"fail_first", "{{ first (query \"metric_a{case=\\\"nope\\\"}\") }}"},
      {"fail_regexp", "{{ reReplaceAll \"(\" \"x\" \"y\" }}"},
      {"fail_match", "{{ match \"[a\" \"x\" }}"},
      {"fail_duration", "{{ parseDuration \"1x\" }}"},
      {"fail_to_time", "{{ toTime \"soon\" }}"},
      {"fail_args", "{{ humanize }}"},
      {"fail_type", "{{ toUpper 1 }}"},
      {"fail_convert", "{{ humanize true }}"},
      {"fail_len", "{{ len $labels.missing.x }}"},
      {"fail_template", "{{ template \"nope\" }}"},
      {"fail_call", "{{ printf \"%d\" (humanize1024 \"q\") }}"},
      {"fail_range", "{{ range $value }}{{ end }}"},
  };
}

std::vector<std::pair<std::string, std::string>> label_templates() {
  return {{"severity", "page"}, {"summary", "{{ $labels.case }}-{{ humanize $value }}"}};
}

// The query function templates get: answers the selectors the templates use
// from the same series promtool loads.
QueryFunc fake_query(const std::vector<Series>& series) {
  return [&series](std::string_view expr, Timestamp) -> Result<std::vector<QuerySample>> {
    std::string wanted_case;
    if (expr != kMetric) {
      std::string prefix = std::string(kMetric) + "{case=\"";
      if (!expr.starts_with(prefix) || !expr.ends_with("\"}")) return fail("unsupported query");
      wanted_case = std::string(expr.substr(prefix.size(), expr.size() - prefix.size() - 2));
    }
    std::vector<QuerySample> out;
    for (const Series& s : series) {
      if (!wanted_case.empty() && s.labels.at("case") != wanted_case) continue;
      std::map<std::string, std::string> with_name = s.labels;
      with_name["__name__"] = std::string(kMetric);
      out.push_back(QuerySample{Labels::from_map(with_name), s.number});
    }
    return out;
  };
}

std::string series_selector(const Series& s) {
  std::string out = std::string(kMetric) + "{";
  bool first = true;
  for (const auto& [k, v] : s.labels) {
    if (!first) out += ",";
    first = false;
    out += k + "=" + gocompat::quote(v);
  }
  return out + "}";
}

std::string yaml_map(const std::vector<std::pair<std::string, std::string>>& entries,
                     std::string_view indent) {
  std::string out;
  for (const auto& [k, v] : entries) {
    out += std::string(indent) + yaml_string(k) + ": " + yaml_string(v) + "\n";
  }
  return out;
}

TEST(PromtoolDifferential, AlertTemplatesExpandExactlyAsPrometheus) {
  std::string tool = promtool();
  ASSERT_FALSE(tool.empty()) << "promtool is not installed (Debian package prometheus)";
  TempDir dir;
  const std::vector<Series> series = test_series();
  const auto annotations = annotation_templates();
  const auto labels = label_templates();
  const std::map<std::string, std::string> external_labels = {{"region", "eu-1"}, {"odd", "a\"b"}};
  const std::string external_url = "http://tocsin.example:9090/prom";

  // The rule file.
  std::string rules = "groups:\n  - name: differential\n    rules:\n";
  rules += "      - alert: " + std::string(kAlertName) + "\n";
  rules += "        expr: " + std::string(kMetric) + "\n";
  rules += "        labels:\n" + yaml_map(labels, "          ");
  rules += "        annotations:\n" + yaml_map(annotations, "          ");
  dir.write("rules.yml", rules);

  // Our expansions, written as promtool's expectations.
  std::vector<std::pair<std::string, AlertTemplate>> parsed_labels, parsed_annotations;
  for (const auto& [k, v] : labels) {
    auto t = AlertTemplate::parse(v, kAlertName);
    ASSERT_TRUE(t.has_value()) << k << ": " << t.error().message();
    parsed_labels.emplace_back(k, std::move(*t));
  }
  for (const auto& [k, v] : annotations) {
    auto t = AlertTemplate::parse(v, kAlertName);
    ASSERT_TRUE(t.has_value()) << k << ": " << t.error().message();
    parsed_annotations.emplace_back(k, std::move(*t));
  }
  QueryFunc query = fake_query(series);
  ExpansionCounters counters;
  const Timestamp eval_time{};  // promtool evaluates from the Unix epoch

  std::string test = "rule_files:\n  - rules.yml\nevaluation_interval: 1m\ntests:\n";
  test += "  - interval: 1m\n";
  test += "    external_url: " + yaml_string(external_url) + "\n";
  test += "    external_labels:\n";
  for (const auto& [k, v] : external_labels)
    test += "      " + yaml_string(k) + ": " + yaml_string(v) + "\n";
  test += "    input_series:\n";
  for (const Series& s : series) {
    test += "      - series: " + yaml_string(series_selector(s)) + "\n";
    test += "        values: " + yaml_string(s.value + "+0x2") + "\n";
  }
  test +=
      "    alert_rule_test:\n      - eval_time: 0m\n        alertname: " + std::string(kAlertName) +
      "\n        exp_alerts:\n";
  std::size_t errors_seen = 0;
  for (const Series& s : series) {
    std::map<std::string, std::string> with_name = s.labels;
    with_name["__name__"] = std::string(kMetric);
    Labels metric = Labels::from_map(with_name);
    AlertTemplateData data{metric, external_labels, external_url, s.number};
    std::vector<std::pair<std::string, std::string>> exp_labels(s.labels.begin(), s.labels.end());
    for (const auto& [k, t] : parsed_labels) {
      exp_labels.emplace_back(k, t.expand(data, eval_time, query, &counters));
    }
    exp_labels.emplace_back("alertname", std::string(kAlertName));
    std::vector<std::pair<std::string, std::string>> exp_annotations;
    for (const auto& [k, t] : parsed_annotations) {
      std::string text = t.expand(data, eval_time, query, &counters);
      if (k.starts_with("fail_")) {
        EXPECT_TRUE(
            text.starts_with("<error expanding template: error executing template __alert_"))
            << k << ": " << text;
      }
      errors_seen += text.starts_with("<error expanding template:");
      exp_annotations.emplace_back(k, std::move(text));
    }
    test += "          - exp_labels:\n" + yaml_map(exp_labels, "              ");
    test += "            exp_annotations:\n" + yaml_map(exp_annotations, "              ");
  }
  dir.write("test.yml", test);

  EXPECT_EQ(counters.total.load(), series.size() * (labels.size() + annotations.size()));
  EXPECT_EQ(counters.failures.load(), errors_seen);
  CommandResult r = test::run_command({tool, "test", "rules", "test.yml"}, std::chrono::seconds(60),
                                      {}, dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.output << "\n--- test.yml ---\n" << test;
  EXPECT_NE(r.output.find("SUCCESS"), std::string::npos) << r.output;
}

TEST(PromtoolDifferential, ParseErrorsMatchPromtoolCheckRules) {
  std::string tool = promtool();
  ASSERT_FALSE(tool.empty()) << "promtool is not installed (Debian package prometheus)";
  const std::vector<std::pair<std::string, std::string>> broken = {
      {"unclosed", "{{ $labels.job"},
      {"unknown_function", "x {{ nosuchfunc 1 }}"},
      {"undefined_variable", "{{ $nope }}"},
      {"stray_end", "text {{ end }}"},
      {"missing_end", "{{ if $value }}x"},
      {"bad_number", "{{ 1a }}"},
      {"multiline", "line 1\nline 2 {{ if }}\n{{ end }}"},
      {"bad_character", "{{ $labels.job# }}"},
      {"unexpected_paren", "{{ ) }}"},
      {"break_outside_range", "{{ break }}"},
  };
  for (const auto& [name, text] : broken) {
    SCOPED_TRACE(name);
    auto parsed = AlertTemplate::parse(text, "Broken");
    ASSERT_FALSE(parsed.has_value());
    TempDir dir;
    std::string rules =
        "groups:\n  - name: g\n    rules:\n      - alert: Broken\n        expr: up\n";
    rules +=
        "        annotations:\n          " + yaml_string(name) + ": " + yaml_string(text) + "\n";
    dir.write("rules.yml", rules);
    CommandResult r = test::run_command({tool, "check", "rules", "rules.yml"},
                                        std::chrono::seconds(60), {}, dir.path());
    EXPECT_NE(r.exit_code, 0) << r.output;
    std::string expected = "annotation \"" + name + "\": " + parsed.error().message();
    EXPECT_NE(r.output.find(expected), std::string::npos)
        << "tocsin: " << expected << "\npromtool: " << r.output;
  }
}

}  // namespace
}  // namespace tocsin::tmpl
