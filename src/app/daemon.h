// The daemon `tocsin run` starts: wires configuration, the rule manager, the
// Prometheus client, the notification service, the store and the web server
// together, and reloads them as one. The CLI only parses flags into
// DaemonOptions and handles signals; tests run the same type in process.
//
// A reload reads tocsin.yml, every rule file and the alerting configuration
// anew and builds the whole new rule set and notification setup aside; only
// if all of it loads does it replace the running one. A failed reload is logged, counted in
// tocsin_config_last_reload_*, and leaves the running configuration in force.
// SIGHUP and /-/reload both call `reload`.
//
// At start it opens the store (storage_path/tocsin.db, one in memory, or
// the PostgreSQL database of storage_url), imports the JSON-lines
// snapshots an older tocsin left in storage_path, and restores
// alerts, silences and the notification log before the first flush and the
// rules' alerts before the first evaluation; from then on every change and
// every history event (each reload's too) goes through one store::Writer,
// which stop() drains last, after every producer has stopped.
//
// With remote_write configured, recording rules are evaluated and their
// samples, with the ALERTS and ALERTS_FOR_STATE series, go to every target
// (remote/remote_storage.h); without it, recording rules are loaded but
// not evaluated, as before (a warning says so). stop() flushes the queues
// after the rule groups stop, for up to 5 s each.
//
// It serves every endpoint (api/web_routes.h) on one event-driven web::Server
// (web/server.h): thousands of idle or slow clients cost a socket each, and
// the probes answer on its I/O thread even when every worker is busy.
//
// Threads: `start` and `stop` from the thread that owns the daemon; `reload`
// from any thread (the signal thread, HTTP threads), reloads are serialised;
// the accessors from any thread once `start` succeeded.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include <prometheus/registry.h>

#include <tocsin/error.h>
#include <tocsin/time.h>

#include "api/web_routes.h"
#include "app/cluster_follower.h"
#include "app/rule_leases.h"
#include "config/tocsin_config.h"
#include "dispatch/notification_service.h"
#include "remote/remote_storage.h"
#include "rules/manager.h"
#include "rules/rule_metrics.h"
#include "rules/state_metrics.h"
#include "store/writer.h"
#include "web/server.h"

namespace tocsin::app {

struct DaemonOptions {
  std::string config_file;  // tocsin.yml
  // "host:port" to serve on instead of web.listen_address; port 0 picks a
  // free one (see Daemon::port).
  std::string listen_address;
  // The directory of the store (tocsin.db) that keeps alerts, silences, the
  // notification log, the rules' alert state and the history across
  // restarts; empty keeps the same store in memory (--storage.memory).
  std::string storage_path;
  // A PostgreSQL database (libpq's URL: postgres://USER@HOST:PORT/DB?...)
  // that keeps all of it instead (--storage.url); storage_path is then
  // unused.
  std::string storage_url;
  // This replica's id among those sharing storage_url (--cluster.replica);
  // empty: a new random one at every start.
  std::string replica_id;
  // How long history events are kept (--storage.retention); zero: for ever.
  Duration history_retention = std::chrono::hours(24 * 30);
  // How restored pending alerts count their `for` (rules/restore.h).
  rules::RestorePolicy restore_policy;
  // Rule evaluation, dispatch, notification retries, maintenance and the
  // API all run on this clock. Never null; must outlive the daemon.
  const Clock* clock = &Clock::system();

  // --web.enable-lifecycle: POST/PUT /-/reload and /-/quit work; without
  // it they answer 403, as Prometheus's do.
  bool enable_lifecycle = false;
  // What /-/quit calls (once, on a server thread) to ask the owner to stop
  // the daemon; it must return at once. Unset: /-/quit answers but nothing
  // stops.
  std::function<void()> on_quit;
  // The web server's bounds (web/server.h): open connections, the time to
  // read a request (and to keep an idle connection), and a body's size.
  std::size_t max_connections = 4096;
  Duration read_timeout = std::chrono::minutes(5);
  std::size_t max_request_body_bytes = std::size_t{32} << 20;
};

class Daemon {
 public:
  explicit Daemon(DaemonOptions options);
  // Stops.
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Restores storage, loads the configuration for the first time and starts
  // serving. On error nothing is served.
  Status start();
  // Loads the configuration anew; on error the running one stays.
  Status reload();
  // Stops serving, evaluating and notifying, then writes what is still
  // queued for the store. Idempotent.
  void stop();

  // Whether a configuration has loaded (what /-/ready answers).
  bool ready() const { return ready_.load(); }
  // The port served on; 0 before start.
  int port() const { return web_ ? web_->port() : 0; }
  dispatch::NotificationService& notifications() { return *notifications_; }
  // What /metrics serves.
  std::string metrics_text() const;

 private:
  // Rule alerts handed to the notification side, as Prometheus sends them
  // to Alertmanager.
  void send_rule_alerts(const rules::AlertingRule& rule, std::vector<Alert> alerts,
                        const std::map<std::string, std::string>& external_labels,
                        const std::string& generator_base);

  const DaemonOptions options_;
  std::shared_ptr<prometheus::Registry> registry_;
  rules::RuleMetrics rule_metrics_;
  // With storage_url: the leases of the rule groups this replica evaluates
  // (null otherwise). Before the manager: its groups run under them.
  std::unique_ptr<RuleLeases> leases_;
  // Before the manager: its groups append to it until they stop.
  remote::RemoteStorage remote_;
  rules::RuleManager manager_;
  std::shared_ptr<rules::RuleStateMetrics> state_metrics_;
  prometheus::Gauge& reload_success_;
  prometheus::Gauge& reload_timestamp_;
  prometheus::Counter& reloads_failed_;

  std::mutex reload_mu_;
  std::optional<config::Config> config_;  // the running configuration; guarded by reload_mu_
  std::atomic<bool> ready_{false};
  std::shared_ptr<store::Writer> journal_;  // null until start
  std::unique_ptr<dispatch::NotificationService> notifications_;
  // With storage_url: this replica in its cluster (null otherwise).
  std::shared_ptr<dispatch::Replicas> replicas_;
  std::unique_ptr<ClusterFollower> follower_;
  std::int64_t restored_through_ = 0;  // the change log's point the restored state is as of
  std::unique_ptr<web::Server> web_;
};

}  // namespace tocsin::app
