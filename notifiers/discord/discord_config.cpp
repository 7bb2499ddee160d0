#include "notifiers/discord/discord_config.h"

#include "config/alertmanager_config.h"
#include "config/field_readers.h"
#include "config/http_config.h"
#include "config/yaml_writer.h"

namespace tocsin::notifiers {

std::shared_ptr<config::IntegrationConfig> read_discord_config(
    yaml::MapReader& r, const config::AlertmanagerGlobalConfig& global,
    const config::ReadContext& ctx) {
  auto c = std::make_shared<DiscordConfig>();
  c->http_config = config::read_http_config_or(r, global.http_config, ctx.base_dir);
  bool has_url = r.has("webhook_url");
  c->webhook_url = config::read_secret_url(r, "webhook_url").value_or(config::Secret());
  config::read_strings(r, kDiscordTexts, *c);
  r.finish();
  // A webhook_url that is there but no URL has had its own error already.
  if (!has_url) ctx.diag.error(r.node(), "no discord webhook URL provided");
  return c;
}

void DiscordConfig::write_redacted(config::YamlWriter& w) const {
  config::write_http_config(w, http_config);
  w.secret("webhook_url", webhook_url);
  w.strings(kDiscordTexts, *this);
}

}  // namespace tocsin::notifiers
