#include "notifiers/telegram/telegram_message.h"

#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gocompat/json_writer.h"
#include "notifiers/delivery/retrier.h"
#include "notifiers/delivery/truncate.h"

namespace tocsin::notifiers {
namespace {

notify::Failure retryable(std::string message) {
  return notify::Failure{std::move(message), /*retryable=*/true};
}

}  // namespace

std::expected<TelegramMessage, notify::Failure> render_telegram_message(const TelegramConfig& c,
                                                                        FieldRenderer& render) {
  std::string text = c.parse_mode == "HTML" ? render.html("message", c.message)
                                            : render.text("message", c.message);
  if (render.failed()) {
    return std::unexpected(render.failure("failed to template Telegram message"));
  }
  Truncated cut = truncate_in_runes(text, kTelegramMaxMessageRunes);

  // telebot's sendText parameters with Alertmanager's send options.
  std::map<std::string, std::string> params = {{"chat_id", std::to_string(c.chat_id)},
                                               {"text", std::move(cut.text)},
                                               {"disable_web_page_preview", "true"}};
  if (c.disable_notifications) params["disable_notification"] = "true";
  if (!c.parse_mode.empty()) params["parse_mode"] = c.parse_mode;

  gocompat::JsonWriter json;
  json.string_map(params);
  return TelegramMessage{std::move(json).finish(), cut.truncated};
}

std::string telegram_send_message_url(const TelegramConfig& c) {
  return fmt::format("{}/bot{}/sendMessage", c.api_url, c.bot_token.reveal());
}

std::expected<notify::Delivery, notify::Failure> read_telegram_reply(std::string_view body) {
  auto reply = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!reply.is_object()) {
    return std::unexpected(
        retryable(fmt::format("telegram: unexpected reply: {}", body_excerpt(body))));
  }
  auto ok = reply.find("ok");
  if (ok == reply.end() || !ok->is_boolean() || !ok->get<bool>()) {
    auto description = reply.find("description");
    auto code = reply.find("error_code");
    return std::unexpected(retryable(fmt::format(
        "telegram: {} ({})",
        description != reply.end() && description->is_string() ? description->get<std::string>()
                                                               : "",
        code != reply.end() && code->is_number_integer() ? code->get<std::int64_t>() : 0)));
  }
  auto result = reply.find("result");
  if (result == reply.end() || result->is_null()) return notify::Delivery{"ok"};
  if (!result->is_object()) {
    return std::unexpected(
        retryable(fmt::format("telegram: unexpected result: {}", body_excerpt(result->dump()))));
  }
  auto id = result->find("message_id");
  if (id != result->end() && id->is_number_integer()) {
    return notify::Delivery{fmt::format("message_id {}", id->get<std::int64_t>())};
  }
  return notify::Delivery{"ok"};
}

}  // namespace tocsin::notifiers
