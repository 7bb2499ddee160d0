// Alerting-rule templates as Prometheus 2.42 expands them (rules/alerting.go).
#include "template/alert_template.h"

#include <thread>

#include <gtest/gtest.h>

namespace tocsin::tmpl {
namespace {

const std::map<std::string, std::string> kExternalLabels = {{"region", "eu-1"}};
const std::string kExternalUrl = "http://tocsin.example/prom";

AlertTemplate parse(std::string_view text, std::string_view alert = "HighErrors") {
  auto t = AlertTemplate::parse(text, alert);
  EXPECT_TRUE(t.has_value()) << (t ? "" : t.error().message());
  return std::move(*t);
}

std::string expand(const AlertTemplate& t, const Labels& labels, double value,
                   ExpansionCounters* counters = nullptr) {
  return t.expand(AlertTemplateData{labels, kExternalLabels, kExternalUrl, value}, Timestamp{},
                  QueryFunc(), counters);
}

TEST(AlertTemplate, Expand_DefinitionsAreAvailable) {
  Labels labels{{"__name__", "errors"}, {"job", "api"}};
  AlertTemplate t = parse(
      "{{ $labels.job }} {{ $value }} {{ $externalLabels.region }} {{ $externalURL }} {{ .Value }} "
      "{{ humanize $value }}");
  EXPECT_EQ(expand(t, labels, 1234567),
            "api 1.234567e+06 eu-1 http://tocsin.example/prom 1.234567e+06 1.235M");
}

TEST(AlertTemplate, Expand_MissingLabelsAreEmpty) {
  AlertTemplate t = parse("[{{ $labels.nope }}][{{ .Labels.nope }}][{{ $externalLabels.nope }}]");
  EXPECT_EQ(expand(t, Labels{{"job", "api"}}, 1), "[][][]");
}

TEST(AlertTemplate, Expand_FailureTextMatchesPrometheus) {
  AlertTemplate t = parse("{{ humanize \"x\" }}", "A");
  EXPECT_EQ(expand(t, Labels{}, 1),
            "<error expanding template: error executing template __alert_A: template: "
            "__alert_A:1:115: executing \"__alert_A\" at <humanize \"x\">: error calling humanize: "
            "strconv.ParseFloat: parsing \"x\": invalid syntax>");
}

TEST(AlertTemplate, Expand_LiteralTextIsReturnedAsIs) {
  AlertTemplate t = parse("no actions here $labels");
  EXPECT_TRUE(t.is_literal());
  EXPECT_EQ(t.source(), "no actions here $labels");
  EXPECT_EQ(expand(t, Labels{}, 0), "no actions here $labels");
}

TEST(AlertTemplate, Counters_CountExpansionsAndFailures) {
  ExpansionCounters counters;
  AlertTemplate ok = parse("{{ $value }}");
  AlertTemplate literal = parse("static");
  AlertTemplate bad = parse("{{ index $labels.job 9 }}");
  Labels labels{{"job", "api"}};
  expand(ok, labels, 1, &counters);
  expand(literal, labels, 1, &counters);
  expand(bad, labels, 1, &counters);
  expand(bad, labels, 1, &counters);
  EXPECT_EQ(counters.total.load(), 4u);
  EXPECT_EQ(counters.failures.load(), 2u);
}

TEST(AlertTemplate, ParseError_ReadsAsGoWithPositionInUserText) {
  auto t = AlertTemplate::parse("{{ .Labels.job", "Bad");
  ASSERT_FALSE(t.has_value());
  EXPECT_EQ(t.error().message(), "template: __alert_Bad:1: unclosed action");
  EXPECT_EQ(t.error().position().line, 1);
  EXPECT_EQ(t.error().position().column, 15);

  auto multi = AlertTemplate::parse("first line\n  {{ nosuch 1 }}", "Bad");
  ASSERT_FALSE(multi.has_value());
  EXPECT_EQ(multi.error().message(), "template: __alert_Bad:2: function \"nosuch\" not defined");
  EXPECT_EQ(multi.error().position().line, 2);
  EXPECT_EQ(multi.error().position().column, 6);
}

TEST(AlertTemplate, ParseError_TmplIsNotARuleFunction) {
  auto t = AlertTemplate::parse("{{ tmpl \"x\" . }}", "A");
  ASSERT_FALSE(t.has_value());
  EXPECT_EQ(t.error().message(), "template: __alert_A:1: function \"tmpl\" not defined");
}

// A query client shaped like tocsin's (an expected<vector<Sample>, Error>
// whose error has to_string()), adapted without glue by expand().
struct FakeError {
  std::string to_string() const { return "bad_data: parse error"; }
};
struct FakeSample {
  Labels metric;
  double value;
};

TEST(AlertTemplate, Query_AdaptsOtherQueryFunctionShapes) {
  auto client = [](std::string_view expr,
                   Timestamp at) -> std::expected<std::vector<FakeSample>, FakeError> {
    if (expr == "broken") return std::unexpected(FakeError{});
    EXPECT_EQ(at, Timestamp(std::chrono::seconds(60)));
    return std::vector<FakeSample>{{Labels{{"instance", "a"}}, 0.25}};
  };
  AlertTemplate t = parse(
      "{{ with query \"up\" | first }}{{ .Labels.instance }}={{ .Value | humanizePercentage }}{{ "
      "end }}");
  Labels labels;
  AlertTemplateData data{labels, kExternalLabels, kExternalUrl, 0};
  EXPECT_EQ(t.expand(data, Timestamp(std::chrono::seconds(60)), client), "a=25%");
  AlertTemplate broken = parse("{{ query \"broken\" }}", "Q");
  EXPECT_EQ(broken.expand(data, Timestamp{}, client),
            "<error expanding template: error executing template __alert_Q: template: "
            "__alert_Q:1:115: executing \"__alert_Q\" at <query \"broken\">: error calling query: "
            "bad_data: parse error>");
}

TEST(AlertTemplate, Expand_IsSafeFromManyThreads) {
  AlertTemplate t = parse(
      "{{ range $k, $v := $labels }}{{ $k }}={{ $v | toUpper }};{{ end }}{{ humanize $value }}"
      "{{ if gt $value 10.0 }} big{{ end }}");
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      Labels labels{{"job", "api"}, {"shard", std::to_string(i)}};
      std::string want = "job=API;shard=" + std::to_string(i) + ";" + std::to_string(i * 100) +
                         (i * 100 > 10 ? " big" : "");
      for (int n = 0; n < 2000; ++n) {
        if (expand(t, labels, i * 100) != want) ++mismatches;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

}  // namespace
}  // namespace tocsin::tmpl
