// The webhook integration's section (`webhook_configs`): Alertmanager
// 0.25's WebhookConfig, with the url_file of 0.26. Read, defaulted and
// written back here; config only knows it as an IntegrationConfig.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "config/receiver_kinds.h"
#include "config/secret.h"
#include "http/client_config.h"

namespace tocsin::notifiers {

struct WebhookConfig final : config::IntegrationConfig {
  static constexpr std::string_view kKind = "webhook";

  WebhookConfig() : IntegrationConfig(/*default_send_resolved=*/true) {}
  std::string_view kind() const override { return kKind; }
  void write_redacted(config::YamlWriter& out) const override;

  http::HttpClientConfig http_config;  // the global one when not set
  // An http(s) URL, secret as from Alertmanager 0.26 on; empty when url_file is set.
  config::Secret url;
  std::string url_file;          // read at send time (Alertmanager 0.26's field)
  std::uint64_t max_alerts = 0;  // 0: all alerts
};

// Reads one `webhook_config` (a config::IntegrationReader).
std::shared_ptr<config::IntegrationConfig> read_webhook_config(
    yaml::MapReader& section, const config::AlertmanagerGlobalConfig& global,
    const config::ReadContext& ctx);

}  // namespace tocsin::notifiers
