#include "app/daemon.h"

#include <filesystem>
#include <random>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/text_serializer.h>

#include "core/log.h"
#include "dispatch/snapshot_import.h"
#include "notifiers/notifier_registry.h"
#include "rules/outgoing_alerts.h"
#include "store/postgres_cluster.h"
#include "store/postgres_store.h"
#include "store/sqlite_store.h"
#include "template/alert_template.h"

namespace tocsin::app {
namespace {

Error join(const std::vector<Error>& errors) {
  std::string message;
  for (const Error& e : errors) {
    if (!message.empty()) message += "; ";
    message += e.to_string();
  }
  return Error(message);
}

// Runs instant queries through `client`, timing each into the metrics.
query::QueryFunc timed_query(std::shared_ptr<query::PrometheusClient> client,
                             rules::RuleMetrics& metrics) {
  return [client = std::move(client), &metrics](std::string_view expr, Timestamp at) {
    auto start = std::chrono::steady_clock::now();
    auto result = client->instant_query(expr, at);
    metrics.observe_query(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
        result.has_value());
    return result;
  };
}

// Prometheus names these prometheus_template_text_expansion*_total.
std::vector<prometheus::MetricFamily> template_metrics() {
  const tmpl::ExpansionCounters& c = tmpl::AlertTemplate::default_counters();
  auto counter = [](std::string name, std::string help, std::uint64_t value) {
    prometheus::ClientMetric m;
    m.counter.value = static_cast<double>(value);
    return prometheus::MetricFamily{
        std::move(name), std::move(help), prometheus::MetricType::Counter, {m}};
  };
  return {counter("tocsin_template_text_expansions_total",
                  "Rule label and annotation template expansions.", c.total.load()),
          counter("tocsin_template_text_expansion_failures_total",
                  "Template expansions that failed; the result holds the error text.",
                  c.failures.load())};
}

// Without an `alerting` section, alerts are still kept, listed and
// silenced through the Alertmanager API; they just go to no receiver.
const char* const kNoAlertingConfig = R"(route:
  receiver: none
receivers:
  - name: none
)";

// The integrations of a receiver, as the notifiers/ registry builds them.
dispatch::IntegrationFactory integration_factory() {
  return [](const config::Receiver& receiver,
            const std::shared_ptr<const tmpl::NotificationTemplates>& templates)
             -> std::expected<std::vector<dispatch::ReceiverIntegration>, std::vector<Error>> {
    notifiers::NotifierSettings settings;
    settings.templates = templates;
    auto built = notifiers::build_integrations(receiver, settings);
    if (!built) return std::unexpected(built.error());
    std::vector<dispatch::ReceiverIntegration> out;
    for (notifiers::Integration& integration : *built) {
      dispatch::NotificationTarget target{receiver.name, std::string(integration.notifier->kind()),
                                          static_cast<std::uint32_t>(integration.index)};
      out.push_back({std::move(target), std::move(integration.notifier)});
    }
    return out;
  };
}

Result<std::shared_ptr<const config::AlertmanagerConfig>> alerting_config(config::Config& config) {
  if (config.alerting) {
    auto alerting = std::make_shared<const config::AlertmanagerConfig>(std::move(*config.alerting));
    config.alerting.reset();
    return alerting;
  }
  auto none = config::parse_alertmanager_config(kNoAlertingConfig, "<no alerting configured>",
                                                notifiers::receiver_kinds());
  if (!none) return std::unexpected(join(none.error()));
  return std::make_shared<const config::AlertmanagerConfig>(std::move(*none));
}

// The replica's id: the one given, or 16 random hex digits (a new one at
// every start: the others forget the old one once it is not heard from).
std::string replica_id(const std::string& given) {
  if (!given.empty()) return given;
  std::random_device random;
  std::uint64_t id = (std::uint64_t{random()} << 32) | random();
  return fmt::format("{:016x}", id);
}

}  // namespace

