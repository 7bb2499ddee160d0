// Prometheus 2.42's template functions: expected strings are Prometheus's
// (and Go's) outputs for the same inputs.
#include "template/prometheus_functions.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "template/host_maps.h"
#include "template_test_util.h"

namespace tocsin::tmpl::testing {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Runs `text` with Prometheus's functions and missingkey=zero, as rules do.
std::string prom(std::string_view text, const Value& data = Value(),
                 const QueryFunc* query = nullptr, std::string_view external_url = "",
                 bool html = false) {
  Options options;
  options.missing_key = MissingKey::kZero;
  TemplateSet set("t", html ? prometheus_html_functions() : prometheus_functions(), options);
  if (auto p = set.parse("t", text); !p) return "ERROR: " + p.error().message();
  PrometheusContext context{query, Timestamp{}, external_url};
  std::string out;
  if (auto s = set.execute(out, "t", data, Host::of(context)); !s) {
    return "ERROR: " + s.error().message();
  }
  return out;
}

Value floats(Arena& a, std::initializer_list<double> values) {
  auto* l = a.make<ArenaList>(a, "[]float64");
  for (double v : values) l->items().push_back(Value::floating(v));
  return Value::list(l);
}

Value ints(Arena& a, std::initializer_list<std::int64_t> values) {
  auto* l = a.make<ArenaList>(a, "[]int");
  for (std::int64_t v : values) l->items().push_back(Value::integer(v));
  return Value::list(l);
}

Value uints(Arena& a, std::initializer_list<std::uint64_t> values) {
  auto* l = a.make<ArenaList>(a, "[]uint");
  for (std::uint64_t v : values) l->items().push_back(Value::uinteger(v));
  return Value::list(l);
}

TEST(PrometheusFunctions, Humanize_MatchesPrometheus) {
  Arena a;
  const char* each = "{{ range . }}{{ humanize . }}:{{ end }}";
  EXPECT_EQ(prom(each, floats(a, {0, 1, 1234567, 0.12})), "0:1:1.235M:120m:");
  EXPECT_EQ(prom(each, ints(a, {0, -1, 1, 1234567, std::numeric_limits<std::int64_t>::max()})),
            "0:-1:1:1.235M:9.223E:");
  EXPECT_EQ(prom(each, uints(a, {0, 1, 1234567, std::numeric_limits<std::uint64_t>::max()})),
            "0:1:1.235M:18.45E:");
  EXPECT_EQ(prom("{{ humanize 1234567 }} {{ humanize 0.000012 }} {{ humanize \"1e30\" }}"),
            "1.235M 12u 1e+06Y");
}

TEST(PrometheusFunctions, Humanize1024_MatchesPrometheus) {
  Arena a;
  const char* each = "{{ range . }}{{ humanize1024 . }}:{{ end }}";
  EXPECT_EQ(prom(each, floats(a, {0, 1, 1048576, 0.12})), "0:1:1Mi:0.12:");
  EXPECT_EQ(prom(each, ints(a, {0, -1, 1, 1234567, std::numeric_limits<std::int64_t>::max()})),
            "0:-1:1:1.177Mi:8Ei:");
  EXPECT_EQ(prom(each, uints(a, {0, 1, 1234567, std::numeric_limits<std::uint64_t>::max()})),
            "0:1:1.177Mi:16Ei:");
}

TEST(PrometheusFunctions, HumanizeDuration_MatchesPrometheus) {
  Arena a;
  const char* each = "{{ range . }}{{ humanizeDuration . }}:{{ end }}";
  EXPECT_EQ(prom(each, floats(a, {0, 1, 60, 3600, 86400, 86400 + 3600,
                                  -(3 * 86400 + 3 * 3600 + 4 * 60 + 5) + 86400, 899.99})),
            "0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:1d 1h 0m 0s:-2d 3h 4m 5s:14m 59s:");
  EXPECT_EQ(prom(each, floats(a, {.1, .0001, .12345, 60.1, 60.5, 1.2345, 12.345})),
            "100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:");
  EXPECT_EQ(prom("{{ humanizeDuration 3661 }}"), "1h 1m 1s");
  EXPECT_EQ(prom(each, ints(a, {0, -1, 1, 1234567})), "0s:-1s:1s:14d 6h 56m 7s:");
}

TEST(PrometheusFunctions, NaNAndInf_PrintAsPrometheusDoes) {
  Arena a;
  EXPECT_EQ(prom("{{ range . }}{{ humanize . }}:{{ humanize1024 . }}:{{ humanizeDuration . }}:"
                 "{{ humanizeTimestamp . }}:{{ end }}",
                 floats(a, {kInf, -kInf, std::nan("")})),
            "+Inf:+Inf:+Inf:+Inf:-Inf:-Inf:-Inf:-Inf:NaN:NaN:NaN:NaN:");
  EXPECT_EQ(prom("{{ humanizePercentage \"NaN\" }} {{ humanizePercentage \"-Inf\" }}"),
            "NaN% -Inf%");
}

TEST(PrometheusFunctions, HumanizePercentage_MatchesPrometheus) {
  EXPECT_EQ(prom("{{ -0.22222 | humanizePercentage }}:{{ 0.0 | humanizePercentage }}:"
                 "{{ 0.1234567 | humanizePercentage }}:{{ 1.23456 | humanizePercentage }}"),
            "-22.22%:0%:12.35%:123.5%");
  EXPECT_EQ(prom("{{ humanizePercentage 0.1234 }} {{ \"0.5\" | humanizePercentage }}"),
            "12.34% 50%");
}

TEST(PrometheusFunctions, HumanizeTimestamp_PrintsUtcTimeString) {
  EXPECT_EQ(prom("{{ 1435065584.128 | humanizeTimestamp }}"), "2015-06-23 13:19:44.128 +0000 UTC");
  EXPECT_EQ(prom("{{ \"1435065584.128\" | humanizeTimestamp }}"),
            "2015-06-23 13:19:44.128 +0000 UTC");
  EXPECT_EQ(prom("{{ humanizeTimestamp -1 }}"), "1969-12-31 23:59:59 +0000 UTC");
  EXPECT_EQ(prom("{{ humanizeTimestamp 1e19 }}"),
            "ERROR: template: t:1:3: executing \"t\" at <humanizeTimestamp 1e19>: error calling "
            "humanizeTimestamp: 1e+19 cannot be represented as a nanoseconds timestamp since it "
            "overflows int64");
}

TEST(PrometheusFunctions, ToTime_ReturnsATimeWithMethods) {
  EXPECT_EQ(prom("{{ (1435065584.128 | toTime).Format \"2006\" }} {{ (\"1435065584.128\" | "
                 "toTime).Unix }}"),
            "2015 1435065584");
  EXPECT_EQ(prom("{{ toTime 0 }} {{ printf \"%T\" (toTime 0) }}"),
            "1970-01-01 00:00:00 +0000 UTC *time.Time");
  EXPECT_EQ(prom("{{ toTime \"NaN\" }}"),
            "ERROR: template: t:1:3: executing \"t\" at <toTime \"NaN\">: error calling toTime: "
            "value is NaN or Inf");
}

TEST(PrometheusFunctions, ConvertToFloat_RefusesOtherTypes) {
  EXPECT_EQ(
      prom("{{ humanize \"one\" }}"),
      "ERROR: template: t:1:3: executing \"t\" at <humanize \"one\">: error calling humanize: "
      "strconv.ParseFloat: parsing \"one\": invalid syntax");
  EXPECT_EQ(prom("{{ humanize true }}"),
            "ERROR: template: t:1:3: executing \"t\" at <humanize true>: error calling humanize: "
            "can't convert bool to float");
  EXPECT_EQ(prom("{{ humanize (safeHtml \"1\") }}"),
            "ERROR: template: t:1:3: executing \"t\" at <humanize (safeHtml \"1\")>: error calling "
            "humanize: can't convert template.HTML to float");
  EXPECT_EQ(
      prom("{{ humanize \"1e400\" }}"),
      "ERROR: template: t:1:3: executing \"t\" at <humanize \"1e400\">: error calling humanize: "
      "strconv.ParseFloat: parsing \"1e400\": value out of range");
  EXPECT_EQ(prom("{{ humanize \"1_000\" }} {{ humanize \"0x1p4\" }} {{ humanize \"inf\" }}"),
            "1k 16 +Inf");
  EXPECT_EQ(
      prom("{{ humanize \"0x10\" }}"),
      "ERROR: template: t:1:3: executing \"t\" at <humanize \"0x10\">: error calling humanize: "
      "strconv.ParseFloat: parsing \"0x10\": invalid syntax");
}

TEST(PrometheusFunctions, Strings_TitleUpperLower) {
  EXPECT_EQ(
      prom("{{ \"aa bb CC\" | title }}|{{ \"aa bb CC\" | toUpper }}|{{ \"aA bB CC\" | toLower }}"),
      "Aa Bb CC|AA BB CC|aa bb cc");
  EXPECT_EQ(
      prom("{{ \"élan ǆx_y-z\" | title }}|{{ \"straße é\" | toUpper }}|{{ \"ÉCOLE\" | toLower }}"),
      "Élan ǅx_y-Z|STRAßE É|école");
}

TEST(PrometheusFunctions, Regexp_MatchAndReplaceAllAsGo) {
  EXPECT_EQ(prom("{{ match \"a+\" \"aa\" }} {{ match \"a+\" \"b\" }} {{ match \"^b\" \"ab\" }}"),
            "true false false");
  EXPECT_EQ(prom("{{ reReplaceAll \"(a)b\" \"x$1\" \"ab\" }}"), "xa");
  EXPECT_EQ(prom(R"t({{ reReplaceAll "(?P<n>a)(b)" "${n}-$2-$1x-$$-\\-$9-${2}z-$" "xaby ab" }})t"),
            "xa-b--$-\\--bz-$y a-b--$-\\--bz-$");
  EXPECT_EQ(
      prom("{{ reReplaceAll \"a*\" \"-\" \"baaac\" }} {{ reReplaceAll \"\" \".\" \"héllo\" }}"),
      "-b-c- .h.é.l.l.o.");
  EXPECT_EQ(
      prom("{{ match \"a**\" \"x\" }}"),
      "ERROR: template: t:1:3: executing \"t\" at <match \"a**\" \"x\">: error calling match: "
      "error parsing regexp: invalid nested repetition operator: `**`");
  EXPECT_EQ(prom("{{ reReplaceAll \"x{2,1}\" \"\" \"\" }}"),
            "ERROR: template: t:1:3: executing \"t\" at <reReplaceAll \"x{2,1}\" \"\" \"\">: error "
            "calling reReplaceAll: regexp: Compile(`x{2,1}`): error parsing regexp: invalid repeat "
            "count: `{2,1}`");
}

TEST(PrometheusFunctions, Links_EscapeTheExpression) {
  EXPECT_EQ(prom("{{ graphLink \"up\" }} {{ tableLink \"up\" }} {{ graphLink \"rate(x{a=\\\"b "
                 "c\\\"}[5m])\" }}"),
            "/graph?g0.expr=up&g0.tab=0 /graph?g0.expr=up&g0.tab=1 "
            "/graph?g0.expr=rate%28x%7Ba%3D%22b+c%22%7D%5B5m%5D%29&g0.tab=0");
}

TEST(PrometheusFunctions, StripPortAndDomain_AsNetSplitHostPort) {
  EXPECT_EQ(
      prom("{{ \"foo.example.com\" | stripPort }}|{{ \"foo.example.com:12345\" | stripPort }}|"
           "{{ \"192.0.2.1\" | stripPort }}|{{ \"192.0.2.1:12345\" | stripPort }}|"
           "{{ \"2001:0DB8::1\" | stripPort }}|{{ \"[2001:0DB8::1]:12345\" | stripPort }}|"
           "{{ \"[2001:0DB8::1]::12345\" | stripPort }}"),
      "foo.example.com|foo.example.com|192.0.2.1|192.0.2.1|2001:0DB8::1|2001:0DB8::1|"
      "[2001:0DB8::1]::12345");
  EXPECT_EQ(
      prom("{{ \"foo.example.com\" | stripDomain }}|{{ \"foo.example.com:12345\" | stripDomain }}|"
           "{{ \"192.0.2.1:12345\" | stripDomain }}|{{ \"[2001:0DB8::1]:12345\" | stripDomain }}|"
           "{{ \"foo\" | stripDomain }}"),
      "foo|foo:12345|192.0.2.1:12345|[2001:0DB8::1]:12345|foo");
}

TEST(PrometheusFunctions, Args_BuildsAMapForTemplates) {
  EXPECT_EQ(prom("{{define \"x\"}}{{.arg0}} {{.arg1}}{{end}}{{template \"x\" (args 1 \"2\")}}"),
            "1 2");
  EXPECT_EQ(prom("{{ args 1 \"x\" 2.5 }} {{ (args).arg0 }}|"),
            "map[arg0:1 arg1:x arg2:2.5] <no value>|");
}

TEST(PrometheusFunctions, SafeHtml_IsANamedStringType) {
  EXPECT_EQ(prom("{{ safeHtml \"<b>\" }} {{ printf \"%T\" (safeHtml \"x\") }} {{ eq (safeHtml "
                 "\"a\") \"a\" }}"),
            "<b> template.HTML true");
  EXPECT_EQ(prom("{{ safeHtml \"x\" | toUpper }}"),
            "ERROR: template: t:1:18: executing \"t\" at <toUpper>: wrong type for value; expected "
            "string; got template.HTML");
}

TEST(PrometheusFunctions, ParseDuration_ReturnsSeconds) {
  EXPECT_EQ(prom("{{ parseDuration \"1h30m\" }} {{ parseDuration \"1d\" }} {{ parseDuration "
                 "\"1500ms\" }} {{ parseDuration \"0\" }}"),
            "5400 86400 1.5 0");
  EXPECT_EQ(prom("{{ parseDuration \"\" }}"),
            "ERROR: template: t:1:3: executing \"t\" at <parseDuration \"\">: error calling "
            "parseDuration: empty duration string");
  EXPECT_EQ(prom("{{ parseDuration \"1x\" }}"),
            "ERROR: template: t:1:3: executing \"t\" at <parseDuration \"1x\">: error calling "
            "parseDuration: not a valid duration string: \"1x\"");
}

TEST(PrometheusFunctions, ExternalUrlAndPathPrefix_ComeFromTheContext) {
  EXPECT_EQ(
      prom("{{ externalURL }} {{ pathPrefix }}", Value(), nullptr, "http://host:9090/prom%20x/?q"),
      "http://host:9090/prom%20x/?q /prom x/");
}

TEST(PrometheusFunctions, Tmpl_RunsAnotherTemplateInHtmlMode) {
  EXPECT_EQ(prom("{{ define \"a\" }}x{{ . }}{{ end }}{{ $name := \"a\" }}{{ tmpl $name 1 }}",
                 Value(), nullptr, "", /*html=*/true),
            "x1");
  EXPECT_EQ(prom("{{ tmpl \"a\" 1 }}"), "ERROR: template: t:1: function \"tmpl\" not defined");
}

class QueryFunctions : public ::testing::Test {
 protected:
  QueryFunctions() {
    query_ = [this](std::string_view expr, Timestamp) -> Result<std::vector<QuerySample>> {
      queried_.emplace_back(expr);
      if (expr == "metric") {
        return std::vector<QuerySample>{
            {Labels{{"__name__", "metric"}, {"instance", "b"}}, 21},
            {Labels{{"__name__", "metric"}, {"instance", "a"}, {"__value__", "a"}}, 11}};
      }
      if (expr == "broken") return fail("1:1: parse error: unexpected end of input");
      return std::vector<QuerySample>{};
    };
  }
  std::string run(std::string_view text) { return prom(text, Value(), &query_); }

