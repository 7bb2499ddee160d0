// The Discord integration's section (`discord_configs`): Alertmanager 0.25's
// DiscordConfig with its default templates, read, checked (a webhook_url is
// required, there is no global one) and written back here.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "config/field_readers.h"
#include "config/receiver_kinds.h"
#include "config/secret.h"
#include "http/client_config.h"

namespace tocsin::notifiers {

// Alertmanager's default Discord templates (config/notifiers.go), by name;
// their text is Alertmanager's default template set (src/template).
namespace default_template {
inline constexpr std::string_view kDiscordTitle = R"({{ template "discord.default.title" . }})";
inline constexpr std::string_view kDiscordMessage = R"({{ template "discord.default.message" . }})";
}  // namespace default_template

struct DiscordConfig final : config::IntegrationConfig {
  static constexpr std::string_view kKind = "discord";

  DiscordConfig() : IntegrationConfig(/*default_send_resolved=*/true) {}
  std::string_view kind() const override { return kKind; }
  void write_redacted(config::YamlWriter& out) const override;

  http::HttpClientConfig http_config;  // the global one when not set
  // The channel's webhook, an http(s) URL; its token is in the path, so all
  // of it is secret.
  config::Secret webhook_url;
  std::string title{default_template::kDiscordTitle};
  std::string message{default_template::kDiscordMessage};
};

// DiscordConfig's plain texts in Alertmanager's order.
inline constexpr config::StringField<DiscordConfig> kDiscordTexts[] = {
    {"title", &DiscordConfig::title}, {"message", &DiscordConfig::message}};

// Reads one `discord_config` (a config::IntegrationReader).
std::shared_ptr<config::IntegrationConfig> read_discord_config(
    yaml::MapReader& section, const config::AlertmanagerGlobalConfig& global,
    const config::ReadContext& ctx);

}  // namespace tocsin::notifiers
