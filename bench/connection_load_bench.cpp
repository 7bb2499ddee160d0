// tocsin_connection_load_bench: the issue "no input crashes tocsin, no
// client starves it" as a load, run against tocsin and against a real
// Alertmanager 0.25 in turn, with the same configuration:
//
//   idle      1,000 connections opened and never written to;
//   slowloris 50 connections that send a request line, then one header line
//             every few seconds, never finishing the header;
//   probe     GET /-/healthy every 100 ms, each on a new connection (as a
//             kubelet probes), with a 5 s deadline;
//   alerts    POST /api/v2/alerts every 100 ms, 10 alerts a batch, on one
//             keep-alive connection, with a 5 s deadline.
//
// All of it for 30 s. A connection the server closes is counted and opened
// again at once, so the load stays. The report (stdout, a Markdown table)
// gives per server: probes answered, their latency (p50, p99, max), alerts
// posted and stored, connections cut, the server's threads, CPU and memory.
// Everything binds 127.0.0.1 on free ports and is stopped at the end. Run by
// hand; never by ctest.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>
#include <tuple>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <sys/resource.h>
#include <unistd.h>

#include "alert_batches.h"
#include "process_stats.h"
#include "support/alertmanager_server.h"
#include "support/raw_connection.h"
#include "support/tocsin_server.h"
#include "support/wait.h"

namespace tocsin::bench {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct Options {
  int idle = 1000;
  int slow = 50;
  int seconds = 30;
  int trickle_seconds = 3;  // between two header lines of a slow client
  int probe_ms = 100;
  int post_ms = 100;
  int batch = 10;
  std::string servers = "both";  // tocsin, alertmanager or both
};

const char* const kConfig = R"(route:
  receiver: blackhole
  group_by: [alertname]
receivers:
  - name: blackhole
)";

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<std::size_t>(p * values.size()))];
}

struct Result {
  std::string name;
  int probes_sent = 0;
  int probes_answered = 0;  // 200 within the deadline
  std::vector<double> probe_ms;
  int posts_sent = 0;
  int posts_accepted = 0;
  int alerts_posted = 0;  // in accepted posts
  std::size_t alerts_stored = 0;
  int idle_cut = 0;  // closed by the server (and opened again)
  int slow_cut = 0;
  int idle_held_midway = 0;
  int slow_held_midway = 0;
  int idle_held_at_end = 0;
  int slow_held_at_end = 0;
  int connect_failures = 0;
  double threads_before = 0;
  double threads_during = 0;
  double cpu = 0;  // the server's, over the run
  double rss_before = 0;
  double rss_during = 0;
};

// The idle and slow connections, kept open: each one the server closes is
// counted and replaced.
class Holder {
 public:
  Holder(int port, const Options& o, Result& r) : port_(port), options_(o), result_(r) {
    for (int i = 0; i < o.idle; ++i) idle_.push_back(open());
    for (int i = 0; i < o.slow; ++i) slow_.push_back(open_slow());
  }

  // One pass: replaces what the server closed; every `trickle` passes,
  // each slow client sends one more header line.
  void tend(bool trickle) {
    for (auto& c : idle_) {
      if (c->open_and_silent()) continue;
      ++result_.idle_cut;
      c = open();
    }
    for (auto& c : slow_) {
      bool alive =
          c->open_and_silent() && (!trickle || c->send(fmt::format("X-Trickle-{}: 1\r\n", line_)));
      if (alive) continue;
      ++result_.slow_cut;
      c = open_slow();
    }
    if (trickle) ++line_;
  }

  // How many idle and slow connections are open (and unanswered) now.
  std::pair<int, int> held() {
    int idle = 0, slow = 0;
    for (auto& c : idle_) idle += c->open_and_silent() ? 1 : 0;
    for (auto& c : slow_) slow += c->open_and_silent() ? 1 : 0;
    return {idle, slow};
  }

