// tocsin-demo-exporter: simulates the metrics of the services the shipped
// rules watch (policy engine, workflows, LLM token use) with one incident,
// so that `scripts/demo` can show alerts go pending, firing and resolved.
//
// Each service listens on its own port so that Prometheus's `up` tells them
// apart. The incident: a runaway agent loop floods the LLM service. Token
// use jumps thirtyfold and requests run over their budgets; the overloaded
// LLM service stops answering scrapes; the policy engine, waiting on it,
// slows down and fails; and an operator turns the emergency kill switch on.
// When it ends, everything is back to normal at once. The orchestrator
// counts the tokens (per task, as Shannon's does), so the spike shows while
// the LLM service is down.
//
//   tocsin-demo-exporter --orchestrator-port P1 --agent-core-port P2
//       --llm-service-port P3 --incident-at 15 --incident-for 105
#include <chrono>
#include <csignal>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <httplib.h>
#include <pthread.h>

namespace {

using Clock = std::chrono::steady_clock;

// A phase of the simulation: per-second rates of each counter.
struct Rates {
  double evaluations;  // policy evaluations
  double deny_share;   // share of evaluations denied
  double errors;       // policy SLO errors
  double slow_share;   // share of evaluations slower than 5ms
  double cache_hit_share;
  double kill_switch;      // decisions routed by the emergency kill switch
  double tokens;           // LLM tokens used
  double budget_exceeded;  // requests over their token budget
  double workflows;        // workflows completed
  double workflow_failures;
  double llm_requests;  // requests the LLM service answered
};

// The incident's token rate is high enough that the rules' 5m rate (the
// increase divided by 300s) passes 10k tokens/s within a minute.
constexpr Rates kNormal{200, 0.05, 0.5, 0.02, 0.95, 0, 2000, 0, 5, 0.05, 20};
constexpr Rates kIncident{200, 0.08, 40, 0.60, 0.90, 5, 60000, 2, 5, 0.2, 0};

class Simulation {
 public:
  Simulation(double incident_at, double incident_for)
      : start_(Clock::now()),
        incident_at_(incident_at),
        incident_end_(incident_at + incident_for) {}

  double elapsed() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }
  bool in_incident() const {
    double t = elapsed();
    return t >= incident_at_ && t < incident_end_;
  }

  // The integral of `pick(rates)` from 0 to now: a counter's value.
  template <typename Pick>
  double counter(Pick pick) const {
    double t = elapsed();
    double incident = std::max(0.0, std::min(t, incident_end_) - incident_at_);
    return pick(kNormal) * (t - incident) + pick(kIncident) * incident;
  }

 private:
  Clock::time_point start_;
  double incident_at_;
  double incident_end_;
};

void counter(std::string& out, const std::string& name, const std::string& labels, double v) {
  out += fmt::format("{}{} {:.0f}\n", name, labels.empty() ? "" : "{" + labels + "}", v);
}