  QueryFunc query_;
  std::vector<std::string> queried_;
};

TEST_F(QueryFunctions, FirstLabelValueStrvalue) {
  EXPECT_EQ(run("{{ query \"metric\" | first | value }}"), "21");
  EXPECT_EQ(run("{{ query \"metric\" | first | label \"instance\" }}"), "b");
  EXPECT_EQ(run("{{ query \"metric\" | first | label \"foo\" }}|"), "|");
  EXPECT_EQ(run("{{ $x := query \"metric\" | first }}{{ $x.Labels.foo }}|{{ $x.Value }}"), "|21");
  EXPECT_EQ(run("{{ (query \"metric\" | sortByLabel \"instance\" | first) | strvalue }}"), "a");
  EXPECT_EQ(queried_.size(), 5u);
}

TEST_F(QueryFunctions, SortByLabelOrdersStably) {
  EXPECT_EQ(run("{{ range query \"metric\" | sortByLabel \"instance\" "
                "}}{{.Labels.instance}}:{{.Value}}: {{end}}"),
            "a:11: b:21: ");
  EXPECT_EQ(run("{{ with query \"metric\" | first }}{{ . }}{{ end }}"),
            "{map[__name__:metric instance:b] 21}");
}

TEST_F(QueryFunctions, ErrorsReadAsPrometheus) {
  EXPECT_EQ(run("{{ query \"missing\" | first }}"),
            "ERROR: template: t:1:21: executing \"t\" at <first>: error calling first: first() "
            "called on vector with no elements");
  EXPECT_EQ(
      run("{{ (query \"missing\").banana }}"),
      "ERROR: template: t:1:10: executing \"t\" at <\"missing\">: can't evaluate field banana in "
      "type template.queryResult");
  EXPECT_EQ(
      run("{{ query \"broken\" }}"),
      "ERROR: template: t:1:3: executing \"t\" at <query \"broken\">: error calling query: 1:1: "
      "parse error: unexpected end of input");
  EXPECT_EQ(run("{{ label \"x\" nil }}"),
            "ERROR: template: t:1:3: executing \"t\" at <label \"x\" nil>: error calling label: "
            "runtime error: invalid memory address or nil pointer dereference");
}

}  // namespace
}  // namespace tocsin::tmpl::testing