 private:
  std::unique_ptr<test::RawConnection> open() {
    auto c = std::make_unique<test::RawConnection>(port_);
    if (!c->connected()) ++result_.connect_failures;
    return c;
  }
  std::unique_ptr<test::RawConnection> open_slow() {
    auto c = open();
    c->send("POST /api/v2/alerts HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    return c;
  }

  int port_;
  const Options& options_;
  Result& result_;
  std::vector<std::unique_ptr<test::RawConnection>> idle_, slow_;
  int line_ = 0;
};

Result measure(const std::string& name, int port, int pid, const Options& o) {
  Result r;
  r.name = name;
  r.threads_before = proc_status(pid, "Threads");
  r.rss_before = proc_status(pid, "VmRSS") * 1024;
  int posts = o.seconds * 1000 / o.post_ms + 1;
  std::vector<std::string> bodies = alert_batches(posts * o.batch, o.batch, now_rfc3339());
  fmt::print(stderr, "{}: opening {} idle and {} slow connections\n", name, o.idle, o.slow);
  Holder holder(port, o, r);
  double cpu_before = cpu_seconds(pid);
  auto start = Clock::now();
  auto end = start + std::chrono::seconds(o.seconds);
  std::atomic<bool> done{false};
  auto until_done = [&](Duration d) { test::wait_until([&] { return done.load(); }, d, 10ms); };

  std::jthread prober([&] {
    for (auto next = Clock::now(); Clock::now() < end;
         next += std::chrono::milliseconds(o.probe_ms)) {
      std::this_thread::sleep_until(next);
      httplib::Client client("127.0.0.1", port);
      client.set_connection_timeout(5s);
      client.set_read_timeout(5s);
      auto sent = Clock::now();
      auto res = client.Get("/-/healthy");
      ++r.probes_sent;
      if (res && res->status == 200) {
        ++r.probes_answered;
        r.probe_ms.push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
      }
    }
  });
  std::jthread poster([&] {
    httplib::Client client("127.0.0.1", port);
    client.set_keep_alive(true);
    client.set_tcp_nodelay(true);
    client.set_connection_timeout(5s);
    client.set_read_timeout(5s);
    std::size_t i = 0;
    for (auto next = Clock::now(); Clock::now() < end && i < bodies.size();
         next += std::chrono::milliseconds(o.post_ms)) {
      std::this_thread::sleep_until(next);
      auto res = client.Post("/api/v2/alerts", bodies[i++], "application/json");
      ++r.posts_sent;
      if (res && res->status == 200) {
        ++r.posts_accepted;
        r.alerts_posted += o.batch;
      }
    }
  });
  // The connections are tended on this thread: every 500 ms, and a header
  // line from each slow client every trickle_seconds.
  auto next_trickle = start + std::chrono::seconds(o.trickle_seconds);
  bool sampled = false;
  while (Clock::now() < end) {
    bool trickle = Clock::now() >= next_trickle;
    if (trickle) next_trickle += std::chrono::seconds(o.trickle_seconds);
    holder.tend(trickle);
    if (!sampled && Clock::now() - start >= std::chrono::seconds(o.seconds) / 2) {
      r.threads_during = proc_status(pid, "Threads");
      r.rss_during = proc_status(pid, "VmRSS") * 1024;
      std::tie(r.idle_held_midway, r.slow_held_midway) = holder.held();
      sampled = true;
    }
    until_done(500ms);
  }
  prober.join();
  poster.join();
  r.cpu = cpu_seconds(pid) - cpu_before;
  std::tie(r.idle_held_at_end, r.slow_held_at_end) = holder.held();
  done = true;

  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(30s);
  if (auto res = client.Get("/api/v2/alerts"); res && res->status == 200) {
    auto alerts = nlohmann::json::parse(res->body, nullptr, false);
    if (alerts.is_array()) r.alerts_stored = alerts.size();
  }
  return r;
}

void report(const Options& o, const std::vector<Result>& results) {
  fmt::print(
      "{} idle + {} slowloris connections (a header line every {} s) for {} s; /-/healthy every "
      "{} ms on a new connection; POST /api/v2/alerts every {} ms, {} alerts a batch\n\n",
      o.idle, o.slow, o.trickle_seconds, o.seconds, o.probe_ms, o.post_ms, o.batch);
  fmt::print(
      "| | probes answered | probe p50 | p99 | max | posts accepted | alerts posted / stored | "
      "idle cut | slow cut | held midway (idle, slow) | held at the end | refused connects | "
      "server threads | "
      "server CPU | RSS before / during |\n");
  fmt::print(
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | "
      "---: | ---: |\n");
  for (const Result& r : results) {
    fmt::print(
        "| {} | {} / {} | {:.1f} ms | {:.1f} ms | {:.1f} ms | {} / {} | {} / {} | {} | {} | {}, {} "
        "| {}, {} | {} | {:.0f} -> {:.0f} | {:.2f} s | {:.1f} / {:.1f} MiB |\n",
        r.name, r.probes_answered, r.probes_sent, percentile(r.probe_ms, 0.5),
        percentile(r.probe_ms, 0.99), percentile(r.probe_ms, 1.0), r.posts_accepted, r.posts_sent,
        r.alerts_posted, r.alerts_stored, r.idle_cut, r.slow_cut, r.idle_held_midway,
        r.slow_held_midway, r.idle_held_at_end, r.slow_held_at_end, r.connect_failures,
        r.threads_before, r.threads_during, r.cpu, r.rss_before / 1048576, r.rss_during / 1048576);
  }
}

// Every held connection is a file here too.
void raise_open_files_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
}

