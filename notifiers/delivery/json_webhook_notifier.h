// The notifier of an integration that renders one JSON body from the
// notification templates and posts it to a secret webhook URL, 2xx sent,
// 5xx and failed requests worth a retry, anything else final (Alertmanager's
// default notify.Retrier): Discord and Microsoft Teams. The integration
// gives its config (with `webhook_url`, `http_config`, `send_resolved` and
// `kKind`) and how it renders the body; this does the rest.
#pragma once

#include <expected>
#include <memory>
#include <span>
#include <string>

#include <tocsin/error.h>
#include <tocsin/notify.h>

#include "http/curl_target.h"
#include "notifiers/delivery/field_renderer.h"
#include "notifiers/delivery/http_delivery.h"
#include "notifiers/delivery/notifier_settings.h"
#include "notifiers/delivery/retrier.h"

namespace tocsin::notifiers {

template <typename Config>
using RenderJsonBody = std::expected<std::string, notify::Failure> (*)(
    const Config&, const notify::Context&, std::span<const notify::Alert>, FieldRenderer&);

template <typename Config>
class JsonWebhookNotifier final : public notify::Notifier {
 public:
  JsonWebhookNotifier(Config config, RenderJsonBody<Config> render,
                      std::shared_ptr<const tmpl::NotificationTemplates> templates,
                      std::unique_ptr<http::HttpClient> client)
      : config_(std::move(config)),
        render_(render),
        templates_(std::move(templates)),
        client_(std::move(client)) {}

  std::expected<notify::Delivery, notify::Failure> notify(
      const notify::Context& context, std::span<const notify::Alert> alerts) const override {
    auto data = templates_->data(context, alerts);
    FieldRenderer renderer(*templates_, *data);
    auto body = render_(config_, context, alerts, renderer);
    if (!body) return std::unexpected(body.error());
    const std::string& url = config_.webhook_url.reveal();
    auto response = post_json(*client_, url, *body, http::secret_url_parts(url), context);
    if (!response) return std::unexpected(response.error());
    return Retrier{}.check(response->status, body_excerpt(response->body));
  }

  std::string_view kind() const override { return Config::kKind; }
  bool send_resolved() const override { return config_.send_resolved; }

 private:
  const Config config_;
  const RenderJsonBody<Config> render_;
  const std::shared_ptr<const tmpl::NotificationTemplates> templates_;
  const std::unique_ptr<http::HttpClient> client_;
};

template <typename Config>
Result<std::unique_ptr<notify::Notifier>> make_json_webhook_notifier(
    const Config& config, RenderJsonBody<Config> render, const NotifierSettings& settings) {
  auto client = make_http_client(config.http_config, settings);
  if (!client) return std::unexpected(client.error());
  return std::make_unique<JsonWebhookNotifier<Config>>(config, render, settings.templates,
                                                       std::move(*client));
}

}  // namespace tocsin::notifiers
