#include "notifiers/slack/slack_config.h"

#include "config/alertmanager_config.h"
#include "config/field_readers.h"
#include "config/http_config.h"
#include "config/yaml_writer.h"

namespace tocsin::notifiers {
namespace {

using config::read_bool;

SlackConfirmationField read_confirm(const YAML::Node& node, yaml::Diagnostics& diag) {
  auto c = config::read_text_mapping<SlackConfirmationField>(node, "confirm",
                                                             kSlackConfirmationTexts, diag);
  if (c.text.empty()) diag.error(node, "missing text in Slack confirmation configuration");
  return c;
}

SlackAction read_action(const YAML::Node& node, yaml::Diagnostics& diag) {
  yaml::MapReader r(node, diag, "slack action");
  SlackAction a;
  config::read_strings(r, kSlackActionTexts, a);
  if (YAML::Node confirm = r.take("confirm"); confirm.IsDefined()) {
    a.confirm = read_confirm(confirm, diag);
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

SlackField read_field(const YAML::Node& node, yaml::Diagnostics& diag) {
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

}  // namespace

std::shared_ptr<config::IntegrationConfig> read_slack_config(
    yaml::MapReader& r, const config::AlertmanagerGlobalConfig& global,
    const config::ReadContext& ctx) {
  auto c = std::make_shared<SlackConfig>();
  c->http_config = config::read_http_config_or(r, global.http_config, ctx.base_dir);
  bool has_url = r.has("api_url");
  c->api_url = config::read_secret_url(r, "api_url").value_or(config::Secret());
  c->api_url_file = config::read_path(r, "api_url_file", ctx.base_dir);
  config::read_strings(r, kSlackTextsBeforeFields, *c);
  config::for_each_item(r, "fields",
                        [&](const YAML::Node& n) { c->fields.push_back(read_field(n, ctx.diag)); });
  c->short_fields = read_bool(r, "short_fields").value_or(false);
  config::read_strings(r, kSlackTextsAfterFields, *c);
  c->link_names = read_bool(r, "link_names").value_or(false);
  c->mrkdwn_in = r.string_list("mrkdwn_in").value_or(std::vector<std::string>{});
  config::for_each_item(
      r, "actions", [&](const YAML::Node& n) { c->actions.push_back(read_action(n, ctx.diag)); });
  r.finish();

  if (has_url && !c->api_url_file.empty()) {
    ctx.diag.error(config::key_node(r.node(), "api_url_file"),
                   "at most one of api_url & api_url_file must be configured");
  } else if (!has_url && c->api_url_file.empty()) {
    if (global.slack_api_url.empty() && global.slack_api_url_file.empty()) {
      ctx.diag.error(r.node(), "no global Slack API URL set either inline or in a file");
    }
    c->api_url = global.slack_api_url;
    c->api_url_file = global.slack_api_url_file;
  }
  return c;
}

void SlackConfig::write_redacted(config::YamlWriter& w) const {
  config::write_http_config(w, http_config);
  w.secret_and_file("api_url", api_url, api_url_file);
  w.strings(kSlackTextsBeforeFields, *this);
  w.seq_of_maps("fields", fields, [](config::YamlWriter& out, const SlackField& f) {
    out.str("title", f.title);
    out.str("value", f.value);
    if (f.is_short) out.boolean("short", *f.is_short);
  });
  w.boolean("short_fields", short_fields);
  w.strings(kSlackTextsAfterFields, *this);
  w.boolean("link_names", link_names);
  w.list("mrkdwn_in", mrkdwn_in);
  w.seq_of_maps("actions", actions, [](config::YamlWriter& out, const SlackAction& a) {
    out.strings(kSlackActionTexts, a);
    if (a.confirm) {
      out.begin_map("confirm");
      out.strings(kSlackConfirmationTexts, *a.confirm);
      out.end_map();
    }
  });
}

}  // namespace tocsin::notifiers
