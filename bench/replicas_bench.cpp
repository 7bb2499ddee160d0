// tocsin_replicas_bench: one tocsin against three, on one real PostgreSQL 15
// (issue 12's bench).
//
// Rule evaluation: G groups of R alerting rules at a 1 s interval, queried
// from a loopback datasource that answers every instant query at once with
// an empty vector (so what is measured is tocsin, not Prometheus). With one
// replica it evaluates every group; with three, each evaluates the groups it
// holds the lease of. Reported: evaluations per second in all and per
// replica, each replica's CPU per evaluation, and missed slots.
//
// Notifications: N alerts, each its own aggregation group, posted to every
// replica (as Prometheus posts to every Alertmanager of a cluster), sent to
// a loopback webhook receiver; reported: notifications per second from the
// first post to the last one received, how many reached the receiver (N
// means none twice), and PostgreSQL's CPU per notification.
//
// The report goes to stdout, progress to stderr. Run by hand (about three
// minutes, both cores); never by ctest. It runs the `tocsin` binary: build
// that target too.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <dirent.h>
#include <fmt/format.h>
#include <httplib.h>

#include "metrics_page.h"
#include "process_stats.h"
#include "support/http.h"
#include "support/ports.h"
#include "support/postgres_server.h"
#include "support/temp_dir.h"
#include "support/tocsin_server.h"
#include "support/wait.h"

