#include "notifiers/msteams/msteams_config.h"

#include "config/alertmanager_config.h"
#include "config/field_readers.h"
#include "config/http_config.h"
#include "config/yaml_writer.h"

namespace tocsin::notifiers {
namespace {

constexpr config::StringField<MsteamsConfig> kMsteamsTexts[] = {
    {"title", &MsteamsConfig::title},
    {"text", &MsteamsConfig::text},
};

}  // namespace

std::shared_ptr<config::IntegrationConfig> read_msteams_config(
    yaml::MapReader& r, const config::AlertmanagerGlobalConfig& global,
    const config::ReadContext& ctx) {
  auto c = std::make_shared<MsteamsConfig>();
  c->http_config = config::read_http_config_or(r, global.http_config, ctx.base_dir);
  const bool has_url = r.has("webhook_url");
  c->webhook_url = config::read_secret_url(r, "webhook_url").value_or(config::Secret());
  config::read_strings(r, kMsteamsTexts, *c);
  r.finish();
  if (!has_url) ctx.diag.error(r.node(), "no msteams webhook URL provided");
  return c;
}

void MsteamsConfig::write_redacted(config::YamlWriter& w) const {
  config::write_http_config(w, http_config);
  w.secret("webhook_url", webhook_url);
  w.strings(kMsteamsTexts, *this);
}

}  // namespace tocsin::notifiers
