// tocsin_rule_eval_bench: the load driver for rule-evaluation overhead.
//
// Loads 100,000 series into a real Prometheus (promtool blocks, 127.0.0.1,
// a free port, stopped at the end), loads 10,000 alerting rules in 100
// groups through load_rule_files, evaluates every group round after round
// through the real PrometheusClient, and reports tocsin's own CPU per rule
// evaluation and per returned series, wall time per round, and memory per
// active alert. Then gives the same rule file to that Prometheus and reads
// its own rule-evaluation cost from its /metrics, for the side-by-side
// figures in bench/README.md.
//
// The report goes to stdout, progress to stderr. Run by hand (about five
// minutes, both cores); never by ctest.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "encoding_cost.h"
#include "evaluation_rounds.h"
#include "metrics_page.h"
#include "prometheus_rule_cost.h"
#include "query/prometheus_client.h"
#include "resource_usage.h"
#include "rules/manager.h"
#include "support/prometheus_server.h"
#include "support/promtool.h"
#include "support/temp_dir.h"
#include "synthetic_workload.h"

namespace tocsin::bench {
namespace {

using namespace std::chrono_literals;

// The aims of issue 2.
constexpr double kAimCpuPerRuleSeconds = 1e-3;
constexpr double kAimBytesPerAlert = 1024;

struct Options {
  WorkloadShape shape;
  int interval_seconds = 60;
  int hold_seconds = 60;
  int warmup_rounds = -1;  // -1: until every alert fires
  // Even: with the default resend delay (1m) equal to the interval, firing
  // alerts are handed over every other round, so half the rounds do it.
  int rounds = 4;
  int threads = 1;
  std::string datasource = "prometheus";  // or "memory": no HTTP, no Prometheus
  int encoding_queries = 2000;            // 0: skip the gzip / identity comparison
  int prometheus_rounds = 1;              // 0: skip Prometheus's own evaluation
};

// The data source tocsin's rules query. `prometheus` and `client` are null
// for the in-memory source.
struct Datasource {
  std::unique_ptr<test::PrometheusServer> prometheus;
  std::unique_ptr<query::PrometheusClient> client;
  query::QueryFunc query;
};

// What tocsin's side of the run measured.
struct TocsinFigures {
  MemoryUsage before_load;  // nothing loaded yet
  MemoryUsage rules_only;   // rules loaded, no alert yet
  MemoryUsage with_alerts;  // after the warm-up: every alert held
  AlertCounts alerts;
  RoundStats rounds;
  // Prometheus's process CPU while it answered the measured rounds' queries.
  std::optional<double> prometheus_serving_cpu;
};

double micros(double seconds) {
  return seconds * 1e6;
}

double mib(double bytes) {
  return bytes / (1024.0 * 1024.0);
}

// Signed difference of two byte counts.
double grown(std::size_t before, std::size_t after) {
  return static_cast<double>(after) - static_cast<double>(before);
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

// Progress goes to stderr so that stdout holds only the report.
template <typename... Args>
void progress(fmt::format_string<Args...> format, Args&&... args) {
  fmt::print(stderr, "-- {}\n", fmt::format(format, std::forward<Args>(args)...));
}

std::optional<double> prometheus_cpu(const std::string& url) {
  auto page = read_metrics(url);
  if (!page) return std::nullopt;
  return page->sum("process_cpu_seconds_total");
}

// Loads the workload's samples with promtool, starts Prometheus on a free
// loopback port and connects tocsin's query client to it.
Result<Datasource> start_prometheus(const WorkloadShape& shape, Timestamp data_time) {
  Datasource source;
  source.prometheus = std::make_unique<test::PrometheusServer>();
  progress("loading {} series into a Prometheus TSDB with promtool", shape.series());
  auto blocks = test::create_blocks_from_openmetrics(openmetrics_text(shape, data_time),
                                                     source.prometheus->data_dir());
  if (!blocks.success()) return fail("promtool failed:\n" + blocks.output);
  progress("starting Prometheus");
  if (auto started = source.prometheus->start(); !started) {
    return std::unexpected(started.error());
  }
  query::ClientConfig config;
  config.url = source.prometheus->url();
  auto created = query::PrometheusClient::create(config);
  if (!created) return std::unexpected(created.error());
  source.client = std::move(*created);
  source.query = source.client->as_query_func();
  return source;
}

Result<Datasource> open_datasource(const Options& options, Timestamp data_time) {
  if (options.datasource == "memory") return Datasource{{}, {}, in_memory_query(options.shape)};
  return start_prometheus(options.shape, data_time);
}

void print_workload(const WorkloadShape& shape, Timestamp data_time, const Datasource& source) {
  fmt::print("workload: {} groups x {} rules = {} alerting rules, {} series each = {} series\n",
             shape.groups, shape.rules_per_group, shape.rules(), shape.series_per_rule,
             shape.series());
  fmt::print("          interval {}, for {}, {}, data at {}\n", format_duration(shape.interval),
             format_duration(shape.hold),
             shape.annotations ? "2 annotation templates" : "no annotations",
             format_rfc3339(data_time));
  fmt::print("machine:  {} CPUs, load average {}\n", std::thread::hardware_concurrency(),
             load_average());
  if (source.prometheus) {
    fmt::print("datasource: Prometheus at {}\n", source.prometheus->url());
  } else {
    fmt::print("datasource: in memory (no HTTP, no JSON)\n");
  }
}

// Reads the rule file as the daemon does (load_rule_files) and reports what
// that costs and what the rules hold.
Result<rules::RuleSet> load_rules(const std::string& rule_file, const WorkloadShape& shape,
                                  TocsinFigures& figures) {
  figures.before_load = memory_usage();
  CpuTime cpu = process_cpu_time();
  auto start = std::chrono::steady_clock::now();
  auto loaded = rules::load_rule_files({rule_file}, shape.interval);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  cpu = process_cpu_time() - cpu;
  if (!loaded) {
    std::string message = "the synthetic rule file does not load:";
    for (const Error& e : loaded.error()) message += "\n" + e.to_string();
    return fail(std::move(message));
  }
  figures.rules_only = memory_usage();
  double rules = static_cast<double>(loaded->rule_count);
  fmt::print("load_rule_files: {} rules in {:.2f} s ({:.1f} us CPU per rule)\n", rules, seconds,
             micros(cpu.total() / rules));
  fmt::print("  rules held: heap {:.1f} -> {:.1f} MiB, {:.0f} bytes per rule; RSS {:.1f} MiB\n\n",
             mib(figures.before_load.heap_bytes), mib(figures.rules_only.heap_bytes),
             grown(figures.before_load.heap_bytes, figures.rules_only.heap_bytes) / rules,
             mib(figures.rules_only.rss_bytes));
  return std::move(*loaded);
}

// Warm-up rounds (until every alert fires), the memory they leave behind,
// then the measured rounds with Prometheus's CPU read around them.
void measure_tocsin(EvaluationRounds& rounds, int warmup, int measured, const Datasource& source,
                    TocsinFigures& figures) {
  progress("warm-up: {} rounds of every group", warmup);
  RoundStats warm = rounds.run(warmup);
  figures.with_alerts = memory_usage();
  figures.alerts = rounds.alerts();
  if (!warm.round_seconds.empty()) {
    fmt::print("warm-up: {} rounds, first {:.3f} s, last {:.3f} s\n", warm.rounds,
               warm.round_seconds.front(), warm.round_seconds.back());
  }

  progress("measuring: {} rounds of every group", measured);
  std::optional<double> serving_before, serving_after;
  if (source.prometheus) serving_before = prometheus_cpu(source.prometheus->url());
  figures.rounds = rounds.run(measured);
  if (source.prometheus) serving_after = prometheus_cpu(source.prometheus->url());
  if (serving_before && serving_after) {
    figures.prometheus_serving_cpu = *serving_after - *serving_before;
  }
}

void print_memory(const TocsinFigures& f) {
  const AlertCounts& alerts = f.alerts;
  double n = static_cast<double>(std::max<std::size_t>(1, alerts.held));
  fmt::print("memory with {} alerts held ({} firing, {} pending):\n", alerts.held, alerts.firing,
             alerts.pending);
  fmt::print("  RSS   {:.1f} -> {:.1f} MiB: {:.0f} bytes per alert\n", mib(f.rules_only.rss_bytes),
             mib(f.with_alerts.rss_bytes),
             grown(f.rules_only.rss_bytes, f.with_alerts.rss_bytes) / n);
  fmt::print("  heap  {:.1f} -> {:.1f} MiB: {:.0f} bytes per alert\n", mib(f.rules_only.heap_bytes),
             mib(f.with_alerts.heap_bytes),
             grown(f.rules_only.heap_bytes, f.with_alerts.heap_bytes) / n);
  // As Prometheus's figure below is read: rules and alerts together.
  fmt::print("  RSS with the rules loaded too: {:.1f} -> {:.1f} MiB: {:.0f} bytes per alert\n\n",
             mib(f.before_load.rss_bytes), mib(f.with_alerts.rss_bytes),
             grown(f.before_load.rss_bytes, f.with_alerts.rss_bytes) / n);
}

void print_rounds(const TocsinFigures& f, int threads) {
  const RoundStats& s = f.rounds;
  std::vector<double> sorted = s.round_seconds;
  std::sort(sorted.begin(), sorted.end());
  double evals = std::max(1.0, static_cast<double>(s.rule_evaluations));
  double series = std::max(1.0, static_cast<double>(s.series_returned));
  fmt::print("tocsin, {} rounds on {} thread(s):\n", s.rounds, threads);
  fmt::print("  rule evaluations         {} ({} failed)\n", s.rule_evaluations,
             s.failed_evaluations);
  fmt::print("  series returned          {}\n", s.series_returned);
  fmt::print("  alerts handed over       {} (firing alerts due for resending)\n", s.alerts_sent);
  fmt::print("  CPU per rule evaluation  {:.1f} us (user {:.1f} + system {:.1f})\n",
             micros(s.cpu.total() / evals), micros(s.cpu.user_seconds / evals),
             micros(s.cpu.system_seconds / evals));
  fmt::print("  CPU per returned series  {:.2f} us\n", micros(s.cpu.total() / series));
  fmt::print("  wall per round           {:.3f} s median (min {:.3f}, max {:.3f})\n",
             sorted[sorted.size() / 2], sorted.front(), sorted.back());
  fmt::print("  tocsin CPU per round     {:.3f} s ({:.2f} cores busy)\n", s.cpu.total() / s.rounds,
             s.cpu.total() / s.wall_seconds);
  if (f.prometheus_serving_cpu) {
    fmt::print("  Prometheus CPU serving   {:.1f} us per query ({:.3f} s per round)\n",
               micros(*f.prometheus_serving_cpu / evals), *f.prometheus_serving_cpu / s.rounds);
  }
  fmt::print("  RSS after the rounds     {:.1f} MiB\n\n", mib(memory_usage().rss_bytes));
}

void print_encoding(const EncodingCost& c) {
  double n = std::max(1, c.queries);
  fmt::print("Prometheus CPU per query answered, {} queries each:\n", c.queries);
  fmt::print(
      "  Accept-Encoding gzip     {:.1f} us CPU, {:.1f} us wall (what tocsin's client asks)\n",
      micros(c.gzip_cpu_seconds / n), micros(c.gzip_wall_seconds / n));
  fmt::print("  Accept-Encoding identity {:.1f} us CPU, {:.1f} us wall\n\n",
             micros(c.identity_cpu_seconds / n), micros(c.identity_wall_seconds / n));
}

void print_prometheus(const PrometheusRuleCost& c, const WorkloadShape& shape) {
  double evals = std::max(1.0, c.rule_evaluations);
  fmt::print("Prometheus's own rule evaluation, {:.0f} s window:\n", c.window_seconds);
  fmt::print("  rule evaluations         {:.0f} ({:.0f} failed, {:.0f} iterations missed)\n",
             c.rule_evaluations, c.failed_evaluations, c.missed_iterations);
  fmt::print("  process CPU              {:.3f} s; idle rate {:.4f} cores\n", c.cpu_seconds,
             c.idle_cpu_per_second);
  fmt::print("  CPU per rule evaluation  {:.1f} us (idle rate taken away; {:.1f} us raw)\n",
             micros(c.rule_cpu_seconds() / evals), micros(c.cpu_seconds / evals));
  fmt::print("  CPU per returned series  {:.2f} us\n",
             micros(c.rule_cpu_seconds() / evals) / shape.series_per_rule);
  fmt::print("  group durations, summed  {:.3f} s per round ({:.1f} us per rule, wall)\n",
             c.round_group_seconds, micros(c.round_group_seconds / shape.rules()));
  if (c.rule_p50_seconds && c.rule_p99_seconds) {
    fmt::print("  rule evaluation latency  p50 {:.1f} us, p99 {:.1f} us\n",
               micros(*c.rule_p50_seconds), micros(*c.rule_p99_seconds));
  }
  double n = std::max<double>(1, static_cast<double>(c.firing_alerts));
  fmt::print("  firing alerts            {}\n", c.firing_alerts);
  // Measured before the rules were loaded: rules, alert state and ALERTS series together.
  fmt::print("  RSS   {:.1f} -> {:.1f} MiB: {:.0f} bytes per alert (rules included)\n",
             mib(c.rss_before), mib(c.rss_after), (c.rss_after - c.rss_before) / n);
  fmt::print("  Go heap in use {:.1f} -> {:.1f} MiB: {:.0f} bytes per alert\n", mib(c.heap_before),
             mib(c.heap_after), (c.heap_after - c.heap_before) / n);
  fmt::print("  head series {:.0f} -> {:.0f} (ALERTS, ALERTS_FOR_STATE)\n\n", c.series_before,
             c.series_after);
}

std::string verdict(bool met) {
  return met ? "met" : "NOT met";
}

// The figures issue 2 asks for, side by side, and whether the aims hold.
void print_summary(const TocsinFigures& t, const std::optional<PrometheusRuleCost>& p,
                   const WorkloadShape& shape) {
  double evals = std::max(1.0, static_cast<double>(t.rounds.rule_evaluations));
  double series = std::max(1.0, static_cast<double>(t.rounds.series_returned));
  double alerts = std::max(1.0, static_cast<double>(t.alerts.held));
  double cpu_per_rule = t.rounds.cpu.total() / evals;
  double rss_per_alert = grown(t.rules_only.rss_bytes, t.with_alerts.rss_bytes) / alerts;
  double heap_per_alert = grown(t.rules_only.heap_bytes, t.with_alerts.heap_bytes) / alerts;

  fmt::print("summary ({} rules, {} alerts held):\n", shape.rules(), t.alerts.held);
  fmt::print("  tocsin CPU per rule evaluation   {:8.1f} us   aim < 1000 us: {}\n",
             micros(cpu_per_rule), verdict(cpu_per_rule < kAimCpuPerRuleSeconds));
  fmt::print("  tocsin CPU per returned series   {:8.2f} us\n",
             micros(t.rounds.cpu.total() / series));
  fmt::print("  tocsin RSS per active alert      {:8.0f} B    aim < 1024 B: {} (heap {:.0f} B)\n",
             rss_per_alert, verdict(std::max(rss_per_alert, heap_per_alert) < kAimBytesPerAlert),
             heap_per_alert);
  if (t.prometheus_serving_cpu) {
    fmt::print("  Prometheus CPU answering tocsin  {:8.1f} us per query\n",
               micros(*t.prometheus_serving_cpu / evals));
  }
  if (p) {
    double prometheus_evals = std::max(1.0, p->rule_evaluations);
    fmt::print("  Prometheus CPU per rule eval     {:8.1f} us   (its own rule manager)\n",
               micros(p->rule_cpu_seconds() / prometheus_evals));
    fmt::print(
        "  Prometheus RSS per active alert  {:8.0f} B    (rules and ALERTS series included)\n",
        (p->rss_after - p->rss_before) / std::max<double>(1, p->firing_alerts));
  }
}

Status run(const Options& options) {
  WorkloadShape shape = options.shape;
  shape.interval = std::chrono::seconds(options.interval_seconds);
  shape.hold = std::chrono::seconds(options.hold_seconds);
  // Pending from the first round, firing from the one `for` later: after
  // that many rounds the measured ones are all steady-state.
  int warmup = options.warmup_rounds >= 0 ? options.warmup_rounds
                                          : static_cast<int>(shape.hold / shape.interval) + 1;

  // Whole minutes, three hours back: inside the retention window, outside the head.
  Timestamp data_time = std::chrono::floor<std::chrono::minutes>(SystemClock().now()) - 3h;
  test::TempDir dir("rule-eval-bench");
  std::string rule_file = dir.write("bench_rules.yml", rule_file_yaml(shape, data_time));

  auto source = open_datasource(options, data_time);
  if (!source) return std::unexpected(source.error());
  print_workload(shape, data_time, *source);

  TocsinFigures tocsin;
  auto loaded = load_rules(rule_file, shape, tocsin);
  if (!loaded) return std::unexpected(loaded.error());
  EvaluationRounds rounds(std::move(loaded->groups), source->query, data_time, shape.interval,
                          options.threads);
  measure_tocsin(rounds, warmup, options.rounds, *source, tocsin);
  print_memory(tocsin);
  print_rounds(tocsin, options.threads);

  std::optional<PrometheusRuleCost> prometheus_cost;
  if (source->prometheus && options.encoding_queries > 0) {
    progress("comparing gzip and identity answers over {} queries", 2 * options.encoding_queries);
    auto cost =
        measure_encoding_cost(*source->prometheus, shape, data_time, options.encoding_queries);
    if (!cost) return std::unexpected(cost.error());
    print_encoding(*cost);
  }
  if (source->prometheus && options.prometheus_rounds > 0) {
    progress(
        "Prometheus evaluates the same rules: idle, reload, wait for every alert to fire, "
        "then {} interval(s)",
        options.prometheus_rounds);
    PrometheusRuleCostPlan plan;
    plan.rule_file = rule_file;
    plan.interval = shape.interval;
    plan.rounds = options.prometheus_rounds;
    plan.expected_alerts = static_cast<std::size_t>(shape.series());
    auto cost = measure_prometheus_rule_cost(*source->prometheus, *source->client, plan);
    if (!cost) return std::unexpected(cost.error());
    print_prometheus(*cost, shape);
    prometheus_cost = *cost;
  }
  print_summary(tocsin, prometheus_cost, shape);
  fmt::print("\nload average at the end: {}\n", load_average());
  return {};
}

}  // namespace
}  // namespace tocsin::bench

int main(int argc, char** argv) {
  tocsin::bench::Options options;
  CLI::App app{"Rule-evaluation overhead: tocsin against a real Prometheus, and Prometheus itself"};
  app.add_option("--groups", options.shape.groups)->capture_default_str();
  app.add_option("--rules-per-group", options.shape.rules_per_group)->capture_default_str();
  app.add_option("--series-per-rule", options.shape.series_per_rule)->capture_default_str();
  app.add_flag("!--no-annotations", options.shape.annotations,
               "rules without annotation templates, to see what expanding them costs");
  app.add_option("--interval-seconds", options.interval_seconds, "every group's interval")
      ->capture_default_str();
  app.add_option("--for-seconds", options.hold_seconds, "every rule's `for`")
      ->capture_default_str();
  app.add_option("--warmup-rounds", options.warmup_rounds,
                 "unmeasured rounds first (default: until every alert fires)");
  app.add_option("--rounds", options.rounds, "measured rounds")->capture_default_str();
  app.add_option("--threads", options.threads, "threads evaluating groups")->capture_default_str();
  app.add_option("--datasource", options.datasource, "prometheus, or memory (no HTTP)")
      ->check(CLI::IsMember({"prometheus", "memory"}))
      ->capture_default_str();
  app.add_option("--encoding-queries", options.encoding_queries,
                 "queries per encoding for the gzip / identity comparison; 0 skips it")
      ->capture_default_str();
  app.add_option("--prometheus-rounds", options.prometheus_rounds,
                 "intervals of Prometheus's own evaluation to measure; 0 skips it")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  // The report comes out as it is measured, even into a file or a pipe.
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  if (auto done = tocsin::bench::run(options); !done) {
    fmt::print(stderr, "{}\n", done.error().to_string());
    return 1;
  }
  return 0;
}