Daemon::Daemon(DaemonOptions options)
    : options_(std::move(options)),
      registry_(std::make_shared<prometheus::Registry>()),
      rule_metrics_(*registry_),
      remote_(remote::RemoteStorage::Options{.registry = registry_.get(), .clock = options_.clock}),
      manager_(&rule_metrics_),
      state_metrics_(std::make_shared<rules::RuleStateMetrics>(manager_)),
      reload_success_(prometheus::BuildGauge()
                          .Name("tocsin_config_last_reload_successful")
                          .Help("Whether the last configuration reload attempt was successful.")
                          .Register(*registry_)
                          .Add({})),
      reload_timestamp_(prometheus::BuildGauge()
                            .Name("tocsin_config_last_reload_success_timestamp_seconds")
                            .Help("Timestamp of the last successful configuration reload.")
                            .Register(*registry_)
                            .Add({})),
      reloads_failed_(prometheus::BuildCounter()
                          .Name("tocsin_config_reloads_failed_total")
                          .Help("Configuration reloads that failed.")
                          .Register(*registry_)
                          .Add({})) {}

Daemon::~Daemon() {
  stop();
}

Status Daemon::start() {
  // --storage.url puts it all in PostgreSQL; otherwise SQLite holds it in
  // --storage.path, or in memory (--storage.memory: history and every
  // other read work alike, and a restart forgets it all).
  const bool in_postgres = !options_.storage_url.empty();
  const bool in_memory = !in_postgres && options_.storage_path.empty();
  std::string file = in_memory
                         ? std::string(":memory:")
                         : (std::filesystem::path(options_.storage_path) / "tocsin.db").string();
  // On PostgreSQL, this tocsin is one replica of those sharing the
  // database (one, when it is alone): it writes under its id and follows
  // what the others write (store/cluster.h).
  store::PostgresOptions postgres;
  if (in_postgres) postgres.replica = replica_id(options_.replica_id);
  auto opened = in_postgres ? store::open_postgres_store(options_.storage_url, postgres)
                            : store::open_sqlite_store(file);
  if (!opened) return std::unexpected(opened.error());
  if (in_postgres) {
    auto cluster = store::open_postgres_cluster(options_.storage_url, postgres);
    if (!cluster) return std::unexpected(cluster.error());
    // Read before the state is, so that nothing written between the two
    // reads is missed (it is merged again, which changes nothing).
    auto through = (*cluster)->last_change();
    if (!through) return std::unexpected(through.error());
    restored_through_ = *through;
    replicas_ =
        std::make_shared<dispatch::Replicas>(std::shared_ptr<store::Cluster>(std::move(*cluster)));
    // The replicas share the rule groups out: each evaluates those it
    // holds the lease of, from the first renewal on.
    leases_ = std::make_unique<RuleLeases>(RuleLeases::Options{.replicas = replicas_,
                                                               .groups =
                                                                   [this] {
                                                                     std::vector<std::string> keys;
                                                                     for (const auto& group :
                                                                          manager_.groups())
                                                                       keys.push_back(group->key());
                                                                     return keys;
                                                                   },
                                                               .registry = registry_.get()});
  }
  if (!in_postgres && !in_memory) {
    auto imported = dispatch::import_snapshots(options_.storage_path, **opened);
    if (!imported) return std::unexpected(imported.error());
  }
  auto held = (*opened)->load();
  if (!held) return std::unexpected(held.error());
  store::StoredState restored = std::move(*held);
  // Applied by the first update, before any rule group evaluates.
  manager_.restore_at_first_update(std::move(restored.rule_alerts), std::move(restored.rule_groups),
                                   options_.restore_policy);
  journal_ = std::make_shared<store::Writer>(
      std::move(*opened), store::Writer::Options{.history_retention = options_.history_retention,
                                                 .clock = options_.clock,
                                                 .registry = registry_.get()});
  log::info("Opened the store", {{in_postgres ? "database" : "file", journal_->name()}});

  dispatch::NotificationService::Options options;
  options.integrations = integration_factory();
  options.journal = journal_;
  options.restored = std::move(restored);
  options.replicas = replicas_;
  options.registry = registry_.get();
  options.clock = options_.clock;
  auto notifications = dispatch::NotificationService::create(std::move(options));
  if (!notifications) return std::unexpected(notifications.error());
  notifications_ = std::move(*notifications);

  if (Status loaded = reload(); !loaded) {
    stop();
    return loaded;
  }
  std::string address =
      options_.listen_address.empty() ? config_->web.listen_address : options_.listen_address;
  api::WebHooks hooks;
  hooks.rule_groups = [this] { return manager_.groups(); };
  hooks.reload = [this] { return reload(); };
  hooks.ready = [this] { return ready_.load(); };
  hooks.metrics = [this] { return metrics_text(); };
  hooks.notifications = [this] { return notifications_.get(); };
  hooks.history = [this](const store::HistoryQuery& query) { return journal_->history(query); };
  hooks.enable_lifecycle = options_.enable_lifecycle;
  hooks.quit = [this] {
    log::info("Termination requested through /-/quit");
    if (options_.on_quit) options_.on_quit();
  };
  web::ServerOptions server;
  server.listen_address = address;
  server.max_connections = options_.max_connections;
  server.max_body_bytes = options_.max_request_body_bytes;
  // As Go's http.Server with only ReadTimeout set: it also bounds the
  // header and how long an idle keep-alive connection stays open. The
  // header gets at most 30 s of it, against slowloris clients.
  server.read_timeout = options_.read_timeout;
  server.idle_timeout = options_.read_timeout;
  server.header_timeout = std::min<Duration>(server.header_timeout, options_.read_timeout);
  auto web = web::Server::start(std::move(server), api::web_routes(std::move(hooks)));
  if (!web) {
    stop();
    return std::unexpected(web.error());
  }
  web_ = std::move(*web);
  log::info("Listening", {{"address", address}, {"port", web_->port()}});
  if (replicas_) {
    ClusterFollower::Options follow;
    follow.replicas = replicas_;
    follow.leases = leases_.get();
    follow.merge = [this](const store::PeerChanges& changes) {
      return notifications_->merge_from_peers(changes);
    };
    follow.address = fmt::format("{}:{}", address.substr(0, address.rfind(':')), web_->port());
    follow.read_from = restored_through_;
    follow.registry = registry_.get();
    follower_ = std::make_unique<ClusterFollower>(std::move(follow));
    follower_->start();
    log::info("Joined the cluster",
              {{"replica", replicas_->self()}, {"replicas", replicas_->live().size()}});
  }
  return {};
}

