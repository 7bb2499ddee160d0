#include "notifiers/telegram/telegram_notifier.h"

#include "core/log.h"
#include "notifiers/delivery/field_renderer.h"
#include "notifiers/delivery/http_delivery.h"
#include "notifiers/telegram/telegram_message.h"

namespace tocsin::notifiers {
namespace {

class TelegramNotifier final : public notify::Notifier {
 public:
  TelegramNotifier(TelegramConfig config, std::shared_ptr<const tmpl::NotificationTemplates> t,
                   std::unique_ptr<http::HttpClient> client)
      : config_(std::move(config)),
        url_(telegram_send_message_url(config_)),
        templates_(std::move(t)),
        client_(std::move(client)) {}

  std::expected<notify::Delivery, notify::Failure> notify(
      const notify::Context& context, std::span<const notify::Alert> alerts) const override {
    auto data = templates_->data(context, alerts);
    FieldRenderer render(*templates_, *data);
    auto message = render_telegram_message(config_, render);
    if (!message) return std::unexpected(message.error());
    if (message->truncated) {
      log::warn("Truncated message", {{"integration", "telegram"},
                                      {"key", context.group_key},
                                      {"max_runes", kTelegramMaxMessageRunes}});
    }

    // Every request failure is worth a retry here, as telebot's error is to
    // Alertmanager, even those the client would call final.
    auto response = post_json(*client_, url_, message->body, {config_.bot_token.reveal()}, context);
    if (!response) {
      return std::unexpected(notify::Failure{std::move(response.error().message), true});
    }
    auto sent = read_telegram_reply(response->body);
    if (sent) {
      log::debug(
          "Telegram message successfully published",
          {{"integration", "telegram"}, {"chat_id", config_.chat_id}, {"reply", sent->reply}});
    }
    return sent;
  }

  std::string_view kind() const override { return "telegram"; }
  bool send_resolved() const override { return config_.send_resolved; }

 private:
  const TelegramConfig config_;
  const std::string url_;  // holds the bot token: never logged
  const std::shared_ptr<const tmpl::NotificationTemplates> templates_;
  const std::unique_ptr<http::HttpClient> client_;
};

}  // namespace

Result<std::unique_ptr<notify::Notifier>> make_telegram_notifier(const TelegramConfig& config,
                                                                 const NotifierSettings& settings) {
  auto client = make_http_client(config.http_config, settings);
  if (!client) return std::unexpected(client.error());
  return std::make_unique<TelegramNotifier>(config, settings.templates, std::move(*client));
}

}  // namespace tocsin::notifiers
