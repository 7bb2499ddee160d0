// The notification side as one object: every alert tocsin holds, the
// silences, the notification log, and what the running alerting
// configuration builds from them (routing tree, dispatcher, inhibitor,
// templates, receiver integrations, pipeline).
//
// The alert store, the silences and the notification log outlive
// configurations; `apply` builds everything configuration-derived aside and
// swaps it in only when all of it loaded, as Alertmanager's reload does
// (the old dispatcher stops; the new one regroups every stored alert).
//
// Thread-safe: alerts arrive from rule groups and HTTP threads while the API
// reads and a reload applies. One maintenance thread of its own.
//
// Heartbeats (heartbeats.h) put their missing alerts into the alert store;
// they start watching at `create`, once restored.
//
// Acknowledgements (acknowledgements.h) are made here, where the alerts and
// groups they name are known; once a group's firing alerts are all
// acknowledged, its PagerDuty integrations are sent the "acknowledge"
// event by a thread of the service's own (one group after another, each
// retried until the group's group_interval has passed), so that the API
// answers at once.
//
// Durability: with a journal, the alerts, silences and the notification log
// write every change through it as it happens (alert_store.h, silences.h,
// notification_log.h), and so does the history of alerts, notifications and
// silences (history.h); all three are restored from Options::restored in
// `create`, before any dispatcher exists and so before the first flush: the
// first configuration's dispatcher regroups the restored alerts and its
// inhibitor sees the restored sources before any group flushes.
//
// Time: everything it builds (dispatcher, pipeline) and its own maintenance
// run on Options::clock; the API handlers read "now" from clock().
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <prometheus/collectable.h>
#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <tocsin/error.h>
#include <tocsin/notify.h>

#include "config/alertmanager_config.h"
#include "dispatch/acknowledgements.h"
#include "dispatch/alert_store.h"
#include "dispatch/dispatcher.h"
#include "dispatch/escalations.h"
#include "dispatch/heartbeats.h"
#include "dispatch/inhibitor.h"
#include "dispatch/notification_log.h"
#include "dispatch/notification_metrics.h"
#include "dispatch/pipeline.h"
#include "dispatch/replicas.h"
#include "dispatch/silences.h"
#include "store/store.h"
#include "store/writer.h"
#include "template/notification_templates.h"

namespace tocsin::dispatch {

// Builds the integrations of one receiver (notifiers/ registers them); the
// errors name the receiver and integration. Kept abstract so the pipeline
// does not depend on any one integration.
using IntegrationFactory =
    std::function<std::expected<std::vector<ReceiverIntegration>, std::vector<Error>>(
        const config::Receiver& receiver,
        const std::shared_ptr<const tmpl::NotificationTemplates>& templates)>;

// Whether an alert is muted right now, and by what (computed when asked, as
// Alertmanager's API does).
struct AlertStatus {
  std::vector<std::string> silenced_by;         // ids of the active silences matching it
  std::vector<std::string> inhibited_by;        // fingerprints of the firing alerts inhibiting it
  std::optional<Acknowledgement> acknowledged;  // a tocsin extension; not part of state()
  bool suppressed() const { return !silenced_by.empty() || !inhibited_by.empty(); }
  // "active" or "suppressed": Alertmanager's status.state.
  std::string_view state() const { return suppressed() ? "suppressed" : "active"; }
};

class NotificationService {
 public:
  struct Options {
    IntegrationFactory integrations;
    // Where silences and the notification log are written as they change;
    // null keeps them in memory only.
    std::shared_ptr<store::Writer> journal;
    // What the store held at start: silences and log entries to restore.
    store::StoredState restored;
    // Alertmanager's --data.retention: how long expired silences and log
    // entries are kept.
    Duration retention = std::chrono::hours(120);
    // How often resolved alerts, expired silences and old log entries are
    // dropped.
    Duration maintenance_interval = std::chrono::minutes(15);
    // How often silences that end when their alerts resolve are checked.
    Duration resolved_silences_interval = std::chrono::seconds(5);
    Backoff backoff;
    // Several replicas sharing a database: notifications are claimed before
    // they are sent (replicas.h). Null: this tocsin is alone.
    std::shared_ptr<Replicas> replicas;
    prometheus::Registry* registry = nullptr;  // where the metrics go; none if null
    const Clock* clock = &Clock::system();     // never null; must outlive the service
  };

  // Restores silences and the notification log from Options::restored;
  // an error names the silence that no longer reads.
  static Result<std::unique_ptr<NotificationService>> create(Options options);
  ~NotificationService();
  NotificationService(const NotificationService&) = delete;
  NotificationService& operator=(const NotificationService&) = delete;

  // Builds routing, inhibition, templates and integrations of `config` and
  // switches to them; on any error nothing changes and every problem is
  // returned.
  std::expected<void, std::vector<Error>> apply(
      std::shared_ptr<const config::AlertmanagerConfig> config, std::string external_url);
  bool configured() const;

