#include "api_test_server.h"

#include <fmt/format.h>

#include "config/alertmanager_config.h"
#include "notifiers/notifier_registry.h"

namespace tocsin::test {

Result<std::unique_ptr<ApiTestServer>> ApiTestServer::start(const std::string& alertmanager_yml,
                                                            bool configured, bool lifecycle) {
  std::unique_ptr<ApiTestServer> server(new ApiTestServer());
  if (configured) {
    dispatch::NotificationService::Options options;
    options.registry = server->registry_.get();
    options.integrations = [](const config::Receiver&,
                              const std::shared_ptr<const tmpl::NotificationTemplates>&)
        -> std::expected<std::vector<dispatch::ReceiverIntegration>, std::vector<Error>> {
      return std::vector<dispatch::ReceiverIntegration>{};
    };
    auto service = dispatch::NotificationService::create(std::move(options));
    if (!service) return std::unexpected(service.error());
    server->service_ = std::move(*service);
    auto config = config::parse_alertmanager_config(alertmanager_yml, "alertmanager.yml",
                                                    notifiers::receiver_kinds());
    if (!config) return std::unexpected(config.error().front());
    auto applied = server->service_->apply(
        std::make_shared<const config::AlertmanagerConfig>(std::move(*config)),
        "http://tocsin.test");
    if (!applied) return std::unexpected(applied.error().front());
  }
  api::WebHooks hooks;
  hooks.ready = [] { return true; };
  hooks.notifications = [raw = server->service_.get()] { return raw; };
  hooks.enable_lifecycle = lifecycle;
  auto web = web::Server::start(web::ServerOptions{}, api::web_routes(std::move(hooks)));
  if (!web) return std::unexpected(web.error());
  server->web_ = std::move(*web);
  return server;
}

ApiTestServer::~ApiTestServer() {
  if (web_) web_->stop();
  if (service_) service_->stop();
}

double ApiTestServer::metric(const std::string& name,
                             const std::map<std::string, std::string>& labels) {
  for (const prometheus::MetricFamily& family : registry_->Collect()) {
    if (family.name != name) continue;
    for (const prometheus::ClientMetric& m : family.metric) {
      std::map<std::string, std::string> have;
      for (const auto& l : m.label) have[l.name] = l.value;
      if (have != labels) continue;
      return family.type == prometheus::MetricType::Counter ? m.counter.value : m.gauge.value;
    }
  }
  return 0;
}

std::string ApiTestServer::url() const {
  return fmt::format("http://127.0.0.1:{}", web_->port());
}

}  // namespace tocsin::test
