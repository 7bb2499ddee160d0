// Receivers and the integrations tocsin supports (webhook, Slack, PagerDuty,
// email), with every field Alertmanager 0.25 documents and its defaults
// applied, global fallbacks included. Template fields hold Go template text
// (Alertmanager's default templates by name); rendering is the notifiers'.
//
// Alertmanager's other integrations (opsgenie, victorops, pushover, wechat,
// sns, telegram, discord, webex) are load errors, never silently dropped.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tocsin/error.h>

#include "config/http_config.h"
#include "config/secret.h"
#include "http/host_port.h"

namespace tocsin::config {

// Alertmanager's default templates (config/notifiers.go).
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

inline constexpr std::string_view kEmailHtml = R"({{ template "email.default.html" . }})";
inline constexpr std::string_view kEmailSubject = R"({{ template "email.default.subject" . }})";
}  // namespace default_template

struct WebhookConfig {
  bool send_resolved = true;
  http::HttpClientConfig http_config;  // the global one when not set
  Secret url;  // an http(s) URL, secret as from Alertmanager 0.26 on; empty when url_file is set
  std::string url_file;          // read at send time (Alertmanager 0.26's field)
  std::uint64_t max_alerts = 0;  // 0: all alerts
  SourcePosition position;
};

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

struct SlackConfig {
  bool send_resolved = false;
  http::HttpClientConfig http_config;
  Secret api_url;            // this config's, else global.slack_api_url
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
  SourcePosition position;
};

struct PagerdutyImage {
  std::string src;
  std::string alt;
  std::string href;
};

struct PagerdutyLink {
  std::string href;
  std::string text;
};

// A service key selects Events API v1, as in Alertmanager; otherwise the
// routing key and Events API v2 are used.
struct PagerdutyConfig {
  bool send_resolved = true;
  http::HttpClientConfig http_config;
  Secret service_key;
  std::string service_key_file;
  Secret routing_key;
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
  SourcePosition position;
};

// Unset fields take the global smtp_* values, as in Alertmanager.
struct EmailConfig {
  bool send_resolved = false;
  std::string to;
  std::string from;
  std::string hello;
  http::HostPort smarthost;
  std::string auth_username;
  Secret auth_password;
  std::string auth_password_file;  // read at send time; wins over auth_password
  Secret auth_secret;
  std::string auth_identity;
  // As the file sets them, names in canonical MIME form ("Subject"); see
  // effective_headers() for what is sent.
  std::map<std::string, std::string> headers;
  std::string html{default_template::kEmailHtml};
  std::string text;
  bool require_tls = true;
  http::TlsConfig tls_config;
  SourcePosition position;

  // The headers with Alertmanager's defaults (Subject, To, From) added where
  // unset, as its email notifier adds them.
  std::map<std::string, std::string> effective_headers() const;
};

struct Receiver {
  std::string name;
  std::vector<WebhookConfig> webhook_configs;
  std::vector<SlackConfig> slack_configs;
  std::vector<PagerdutyConfig> pagerduty_configs;
  std::vector<EmailConfig> email_configs;
  SourcePosition position;

  // No integration: notifications routed here go nowhere (a "null" receiver).
  bool empty() const {
    return webhook_configs.empty() && slack_configs.empty() && pagerduty_configs.empty() &&
           email_configs.empty();
  }
};

// Go's textproto.CanonicalMIMEHeaderKey: "content-type" -> "Content-Type".
std::string canonical_mime_header_key(std::string_view key);

}  // namespace tocsin::config
