#include "notifiers/telegram/telegram_config.h"

#include <algorithm>

#include "config/alertmanager_config.h"
#include "config/field_readers.h"
#include "config/http_config.h"
#include "config/yaml_writer.h"

namespace tocsin::notifiers {

std::shared_ptr<config::IntegrationConfig> read_telegram_config(
    yaml::MapReader& r, const config::AlertmanagerGlobalConfig& global,
    const config::ReadContext& ctx) {
  auto c = std::make_shared<TelegramConfig>();
  c->http_config = config::read_http_config_or(r, global.http_config, ctx.base_dir);
  c->api_url = config::read_http_url(r, "api_url").value_or(global.telegram_api_url);
  c->bot_token = config::read_secret(r, "bot_token");
  c->chat_id = config::read_int(r, "chat_id").value_or(0);
  config::read_string(r, "message", c->message);
  c->disable_notifications = config::read_bool(r, "disable_notifications").value_or(false);
  config::read_string(r, "parse_mode", c->parse_mode);
  r.finish();

  // Alertmanager stops at the first of these.
  if (c->bot_token.empty()) {
    ctx.diag.error(r.node(), "missing bot_token on telegram_config");
  } else if (c->chat_id == 0) {
    ctx.diag.error(r.node(), "missing chat_id on telegram_config");
  } else if (std::ranges::find(kTelegramParseModes, c->parse_mode) ==
             std::ranges::end(kTelegramParseModes)) {
    ctx.diag.error(config::key_node(r.node(), "parse_mode"),
                   "unknown parse_mode on telegram_config, must be Markdown, MarkdownV2, HTML "
                   "or empty string");
  }
  return c;
}

void TelegramConfig::write_redacted(config::YamlWriter& w) const {
  config::write_http_config(w, http_config);
  w.str("api_url", api_url, /*omit_empty=*/false);
  w.secret("bot_token", bot_token);
  if (chat_id != 0) w.integer("chat_id", chat_id);
  w.str("message", message);
  if (disable_notifications) w.boolean("disable_notifications", true);
  w.str("parse_mode", parse_mode);
}

}  // namespace tocsin::notifiers
