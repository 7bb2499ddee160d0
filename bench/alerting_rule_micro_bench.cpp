// tocsin_alerting_rule_micro_bench: the in-process parts of a rule
// evaluation, without HTTP, so the load driver's figure can be split into
// what the state machine and templates cost and what the query transport
// (HTTP + JSON) costs.
//
// The rules are the load driver's own (rule_file_yaml, read through
// parse_rule_file) and the query answers are what Prometheus returns for them
// (in_memory_query), so the numbers line up with the driver's.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "query/query_response.h"
#include "rules/alerting_rule.h"
#include "rules/group.h"
#include "rules/rule_file.h"
#include "synthetic_workload.h"
#include "template/alert_template.h"

namespace tocsin::bench {
namespace {

using namespace std::chrono_literals;

const Timestamp kDataTime = Timestamp(1'700'000'000'000ms);

WorkloadShape shape_of(int groups, int rules_per_group, int series_per_rule) {
  WorkloadShape shape;
  shape.groups = groups;
  shape.rules_per_group = rules_per_group;
  shape.series_per_rule = series_per_rule;
  return shape;
}

rules::RuleGroupSpec group_spec(const WorkloadShape& shape) {
  rules::RuleFileResult read =
      rules::parse_rule_file(rule_file_yaml(shape, kDataTime), "bench_rules.yml");
  if (!read.errors.empty() || read.file.groups.empty()) {
    fmt::print(stderr, "the synthetic rule file does not load: {}\n",
               read.errors.empty() ? "no groups" : read.errors.front().to_string());
    std::abort();
  }
  return read.file.groups.front();
}

std::unique_ptr<rules::AlertingRule> build_rule(const rules::RuleSpec& spec) {
  auto rule = rules::AlertingRule::build(spec);
  if (!rule) std::abort();
  return std::move(*rule);
}

// One rule selecting state.range(0) series, its alerts already firing: the
// steady state of every evaluation after the first few.
void eval_steady_state(benchmark::State& state, bool with_annotations) {
  WorkloadShape shape = shape_of(1, 1, static_cast<int>(state.range(0)));
  rules::RuleSpec spec = group_spec(shape).rules.front();
  if (!with_annotations) spec.annotations.clear();
  auto rule = build_rule(spec);
  query::QueryFunc query = in_memory_query(shape);
  std::map<std::string, std::string> labels = external_labels();
  std::string url = "http://tocsin.bench:9095";
  rules::EvalContext context{query, labels, url, 0, Duration(0)};

  Timestamp ts = kDataTime;
  for (int i = 0; i <= shape.hold / shape.interval; ++i, ts += shape.interval) {
    if (!rule->eval(ts, context)) state.SkipWithError("evaluation failed");
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(rule->eval(ts, context));
    ts += shape.interval;
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));  // series per second
  state.counters["alerts"] = static_cast<double>(rule->alert_count());
}

void BM_AlertingRuleEval(benchmark::State& state) {
  eval_steady_state(state, true);
}
BENCHMARK(BM_AlertingRuleEval)->Arg(1)->Arg(10)->Arg(100);

void BM_AlertingRuleEvalWithoutAnnotations(benchmark::State& state) {
  eval_steady_state(state, false);
}
BENCHMARK(BM_AlertingRuleEvalWithoutAnnotations)->Arg(1)->Arg(10)->Arg(100);

// Only the in-memory answer (copying the prepared vector), to subtract.
void BM_InMemoryQuery(benchmark::State& state) {
  WorkloadShape shape = shape_of(1, 1, static_cast<int>(state.range(0)));
  query::QueryFunc query = in_memory_query(shape);
  std::string expr = group_spec(shape).rules.front().expr;
  for (auto _ : state) benchmark::DoNotOptimize(query(expr, kDataTime));
}
BENCHMARK(BM_InMemoryQuery)->Arg(1)->Arg(10)->Arg(100);

// One annotation template per alert: the description, the costlier one.
void BM_ExpandDescription(benchmark::State& state) {
  rules::RuleSpec spec = group_spec(shape_of(1, 1, 1)).rules.front();
  const yaml::StringEntry* description = nullptr;
  for (const auto& e : spec.annotations) {
    if (e.key == "description") description = &e;
  }
  auto parsed = tmpl::AlertTemplate::parse(description->value, spec.name);
  if (!parsed) std::abort();
  Labels labels = series_metric(0, 0);
  std::map<std::string, std::string> external = external_labels();
  std::string url = "http://tocsin.bench:9095";
  tmpl::AlertTemplateData data{labels, external, url, series_value(0, 0)};
  for (auto _ : state) benchmark::DoNotOptimize(parsed->expand(data, kDataTime));
}
BENCHMARK(BM_ExpandDescription);

// The body Prometheus 2.42 sends for a rule's query, as bytes on the wire.
std::string prometheus_body(int series) {
  std::string body = R"({"status":"success","data":{"resultType":"vector","result":[)";
  for (int s = 0; s < series; ++s) {
    if (s > 0) body += ',';
    body += R"({"metric":{)";
    bool first = true;
    for (Label l : series_metric(0, s)) {
      body += fmt::format(R"({}"{}":"{}")", first ? "" : ",", l.name, l.value);
      first = false;
    }
    body += fmt::format(R"(}},"value":[1700000000,"{}"]}})", series_value(0, s));
  }
  body += "]}}";
  return body;
}

// What the client does with each answer once it has arrived: JSON to samples.
void BM_DecodeQueryResponse(benchmark::State& state) {
  std::string body = prometheus_body(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(query::decode_query_response(200, body));
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(body.size()));
}
BENCHMARK(BM_DecodeQueryResponse)->Arg(1)->Arg(10)->Arg(100);

// A whole group of 100 rules x 10 series, with the group's bookkeeping.
void BM_RuleGroupEval(benchmark::State& state) {
  WorkloadShape shape = shape_of(1, 100, 10);
  auto group = rules::RuleGroup::build(group_spec(shape), shape.interval);
  if (!group) std::abort();
  rules::GroupEnvironment env;
  env.query = in_memory_query(shape);
  env.external_labels = external_labels();
  env.external_url = "http://tocsin.bench:9095";
  Timestamp ts = kDataTime;
  for (int i = 0; i <= shape.hold / shape.interval; ++i, ts += shape.interval) {
    (*group)->eval(ts, env);
  }
  for (auto _ : state) {
    (*group)->eval(ts, env);
    ts += shape.interval;
  }
  state.SetItemsProcessed(state.iterations() * shape.rules_per_group);  // rules per second
}
BENCHMARK(BM_RuleGroupEval)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tocsin::bench

BENCHMARK_MAIN();
