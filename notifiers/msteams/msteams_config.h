// The Microsoft Teams integration's section (`msteams_configs`): Alertmanager
// 0.26's MSTeamsConfig (the first Alertmanager with it) and its default
// templates, read, defaulted and written back here.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "config/receiver_kinds.h"
#include "config/secret.h"
#include "http/client_config.h"

namespace tocsin::notifiers {

// Alertmanager 0.26's default Teams templates (config/notifiers.go), by
// name; their text is in the default template set (src/template).
namespace default_template {
inline constexpr std::string_view kMsteamsTitle = R"({{ template "msteams.default.title" . }})";
inline constexpr std::string_view kMsteamsText = R"({{ template "msteams.default.text" . }})";
}  // namespace default_template

struct MsteamsConfig final : config::IntegrationConfig {
  static constexpr std::string_view kKind = "msteams";

  MsteamsConfig() : IntegrationConfig(/*default_send_resolved=*/true) {}
  std::string_view kind() const override { return kKind; }
  void write_redacted(config::YamlWriter& out) const override;

  http::HttpClientConfig http_config;  // the global one when not set
  config::Secret webhook_url;          // the Teams incoming webhook (required)
  std::string title{default_template::kMsteamsTitle};
  std::string text{default_template::kMsteamsText};
};

// Reads one `msteams_config` (a config::IntegrationReader).
std::shared_ptr<config::IntegrationConfig> read_msteams_config(
    yaml::MapReader& section, const config::AlertmanagerGlobalConfig& global,
    const config::ReadContext& ctx);

}  // namespace tocsin::notifiers