Status Daemon::reload() {
  std::lock_guard lock(reload_mu_);
  auto attempt = [&]() -> Status {
    auto config = config::load_config(options_.config_file, notifiers::receiver_kinds());
    if (!config) return std::unexpected(join(config.error()));
    auto files = config::expand_rule_files(*config);
    if (!files) return std::unexpected(files.error());
    auto rules = rules::load_rule_files(*files, config->global.evaluation_interval);
    if (!rules) return std::unexpected(join(rules.error()));
    auto client = query::PrometheusClient::create(config->datasource);
    if (!client) return std::unexpected(client.error());
    auto remote_write = remote::RemoteStorage::prepare(config->remote_write);
    if (!remote_write) return std::unexpected(join(remote_write.error()));
    auto alerting = alerting_config(*config);
    if (!alerting) return std::unexpected(alerting.error());
    if (auto applied = notifications_->apply(*alerting, config->external_url()); !applied) {
      return std::unexpected(join(applied.error()));
    }
    // Before the rules: the groups still running append to the new targets.
    remote_.apply(std::move(*remote_write), config->global.external_labels);

    rules::GroupEnvironment env;
    env.query =
        timed_query(std::shared_ptr<query::PrometheusClient>(std::move(*client)), rule_metrics_);
    env.external_labels = config->global.external_labels;
    env.external_url = config->external_url();
    env.clock = options_.clock;
    env.journal = journal_;
    env.leases = leases_.get();
    env.notify = [this, external_labels = config->global.external_labels,
                  generator_base = config->datasource.url](const rules::RuleGroup&,
                                                           const rules::AlertingRule& rule,
                                                           std::vector<Alert> alerts) {
      send_rule_alerts(rule, std::move(alerts), external_labels, generator_base);
    };
    if (!config->remote_write.empty()) {
      env.append = [this](std::vector<SeriesSample> samples) {
        remote_.append(std::move(samples));
      };
    } else if (rules->recording_rule_count > 0) {
      log::warn(
          "Recording rules are not evaluated: no remote_write is configured to write "
          "their samples to",
          {{"recording_rules", rules->recording_rule_count}});
    }
    std::size_t groups = rules->groups.size();
    std::size_t rule_count = rules->rule_count;
    manager_.update(std::move(*rules), std::move(env));
    if (config_ && config_->web.listen_address != config->web.listen_address) {
      log::warn(
          "web.listen_address changes take effect only on restart",
          {{"running", config_->web.listen_address}, {"configured", config->web.listen_address}});
    }
    config_ = std::move(*config);
    log::info("Loaded configuration", {{"file", options_.config_file},
                                       {"rule_files", files->size()},
                                       {"groups", groups},
                                       {"rules", rule_count}});
    return {};
  };
  Status outcome = attempt();
  store::HistoryRow event;
  event.at = options_.clock->now();
  event.kind = "reload";
  event.state = outcome ? "success" : "failure";
  nlohmann::json details = {{"file", options_.config_file}};
  if (!outcome) details["error"] = outcome.error().to_string();
  event.details = details.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (journal_) journal_->submit({store::AppendHistory{std::move(event)}});
  if (outcome) {
    ready_ = true;
    reload_success_.Set(1);
    reload_timestamp_.Set(to_unix_seconds(options_.clock->now()));
  } else {
    reload_success_.Set(0);
    reloads_failed_.Increment();
    log::error("Loading configuration failed; the running configuration stays in force",
               {{"file", options_.config_file}, {"err", outcome.error().to_string()}});
  }
  return outcome;
}

