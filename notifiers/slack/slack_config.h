// The Slack integration's section (`slack_configs`): Alertmanager 0.25's
// SlackConfig with its default templates, read, defaulted (api_url falls
// back on global.slack_api_url[_file]) and written back here.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/field_readers.h"
#include "config/receiver_kinds.h"
#include "config/secret.h"
#include "http/client_config.h"

namespace tocsin::notifiers {

// Alertmanager's default Slack templates (config/notifiers.go), by name;
// their text is Alertmanager's default template set (src/template).
namespace default_template {
inline constexpr std::string_view kSlackColor =
    R"({{ if eq .Status "firing" }}danger{{ else }}good{{ end }})";
inline constexpr std::string_view kSlackUsername = R"({{ template "slack.default.username" . }})";
inline constexpr std::string_view kSlackTitle = R"({{ template "slack.default.title" . }})";
inline constexpr std::string_view kSlackTitleLink = R"({{ template "slack.default.titlelink" . }})";
inline constexpr std::string_view kSlackIconEmoji = R"({{ template "slack.default.iconemoji" . }})";
inline constexpr std::string_view kSlackIconUrl = R"({{ template "slack.default.iconurl" . }})";
inline constexpr std::string_view kSlackPretext = R"({{ template "slack.default.pretext" . }})";
inline constexpr std::string_view kSlackText = R"({{ template "slack.default.text" . }})";
inline constexpr std::string_view kSlackFallback = R"({{ template "slack.default.fallback" . }})";
inline constexpr std::string_view kSlackCallbackId =
    R"({{ template "slack.default.callbackid" . }})";
inline constexpr std::string_view kSlackFooter = R"({{ template "slack.default.footer" . }})";
}  // namespace default_template

// The field, action and confirmation types are both what the file says
// (templates) and, rendered, what is sent, as in Alertmanager.
struct SlackField {
  std::string title;
  std::string value;
  std::optional<bool> is_short;  // `short`; unset: the config's short_fields
};

struct SlackConfirmationField {
  std::string text;
  std::string title;
  std::string ok_text;
  std::string dismiss_text;
};

// A button: a link (url) or a message action (name, value, confirm).
struct SlackAction {
  std::string type;
  std::string text;
  std::string url;
  std::string style;
  std::string name;
  std::string value;
  std::optional<SlackConfirmationField> confirm;
};

// The texts of an action and of its confirmation in Alertmanager's struct
// order, which its YAML and JSON keys follow.
inline constexpr config::StringField<SlackAction> kSlackActionTexts[] = {
    {"type", &SlackAction::type},   {"text", &SlackAction::text}, {"url", &SlackAction::url},
    {"style", &SlackAction::style}, {"name", &SlackAction::name}, {"value", &SlackAction::value}};
inline constexpr config::StringField<SlackConfirmationField> kSlackConfirmationTexts[] = {
    {"text", &SlackConfirmationField::text},
    {"title", &SlackConfirmationField::title},
    {"ok_text", &SlackConfirmationField::ok_text},
    {"dismiss_text", &SlackConfirmationField::dismiss_text}};

struct SlackConfig final : config::IntegrationConfig {
  static constexpr std::string_view kKind = "slack";

  SlackConfig() : IntegrationConfig(/*default_send_resolved=*/false) {}
  std::string_view kind() const override { return kKind; }
  void write_redacted(config::YamlWriter& out) const override;

  http::HttpClientConfig http_config;
  config::Secret api_url;    // this config's, else global.slack_api_url
  std::string api_url_file;  // used when api_url is empty
  std::string channel;
  std::string username{default_template::kSlackUsername};
  std::string color{default_template::kSlackColor};
  std::string title{default_template::kSlackTitle};
  std::string title_link{default_template::kSlackTitleLink};
  std::string pretext{default_template::kSlackPretext};
  std::string text{default_template::kSlackText};
  std::vector<SlackField> fields;
  bool short_fields = false;
  std::string footer{default_template::kSlackFooter};
  std::string fallback{default_template::kSlackFallback};
  std::string callback_id{default_template::kSlackCallbackId};
  std::string icon_emoji{default_template::kSlackIconEmoji};
  std::string icon_url{default_template::kSlackIconUrl};
  std::string image_url;
  std::string thumb_url;
  bool link_names = false;
  std::vector<std::string> mrkdwn_in;
  std::vector<SlackAction> actions;
};

// SlackConfig's plain texts in Alertmanager's order: those before `fields`,
// and those after `short_fields`.
inline constexpr config::StringField<SlackConfig> kSlackTextsBeforeFields[] = {
    {"channel", &SlackConfig::channel},
    {"username", &SlackConfig::username},
    {"color", &SlackConfig::color},
    {"title", &SlackConfig::title},
    {"title_link", &SlackConfig::title_link},
    {"pretext", &SlackConfig::pretext},
    {"text", &SlackConfig::text}};
inline constexpr config::StringField<SlackConfig> kSlackTextsAfterFields[] = {
    {"footer", &SlackConfig::footer},           {"fallback", &SlackConfig::fallback},
    {"callback_id", &SlackConfig::callback_id}, {"icon_emoji", &SlackConfig::icon_emoji},
    {"icon_url", &SlackConfig::icon_url},       {"image_url", &SlackConfig::image_url},
    {"thumb_url", &SlackConfig::thumb_url}};

// Reads one `slack_config` (a config::IntegrationReader).
std::shared_ptr<config::IntegrationConfig> read_slack_config(
    yaml::MapReader& section, const config::AlertmanagerGlobalConfig& global,
    const config::ReadContext& ctx);

}  // namespace tocsin::notifiers
