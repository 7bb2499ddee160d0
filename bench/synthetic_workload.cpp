#include "synthetic_workload.h"

#include <charconv>
#include <memory>
#include <vector>

#include <fmt/format.h>

namespace tocsin::bench {
namespace {

std::int64_t unix_seconds(Timestamp t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::string instance_of(int rule, int series) {
  return fmt::format("10.{}.{}.{}:9100", (rule >> 8) & 255, rule & 255, series + 1);
}

// The rule index in `expr`, read from its `rule="r00042"` matcher; -1 if none.
int rule_in_expr(std::string_view expr) {
  constexpr std::string_view kMatcher = "rule=\"r";
  std::size_t at = expr.find(kMatcher);
  if (at == std::string_view::npos) return -1;
  const char* begin = expr.data() + at + kMatcher.size();
  int rule = -1;
  auto [end, ec] = std::from_chars(begin, expr.data() + expr.size(), rule);
  if (ec != std::errc() || end == begin) return -1;
  return rule;
}

}  // namespace

std::map<std::string, std::string> external_labels() {
  return {{"cluster", "bench-eu1"}, {"replica", "a"}};
}

std::string rule_id(int rule) {
  return fmt::format("r{:05}", rule);
}

Labels series_metric(int rule, int series) {
  LabelsBuilder b;
  b.set(kMetricNameLabel, kMetricName);
  b.set("instance", instance_of(rule, series));
  b.set("job", "node");
  b.set("rule", rule_id(rule));
  b.set("shard", std::to_string(series));
  return b.labels();
}

double series_value(int rule, int series) {
  // Spread over 1.0 .. 100.9 so $value | humanize prints varied numbers.
  return 1.0 + static_cast<double>((rule * 7919 + series * 104729) % 1000) / 10.0;
}

std::string rule_expr(int rule, Timestamp data_time) {
  return fmt::format(R"({}{{rule="{}"}} @ {} > 0)", kMetricName, rule_id(rule),
                     unix_seconds(data_time));
}

std::string openmetrics_text(const WorkloadShape& shape, Timestamp data_time) {
  std::string out;
  out.reserve(static_cast<std::size_t>(shape.series()) * 3 * 96);
  out += fmt::format("# TYPE {} gauge\n", kMetricName);
  std::int64_t t = unix_seconds(data_time);
  for (int rule = 0; rule < shape.rules(); ++rule) {
    for (int s = 0; s < shape.series_per_rule; ++s) {
      std::string series = fmt::format(R"({}{{instance="{}",job="node",rule="{}",shard="{}"}})",
                                       kMetricName, instance_of(rule, s), rule_id(rule), s);
      double v = series_value(rule, s);
      // Three points a minute apart: realistic chunks, one value read.
      fmt::format_to(std::back_inserter(out), "{} {} {}\n", series, v + 0.2, t - 120);
      fmt::format_to(std::back_inserter(out), "{} {} {}\n", series, v + 0.1, t - 60);
      fmt::format_to(std::back_inserter(out), "{} {} {}\n", series, v, t);
    }
  }
  out += "# EOF\n";
  return out;
}

std::string rule_file_yaml(const WorkloadShape& shape, Timestamp data_time) {
  std::string out = "groups:\n";
  for (int g = 0; g < shape.groups; ++g) {
    out += fmt::format("  - name: bench-g{:03}\n    interval: {}\n    rules:\n", g,
                       format_duration(shape.interval));
    for (int r = 0; r < shape.rules_per_group; ++r) {
      int rule = g * shape.rules_per_group + r;
      fmt::format_to(std::back_inserter(out),
                     "      - alert: BenchValueHigh{:05}\n"
                     "        expr: '{}'\n"
                     "        for: {}\n"
                     "        labels:\n"
                     "          severity: {}\n"
                     "          team: team-{}\n",
                     rule, rule_expr(rule, data_time), format_duration(shape.hold),
                     rule % 5 == 0 ? "critical" : "warning", g % 10);
      if (!shape.annotations) continue;
      out +=
          "        annotations:\n"
          "          summary: \"{{ $labels.instance }} of job {{ $labels.job }} is above zero\"\n"
          "          description: \"bench_value of rule {{ $labels.rule }} on shard "
          "{{ $labels.shard }} is {{ $value | humanize }} in cluster "
          "{{ $externalLabels.cluster }}\"\n";
    }
  }
  return out;
}

std::string recording_rule_file_yaml(const WorkloadShape& shape, Timestamp data_time) {
  std::string out = "groups:\n";
  for (int g = 0; g < shape.groups; ++g) {
    out += fmt::format("  - name: bench-g{:03}\n    interval: {}\n    rules:\n", g,
                       format_duration(shape.interval));
    for (int r = 0; r < shape.rules_per_group; ++r) {
      int rule = g * shape.rules_per_group + r;
      fmt::format_to(std::back_inserter(out),
                     "      - record: bench:value:{}\n"
                     "        expr: '{}'\n"
                     "        labels:\n"
                     "          team: team-{}\n",
                     rule_id(rule), rule_expr(rule, data_time), g % 10);
    }
  }
  return out;
}

query::QueryFunc in_memory_query(const WorkloadShape& shape) {
  auto answers = std::make_shared<std::vector<query::Vector>>(shape.rules());
  for (int rule = 0; rule < shape.rules(); ++rule) {
    for (int s = 0; s < shape.series_per_rule; ++s) {
      (*answers)[rule].push_back(query::Sample{series_metric(rule, s), series_value(rule, s), {}});
    }
  }
  return [answers](std::string_view expr, Timestamp at) -> query::QueryResult {
    int rule = rule_in_expr(expr);
    if (rule < 0 || rule >= static_cast<int>(answers->size())) {
      return std::unexpected(query::QueryError{"bad_data", fmt::format("unknown query {}", expr)});
    }
    query::Vector out = (*answers)[rule];
    for (query::Sample& sample : out) sample.timestamp = at;
    return out;
  };
}

}  // namespace tocsin::bench
