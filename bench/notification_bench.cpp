// tocsin_notification_bench: tocsin's Alertmanager side next to a real
// Alertmanager 0.25, in the same run, on the same machine, with the same
// configuration:
//
//   ingest   alerts per second through POST /api/v2/alerts (batches as
//            Prometheus sends them, several clients at once);
//   memory   resident memory per stored alert once all of them are held;
//   latency  from POST of one new alert to its webhook notification
//            (group_wait 0s), as percentiles.
//
// Both servers bind 127.0.0.1 on free ports and are stopped at the end. The
// report goes to stdout (bench/README.md records it), progress to stderr.
// Run by hand; never by ctest.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "alert_batches.h"
#include "metrics_page.h"
#include "process_stats.h"
#include "support/alertmanager_server.h"
#include "support/recording_server.h"
#include "support/tocsin_server.h"
#include "support/wait.h"

namespace tocsin::bench {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

struct Options {
  int alerts = 100'000;
  int batch = 64;  // Prometheus's maximum batch per request
  int clients = 4;
  int latency_samples = 200;
};

std::string config(const std::string& hook_url) {
  return fmt::format(R"(route:
  receiver: blackhole
  group_by: [alertname]
  group_wait: 30s
  group_interval: 5m
  routes:
    - matchers: [bench="latency"]
      receiver: hook
      group_by: ['...']
      group_wait: 0s
      group_interval: 1s
receivers:
  - name: blackhole
  - name: hook
    webhook_configs: [{{url: "{}/hook"}}]
)",
                     hook_url);
}

struct Ingest {
  double seconds = 0;
  int failures = 0;
};

Ingest ingest(int port, const std::vector<std::string>& bodies, int clients) {
  std::atomic<std::size_t> next{0};
  std::atomic<int> failures{0};
  auto start = Clock::now();
  {
    std::vector<std::jthread> threads;
    for (int c = 0; c < clients; ++c) {
      threads.emplace_back([&] {
        httplib::Client client("127.0.0.1", port);
        client.set_keep_alive(true);
        // httplib writes the headers and the body separately: without this,
        // Nagle and the server's delayed ACK stall every request ~40 ms.
        client.set_tcp_nodelay(true);
        for (std::size_t i = next++; i < bodies.size(); i = next++) {
          auto res = client.Post("/api/v2/alerts", bodies[i], "application/json");
          if (!res || res->status != 200) ++failures;
        }
      });
    }
  }
  return {std::chrono::duration<double>(Clock::now() - start).count(), failures.load()};
}

// Firing alerts the server has accepted so far (its *_alerts_received_total
// summed over its label sets with status="firing"); -1 when unreadable.
double alerts_received(int port, const std::string& counter) {
  auto page = read_metrics(fmt::format("http://127.0.0.1:{}", port));
  if (!page) return -1;
  return page->sum(counter, R"(status="firing")");
}

std::optional<double> go_heap_in_use(int port) {
  auto page = read_metrics(fmt::format("http://127.0.0.1:{}", port));
  if (!page) return std::nullopt;
  return page->value("go_memstats_heap_inuse_bytes");
}

struct Latency {
  std::vector<double> ms;
  double percentile(double p) const {
    if (ms.empty()) return 0;
    std::vector<double> sorted = ms;
    std::sort(sorted.begin(), sorted.end());
    return sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(p * sorted.size()))];
  }
};

// Posts one new alert at a time and times its arrival at the webhook.
Latency latency(int port, test::RecordingServer& hook, int samples, const std::string& tag) {
  std::mutex mu;
  std::map<std::string, Clock::time_point> arrived;
  hook.respond_with([&](const test::RecordedRequest& r) {
    json body = json::parse(r.body, nullptr, false);
    if (body.is_object()) {
      std::lock_guard lock(mu);
      for (const json& a : body["alerts"]) {
        arrived.emplace(a["labels"].value("instance", ""), Clock::now());
      }
    }
    return test::CannedResponse{200, ""};
  });
  Latency out;
  httplib::Client client("127.0.0.1", port);
  client.set_tcp_nodelay(true);
  for (int i = 0; i < samples; ++i) {
    std::string instance = fmt::format("{}-{}", tag, i);
    json alert = {
        {"labels", {{"alertname", "LatencyProbe"}, {"bench", "latency"}, {"instance", instance}}},
        {"startsAt", now_rfc3339()}};
    auto sent = Clock::now();
    auto res = client.Post("/api/v2/alerts", json::array({alert}).dump(), "application/json");
    if (!res || res->status != 200) continue;
    bool seen = test::wait_until(
        [&] {
          std::lock_guard lock(mu);
          return arrived.contains(instance);
        },
        10s, 1ms);  // the handler stamps the arrival; polling only paces the next probe
    if (!seen) continue;
    std::lock_guard lock(mu);
    out.ms.push_back(std::chrono::duration<double, std::milli>(arrived[instance] - sent).count());
  }
  return out;
}

struct Result {
  std::string name;
  double alerts_per_second = 0;
  double cpu_per_alert = 0;         // the server's own CPU while ingesting, per alert
  double client_cpu_per_alert = 0;  // the posting clients' (this process's), per alert
  int failures = 0;
  bool all_held = false;
  double rss_before = 0;
  double rss_after = 0;
  // Go's heap in use (go_memstats_heap_inuse_bytes), for a Go server: RSS
  // also counts garbage its collector has not yet returned.
  std::optional<double> go_heap_before;
  std::optional<double> go_heap_after;
  int alerts = 0;
  Latency latency;
};

