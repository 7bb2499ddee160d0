// tocsin_remote_write_micro_bench: the in-process parts of remote write and
// of recording rules, without HTTP, so that the load driver's figures
// (tocsin_remote_write_bench) can be split up:
//   - encoding a request (protobuf, then snappy), per sample;
//   - a queue's whole path (push, the sender thread's batching and
//     encoding) with a receiver that accepts at once, per sample;
//   - what recording rules and ALERTS series add to a group's evaluation:
//     the same group evaluated with and without an appender, the query
//     answered from memory.
#include <thread>

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <prometheus/registry.h>

#include "remote/write_queue.h"
#include "remote/write_request.h"
#include "rules/group.h"
#include "rules/rule_file.h"
#include "synthetic_workload.h"

namespace tocsin::bench {
namespace {

using namespace std::chrono_literals;

const Timestamp kDataTime = Timestamp(1'700'000'000'000ms);

// Series as a recording rule writes them: a name and five labels.
std::vector<SeriesSample> recorded_samples(std::size_t n, Timestamp at) {
  std::vector<SeriesSample> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    LabelsBuilder b(series_metric(static_cast<int>(i / 10), static_cast<int>(i % 10)));
    b.set(kMetricNameLabel, "bench:value:sum");
    b.set("team", "team-3");
    out.push_back(SeriesSample{b.labels(), at, 1.5 + static_cast<double>(i)});
  }
  return out;
}

void BM_EncodeWriteRequest(benchmark::State& state) {
  auto samples = recorded_samples(static_cast<std::size_t>(state.range(0)), kDataTime);
  std::size_t bytes = 0;
  std::size_t raw = 0;
  for (auto _ : state) {
    std::string body = remote::encode_write_request(samples);
    bytes = body.size();
    benchmark::DoNotOptimize(body);
  }
  raw = remote::serialize_write_request(samples).size();
  state.SetItemsProcessed(state.iterations() * state.range(0));  // samples per second
  state.counters["bytes_per_sample"] =
      static_cast<double>(bytes) / static_cast<double>(state.range(0));
  state.counters["raw_bytes_per_sample"] =
      static_cast<double>(raw) / static_cast<double>(state.range(0));
}
BENCHMARK(BM_EncodeWriteRequest)->Arg(100)->Arg(500)->Arg(2000);

// push -> sender thread -> encode -> a receiver that accepts at once; each
// iteration pushes one evaluation's worth and waits until it has gone.
void BM_WriteQueueThroughput(benchmark::State& state) {
  prometheus::Registry registry;
  remote::RemoteWriteMetrics metrics(registry);
  remote::WriteQueueOptions options;
  options.max_samples_per_send = static_cast<std::size_t>(state.range(1));
  remote::WriteQueue queue(
      options,
      [](std::string_view body, const http::TransferBounds&) {
        benchmark::DoNotOptimize(body.size());
        return remote::SendOutcome{};
      },
      metrics.acquire("bench", "http://bench"));
  auto chunk = recorded_samples(static_cast<std::size_t>(state.range(0)), kDataTime);
  for (auto _ : state) {
    queue.push(chunk);
    while (queue.pending() > 0) std::this_thread::yield();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_WriteQueueThroughput)
    ->Args({1000, 500})
    ->Args({10000, 500})
    ->Args({10000, 2000})
    ->UseRealTime();

std::unique_ptr<rules::RuleGroup> one_group(bool recording, int series_per_rule) {
  WorkloadShape shape;
  shape.groups = 1;
  shape.rules_per_group = 10;
  shape.series_per_rule = series_per_rule;
  shape.annotations = false;
  std::string yaml =
      recording ? recording_rule_file_yaml(shape, kDataTime) : rule_file_yaml(shape, kDataTime);
  rules::RuleFileResult read = rules::parse_rule_file(yaml, "bench_rules.yml");
  auto group = rules::RuleGroup::build(read.file.groups.at(0), shape.interval);
  if (!group) std::abort();
  return std::move(*group);
}

// One group of 10 rules, each returning state.range(0) series, evaluated
// again and again (the steady state); `append` null leaves recording rules
// out and writes no ALERTS, as without remote_write.
void eval_group(benchmark::State& state, bool recording, bool with_appender) {
  WorkloadShape shape;
  shape.groups = 1;
  shape.rules_per_group = 10;
  shape.series_per_rule = static_cast<int>(state.range(0));
  auto group = one_group(recording, shape.series_per_rule);
  rules::GroupEnvironment env;
  env.query = in_memory_query(shape);
  env.external_labels = external_labels();
  std::size_t written = 0;
  if (with_appender) {
    env.append = [&written](std::vector<SeriesSample> samples) { written += samples.size(); };
  }
  Timestamp ts = kDataTime;
  for (int i = 0; i < 3; ++i, ts += shape.interval) group->eval(ts, env);  // all firing
  written = 0;
  for (auto _ : state) {
    group->eval(ts, env);
    ts += shape.interval;
  }
  state.counters["rules"] = 10;
  state.counters["samples_written_per_eval"] =
      static_cast<double>(written) / static_cast<double>(state.iterations());
  state.SetItemsProcessed(state.iterations() * 10);  // rule evaluations per second
}

void BM_RecordingGroupEval(benchmark::State& state) {
  eval_group(state, true, true);
}
BENCHMARK(BM_RecordingGroupEval)->Arg(1)->Arg(10)->Arg(100);

void BM_AlertingGroupEvalWithoutAlertsSeries(benchmark::State& state) {
  eval_group(state, false, false);
}
BENCHMARK(BM_AlertingGroupEvalWithoutAlertsSeries)->Arg(1)->Arg(10)->Arg(100);

void BM_AlertingGroupEvalWithAlertsSeries(benchmark::State& state) {
  eval_group(state, false, true);
}
BENCHMARK(BM_AlertingGroupEvalWithAlertsSeries)->Arg(1)->Arg(10)->Arg(100);

}  // namespace
}  // namespace tocsin::bench

BENCHMARK_MAIN();
