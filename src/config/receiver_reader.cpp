#include <array>
#include <set>

#include <fmt/format.h>

#include "config/alertmanager_readers.h"
#include "config/field_readers.h"

namespace tocsin::config::am {
namespace {

// Alertmanager receiver types tocsin has no notifier for.
constexpr std::array<std::string_view, 8> kUnsupported = {
    "opsgenie_configs", "victorops_configs", "pushover_configs", "wechat_configs",
    "sns_configs",      "telegram_configs",  "discord_configs",  "webex_configs"};

http::HttpClientConfig http_config_or_global(yaml::MapReader& r,
                                             const AlertmanagerGlobalConfig& global,
                                             const ReadContext& ctx) {
  YAML::Node n = r.take("http_config");
  return n.IsDefined() ? read_http_config(n, ctx.base_dir, ctx.diag) : global.http_config;
}

WebhookConfig read_webhook(const YAML::Node& node, const AlertmanagerGlobalConfig& global,
                           const ReadContext& ctx) {
  yaml::MapReader r(node, ctx.diag, "webhook_config");
  WebhookConfig c;
  c.position = ctx.diag.position(node);
  c.send_resolved = read_bool(r, "send_resolved").value_or(c.send_resolved);
  c.http_config = http_config_or_global(r, global, ctx);
  bool has_url = r.has("url");
  c.url = read_secret_url(r, "url").value_or(Secret());
  c.url_file = read_path(r, "url_file", ctx.base_dir);
  c.max_alerts = read_uint(r, "max_alerts").value_or(0);
  r.finish();
  if (!has_url && c.url_file.empty()) {
    ctx.diag.error(node, "one of url or url_file must be configured");
  } else if (has_url && !c.url_file.empty()) {
    ctx.diag.error(key_node(node, "url_file"), "at most one of url & url_file must be configured");
  }
  return c;
}

std::optional<SlackConfirmationField> read_slack_confirm(const YAML::Node& node,
                                                         yaml::Diagnostics& diag) {
  yaml::MapReader r(node, diag, "confirm");
  SlackConfirmationField c;
  c.text = r.string("text").value_or("");
  c.title = r.string("title").value_or("");
  c.ok_text = r.string("ok_text").value_or("");
  c.dismiss_text = r.string("dismiss_text").value_or("");
  r.finish();
  if (c.text.empty()) diag.error(node, "missing text in Slack confirmation configuration");
  return c;
}

SlackAction read_slack_action(const YAML::Node& node, yaml::Diagnostics& diag) {
  yaml::MapReader r(node, diag, "slack action");
  SlackAction a;
  a.type = r.string("type").value_or("");
  a.text = r.string("text").value_or("");
  a.url = r.string("url").value_or("");
  a.style = r.string("style").value_or("");
  a.name = r.string("name").value_or("");
  a.value = r.string("value").value_or("");
  if (YAML::Node confirm = r.take("confirm"); confirm.IsDefined()) {
    a.confirm = read_slack_confirm(confirm, diag);
  }
  r.finish();
  if (a.type.empty()) diag.error(node, "missing type in Slack action configuration");
  if (a.text.empty()) diag.error(node, "missing text in Slack action configuration");
  if (!a.url.empty()) {
    // A link button: Alertmanager drops the message-action fields.
    a.name.clear();
    a.value.clear();
    a.confirm.reset();
  } else if (a.name.empty()) {
    diag.error(node, "missing name or url in Slack action configuration");
  }
  return a;
}

SlackField read_slack_field(const YAML::Node& node, yaml::Diagnostics& diag) {
  yaml::MapReader r(node, diag, "slack field");
  SlackField f;
  f.title = r.string("title").value_or("");
  f.value = r.string("value").value_or("");
  f.is_short = read_bool(r, "short");
  r.finish();
  if (f.title.empty()) diag.error(node, "missing title in Slack field configuration");
  if (f.value.empty()) diag.error(node, "missing value in Slack field configuration");
  return f;
}

void read_string(yaml::MapReader& r, std::string_view key, std::string& out) {
  if (auto s = r.string(key)) out = std::move(*s);
}

SlackConfig read_slack(const YAML::Node& node, const AlertmanagerGlobalConfig& global,
                       const ReadContext& ctx) {
  yaml::MapReader r(node, ctx.diag, "slack_config");
  SlackConfig c;
  c.position = ctx.diag.position(node);
  c.send_resolved = read_bool(r, "send_resolved").value_or(c.send_resolved);
  c.http_config = http_config_or_global(r, global, ctx);
  bool has_url = r.has("api_url");
  c.api_url = read_secret_url(r, "api_url").value_or(Secret());
  c.api_url_file = read_path(r, "api_url_file", ctx.base_dir);
  read_string(r, "channel", c.channel);
  read_string(r, "username", c.username);
  read_string(r, "color", c.color);
  read_string(r, "title", c.title);
  read_string(r, "title_link", c.title_link);
  read_string(r, "pretext", c.pretext);
  read_string(r, "text", c.text);
  for_each_item(r, "fields",
                [&](const YAML::Node& n) { c.fields.push_back(read_slack_field(n, ctx.diag)); });
  c.short_fields = read_bool(r, "short_fields").value_or(false);
  read_string(r, "footer", c.footer);
  read_string(r, "fallback", c.fallback);
  read_string(r, "callback_id", c.callback_id);
  read_string(r, "icon_emoji", c.icon_emoji);
  read_string(r, "icon_url", c.icon_url);
  read_string(r, "image_url", c.image_url);
  read_string(r, "thumb_url", c.thumb_url);
  c.link_names = read_bool(r, "link_names").value_or(false);
  c.mrkdwn_in = r.string_list("mrkdwn_in").value_or(std::vector<std::string>{});
  for_each_item(r, "actions",
                [&](const YAML::Node& n) { c.actions.push_back(read_slack_action(n, ctx.diag)); });
  r.finish();

  if (has_url && !c.api_url_file.empty()) {
    ctx.diag.error(key_node(node, "api_url_file"),
                   "at most one of api_url & api_url_file must be configured");
  } else if (!has_url && c.api_url_file.empty()) {
    if (global.slack_api_url.empty() && global.slack_api_url_file.empty()) {
      ctx.diag.error(node, "no global Slack API URL set either inline or in a file");
    }
    c.api_url = global.slack_api_url;
    c.api_url_file = global.slack_api_url_file;
  }
  return c;
}

PagerdutyConfig read_pagerduty(const YAML::Node& node, const AlertmanagerGlobalConfig& global,
                               const ReadContext& ctx) {
  yaml::MapReader r(node, ctx.diag, "pagerduty_config");
  PagerdutyConfig c;
  c.position = ctx.diag.position(node);
  c.send_resolved = read_bool(r, "send_resolved").value_or(c.send_resolved);
  c.http_config = http_config_or_global(r, global, ctx);
  c.service_key = read_secret(r, "service_key");
  c.service_key_file = read_path(r, "service_key_file", ctx.base_dir);
  c.routing_key = read_secret(r, "routing_key");
  c.routing_key_file = read_path(r, "routing_key_file", ctx.base_dir);
  c.url = read_http_url(r, "url").value_or(global.pagerduty_url);
  read_string(r, "client", c.client);
  read_string(r, "client_url", c.client_url);
  read_string(r, "description", c.description);
  c.details = r.string_map("details").value_or(std::map<std::string, std::string>{});
  for_each_item(r, "images", [&](const YAML::Node& n) {
    yaml::MapReader i(n, ctx.diag, "pagerduty image");
    PagerdutyImage image{i.string("src").value_or(""), i.string("alt").value_or(""),
                         i.string("href").value_or("")};
    i.finish();
    c.images.push_back(std::move(image));
  });
  for_each_item(r, "links", [&](const YAML::Node& n) {
    yaml::MapReader l(n, ctx.diag, "pagerduty link");
    PagerdutyLink link{l.string("href").value_or(""), l.string("text").value_or("")};
    l.finish();
    c.links.push_back(std::move(link));
  });
  c.source = r.string("source").value_or("");
  read_string(r, "severity", c.severity);
  read_string(r, "class", c.event_class);
  read_string(r, "component", c.component);
  read_string(r, "group", c.group);
  r.finish();

  if (c.routing_key.empty() && c.service_key.empty() && c.routing_key_file.empty() &&
      c.service_key_file.empty()) {
    ctx.diag.error(node, "missing service or routing key in PagerDuty config");
  }
  if (!c.routing_key.empty() && !c.routing_key_file.empty()) {
    ctx.diag.error(key_node(node, "routing_key_file"),
                   "at most one of routing_key & routing_key_file must be configured");
  }
  if (!c.service_key.empty() && !c.service_key_file.empty()) {
    ctx.diag.error(key_node(node, "service_key_file"),
                   "at most one of service_key & service_key_file must be configured");
  }
  if (c.source.empty()) c.source = c.client;
  const std::pair<std::string_view, std::string_view> defaults[] = {
      {"firing", default_template::kPagerdutyDetailsFiring},
      {"resolved", default_template::kPagerdutyDetailsResolved},
      {"num_firing", default_template::kPagerdutyDetailsNumFiring},
      {"num_resolved", default_template::kPagerdutyDetailsNumResolved}};
  for (const auto& [key, value] : defaults) c.details.emplace(key, value);
  return c;
}

EmailConfig read_email(const YAML::Node& node, const AlertmanagerGlobalConfig& global,
                       const ReadContext& ctx) {
  yaml::MapReader r(node, ctx.diag, "email_config");
  EmailConfig c;
  c.position = ctx.diag.position(node);
  c.send_resolved = read_bool(r, "send_resolved").value_or(c.send_resolved);
  c.to = r.string("to").value_or("");
  c.from = r.string("from").value_or("");
  c.hello = r.string("hello").value_or("");
  bool smarthost_set = r.has("smarthost");
  std::optional<http::HostPort> smarthost = read_host_port(r, "smarthost");
  c.smarthost = smarthost.value_or(http::HostPort{});
  c.auth_username = r.string("auth_username").value_or("");
  c.auth_password = read_secret(r, "auth_password");
  c.auth_password_file = read_path(r, "auth_password_file", ctx.base_dir);
  c.auth_secret = read_secret(r, "auth_secret");
  c.auth_identity = r.string("auth_identity").value_or("");
  for (auto& h : r.string_entries("headers").value_or(std::vector<yaml::StringEntry>{})) {
    std::string name = canonical_mime_header_key(h.key);
    if (!c.headers.emplace(name, std::move(h.value)).second) {
      ctx.diag.error(h.key_position, fmt::format("duplicate header \"{}\" in email config", name));
    }
  }
  read_string(r, "html", c.html);
  read_string(r, "text", c.text);
  std::optional<bool> require_tls = read_bool(r, "require_tls");
  c.tls_config = read_tls_config(r.take("tls_config"), ctx.base_dir, ctx.diag);
  r.finish();

  if (c.to.empty()) ctx.diag.error(node, "missing to address in email config");
  if (c.smarthost.empty() && (!smarthost_set || smarthost)) {  // not when it was invalid
    if (global.smtp_smarthost.empty()) ctx.diag.error(node, "no global SMTP smarthost set");
    c.smarthost = global.smtp_smarthost;
  }
  if (c.from.empty()) {
    if (global.smtp_from.empty()) ctx.diag.error(node, "no global SMTP from set");
    c.from = global.smtp_from;
  }
  if (c.hello.empty()) c.hello = global.smtp_hello;
  if (c.auth_username.empty()) c.auth_username = global.smtp_auth_username;
  if (c.auth_password.empty() && c.auth_password_file.empty()) {
    c.auth_password = global.smtp_auth_password;
    c.auth_password_file = global.smtp_auth_password_file;
  }
  if (c.auth_secret.empty()) c.auth_secret = global.smtp_auth_secret;
  if (c.auth_identity.empty()) c.auth_identity = global.smtp_auth_identity;
  c.require_tls = require_tls.value_or(global.smtp_require_tls);
  return c;
}

}  // namespace

std::optional<Receiver> read_receiver(const YAML::Node& node,
                                      const AlertmanagerGlobalConfig& global,
                                      const ReadContext& ctx) {
  yaml::MapReader r(node, ctx.diag, "receiver");
  if (!r.is_map()) return std::nullopt;
  Receiver out;
  out.position = ctx.diag.position(node);
  out.name = r.string("name").value_or("");
  if (out.name.empty()) ctx.diag.error(node, "missing name in receiver");

  for_each_item(r, "webhook_configs", [&](const YAML::Node& n) {
    out.webhook_configs.push_back(read_webhook(n, global, ctx));
  });
  for_each_item(r, "slack_configs", [&](const YAML::Node& n) {
    out.slack_configs.push_back(read_slack(n, global, ctx));
  });
  for_each_item(r, "pagerduty_configs", [&](const YAML::Node& n) {
    out.pagerduty_configs.push_back(read_pagerduty(n, global, ctx));
  });
  for_each_item(r, "email_configs", [&](const YAML::Node& n) {
    out.email_configs.push_back(read_email(n, global, ctx));
  });
  for (std::string_view key : kUnsupported) {
    YAML::Node n = r.take(key);
    // An empty list configures nothing, so nothing is dropped.
    if (n.IsDefined() && !(n.IsSequence() && n.size() == 0)) {
      ctx.diag.error(key_node(node, key),
                     fmt::format("receiver \"{}\": {} are not supported by tocsin", out.name, key));
    }
  }
  r.finish();
  return out;
}

}  // namespace tocsin::config::am