  // Alertmanager's handling of posted alerts before validation: updated_at
  // becomes `now`; a missing starts_at becomes ends_at or `now`; a missing
  // ends_at becomes now + resolve_timeout (and `timeout` is set).
  void complete(notify::Alert& alert, Timestamp now) const;
  // Stores alerts (already complete and valid) and hands them on to
  // inhibition and the dispatcher.
  void put(std::vector<notify::Alert>&& alerts, AlertOrigin origin = AlertOrigin::kApi);
  void put(std::span<const notify::Alert> alerts, AlertOrigin origin = AlertOrigin::kApi);
  // Counts posted alerts the way Alertmanager's alerts_received_total and
  // alerts_invalid_total do.
  void count_received(std::size_t firing, std::size_t resolved, std::size_t invalid);

  std::vector<notify::Alert> alerts() const { return store_.list(); }
  AlertStatus status(const Labels& labels, Timestamp now) const;
  // The receivers of the routes `labels` end at, in match order.
  std::vector<std::string> receivers_for(const Labels& labels) const;

  struct Group {
    std::string receiver;
    Labels labels;
    std::string key;
    std::vector<notify::Alert> alerts;
  };
  std::vector<Group> groups() const;

  // What POST /api/v1/acknowledgements asks: an alert (fingerprint) or a
  // group (group_key), by whom, why and until when (unset: until resolved).
  struct AcknowledgeRequest {
    std::uint64_t fingerprint = 0;
    std::string group_key;
    std::string by;
    std::string comment;
    Timestamp expires_at{};
  };
  // Acknowledges the firing alert or the group's firing alerts (kNotFound
  // when there is no such firing alert or group); once stored, queues the
  // receivers' acknowledgement of every group now wholly acknowledged.
  AcknowledgementResult<Acknowledgement> acknowledge(const AcknowledgeRequest& request,
                                                     Timestamp now);
  AcknowledgementResult<Acknowledgement> unacknowledge(std::string_view id, std::string_view by,
                                                       Timestamp now);
  const Acknowledgements& acknowledgements() const { return *acks_; }

  Heartbeats& heartbeats() { return *heartbeats_; }
  Silences& silences() { return *silences_; }
  const Silences& silences() const { return *silences_; }
  NotificationLog& notification_log() { return *nflog_; }

  // The running configuration; null before the first apply.
  std::shared_ptr<const config::AlertmanagerConfig> config() const;
  // The cluster this replica is part of; null when it is alone.
  const std::shared_ptr<Replicas>& replicas() const { return options_.replicas; }
  Timestamp started() const { return started_; }
  const Clock& clock() const { return *options_.clock; }

  // Drops what has expired (in the store too); runs on its own every
  // maintenance_interval.
  void maintain(Timestamp now);

  // Takes what other replicas wrote (store/cluster.h): silences,
  // acknowledgements, heartbeats, alerts (posted to them, of their
  // heartbeats and of the rule groups they evaluate; regrouped as if
  // posted here) and notification-log entries. An error names the rows
  // that could not be taken; the others were.
  Status merge_from_peers(const store::PeerChanges& changes);
  // Expires the silences that end when their alerts resolve whose alerts
  // have; runs on its own every resolved_silences_interval.
  void end_resolved_silences(Timestamp now);
  void stop();

  // Gauges computed at scrape time: alerts by state, silences by state,
  // aggregation groups.
  std::vector<prometheus::MetricFamily> collect() const;

 private:
  // What one configuration built.
  struct Generation {
    std::shared_ptr<const config::AlertmanagerConfig> config;
    std::shared_ptr<const Route> root;
    std::shared_ptr<Inhibitor> inhibitor;
    std::shared_ptr<const Pipeline> pipeline;
    std::unique_ptr<Dispatcher> dispatcher;
  };

  // One group whose receivers are to be told of its acknowledgement.
  struct AcknowledgeTask {
    std::shared_ptr<Generation> generation;  // keeps the route alive
    Flush flush;
  };

  explicit NotificationService(Options options);
  std::shared_ptr<Generation> current() const;
  void run_maintenance(std::stop_token stop);
  void run_acknowledger(std::stop_token stop);

  const Options options_;
  const Timestamp started_;
  AlertStore store_;
  std::shared_ptr<Silences> silences_;
  std::shared_ptr<Acknowledgements> acks_;
  std::shared_ptr<Escalations> escalations_;
  std::shared_ptr<NotificationLog> nflog_;
  std::unique_ptr<Heartbeats> heartbeats_;
  std::shared_ptr<NotificationMetrics> metrics_;
  prometheus::Family<prometheus::Counter>* received_ = nullptr;
  prometheus::Counter* invalid_ = nullptr;

  std::mutex apply_mu_;    // one apply at a time
  mutable std::mutex mu_;  // guards current_
  std::shared_ptr<Generation> current_;
  std::mutex maintain_mu_;
  std::mutex ack_mu_;
  std::condition_variable_any ack_wake_;
  std::deque<AcknowledgeTask> ack_tasks_;  // guarded by ack_mu_
  std::jthread acknowledger_;
  std::jthread maintenance_;  // last: started once everything else exists
};

}  // namespace tocsin::dispatch
