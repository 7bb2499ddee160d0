#include "notifiers/webhook/webhook_config.h"

#include "config/alertmanager_config.h"
#include "config/field_readers.h"
#include "config/http_config.h"
#include "config/yaml_writer.h"

namespace tocsin::notifiers {

std::shared_ptr<config::IntegrationConfig> read_webhook_config(
    yaml::MapReader& r, const config::AlertmanagerGlobalConfig& global,
    const config::ReadContext& ctx) {
  auto c = std::make_shared<WebhookConfig>();
  c->http_config = config::read_http_config_or(r, global.http_config, ctx.base_dir);
  bool has_url = r.has("url");
  c->url = config::read_secret_url(r, "url").value_or(config::Secret());
  c->url_file = config::read_path(r, "url_file", ctx.base_dir);
  c->max_alerts = config::read_uint(r, "max_alerts").value_or(0);
  r.finish();
  if (!has_url && c->url_file.empty()) {
    ctx.diag.error(r.node(), "one of url or url_file must be configured");
  } else if (has_url && !c->url_file.empty()) {
    ctx.diag.error(config::key_node(r.node(), "url_file"),
                   "at most one of url & url_file must be configured");
  }
  return c;
}

void WebhookConfig::write_redacted(config::YamlWriter& w) const {
  config::write_http_config(w, http_config);
  // Alertmanager 0.25 shows a webhook's url (0.26 hides it); amtool 0.25's
  // `config routes` reads it back and refuses the "<secret>" placeholder.
  w.str("url", url.reveal());
  w.str("url_file", url_file);
  w.uint("max_alerts", max_alerts);
}

}  // namespace tocsin::notifiers
