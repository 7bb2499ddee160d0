#include "dispatch/notification_service.h"

#include <fmt/format.h>

#include "core/log.h"

namespace tocsin::dispatch {
namespace {

prometheus::MetricFamily gauge_family(std::string name, std::string help) {
  return prometheus::MetricFamily{
      std::move(name), std::move(help), prometheus::MetricType::Gauge, {}};
}

void add_gauge(prometheus::MetricFamily& family, std::string label, std::string value, double v) {
  prometheus::ClientMetric m;
  if (!label.empty()) m.label.push_back(prometheus::ClientMetric::Label{label, value});
  m.gauge.value = v;
  family.metric.push_back(std::move(m));
}

// The time mutes of every route that names intervals.
Result<std::unordered_map<const Route*, TimeMute>> build_time_mutes(
    const Route& root, const config::AlertmanagerConfig& config) {
  std::unordered_map<const Route*, TimeMute> mutes;
  std::optional<Error> failed;
  root.walk([&](const Route& route) {
    if (failed || (route.mute_time_intervals().empty() && route.active_time_intervals().empty())) {
      return;
    }
    auto mute = TimeMute::create(route.mute_time_intervals(), route.active_time_intervals(),
                                 config.time_intervals);
    if (!mute) {
      failed = mute.error();
      return;
    }
    mutes.emplace(&route, std::move(*mute));
  });
  if (failed) return std::unexpected(*failed);
  return mutes;
}

}  // namespace

Result<std::unique_ptr<NotificationService>> NotificationService::create(Options options) {
  store::StoredState restored = std::move(options.restored);
  std::unique_ptr<NotificationService> service(new NotificationService(std::move(options)));
  if (Status s = service->silences_->restore(restored.silences); !s) {
    std::string where = service->options_.journal ? service->options_.journal->name() : "store";
    return std::unexpected(s.error().wrap(where));
  }
  service->nflog_->restore(restored.notifications);
  service->store_.restore(restored.alerts);
  service->heartbeats_->restore(restored.heartbeats, service->options_.clock->now());
  service->acks_->restore(restored.acknowledgements);
  service->escalations_->restore(restored.escalations);
  if (!restored.silences.empty() || !restored.notifications.empty() || !restored.alerts.empty()) {
    log::info("Restored alerts, silences and the notification log",
              {{"alerts", restored.alerts.size()},
               {"silences", restored.silences.size()},
               {"nflog_entries", restored.notifications.size()}});
  }
  service->heartbeats_->start();
  service->acknowledger_ =
      std::jthread([raw = service.get()](std::stop_token stop) { raw->run_acknowledger(stop); });
  service->maintenance_ =
      std::jthread([raw = service.get()](std::stop_token stop) { raw->run_maintenance(stop); });
  return service;
}

NotificationService::NotificationService(Options options)
    : options_(std::move(options)),
      started_(options_.clock->now()),
      store_(options_.journal),
      silences_(std::make_shared<Silences>(Silences::Options{
          .retention = options_.retention, .new_id = {}, .journal = options_.journal})),
      acks_(std::make_shared<Acknowledgements>(
          Acknowledgements::Options{.journal = options_.journal, .new_id = {}})),
      escalations_(std::make_shared<Escalations>(options_.journal)),
      nflog_(std::make_shared<NotificationLog>(options_.retention, options_.journal)),
      heartbeats_(std::make_unique<Heartbeats>(
          Heartbeats::Options{.journal = options_.journal,
                              .alerts =
                                  [this](std::vector<notify::Alert> alerts) {
                                    store_.put(std::move(alerts), AlertOrigin::kHeartbeat);
                                  },
                              .clock = options_.clock})) {
  if (options_.registry != nullptr) {
    metrics_ = std::make_shared<NotificationMetrics>(*options_.registry);
    received_ = &prometheus::BuildCounter()
                     .Name("tocsin_alerts_received_total")
                     .Help("The total number of received alerts.")
                     .Register(*options_.registry);
    received_->Add({{"status", "firing"}});
    received_->Add({{"status", "resolved"}});
    invalid_ = &prometheus::BuildCounter()
                    .Name("tocsin_alerts_invalid_total")
                    .Help("The total number of received alerts that were invalid.")
                    .Register(*options_.registry)
                    .Add({});
  }
}

NotificationService::~NotificationService() {
  stop();
}

std::expected<void, std::vector<Error>> NotificationService::apply(
    std::shared_ptr<const config::AlertmanagerConfig> config, std::string external_url) {
  std::lock_guard apply_lock(apply_mu_);
  std::vector<Error> errors;

  auto files = config::expand_templates(*config);
  if (!files) return std::unexpected(std::vector<Error>{files.error()});
  auto templates = tmpl::NotificationTemplates::load(*files, external_url);
  if (!templates) return std::unexpected(std::vector<Error>{templates.error()});

  Pipeline::Parts parts;
  for (const config::Receiver& receiver : config->receivers) {
    auto built = options_.integrations(receiver, *templates);
    if (!built) {
      errors.insert(errors.end(), built.error().begin(), built.error().end());
      continue;
    }
    if (!built->empty()) parts.receivers.emplace(receiver.name, std::move(*built));
  }
  auto generation = std::make_shared<Generation>();
  generation->config = config;
  generation->root = Route::build(config->route);
  auto mutes = build_time_mutes(*generation->root, *config);
  if (!mutes) errors.push_back(mutes.error());
  if (!errors.empty()) return std::unexpected(std::move(errors));

  generation->inhibitor = std::make_shared<Inhibitor>(config->inhibit_rules);
  parts.time_mutes = std::move(*mutes);
  parts.inhibitor = generation->inhibitor;
  parts.silences = silences_;
  parts.acknowledgements = acks_;
  parts.escalations = escalations_;
  parts.nflog = nflog_;
  parts.metrics = metrics_;
  parts.replicas = options_.replicas;
  parts.from_own_rules = [this](std::span<const notify::Alert> alerts) {
    return store_.any_from_own_rules(alerts);
  };
  parts.history = options_.journal;
  parts.external_url = std::move(external_url);
  parts.backoff = options_.backoff;
  parts.clock = options_.clock;
  generation->pipeline = std::make_shared<const Pipeline>(std::move(parts));

  // Alertmanager stops the old dispatcher before the new one starts, so a
  // group is never flushed by both.
  std::shared_ptr<Generation> old = current();
  if (old) old->dispatcher->stop();

  generation->dispatcher = std::make_unique<Dispatcher>(
      generation->root,
      [pipeline = generation->pipeline](const Flush& flush, std::stop_token stop) {
        return pipeline->flush(flush, stop);
      },
      *options_.clock);
  {
    std::lock_guard lock(mu_);
    current_ = generation;
  }
  // From now on every put reaches the new generation; the alerts stored
  // before are fed once (an alert stored in between may arrive twice, which
  // inserting by fingerprint absorbs).
  auto feed = [generation](std::span<const AlertPtr> alerts) {
    generation->inhibitor->observe(alerts);
    generation->dispatcher->process(alerts);
  };
  store_.set_listener(AlertStore::BatchListener(feed));
  feed(store_.snapshot());
  return {};
}

bool NotificationService::configured() const {
  return current() != nullptr;
}

std::shared_ptr<NotificationService::Generation> NotificationService::current() const {
  std::lock_guard lock(mu_);
  return current_;
}

std::shared_ptr<const config::AlertmanagerConfig> NotificationService::config() const {
  auto generation = current();
  return generation ? generation->config : nullptr;
}

void NotificationService::complete(notify::Alert& alert, Timestamp now) const {
  auto generation = current();
  Duration resolve_timeout =
      generation ? generation->config->global.resolve_timeout : std::chrono::minutes(5);
  alert.updated_at = now;
  if (alert.starts_at == Timestamp{}) {
    alert.starts_at = alert.ends_at == Timestamp{} ? now : alert.ends_at;
  }
  if (alert.ends_at == Timestamp{}) {
    alert.timeout = true;
    alert.ends_at = now + resolve_timeout;
  }
}

void NotificationService::put(std::vector<notify::Alert>&& alerts, AlertOrigin origin) {
  store_.put(std::move(alerts), origin);
}

void NotificationService::put(std::span<const notify::Alert> alerts, AlertOrigin origin) {
  store_.put(alerts, origin);
}

void NotificationService::count_received(std::size_t firing, std::size_t resolved,
                                         std::size_t invalid) {
  if (received_ == nullptr) return;
  received_->Add({{"status", "firing"}}).Increment(static_cast<double>(firing));
  received_->Add({{"status", "resolved"}}).Increment(static_cast<double>(resolved));
  invalid_->Increment(static_cast<double>(invalid));
}

AlertStatus NotificationService::status(const Labels& labels, Timestamp now) const {
  AlertStatus status;
  status.silenced_by = silences_->mutes(labels, now);
  status.acknowledged = acks_->covering_any(labels.fingerprint(), now);
  if (auto generation = current()) {
    for (std::uint64_t fp : generation->inhibitor->mutes(labels, now)) {
      status.inhibited_by.push_back(notify::fingerprint_string(fp));
    }
  }
  return status;
}

std::vector<std::string> NotificationService::receivers_for(const Labels& labels) const {
  std::vector<std::string> out;
  if (auto generation = current()) {
    for (const Route* route : generation->root->match(labels)) {
      out.push_back(route->options().receiver);
    }
  }
  return out;
}

std::vector<NotificationService::Group> NotificationService::groups() const {
  std::vector<Group> out;
  auto generation = current();
  if (!generation) return out;
  for (Dispatcher::GroupView& view : generation->dispatcher->groups()) {
    out.push_back(Group{view.route->options().receiver, std::move(view.labels), std::move(view.key),
                        std::move(view.alerts)});
  }
  return out;
}

AcknowledgementResult<Acknowledgement> NotificationService::acknowledge(
    const AcknowledgeRequest& request, Timestamp now) {
  auto not_found = [](std::string message) {
    return std::unexpected(
        AcknowledgementError{AcknowledgementError::Kind::kNotFound, std::move(message)});
  };
  Acknowledgement ack;
  ack.fingerprint = request.fingerprint;
  ack.group_key = request.group_key;
  ack.by = request.by;
  ack.comment = request.comment;
  ack.expires_at = request.expires_at;
  auto generation = current();
  std::vector<Dispatcher::GroupView> groups;
  if (generation) groups = generation->dispatcher->groups();
  if (!request.group_key.empty()) {
    auto it = std::ranges::find(groups, request.group_key, &Dispatcher::GroupView::key);
    if (it == groups.end()) return not_found("group not found");
    for (const notify::Alert& a : it->alerts) {
      if (!a.resolved_at(now)) ack.covered.push_back(a.fingerprint());
    }
    if (ack.covered.empty()) return not_found("the group has no firing alert");
    ack.labels = it->labels;
  } else {
    auto alert = store_.get(request.fingerprint);
    if (!alert || alert->resolved_at(now)) return not_found("alert not found or not firing");
    ack.covered.push_back(request.fingerprint);
    ack.labels = alert->labels;
  }
  auto added = acks_->add(std::move(ack), now);
  if (!added) return added;

  // The groups this completes, to tell their receivers.
  std::vector<AcknowledgeTask> tasks;
  for (Dispatcher::GroupView& g : groups) {
    if (added->of_group() ? g.key != added->group_key
                          : std::ranges::none_of(g.alerts, [&](const notify::Alert& a) {
                              return a.fingerprint() == added->fingerprint;
                            })) {
      continue;
    }
    std::vector<std::uint64_t> firing;
    for (const notify::Alert& a : g.alerts) {
      if (!a.resolved_at(now)) firing.push_back(a.fingerprint());
    }
    if (!acks_->all_covered(firing, g.key, now)) continue;
    Flush flush{g.route,
                std::move(g.key),
                std::move(g.labels),
                std::move(g.alerts),
                now,
                now + g.route->options().group_interval};
    tasks.push_back({generation, std::move(flush)});
  }
  if (!tasks.empty()) {
    std::lock_guard lock(ack_mu_);
    for (AcknowledgeTask& t : tasks) ack_tasks_.push_back(std::move(t));
    ack_wake_.notify_one();
  }
  return added;
}

AcknowledgementResult<Acknowledgement> NotificationService::unacknowledge(std::string_view id,
                                                                          std::string_view by,
                                                                          Timestamp now) {
  return acks_->remove(id, by, now);
}

void NotificationService::run_acknowledger(std::stop_token stop) {
  while (true) {
    AcknowledgeTask task;
    {
      std::unique_lock lock(ack_mu_);
      if (!ack_wake_.wait(lock, stop, [&] { return !ack_tasks_.empty(); })) return;
      task = std::move(ack_tasks_.front());
      ack_tasks_.pop_front();
    }
    task.generation->pipeline->acknowledge(task.flush, stop);
  }
}

void NotificationService::maintain(Timestamp now) {
  std::lock_guard lock(maintain_mu_);
  std::size_t acks = acks_->collect(now, [&](std::uint64_t fingerprint) {
    auto alert = store_.get(fingerprint);
    return alert && !alert->resolved_at(now);
  });
  std::size_t alerts = store_.collect_garbage(now);
  if (auto generation = current()) generation->inhibitor->collect_garbage(now);
  std::size_t silences = silences_->collect_garbage(now);
  std::size_t entries = nflog_->collect_garbage(now);
  log::debug("Maintenance done", {{"acknowledgements_ended", acks},
                                  {"resolved_alerts_dropped", alerts},
                                  {"silences_dropped", silences},
                                  {"nflog_entries_dropped", entries}});
}

Status NotificationService::merge_from_peers(const store::PeerChanges& changes) {
  Status silences = silences_->merge_from_peers(changes.silences);
  acks_->merge_from_peers(changes.acknowledgements, changes.removed_acknowledgements);
  heartbeats_->merge_from_peers(changes.heartbeats, changes.removed_heartbeats);
  // The log first: a group the alerts reach flushes against what the
  // other replicas already sent.
  nflog_->merge(changes.notifications);
  // Alerts of tocsin's own rules too: each rule group is evaluated by the
  // one replica that holds its lease, and what it sends reaches the others
  // here, so that every replica's aggregation groups hold the same alerts
  // (a group mixing alerts of rule groups that two replicas evaluate would
  // otherwise be notified with two different sets, in turn).
  store_.merge_from_peers(changes.alerts);
  return silences;
}

void NotificationService::end_resolved_silences(Timestamp now) {
  if (!silences_->has_resolve_ending(now)) return;
  std::vector<Labels> firing;
  for (const AlertPtr& alert : store_.snapshot()) {
    if (!alert->resolved_at(now)) firing.push_back(alert->labels);
  }
  if (std::size_t ended = silences_->end_resolved(firing, now); ended > 0) {
    log::info("Silences ended with their alerts", {{"silences", ended}});
  }
}

void NotificationService::run_maintenance(std::stop_token stop) {
  const Clock& clock = *options_.clock;
  Timestamp next_maintenance = clock.now() + options_.maintenance_interval;
  while (true) {
    Timestamp wake = std::min(next_maintenance, clock.now() + options_.resolved_silences_interval);
    if (!clock.sleep_until(wake, stop)) return;
    Timestamp now = clock.now();
    end_resolved_silences(now);
    if (now >= next_maintenance) {
      maintain(now);
      next_maintenance = now + options_.maintenance_interval;
    }
  }
}

void NotificationService::stop() {
  heartbeats_->stop();
  if (acknowledger_.joinable()) {
    acknowledger_.request_stop();
    acknowledger_.join();
  }
  if (!maintenance_.joinable()) return;
  maintenance_.request_stop();
  maintenance_.join();
  store_.set_listener(nullptr);
  if (auto generation = current()) generation->dispatcher->stop();
}

std::vector<prometheus::MetricFamily> NotificationService::collect() const {
  Timestamp now = options_.clock->now();
  std::size_t active = 0, suppressed = 0;
  for (const AlertPtr& alert : store_.snapshot()) {
    if (alert->resolved_at(now)) continue;
    if (status(alert->labels, now).suppressed()) {
      ++suppressed;
    } else {
      ++active;
    }
  }
  auto alerts = gauge_family("tocsin_alerts", "How many alerts by state.");
  add_gauge(alerts, "state", "active", static_cast<double>(active));
  add_gauge(alerts, "state", "suppressed", static_cast<double>(suppressed));
  add_gauge(alerts, "state", "unprocessed", 0);

  SilenceCounts counts = silences_->counts(now);
  auto silences = gauge_family("tocsin_silences", "How many silences by state.");
  add_gauge(silences, "state", "active", static_cast<double>(counts.active));
  add_gauge(silences, "state", "expired", static_cast<double>(counts.expired));
  add_gauge(silences, "state", "pending", static_cast<double>(counts.pending));

  auto groups =
      gauge_family("tocsin_dispatcher_aggregation_groups", "Number of active aggregation groups.");
  auto generation = current();
  add_gauge(groups, "", "",
            generation ? static_cast<double>(generation->dispatcher->group_count()) : 0);

  auto nflog = gauge_family("tocsin_nflog_entries", "Entries in the notification log.");
  add_gauge(nflog, "", "", static_cast<double>(nflog_->size()));
  return {std::move(alerts), std::move(silences), std::move(groups), std::move(nflog)};
}

}  // namespace tocsin::dispatch
