// The sendMessage request Alertmanager 0.25 makes through telebot v3.1.2:
// POST <api_url>/bot<token>/sendMessage with a JSON object of strings
// (chat_id, disable_notification when set, disable_web_page_preview always,
// parse_mode when not empty, text), keys sorted and HTML-escaped as Go's
// json.Encoder writes a map[string]string. The message is rendered with
// html/template's escaping in HTML mode, else as plain text, and cut to
// Telegram's 4096 characters.
//
// Telegram answers {"ok":true,"result":<Message>} or {"ok":false,
// "error_code":N,"description":"..."}; telebot reads only that body, never
// the HTTP status.
#pragma once

#include <cstddef>
#include <expected>
#include <string>
#include <string_view>

#include <tocsin/notify.h>

#include "notifiers/delivery/field_renderer.h"
#include "notifiers/telegram/telegram_config.h"

namespace tocsin::notifiers {

// Telegram's limit on a message's text, in characters.
inline constexpr std::size_t kTelegramMaxMessageRunes = 4096;

struct TelegramMessage {
  std::string body;  // ends in "\n"
  bool truncated = false;
};

// A failing template is the (non-retryable) failure.
std::expected<TelegramMessage, notify::Failure> render_telegram_message(
    const TelegramConfig& config, FieldRenderer& render);

// api_url + "/bot" + token + "/sendMessage", joined as telebot joins them
// (an api_url ending in "/" gives "//bot...").
std::string telegram_send_message_url(const TelegramConfig& config);

// What Alertmanager makes of Telegram's reply: sent when the whole body is
// a JSON object whose "ok" is true and whose "result", if any, is a message
// object; anything else failed, and Alertmanager retries every failure.
std::expected<notify::Delivery, notify::Failure> read_telegram_reply(std::string_view body);

}  // namespace tocsin::notifiers
