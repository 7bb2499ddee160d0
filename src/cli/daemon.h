// `tocsin run`: wires configuration, the rule manager, the Prometheus client
// and the web server together, and reloads them as one.
//
// A reload reads tocsin.yml, every rule file and the alerting configuration
// anew and builds the whole new rule set and notification setup aside; only
// if all of it loads does it replace the running one. A failed reload is logged, counted in
// tocsin_config_last_reload_*, and leaves the running configuration in force.
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
#include "dispatch/notification_service.h"
#include "rules/manager.h"
#include "rules/rule_metrics.h"
#include "rules/state_metrics.h"

namespace tocsin::cli {

class Daemon {
 public:
  // `storage_path`: where silences and the notification log are kept
  // between runs; empty keeps them in memory.
  explicit Daemon(std::string config_file, std::string storage_path = {});
  ~Daemon();

  // Loads the configuration for the first time and starts serving on
  // `listen_address` (the configured one when empty).
  Status start(const std::string& listen_address);
  Status reload();
  void stop();

  int port() const { return web_ ? web_->port() : 0; }
  dispatch::NotificationService& notifications() { return *notifications_; }

 private:
  std::string metrics_text() const;
  // Rule alerts handed to the notification side, as Prometheus sends them
  // to Alertmanager.
  void send_rule_alerts(const rules::AlertingRule& rule, std::vector<Alert> alerts,
                        const std::map<std::string, std::string>& external_labels,
                        const std::string& generator_base);

  const std::string config_file_;
  const std::string storage_path_;
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
  std::unique_ptr<dispatch::NotificationService> notifications_;
  std::unique_ptr<api::WebServer> web_;
};

}  // namespace tocsin::cli