namespace tocsin::bench {
namespace {

using namespace std::chrono_literals;
using test::TocsinServer;

struct Options {
  int groups = 60;
  int rules = 10;
  int seconds = 30;  // each measured window
  int alerts = 2000;
};

// Answers every instant query with an empty vector, and counts webhook
// posts, on one loopback port.
class Loopback {
 public:
  Loopback() {
    // A thread per connection: every group's client keeps its connection
    // open, and httplib's default pool (8) would make the rest wait.
    server_.new_task_queue = [] { return new httplib::ThreadPool(256); };
    auto empty_vector = [](const httplib::Request&, httplib::Response& res) {
      res.set_content(R"({"status":"success","data":{"resultType":"vector","result":[]}})",
                      "application/json");
    };
    server_.Post("/api/v1/query", empty_vector);
    server_.Get("/api/v1/query", empty_vector);
    server_.Post("/hook", [this](const httplib::Request&, httplib::Response& res) {
      ++hooks_;
      res.set_content("{}", "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(1ms);
  }
  ~Loopback() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return fmt::format("http://127.0.0.1:{}", port_); }
  long hooks() const { return hooks_.load(); }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::atomic<long> hooks_{0};
  std::thread thread_;
};

std::string rules_file(const Options& o) {
  std::string out = "groups:\n";
  for (int g = 0; g < o.groups; ++g) {
    out += fmt::format("  - name: g{}\n    interval: 1s\n    rules:\n", g);
    for (int r = 0; r < o.rules; ++r) {
      out += fmt::format("      - alert: A{}_{}\n        expr: up{{job=\"j{}\"}} == 0\n", g, r, r);
    }
  }
  return out;
}

std::string config(const std::string& loopback, const std::string& rules) {
  return fmt::format(R"(global: {{evaluation_interval: 1s}}
datasource: {{url: '{0}'}}
rule_files: ['{1}']
alerting:
  route:
    receiver: hook
    group_by: [alertname, instance]
    group_wait: 1s
    group_interval: 1m
    repeat_interval: 4h
  receivers:
    - name: hook
      webhook_configs: [{{url: '{0}/hook'}}]
)",
                     loopback, rules);
}

// CPU seconds of every process of the PostgreSQL server (user postgres).
double postgres_cpu() {
  double total = 0;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return 0;
  while (dirent* e = readdir(proc)) {
    int pid = std::atoi(e->d_name);
    if (pid <= 0) continue;
    std::ifstream comm(fmt::format("/proc/{}/comm", pid));
    std::string name;
    std::getline(comm, name);
    if (name == "postgres") total += cpu_seconds(pid);
  }
  closedir(proc);
  return total;
}

double metric_sum(const TocsinServer& t, std::string_view name, std::string_view labels = {}) {
  auto page = read_metrics(t.url());
  return page ? page->sum(name, labels) : 0;
}

struct Cluster {
  std::vector<std::unique_ptr<TocsinServer>> replicas;
};

// Starts `n` replicas on `url`, and waits until every group is held once.
std::optional<Cluster> start(int n, const std::string& url, const std::string& loopback,
                             const std::string& rules, const Options& o) {
  Cluster c;
  for (int i = 0; i < n; ++i) {
    auto t = std::make_unique<TocsinServer>();
    t->write("tocsin.yml", config(loopback, rules));
    if (Status s = t->start("tocsin.yml",
                            {"--storage.url", url, "--cluster.replica", fmt::format("r{}", i)});
        !s) {
      fmt::print(stderr, "cannot start replica {}: {}\n", i, s.error().message());
      return std::nullopt;
    }
    c.replicas.push_back(std::move(t));
  }
  bool spread = test::wait_until(
      [&] {
        double held = 0;
        for (const auto& t : c.replicas) held += metric_sum(*t, "tocsin_cluster_rule_group_held");
        return held == o.groups;
      },
      90s);
  if (!spread) {
    fmt::print(stderr, "the groups were not each held once within 90 s\n");
    return std::nullopt;
  }
  return c;
}

void evaluations(int n, const std::string& url, const std::string& loopback,
                 const std::string& rules, const Options& o) {
  auto c = start(n, url, loopback, rules, o);
  if (!c) return;
  // The first replica up takes every group; the others get theirs as its
  // leases run out (15 s). Let that settle, then measure a window.
  std::this_thread::sleep_for(n > 1 ? 25s : 5s);
  std::vector<double> evals0, cpu0, missed0;
  for (const auto& t : c->replicas) {
    evals0.push_back(metric_sum(*t, "tocsin_rule_evaluations_total"));
    missed0.push_back(metric_sum(*t, "tocsin_rule_group_iterations_missed_total"));
    cpu0.push_back(cpu_seconds(t->pid()));
  }
  double pg0 = postgres_cpu();
  auto t0 = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(std::chrono::seconds(o.seconds));
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  double pg = postgres_cpu() - pg0;
  double total = 0;
  fmt::print("\n{} replica(s), {} groups x {} rules at 1 s:\n", n, o.groups, o.rules);
  for (int i = 0; i < n; ++i) {
    const auto& t = *c->replicas[i];
    double evals = metric_sum(t, "tocsin_rule_evaluations_total") - evals0[i];
    double missed = metric_sum(t, "tocsin_rule_group_iterations_missed_total") - missed0[i];
    double cpu = cpu_seconds(t.pid()) - cpu0[i];
    total += evals;
    fmt::print(
        "  r{}: {:.0f} evaluations/s, {:.1f} us CPU per evaluation, {:.0f}% of a core, "
        "{:.0f} missed slots\n",
        i, evals / wall, evals > 0 ? cpu / evals * 1e6 : 0.0, cpu / wall * 100, missed);
  }
  fmt::print("  in all: {:.0f} evaluations/s (the rules need {}/s); PostgreSQL {:.0f}% of a core\n",
             total / wall, o.groups * o.rules, pg / wall * 100);
}

void notifications(int n, const std::string& url, Loopback& loopback, const std::string& no_rules,
                   const Options& o) {
  auto c = start(n, url, loopback.url(), no_rules, Options{.groups = 0});
  if (!c) return;
  const long hooks0 = loopback.hooks();
  double pg0 = postgres_cpu();
  auto t0 = std::chrono::steady_clock::now();
  // Batches of 100, each to every replica.
  for (int first = 0; first < o.alerts; first += 100) {
    std::string body = "[";
    for (int i = first; i < std::min(o.alerts, first + 100); ++i) {
      body += fmt::format(R"({}{{"labels":{{"alertname":"Bench","instance":"i{}"}}}})",
                          i == first ? "" : ",", i);
    }
    body += "]";
    for (const auto& t : c->replicas) test::http_post(t->url() + "/api/v2/alerts", body);
  }
  bool all = test::wait_until([&] { return loopback.hooks() - hooks0 >= o.alerts; }, 300s);
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  // Late duplicates would arrive within a flush or two.
  std::this_thread::sleep_for(3s);
  long received = loopback.hooks() - hooks0;
  double pg = postgres_cpu() - pg0;
  fmt::print("\n{} replica(s), {} alerts in {} groups, posted to every replica:\n", n, o.alerts,
             o.alerts);
  fmt::print(
      "  {} notifications received{} in {:.1f} s: {:.0f} notifications/s; PostgreSQL "
      "{:.2f} ms CPU per notification\n",
      received, all ? "" : " (not all!)", wall, received / wall,
      received > 0 ? pg / received * 1e3 : 0.0);
}

}  // namespace
}  // namespace tocsin::bench

int main(int argc, char** argv) {
  using namespace tocsin;
  bench::Options o;
  CLI::App app{"tocsin_replicas_bench: one tocsin against three on one PostgreSQL"};
  app.add_option("--groups", o.groups, "rule groups (1 s interval)");
  app.add_option("--rules", o.rules, "alerting rules per group");
  app.add_option("--seconds", o.seconds, "each measured window");
  app.add_option("--alerts", o.alerts, "alerts (and so notifications) per notification run");
  CLI11_PARSE(app, argc, argv);

  test::PostgresServer postgres;
  if (Status s = postgres.start(); !s) {
    fmt::print(stderr, "cannot start PostgreSQL: {}\n", s.error().message());
    return 1;
  }
  bench::Loopback loopback;
  test::TempDir dir("replicas-bench");
  const std::string rules = dir.write("rules.yml", bench::rules_file(o));
  int db = 0;
  auto fresh = [&]() -> std::string {
    auto url = postgres.create_database(fmt::format("bench{}", db++));
    return url ? *url : std::string();
  };
  fmt::print("tocsin_replicas_bench at {}\n", bench::now_rfc3339());
  for (int n : {1, 3}) bench::evaluations(n, fresh(), loopback.url(), rules, o);
  const std::string no_rules = dir.write("none.yml", "groups: []\n");
  for (int n : {1, 3}) bench::notifications(n, fresh(), loopback, no_rules, o);
  return 0;
}