std::string orchestrator_metrics(const Simulation& sim) {
  std::string out;
  out += "# TYPE shannon_policy_evaluations_total counter\n";
  counter(out, "shannon_policy_evaluations_total", R"(decision="allow")",
          sim.counter([](const Rates& r) { return r.evaluations * (1 - r.deny_share); }));
  counter(out, "shannon_policy_evaluations_total", R"(decision="deny")",
          sim.counter([](const Rates& r) { return r.evaluations * r.deny_share; }));
  out += "# TYPE shannon_policy_slo_errors_total counter\n";
  counter(out, "shannon_policy_slo_errors_total", "",
          sim.counter([](const Rates& r) { return r.errors; }));

  out += "# TYPE shannon_policy_latency_slo_seconds histogram\n";
  double total = sim.counter([](const Rates& r) { return r.evaluations; });
  double slow = sim.counter([](const Rates& r) { return r.evaluations * r.slow_share; });
  double fast = total - slow;
  // Fast evaluations spread over 0.5–2.5ms, slow ones over 10–25ms.
  const std::vector<std::pair<std::string, double>> buckets = {
      {"0.0005", fast * 0.3},      {"0.001", fast * 0.7}, {"0.0025", fast}, {"0.005", fast},
      {"0.01", fast + slow * 0.4}, {"0.025", total},      {"+Inf", total}};
  for (const auto& [le, v] : buckets) {
    counter(out, "shannon_policy_latency_slo_seconds_bucket", fmt::format(R"(le="{}")", le), v);
  }
  counter(out, "shannon_policy_latency_slo_seconds_count", "", total);
  out +=
      fmt::format("shannon_policy_latency_slo_seconds_sum {:.3f}\n", fast * 0.001 + slow * 0.012);

  out += "# TYPE shannon_policy_cache_hits_total counter\n";
  counter(out, "shannon_policy_cache_hits_total", "",
          sim.counter([](const Rates& r) { return r.evaluations * r.cache_hit_share; }));
  out += "# TYPE shannon_policy_cache_misses_total counter\n";
  counter(out, "shannon_policy_cache_misses_total", "",
          sim.counter([](const Rates& r) { return r.evaluations * (1 - r.cache_hit_share); }));
  out += "# TYPE shannon_policy_canary_decisions_total counter\n";
  counter(out, "shannon_policy_canary_decisions_total", R"(routing_reason="canary")",
          sim.counter([](const Rates& r) { return r.evaluations * 0.1; }));
  counter(out, "shannon_policy_canary_decisions_total", R"(routing_reason="emergency_kill_switch")",
          sim.counter([](const Rates& r) { return r.kill_switch; }));

  out += "# TYPE temporal_workflow_completed_total counter\n";
  counter(out, "temporal_workflow_completed_total", "",
          sim.counter([](const Rates& r) { return r.workflows; }));
  out += "# TYPE temporal_workflow_failed_total counter\n";
  counter(out, "temporal_workflow_failed_total", "",
          sim.counter([](const Rates& r) { return r.workflow_failures; }));
  out += "# TYPE shannon_tokens_used_total counter\n";
  counter(out, "shannon_tokens_used_total", "",
          sim.counter([](const Rates& r) { return r.tokens; }));
  out += "# TYPE shannon_budget_exceeded_total counter\n";
  counter(out, "shannon_budget_exceeded_total", "",
          sim.counter([](const Rates& r) { return r.budget_exceeded; }));
  return out;
}

std::string llm_metrics(const Simulation& sim) {
  std::string out = "# TYPE llm_requests_total counter\n";
  counter(out, "llm_requests_total", "",
          sim.counter([](const Rates& r) { return r.llm_requests; }));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Simulated service metrics with one incident, for the tocsin demo"};
  int orchestrator_port = 0, agent_core_port = 0, llm_port = 0;
  double incident_at = 15, incident_for = 105;
  app.add_option("--orchestrator-port", orchestrator_port)->required();
  app.add_option("--agent-core-port", agent_core_port)->required();
  app.add_option("--llm-service-port", llm_port)->required();
  app.add_option("--incident-at", incident_at, "seconds after start")->capture_default_str();
  app.add_option("--incident-for", incident_for, "seconds")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  Simulation sim(incident_at, incident_for);
  struct Service {
    int port;
    std::function<void(httplib::Response&)> serve;
    httplib::Server server;
  };
  std::vector<std::unique_ptr<Service>> services;
  auto add = [&](int port, std::function<void(httplib::Response&)> serve) {
    auto s = std::make_unique<Service>();
    s->port = port;
    s->serve = std::move(serve);
    s->server.Get("/metrics", [svc = s.get()](const httplib::Request&, httplib::Response& res) {
      svc->serve(res);
    });
    services.push_back(std::move(s));
  };
  auto text = "text/plain; version=0.0.4";
  add(orchestrator_port,
      [&](httplib::Response& res) { res.set_content(orchestrator_metrics(sim), text); });
  add(agent_core_port,
      [&](httplib::Response& res) { res.set_content("# agent core is idle\n", text); });
  add(llm_port, [&](httplib::Response& res) {
    if (sim.in_incident()) {
      res.status = 503;  // the LLM service is down during the incident
      res.set_content("unavailable\n", "text/plain");
      return;
    }
    res.set_content(llm_metrics(sim), text);
  });

  // Signals are taken by sigwait below; the server threads inherit the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::vector<std::thread> threads;
  for (auto& s : services) {
    if (!s->server.bind_to_port("127.0.0.1", s->port)) {
      fmt::print(stderr, "cannot listen on 127.0.0.1:{}\n", s->port);
      return 1;
    }
    threads.emplace_back([svc = s.get()] { svc->server.listen_after_bind(); });
  }
  int sig = 0;
  sigwait(&signals, &sig);
  for (auto& s : services) s->server.stop();
  for (auto& t : threads) t.join();
  return 0;
}
