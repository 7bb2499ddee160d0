#include "notifiers/slack/slack_message.h"

#include <optional>
#include <vector>

#include <fmt/format.h>

#include "gocompat/json_writer.h"
#include "notifiers/delivery/json_objects.h"
#include "notifiers/delivery/truncate.h"

namespace tocsin::notifiers {
namespace {

struct Attachment {
  std::string title;
  std::string title_link;
  std::string pretext;
  std::string text;
  std::string fallback;
  std::string callback_id;
  std::vector<SlackField> fields;  // `short` always set
  std::vector<SlackAction> actions;
  std::string image_url;
  std::string thumb_url;
  std::string footer;
  std::string color;
  std::vector<std::string> mrkdwn_in;
};

Attachment render_attachment(const SlackConfig& c, FieldRenderer& render, bool& truncated) {
  Attachment a;
  Truncated title = truncate_in_runes(render.text("title", c.title), kSlackMaxTitleRunes);
  a.title = std::move(title.text);
  truncated = title.truncated;
  a.title_link = render.text("title_link", c.title_link);
  a.pretext = render.text("pretext", c.pretext);
  a.text = render.text("text", c.text);
  a.fallback = render.text("fallback", c.fallback);
  a.callback_id = render.text("callback_id", c.callback_id);
  a.image_url = render.text("image_url", c.image_url);
  a.thumb_url = render.text("thumb_url", c.thumb_url);
  a.footer = render.text("footer", c.footer);
  a.color = render.text("color", c.color);
  a.mrkdwn_in =
      c.mrkdwn_in.empty() ? std::vector<std::string>{"fallback", "pretext", "text"} : c.mrkdwn_in;
  for (std::size_t i = 0; i < c.fields.size(); ++i) {
    const SlackField& f = c.fields[i];
    a.fields.push_back(SlackField{render.text(fmt::format("fields[{}].title", i), f.title),
                                  render.text(fmt::format("fields[{}].value", i), f.value),
                                  f.is_short.value_or(c.short_fields)});
  }
  for (std::size_t i = 0; i < c.actions.size(); ++i) {
    auto name = [i](std::string_view field) { return fmt::format("actions[{}].{}", i, field); };
    SlackAction out = c.actions[i];
    render.texts(fmt::format("actions[{}]", i), kSlackActionTexts, out);
    if (out.confirm) {
      // Alertmanager renders the title first: it names the first failure.
      SlackConfirmationField& confirm = *out.confirm;
      confirm.title = render.text(name("confirm.title"), confirm.title);
      confirm.text = render.text(name("confirm.text"), confirm.text);
      confirm.ok_text = render.text(name("confirm.ok_text"), confirm.ok_text);
      confirm.dismiss_text = render.text(name("confirm.dismiss_text"), confirm.dismiss_text);
    }
    a.actions.push_back(std::move(out));
  }
  return a;
}

// Alertmanager's SlackAction: every text `omitempty`.
void write_action(gocompat::JsonWriter& json, const SlackAction& action) {
  for (const auto& [key, text] : kSlackActionTexts) json.field_omitempty(key, action.*text);
  if (action.confirm) {
    json.key("confirm");
    json.begin_object();
    for (const auto& [key, text] : kSlackConfirmationTexts) {
      json.field_omitempty(key, (*action.confirm).*text);
    }
    json.end_object();
  }
}

void write_attachment(gocompat::JsonWriter& json, const Attachment& a) {
  json.begin_object();
  json.field_omitempty("title", a.title);
  json.field_omitempty("title_link", a.title_link);
  json.field_omitempty("pretext", a.pretext);
  json.field("text", a.text);
  json.field("fallback", a.fallback);
  json.field("callback_id", a.callback_id);
  write_objects_omitempty(json, "fields", a.fields,
                          [](gocompat::JsonWriter& out, const SlackField& f) {
                            out.field_omitempty("title", f.title);
                            out.field_omitempty("value", f.value);
                            // A *bool, always set by the notifier, so never omitted.
                            out.key("short");
                            out.boolean(f.is_short.value_or(false));
                          });
  write_objects_omitempty(json, "actions", a.actions, write_action);
  json.field_omitempty("image_url", a.image_url);
  json.field_omitempty("thumb_url", a.thumb_url);
  json.field("footer", a.footer);
  json.field_omitempty("color", a.color);
  json.key("mrkdwn_in");  // never empty: it has a default
  json.string_array(a.mrkdwn_in);
  json.end_object();
}

}  // namespace

std::expected<SlackMessage, notify::Failure> render_slack_message(const SlackConfig& c,
                                                                  FieldRenderer& render) {
  SlackMessage message;
  Attachment attachment = render_attachment(c, render, message.title_truncated);
  message.channel = render.text("channel", c.channel);
  std::string username = render.text("username", c.username);
  std::string icon_emoji = render.text("icon_emoji", c.icon_emoji);
  std::string icon_url = render.text("icon_url", c.icon_url);
  if (render.failed()) return std::unexpected(render.failure("failed to template Slack message"));

  gocompat::JsonWriter json;
  json.begin_object();
  json.field_omitempty("channel", message.channel);
  json.field_omitempty("username", username);
  json.field_omitempty("icon_emoji", icon_emoji);
  json.field_omitempty("icon_url", icon_url);
  if (c.link_names) {
    json.key("link_names");
    json.boolean(true);
  }
  json.key("attachments");
  json.begin_array();
  write_attachment(json, attachment);
  json.end_array();
  json.end_object();
  message.body = std::move(json).finish();
  return message;
}

}  // namespace tocsin::notifiers
