// The PagerDuty integration's section (`pagerduty_configs`): Alertmanager
// 0.25's PagerdutyConfig with its default templates and details, read,
// defaulted (url falls back on global.pagerduty_url) and written back here.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/field_readers.h"
#include "config/receiver_kinds.h"
#include "config/secret.h"
#include "http/client_config.h"

namespace tocsin::notifiers {

// Alertmanager's default PagerDuty templates (config/notifiers.go), by
// name; their text is Alertmanager's default template set (src/template).
namespace default_template {
inline constexpr std::string_view kPagerdutyDescription =
    R"({{ template "pagerduty.default.description" .}})";
inline constexpr std::string_view kPagerdutyClient =
    R"({{ template "pagerduty.default.client" . }})";
inline constexpr std::string_view kPagerdutyClientUrl =
    R"({{ template "pagerduty.default.clientURL" . }})";
inline constexpr std::string_view kPagerdutyDetailsFiring =
    R"({{ template "pagerduty.default.instances" .Alerts.Firing }})";
inline constexpr std::string_view kPagerdutyDetailsResolved =
    R"({{ template "pagerduty.default.instances" .Alerts.Resolved }})";
inline constexpr std::string_view kPagerdutyDetailsNumFiring = R"({{ .Alerts.Firing | len }})";
inline constexpr std::string_view kPagerdutyDetailsNumResolved = R"({{ .Alerts.Resolved | len }})";
}  // namespace default_template

// Images and links are what the file says (templates) and, rendered, what
// is sent, as in Alertmanager.
struct PagerdutyImage {
  std::string src;
  std::string alt;
  std::string href;
};

struct PagerdutyLink {
  std::string href;
  std::string text;
};

// Their fields in Alertmanager's struct order, which its YAML and JSON keys follow.
inline constexpr config::StringField<PagerdutyImage> kPagerdutyImageTexts[] = {
    {"src", &PagerdutyImage::src}, {"alt", &PagerdutyImage::alt}, {"href", &PagerdutyImage::href}};
inline constexpr config::StringField<PagerdutyLink> kPagerdutyLinkTexts[] = {
    {"href", &PagerdutyLink::href}, {"text", &PagerdutyLink::text}};

// A service key selects Events API v1, as in Alertmanager; otherwise the
// routing key and Events API v2 are used.
struct PagerdutyConfig final : config::IntegrationConfig {
  static constexpr std::string_view kKind = "pagerduty";

  PagerdutyConfig() : IntegrationConfig(/*default_send_resolved=*/true) {}
  std::string_view kind() const override { return kKind; }
  void write_redacted(config::YamlWriter& out) const override;

  http::HttpClientConfig http_config;
  config::Secret service_key;
  std::string service_key_file;
  config::Secret routing_key;
  std::string routing_key_file;
  std::string url;  // this config's, else global.pagerduty_url
  std::string client{default_template::kPagerdutyClient};
  std::string client_url{default_template::kPagerdutyClientUrl};
  std::string description{default_template::kPagerdutyDescription};
  // Alertmanager's four default details (firing, resolved, num_firing,
  // num_resolved) are added where the file does not set them.
  std::map<std::string, std::string> details;
  std::vector<PagerdutyImage> images;
  std::vector<PagerdutyLink> links;
  std::string source;  // defaults to `client`
  std::string severity;
  std::string event_class;  // the `class` field
  std::string component;
  std::string group;
};

// PagerdutyConfig's plain texts in Alertmanager's order: the client's and
// the description, and the payload's fields.
inline constexpr config::StringField<PagerdutyConfig> kPagerdutyClientTexts[] = {
    {"client", &PagerdutyConfig::client},
    {"client_url", &PagerdutyConfig::client_url},
    {"description", &PagerdutyConfig::description}};
inline constexpr config::StringField<PagerdutyConfig> kPagerdutyPayloadTexts[] = {
    {"source", &PagerdutyConfig::source},
    {"severity", &PagerdutyConfig::severity},
    {"class", &PagerdutyConfig::event_class},
    {"component", &PagerdutyConfig::component},
    {"group", &PagerdutyConfig::group}};

// Reads one `pagerduty_config` (a config::IntegrationReader).
std::shared_ptr<config::IntegrationConfig> read_pagerduty_config(
    yaml::MapReader& section, const config::AlertmanagerGlobalConfig& global,
    const config::ReadContext& ctx);

}  // namespace tocsin::notifiers
