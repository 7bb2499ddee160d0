// The Telegram integration's section (`telegram_configs`): Alertmanager
// 0.25's TelegramConfig, read with its checks (a bot token, a chat, a parse
// mode Telegram knows), api_url falling back on global.telegram_api_url, and
// written back with the token redacted.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "config/receiver_kinds.h"
#include "config/secret.h"
#include "http/client_config.h"

namespace tocsin::notifiers {

namespace default_template {
inline constexpr std::string_view kTelegramMessage =
    R"({{ template "telegram.default.message" . }})";
}  // namespace default_template

// The parse modes Telegram's Bot API knows; "" sends none (plain text).
inline constexpr std::string_view kTelegramParseModes[] = {"Markdown", "MarkdownV2", "HTML", ""};

struct TelegramConfig final : config::IntegrationConfig {
  static constexpr std::string_view kKind = "telegram";

  TelegramConfig() : IntegrationConfig(/*default_send_resolved=*/true) {}
  std::string_view kind() const override { return kKind; }
  void write_redacted(config::YamlWriter& out) const override;

  http::HttpClientConfig http_config;
  std::string api_url;  // this config's, else global.telegram_api_url
  config::Secret bot_token;
  std::int64_t chat_id = 0;
  std::string message{default_template::kTelegramMessage};
  bool disable_notifications = false;
  // "HTML" renders the message with html/template's escaping, any other
  // mode with text/template's, as Alertmanager does.
  std::string parse_mode = "HTML";
};

// Reads one `telegram_config` (a config::IntegrationReader).
std::shared_ptr<config::IntegrationConfig> read_telegram_config(
    yaml::MapReader& section, const config::AlertmanagerGlobalConfig& global,
    const config::ReadContext& ctx);

}  // namespace tocsin::notifiers