int run(const Options& o) {
  raise_open_files_limit();
  double load[3] = {};
  if (getloadavg(load, 3) == 3) {
    fmt::print(stderr, "load average at start: {:.2f} {:.2f} {:.2f}\n", load[0], load[1], load[2]);
  }
  std::vector<Result> results;
  if (o.servers == "both" || o.servers == "alertmanager") {
    test::AlertmanagerServer alertmanager(kConfig, "http://alerts.example.test", "info");
    if (Status s = alertmanager.start(); !s) {
      fmt::print(stderr, "{}\n", s.error().message());
      return 1;
    }
    results.push_back(measure("Alertmanager 0.25", alertmanager.port(), alertmanager.pid(), o));
  }
  if (o.servers == "both" || o.servers == "tocsin") {
    test::TocsinServer tocsin;
    tocsin.write("alertmanager.yml", kConfig);
    tocsin.write("tocsin.yml", R"(datasource: {url: "http://127.0.0.1:1"}
rule_files: []
alerting_config_file: alertmanager.yml
)");
    if (Status s = tocsin.start(); !s) {
      fmt::print(stderr, "{}\n", s.error().message());
      return 1;
    }
    results.push_back(measure("tocsin", tocsin.port(), tocsin.pid(), o));
  }
  report(o, results);
  if (getloadavg(load, 3) == 3) {
    fmt::print("\nload average at the end: {:.2f} {:.2f} {:.2f}\n", load[0], load[1], load[2]);
  }
  return 0;
}

}  // namespace
}  // namespace tocsin::bench

int main(int argc, char** argv) {
  tocsin::bench::Options o;
  CLI::App app("tocsin's and Alertmanager 0.25's web servers under idle and slowloris clients");
  app.add_option("--idle", o.idle, "idle connections")->capture_default_str();
  app.add_option("--slow", o.slow, "slowloris connections")->capture_default_str();
  app.add_option("--seconds", o.seconds, "how long the load is held")->capture_default_str();
  app.add_option("--trickle-seconds", o.trickle_seconds,
                 "between two header lines of a slow client")
      ->capture_default_str();
  app.add_option("--probe-ms", o.probe_ms, "between two probes")->capture_default_str();
  app.add_option("--post-ms", o.post_ms, "between two posts")->capture_default_str();
  app.add_option("--batch", o.batch, "alerts per post")->capture_default_str();
  app.add_option("--servers", o.servers, "tocsin, alertmanager or both")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  return tocsin::bench::run(o);
}