// Runs the three measurements against one server.
Result measure(const std::string& name, int port, int pid, const std::string& received_counter,
               const Options& o, test::RecordingServer& hook) {
  Result r;
  r.name = name;
  r.alerts = o.alerts;
  std::vector<std::string> bodies = alert_batches(o.alerts, o.batch, now_rfc3339());
  r.rss_before = rss_bytes(pid);
  r.go_heap_before = go_heap_in_use(port);
  fmt::print(stderr, "{}: posting {} alerts in batches of {} from {} clients\n", name, o.alerts,
             o.batch, o.clients);
  double cpu_before = cpu_seconds(pid);
  double client_cpu_before = cpu_seconds(getpid());
  Ingest in = ingest(port, bodies, o.clients);
  r.cpu_per_alert = (cpu_seconds(pid) - cpu_before) / o.alerts;
  r.client_cpu_per_alert = (cpu_seconds(getpid()) - client_cpu_before) / o.alerts;
  r.alerts_per_second = o.alerts / in.seconds;
  r.failures = in.failures;
  // Memory once every alert is held (a POST answers after storing, so this
  // only confirms it).
  r.all_held = test::wait_until([&] { return alerts_received(port, received_counter) >= o.alerts; },
                                120s, 200ms);
  if (!r.all_held) {
    fmt::print(stderr, "{}: only {} of {} alerts received after 120 s\n", name,
               alerts_received(port, received_counter), o.alerts);
  }
  r.rss_after = rss_bytes(pid);
  r.go_heap_after = go_heap_in_use(port);
  fmt::print(stderr, "{}: timing {} notifications\n", name, o.latency_samples);
  r.latency = latency(port, hook, o.latency_samples, name);
  return r;
}

void report(const std::vector<Result>& results) {
  fmt::print(
      "| | ingest (alerts/s) | server CPU per alert | client CPU per alert | failed posts | "
      "RSS before | "
      "RSS with alerts | bytes per alert | latency p50 | p90 | p99 | samples |\n");
  fmt::print(
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
  for (const Result& r : results) {
    fmt::print(
        "| {} | {:.0f} | {:.1f} us | {:.1f} us | {}{} | {:.1f} MiB | {:.1f} MiB | {:.0f} | "
        "{:.1f} ms | {:.1f} ms | {:.1f} ms | {} |\n",
        r.name, r.alerts_per_second, r.cpu_per_alert * 1e6, r.client_cpu_per_alert * 1e6,
        r.failures, r.all_held ? "" : " (not all held)", r.rss_before / 1048576,
        r.rss_after / 1048576, (r.rss_after - r.rss_before) / r.alerts, r.latency.percentile(0.5),
        r.latency.percentile(0.9), r.latency.percentile(0.99), r.latency.ms.size());
  }
  for (const Result& r : results) {
    if (!r.go_heap_before || !r.go_heap_after) continue;
    fmt::print("\n{}: Go heap in use {:.1f} -> {:.1f} MiB, {:.0f} bytes per alert\n", r.name,
               *r.go_heap_before / 1048576, *r.go_heap_after / 1048576,
               (*r.go_heap_after - *r.go_heap_before) / r.alerts);
  }
}

// Issue 3's aims: tocsin (the last result) against Alertmanager (the first).
void report_aims(const Result& alertmanager, const Result& tocsin) {
  double ingest = tocsin.alerts_per_second / alertmanager.alerts_per_second;
  double cpu = alertmanager.cpu_per_alert / tocsin.cpu_per_alert;
  double memory =
      (tocsin.rss_after - tocsin.rss_before) / (alertmanager.rss_after - alertmanager.rss_before);
  fmt::print("\ningest rate, tocsin / Alertmanager:       {:.2f}x (aim >= 5x: {})\n", ingest,
             ingest >= 5 ? "met" : "NOT met");
  fmt::print("CPU per alert, Alertmanager / tocsin:     {:.2f}x\n", cpu);
  fmt::print("RSS per alert, tocsin / Alertmanager:     {:.2f} (aim < 0.5: {})\n", memory,
             memory < 0.5 ? "met" : "NOT met");
}

int run(const Options& o) {
  test::RecordingServer am_hook;
  test::RecordingServer tocsin_hook;

  test::AlertmanagerServer alertmanager(config(am_hook.url()), "http://alerts.example.test",
                                        "info");
  if (Status s = alertmanager.start(); !s) {
    fmt::print(stderr, "{}\n", s.error().message());
    return 1;
  }
  test::TocsinServer tocsin;
  tocsin.write("alertmanager.yml", config(tocsin_hook.url()));
  tocsin.write("tocsin.yml", R"(datasource: {url: "http://127.0.0.1:1"}
rule_files: []
alerting_config_file: alertmanager.yml
)");
  if (Status s = tocsin.start(); !s) {
    fmt::print(stderr, "{}\n", s.error().message());
    return 1;
  }
  std::vector<Result> results;
  results.push_back(measure("Alertmanager 0.25", alertmanager.port(), alertmanager.pid(),
                            "alertmanager_alerts_received_total", o, am_hook));
  results.push_back(measure("tocsin", tocsin.port(), tocsin.pid(), "tocsin_alerts_received_total",
                            o, tocsin_hook));
  report(results);
  report_aims(results.front(), results.back());
  return 0;
}

}  // namespace
}  // namespace tocsin::bench

int main(int argc, char** argv) {
  tocsin::bench::Options o;
  CLI::App app("tocsin's Alertmanager API and delivery next to Alertmanager 0.25");
  app.add_option("--alerts", o.alerts, "alerts to post and hold");
  app.add_option("--batch", o.batch, "alerts per POST");
  app.add_option("--clients", o.clients, "concurrent posting clients");
  app.add_option("--latency-samples", o.latency_samples, "notifications to time");
  CLI11_PARSE(app, argc, argv);
  return tocsin::bench::run(o);
}
