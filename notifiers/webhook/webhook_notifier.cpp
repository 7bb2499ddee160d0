#include "notifiers/webhook/webhook_notifier.h"

#include <fmt/format.h>

#include "http/curl_target.h"
#include "http/secret_file.h"
#include "notifiers/delivery/http_delivery.h"
#include "notifiers/delivery/retrier.h"
#include "notifiers/webhook/webhook_message.h"

namespace tocsin::notifiers {
namespace {

class WebhookNotifier final : public notify::Notifier {
 public:
  WebhookNotifier(WebhookConfig config, std::unique_ptr<http::HttpClient> client)
      : config_(std::move(config)), client_(std::move(client)) {}

  std::expected<notify::Delivery, notify::Failure> notify(
      const notify::Context& context, std::span<const notify::Alert> alerts) const override {
    TruncatedAlerts sent = truncate_alerts(alerts, config_.max_alerts);
    std::string body = webhook_message(context, sent.alerts, sent.dropped);

    std::string url = config_.url.reveal();
    if (url.empty()) {
      auto read = http::read_trimmed_secret_file(config_.url_file);
      if (!read) {
        return std::unexpected(
            notify::Failure{fmt::format("read url_file: {}", read.error().to_string()), false});
      }
      url = std::move(*read);
    }
    auto response = post_json(*client_, url, body, http::secret_url_parts(url), context);
    if (!response) return std::unexpected(response.error());
    // Webhooks answer 2xx when they took it; 5xx is taken as passing trouble.
    return Retrier{}.check(response->status, body_excerpt(response->body));
  }

  std::string_view kind() const override { return "webhook"; }
  bool send_resolved() const override { return config_.send_resolved; }

 private:
  const WebhookConfig config_;
  const std::unique_ptr<http::HttpClient> client_;
};

}  // namespace

Result<std::unique_ptr<notify::Notifier>> make_webhook_notifier(const WebhookConfig& config,
                                                                const NotifierSettings& settings) {
  auto client = make_http_client(config.http_config, settings);
  if (!client) return std::unexpected(client.error());
  return std::make_unique<WebhookNotifier>(config, std::move(*client));
}

}  // namespace tocsin::notifiers
