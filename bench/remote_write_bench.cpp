// tocsin_remote_write_bench: the load driver for remote write and
// recording rules, against real Prometheus 2.42 servers on 127.0.0.1.
//
// Part 1, throughput: one remote_write target (tocsin's WriteQueue and
// WriteClient, as the daemon builds them) writing into a Prometheus with
// --web.enable-remote-write-receiver. Samples are made beforehand (series
// of a recording rule's shape, one timestamp after another, as evaluations
// produce them) and pushed as fast as the queue takes them without
// dropping; the clock runs from the first push to the last acceptance.
// Reports samples per second, this process's CPU per sample (pushing,
// encoding, HTTP), Prometheus's CPU per sample ingested, bytes per sample.
//
// Part 2, recording rules: the synthetic workload (synthetic_workload.h)
// loaded into a Prometheus as blocks, its rules as recording rules, which
// tocsin evaluates round after round (EvaluationRounds) three ways: the
// same rules as alerting rules without remote write (what tocsin did
// before), recording rules with a discarding appender (what evaluating
// them costs), and recording rules writing to a second Prometheus through
// remote write (everything). Then the first Prometheus evaluates the
// recording rule file with its own rule manager, for the side-by-side CPU
// per rule evaluation.
//
// Report on stdout, progress on stderr. Run by hand; never by ctest.
#include <chrono>
#include <fstream>
#include <functional>
#include <optional>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <prometheus/registry.h>

#include "evaluation_rounds.h"
#include "metrics_page.h"
#include "prometheus_rule_cost.h"
#include "query/prometheus_client.h"
#include "remote/remote_storage.h"
#include "remote/write_client.h"
#include "remote/write_queue.h"
#include "resource_usage.h"
#include "rules/manager.h"
#include "support/prometheus_server.h"
#include "support/promtool.h"
#include "support/temp_dir.h"
#include "synthetic_workload.h"

