// `tocsin run`: wires configuration, the rule manager, the Prometheus client
// and the web server together, and reloads them as one.
//
// A reload reads tocsin.yml and every rule file anew and builds the whole
// new rule set aside; only if all of it loads does it replace the running
// one. A failed reload is logged, counted in tocsin_config_last_reload_*,
// and leaves the running configuration in force.
//
// Threads: `reload` may be called from the signal thread and from HTTP
// threads; reloads are serialised.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include <prometheus/registry.h>

#include <tocsin/error.h>

#include "api/web_server.h"
#include "config/tocsin_config.h"
#include "rules/manager.h"
#include "rules/rule_metrics.h"
#include "rules/state_metrics.h"

namespace tocsin::cli {

class Daemon {
 public:
  explicit Daemon(std::string config_file);
  ~Daemon();

  // Loads the configuration for the first time and starts serving on
  // `listen_address` (the configured one when empty).
  Status start(const std::string& listen_address);
  Status reload();
  void stop();

  int port() const { return web_ ? web_->port() : 0; }

 private:
  std::string metrics_text() const;

  const std::string config_file_;
  std::shared_ptr<prometheus::Registry> registry_;
  rules::RuleMetrics rule_metrics_;
  rules::RuleManager manager_;
  std::shared_ptr<rules::RuleStateMetrics> state_metrics_;
  prometheus::Gauge& reload_success_;
  prometheus::Gauge& reload_timestamp_;
  prometheus::Counter& reloads_failed_;

  std::mutex reload_mu_;
  std::optional<config::Config> config_;  // the running configuration; guarded by reload_mu_
  std::atomic<bool> ready_{false};
  std::unique_ptr<api::WebServer> web_;
};

}  // namespace tocsin::cli
