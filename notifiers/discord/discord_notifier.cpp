#include "notifiers/discord/discord_notifier.h"

#include "http/curl_target.h"
#include "notifiers/delivery/http_delivery.h"
#include "notifiers/delivery/retrier.h"
#include "notifiers/discord/discord_message.h"

namespace tocsin::notifiers {
namespace {

class DiscordNotifier final : public notify::Notifier {
 public:
  DiscordNotifier(DiscordConfig config, std::shared_ptr<const tmpl::NotificationTemplates> t,
                  std::unique_ptr<http::HttpClient> client)
      : config_(std::move(config)), templates_(std::move(t)), client_(std::move(client)) {}

  std::expected<notify::Delivery, notify::Failure> notify(
      const notify::Context& context, std::span<const notify::Alert> alerts) const override {
    auto data = templates_->data(context, alerts);
    FieldRenderer render(*templates_, *data);
    auto body = render_discord_message(config_, context, alerts, render);
    if (!body) return std::unexpected(body.error());

    const std::string url = config_.webhook_url.reveal();
    auto response = post_json(*client_, url, *body, http::secret_url_parts(url), context);
    if (!response) return std::unexpected(response.error());
    return Retrier{}.check(response->status, body_excerpt(response->body));
  }

  std::string_view kind() const override { return "discord"; }
  bool send_resolved() const override { return config_.send_resolved; }

 private:
  const DiscordConfig config_;
  const std::shared_ptr<const tmpl::NotificationTemplates> templates_;
  const std::unique_ptr<http::HttpClient> client_;
};

}  // namespace

Result<std::unique_ptr<notify::Notifier>> make_discord_notifier(const DiscordConfig& config,
                                                                const NotifierSettings& settings) {
  auto client = make_http_client(config.http_config, settings);
  if (!client) return std::unexpected(client.error());
  return std::make_unique<DiscordNotifier>(config, settings.templates, std::move(*client));
}

}  // namespace tocsin::notifiers