namespace tocsin::bench {
namespace {

using namespace std::chrono_literals;

struct Options {
  int series = 10'000;
  int samples_per_series = 60;
  std::vector<int> batches = {500, 2000};
  WorkloadShape shape{.groups = 10, .rules_per_group = 100, .series_per_rule = 10};
  int interval_seconds = 10;
  int rounds = 6;
  bool prometheus_rules = true;
};

double micros(double seconds) {
  return seconds * 1e6;
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

template <typename... Args>
void progress(fmt::format_string<Args...> format, Args&&... args) {
  fmt::print(stderr, "-- {}\n", fmt::format(format, std::forward<Args>(args)...));
}

double prometheus_cpu(const std::string& url) {
  auto page = read_metrics(url);
  return page ? page->sum("process_cpu_seconds_total") : 0;
}

Result<std::unique_ptr<test::PrometheusServer>> start_receiver() {
  test::PrometheusOptions options;
  options.extra_args = {"--web.enable-remote-write-receiver"};
  auto p = std::make_unique<test::PrometheusServer>(options);
  if (auto started = p->start(); !started) return std::unexpected(started.error());
  return p;
}

// Series shaped as a recording rule's output, timestamps one second apart,
// ending a minute ago: all of them, evaluation after evaluation.
std::vector<SeriesSample> make_samples(const Options& o, std::string_view name) {
  std::vector<SeriesSample> out;
  out.reserve(static_cast<std::size_t>(o.series) * static_cast<std::size_t>(o.samples_per_series));
  Timestamp end = std::chrono::floor<std::chrono::seconds>(SystemClock().now()) - 1min;
  Timestamp start = end - std::chrono::seconds(o.samples_per_series);
  std::vector<Labels> labels;
  for (int i = 0; i < o.series; ++i) {
    LabelsBuilder b(series_metric(i / 10, i % 10));
    b.set(kMetricNameLabel, name);
    b.set("team", fmt::format("team-{}", i % 10));
    labels.push_back(b.labels());
  }
  for (int k = 0; k < o.samples_per_series; ++k) {
    for (int i = 0; i < o.series; ++i) {
      out.push_back(SeriesSample{labels[static_cast<std::size_t>(i)],
                                 start + std::chrono::seconds(k), 1.0 + (i % 100) + k * 0.5});
    }
  }
  return out;
}

Status throughput(const Options& o, test::PrometheusServer& receiver, int batch) {
  std::string name = fmt::format("bench:throughput:batch{}", batch);
  std::vector<SeriesSample> samples = make_samples(o, name);
  const std::size_t total = samples.size();
  config::RemoteWriteConfig config;
  config.url = receiver.url() + "/api/v1/write";
  config.queue_config.max_samples_per_send = static_cast<std::size_t>(batch);
  auto client = remote::WriteClient::create(config);
  if (!client) return std::unexpected(client.error());
  prometheus::Registry registry;
  remote::RemoteWriteMetrics metrics(registry);
  remote::WriteQueueOptions options{
      .name = "bench",
      .url = config.url,
      .capacity = config.queue_config.capacity,
      .max_samples_per_send = config.queue_config.max_samples_per_send};
  std::shared_ptr<const remote::WriteClient> shared = std::move(*client);
  remote::WriteQueue queue(
      options,
      [shared](std::string_view body, const http::TransferBounds& bounds) {
        return shared->store(body, bounds);
      },
      metrics.acquire("bench", config.url));
  remote::WriteQueueMetrics m = metrics.acquire("bench", config.url);

  progress("throughput: {} samples, max_samples_per_send {}", total, batch);
  constexpr std::size_t kChunk = 1000;  // an evaluation's worth
  double prometheus_before = prometheus_cpu(receiver.url());
  CpuTime cpu_before = process_cpu_time();
  auto started = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < total; i += kChunk) {
    while (queue.pending() + kChunk > options.capacity) std::this_thread::sleep_for(100us);
    std::vector<SeriesSample> chunk(
        std::make_move_iterator(samples.begin() + static_cast<std::ptrdiff_t>(i)),
        std::make_move_iterator(samples.begin() +
                                static_cast<std::ptrdiff_t>(std::min(total, i + kChunk))));
    queue.push(std::move(chunk));
  }
  while (queue.pending() > 0) std::this_thread::sleep_for(100us);
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  CpuTime cpu = process_cpu_time() - cpu_before;
  double prometheus = prometheus_cpu(receiver.url()) - prometheus_before;
  double n = static_cast<double>(total);

  fmt::print("remote write, max_samples_per_send {}:\n", batch);
  fmt::print(
      "  samples                  {} ({} series x {}), {:.0f} accepted, {:.0f} failed, "
      "{:.0f} dropped, {:.0f} retried\n",
      total, o.series, o.samples_per_series, m.samples_sent.Value(), m.samples_failed.Value(),
      m.samples_dropped.Value(), m.samples_retried.Value());
  fmt::print("  throughput               {:.0f} samples/s ({:.3f} s)\n", n / wall, wall);
  fmt::print("  tocsin CPU per sample    {:.3f} us (user {:.3f} + system {:.3f})\n",
             micros(cpu.total() / n), micros(cpu.user_seconds / n), micros(cpu.system_seconds / n));
  fmt::print("  Prometheus CPU per sample {:.3f} us (receiving and appending)\n",
             micros(prometheus / n));
  fmt::print("  bytes per sample         {:.2f} on the wire (snappy)\n\n",
             m.bytes_sent.Value() / n);
  queue.stop();
  return {};
}

struct Source {
  std::unique_ptr<test::PrometheusServer> prometheus;
  std::unique_ptr<query::PrometheusClient> client;
};

Result<Source> start_datasource(const WorkloadShape& shape, Timestamp data_time) {
  Source s;
  s.prometheus = std::make_unique<test::PrometheusServer>();
  progress("loading {} series into a Prometheus TSDB with promtool", shape.series());
  auto blocks = test::create_blocks_from_openmetrics(openmetrics_text(shape, data_time),
                                                     s.prometheus->data_dir());
  if (!blocks.success()) return fail("promtool failed:\n" + blocks.output);
  if (auto started = s.prometheus->start(); !started) return std::unexpected(started.error());
  query::ClientConfig config;
  config.url = s.prometheus->url();
  auto created = query::PrometheusClient::create(config);
  if (!created) return std::unexpected(created.error());
  s.client = std::move(*created);
  return s;
}

Result<std::vector<std::unique_ptr<rules::RuleGroup>>> load(const std::string& file,
                                                            Duration interval) {
  auto loaded = rules::load_rule_files({file}, interval);
  if (!loaded) return fail(loaded.error().front().to_string());
  return std::move(loaded->groups);
}

void print_rounds(std::string_view what, const RoundStats& s, std::uint64_t written,
                  double datasource_cpu, std::optional<double> receiver_cpu = std::nullopt) {
  double evals = std::max(1.0, static_cast<double>(s.rule_evaluations));
  fmt::print("{}:\n", what);
  fmt::print("  rule evaluations         {} ({} failed), {} series returned\n", s.rule_evaluations,
             s.failed_evaluations, s.series_returned);
  fmt::print("  samples written          {}\n", written);
  fmt::print("  CPU per rule evaluation  {:.1f} us (user {:.1f} + system {:.1f})\n",
             micros(s.cpu.total() / evals), micros(s.cpu.user_seconds / evals),
             micros(s.cpu.system_seconds / evals));
  fmt::print("  wall per round           {:.3f} s\n", s.wall_seconds / std::max(1, s.rounds));
  fmt::print("  datasource Prometheus    {:.1f} us CPU per rule evaluation (answering the query)\n",
             micros(datasource_cpu / evals));
  if (receiver_cpu) {
    fmt::print("  receiving Prometheus     {:.1f} us CPU per rule evaluation (ingesting)\n",
               micros(*receiver_cpu / evals));
  }
  fmt::print("\n");
}

Status recording_rules(const Options& o, test::PrometheusServer& receiver) {
  WorkloadShape shape = o.shape;
  shape.interval = std::chrono::seconds(o.interval_seconds);
  shape.annotations = false;
  Timestamp data_time =
      std::chrono::floor<std::chrono::minutes>(SystemClock().now()) - std::chrono::hours(3);
  auto source = start_datasource(shape, data_time);
  if (!source) return std::unexpected(source.error());
  test::TempDir dir("rw-bench");
  std::string alerting_file = dir.write("alerting.yml", rule_file_yaml(shape, data_time));
  std::string recording_file =
      dir.write("recording.yml", recording_rule_file_yaml(shape, data_time));
  fmt::print("recording rules: {} groups x {} rules, {} series each, interval {}\n", shape.groups,
             shape.rules_per_group, shape.series_per_rule, format_duration(shape.interval));

  // The expressions pin the data time (@), so the rounds may run at any
  // time: now, where the receiver's head takes what is written.
  Timestamp first = std::chrono::floor<std::chrono::seconds>(SystemClock().now());
  query::QueryFunc query = source->client->as_query_func();

  // Each way: two warm-up rounds, then the measured ones, with the
  // datasource's CPU read around them.
  auto measure = [&](EvaluationRounds& rounds, const std::function<void()>& warmed_up) {
    rounds.run(2);
    warmed_up();
    double before = prometheus_cpu(source->prometheus->url());
    RoundStats stats = rounds.run(o.rounds);
    return std::pair{stats, prometheus_cpu(source->prometheus->url()) - before};
  };

  auto alerting = load(alerting_file, shape.interval);
  if (!alerting) return std::unexpected(alerting.error());
  EvaluationRounds before(std::move(*alerting), query, first, shape.interval, 1);
  auto [before_stats, before_cpu] = measure(before, [] {});
  print_rounds("the same rules as alerting rules, no remote write (tocsin before)", before_stats, 0,
               before_cpu);

  auto discarded_groups = load(recording_file, shape.interval);
  if (!discarded_groups) return std::unexpected(discarded_groups.error());
  EvaluationRounds discarded(std::move(*discarded_groups), query, first, shape.interval, 1);
  std::atomic<std::uint64_t> discarded_samples{0};
  discarded.set_appender(
      [&](std::vector<SeriesSample> samples) { discarded_samples += samples.size(); });
  auto [discarded_stats, discarded_cpu] = measure(discarded, [&] { discarded_samples = 0; });
  print_rounds("recording rules, samples discarded", discarded_stats, discarded_samples.load(),
               discarded_cpu);

  auto written_groups = load(recording_file, shape.interval);
  if (!written_groups) return std::unexpected(written_groups.error());
  prometheus::Registry registry;
  remote::RemoteStorage storage({.registry = &registry});
  config::RemoteWriteConfig target;
  target.url = receiver.url() + "/api/v1/write";
  target.name = "bench";
  auto plan = remote::RemoteStorage::prepare({target});
  if (!plan) return std::unexpected(plan.error().front());
  storage.apply(std::move(*plan), external_labels());
  EvaluationRounds written(std::move(*written_groups), query, first, shape.interval, 1);
  std::atomic<std::uint64_t> written_samples{0};
  written.set_appender([&](std::vector<SeriesSample> samples) {
    written_samples += samples.size();
    storage.append(std::move(samples));
  });
  written.run(2);
  written_samples = 0;
  double receiver_before = prometheus_cpu(receiver.url());
  double source_before = prometheus_cpu(source->prometheus->url());
  CpuTime cpu_before = process_cpu_time();
  RoundStats stats = written.run(o.rounds);
  // The sender runs on: the rounds' cost includes sending all they wrote.
  storage.stop();
  stats.cpu = process_cpu_time() - cpu_before;
  double receiver_cpu = prometheus_cpu(receiver.url()) - receiver_before;
  double source_cpu = prometheus_cpu(source->prometheus->url()) - source_before;
  print_rounds("recording rules, written through remote write to a Prometheus", stats,
               written_samples.load(), source_cpu, receiver_cpu);

  if (!o.prometheus_rules) return {};
  progress("Prometheus's own rule manager on the recording rules");
  PrometheusRuleCostPlan cost_plan{.rule_file = recording_file,
                                   .interval = shape.interval,
                                   .rounds = o.rounds,
                                   .expected_alerts = 0,
                                   .warmup = 2 * shape.interval};
  auto cost = measure_prometheus_rule_cost(*source->prometheus, *source->client, cost_plan);
  if (!cost) return std::unexpected(cost.error());
  double evals = std::max(1.0, cost->rule_evaluations);
  fmt::print("Prometheus 2.42's rule manager, the same recording rules, {:.0f} s window:\n",
             cost->window_seconds);
  fmt::print("  rule evaluations         {:.0f} ({:.0f} failed, {:.0f} iterations missed)\n",
             cost->rule_evaluations, cost->failed_evaluations, cost->missed_iterations);
  fmt::print("  CPU per rule evaluation  {:.1f} us (idle rate taken away; {:.1f} us raw)\n",
             micros(cost->rule_cpu_seconds() / evals), micros(cost->cpu_seconds / evals));
  fmt::print("  head series              {:.0f} -> {:.0f}\n\n", cost->series_before,
             cost->series_after);
  return {};
}

Status run(const Options& o) {
  fmt::print("machine: {} CPUs, load average {}\n\n", std::thread::hardware_concurrency(),
             load_average());
  progress("starting the receiving Prometheus");
  auto receiver = start_receiver();
  if (!receiver) return std::unexpected(receiver.error());
  for (int batch : o.batches) {
    if (auto ok = throughput(o, **receiver, batch); !ok) return ok;
  }
  if (auto ok = recording_rules(o, **receiver); !ok) return ok;
  fmt::print("load average at the end: {}\n", load_average());
  return {};
}

}  // namespace
}  // namespace tocsin::bench

int main(int argc, char** argv) {
  tocsin::bench::Options o;
  CLI::App app{"Remote write throughput and the cost of recording rules"};
  app.add_option("--series", o.series, "series written in the throughput part");
  app.add_option("--samples-per-series", o.samples_per_series, "samples of each");
  app.add_option("--batches", o.batches, "max_samples_per_send values to run");
  app.add_option("--groups", o.shape.groups, "recording rule groups");
  app.add_option("--rules-per-group", o.shape.rules_per_group, "rules per group");
  app.add_option("--series-per-rule", o.shape.series_per_rule, "series each rule records");
  app.add_option("--interval-seconds", o.interval_seconds, "the groups' interval");
  app.add_option("--rounds", o.rounds, "measured rounds");
  app.add_flag("!--no-prometheus-rules", o.prometheus_rules, "skip Prometheus's own rule manager");
  CLI11_PARSE(app, argc, argv);
  if (auto ok = tocsin::bench::run(o); !ok) {
    fmt::print(stderr, "tocsin_remote_write_bench: {}\n", ok.error().to_string());
    return 1;
  }
  return 0;
}
