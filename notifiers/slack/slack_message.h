// The Slack message exactly as Alertmanager 0.25 posts it to an incoming
// webhook (or to chat.postMessage, the same body): channel, username,
// icon_emoji, icon_url, link_names and one attachment (title, title_link,
// pretext, text, fallback, callback_id, fields, actions, image_url,
// thumb_url, footer, color, mrkdwn_in), every text field rendered as a
// template, empty `omitempty` fields left out, encoded as Go's json.Encoder
// does.
#pragma once

#include <expected>
#include <string>

#include <tocsin/notify.h>

#include "notifiers/delivery/field_renderer.h"
#include "notifiers/slack/slack_config.h"

namespace tocsin::notifiers {

// Slack's limit on an attachment title, in characters.
inline constexpr std::size_t kSlackMaxTitleRunes = 1024;

struct SlackMessage {
  std::string body;     // ends in "\n"
  std::string channel;  // as rendered, for error messages
  bool title_truncated = false;
};

// Renders every field in Alertmanager's order; the first template that fails
// is the (non-retryable) failure. mrkdwn_in defaults to fallback, pretext
// and text; a field's `short` defaults to short_fields.
std::expected<SlackMessage, notify::Failure> render_slack_message(const SlackConfig& config,
                                                                  FieldRenderer& render);

}  // namespace tocsin::notifiers
