#include "notifiers/pagerduty/pagerduty_config.h"

#include "config/alertmanager_config.h"
#include "config/field_readers.h"
#include "config/http_config.h"
#include "config/yaml_writer.h"

namespace tocsin::notifiers {

std::shared_ptr<config::IntegrationConfig> read_pagerduty_config(
    yaml::MapReader& r, const config::AlertmanagerGlobalConfig& global,
    const config::ReadContext& ctx) {
  auto c = std::make_shared<PagerdutyConfig>();
  c->http_config = config::read_http_config_or(r, global.http_config, ctx.base_dir);
  config::read_secret_and_file(r, "service_key", c->service_key, c->service_key_file, ctx.base_dir);
  config::read_secret_and_file(r, "routing_key", c->routing_key, c->routing_key_file, ctx.base_dir);
  c->url = config::read_http_url(r, "url").value_or(global.pagerduty_url);
  config::read_strings(r, kPagerdutyClientTexts, *c);
  c->details = r.string_map("details").value_or(std::map<std::string, std::string>{});
  config::for_each_item(r, "images", [&](const YAML::Node& n) {
    c->images.push_back(config::read_text_mapping<PagerdutyImage>(n, "pagerduty image",
                                                                  kPagerdutyImageTexts, ctx.diag));
  });
  config::for_each_item(r, "links", [&](const YAML::Node& n) {
    c->links.push_back(config::read_text_mapping<PagerdutyLink>(n, "pagerduty link",
                                                                kPagerdutyLinkTexts, ctx.diag));
  });
  config::read_strings(r, kPagerdutyPayloadTexts, *c);
  r.finish();

  if (c->routing_key.empty() && c->service_key.empty() && c->routing_key_file.empty() &&
      c->service_key_file.empty()) {
    ctx.diag.error(r.node(), "missing service or routing key in PagerDuty config");
  }
  config::check_secret_or_file(r.node(), "routing_key", c->routing_key, c->routing_key_file,
                               ctx.diag);
  config::check_secret_or_file(r.node(), "service_key", c->service_key, c->service_key_file,
                               ctx.diag);
  if (c->source.empty()) c->source = c->client;
  const std::pair<std::string_view, std::string_view> defaults[] = {
      {"firing", default_template::kPagerdutyDetailsFiring},
      {"resolved", default_template::kPagerdutyDetailsResolved},
      {"num_firing", default_template::kPagerdutyDetailsNumFiring},
      {"num_resolved", default_template::kPagerdutyDetailsNumResolved}};
  for (const auto& [key, value] : defaults) c->details.emplace(key, value);
  return c;
}

void PagerdutyConfig::write_redacted(config::YamlWriter& w) const {
  config::write_http_config(w, http_config);
  w.secret_and_file("service_key", service_key, service_key_file);
  w.secret_and_file("routing_key", routing_key, routing_key_file);
  w.str("url", url);
  w.strings(kPagerdutyClientTexts, *this);
  w.map("details", details);
  w.seq_of_maps("images", images, [](config::YamlWriter& out, const PagerdutyImage& i) {
    out.strings(kPagerdutyImageTexts, i);
  });
  w.seq_of_maps("links", links, [](config::YamlWriter& out, const PagerdutyLink& l) {
    out.strings(kPagerdutyLinkTexts, l);
  });
  w.strings(kPagerdutyPayloadTexts, *this);
}

}  // namespace tocsin::notifiers