void Daemon::send_rule_alerts(const rules::AlertingRule& rule, std::vector<Alert> alerts,
                              const std::map<std::string, std::string>& external_labels,
                              const std::string& generator_base) {
  Timestamp now = options_.clock->now();
  std::vector<notify::Alert> outgoing =
      rules::outgoing_alerts(alerts, rule.expr(), external_labels, generator_base, now);
  for (notify::Alert& alert : outgoing) notifications_->complete(alert, now);
  notifications_->put(std::move(outgoing), dispatch::AlertOrigin::kRule);
}

void Daemon::stop() {
  if (web_) web_->stop();
  if (follower_) follower_->stop();
  manager_.stop();
  remote_.stop();  // after the groups: what they wrote last is flushed
  if (notifications_) notifications_->stop();
  // Last: every producer has stopped, so what is queued is all there is.
  if (journal_) journal_->stop();
  // Once the groups' last evaluations are stored: the other replicas take
  // them over from there at once, rather than once the leases run out.
  if (leases_ && journal_) {
    if (Status released = leases_->release(); !released) {
      log::warn(
          "Could not give up the rule group leases; the other replicas take the groups "
          "once they run out",
          {{"err", released.error().message()}});
    }
  }
}

std::string Daemon::metrics_text() const {
  auto families = registry_->Collect();
  for (auto&& more : {state_metrics_->Collect(), template_metrics(), notifications_->collect()}) {
    families.insert(families.end(), more.begin(), more.end());
  }
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, families);
  return out.str();
}

}  // namespace tocsin::app
