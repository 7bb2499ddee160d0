#include "notifiers/slack/slack_notifier.h"

#include <fmt/format.h>

#include "core/log.h"
#include "gocompat/strconv.h"
#include "http/curl_target.h"
#include "http/secret_file.h"
#include "notifiers/delivery/http_delivery.h"
#include "notifiers/delivery/retrier.h"
#include "notifiers/slack/slack_message.h"

namespace tocsin::notifiers {
namespace {

class SlackNotifier final : public notify::Notifier {
 public:
  SlackNotifier(SlackConfig config, std::shared_ptr<const tmpl::NotificationTemplates> t,
                std::unique_ptr<http::HttpClient> client)
      : config_(std::move(config)), templates_(std::move(t)), client_(std::move(client)) {}

  std::expected<notify::Delivery, notify::Failure> notify(
      const notify::Context& context, std::span<const notify::Alert> alerts) const override {
    auto data = templates_->data(context, alerts);
    FieldRenderer render(*templates_, *data);
    auto message = render_slack_message(config_, render);
    if (!message) return std::unexpected(message.error());
    if (message->title_truncated) {
      log::warn("Truncated title", {{"integration", "slack"},
                                    {"key", context.group_key},
                                    {"max_runes", kSlackMaxTitleRunes}});
    }

    std::string url = config_.api_url.reveal();
    if (url.empty()) {
      auto read = http::read_trimmed_secret_file(config_.api_url_file);
      if (!read) return std::unexpected(notify::Failure{read.error().to_string(), false});
      url = std::move(*read);
    }
    auto response = post_json(*client_, url, message->body, http::secret_url_parts(url), context);
    if (!response) return std::unexpected(response.error());
    auto checked = Retrier{}.check(response->status, body_excerpt(response->body));
    if (!checked) {
      checked.error().message =
          fmt::format("channel {}: {}", gocompat::quote(message->channel), checked.error().message);
    }
    return checked;
  }

  std::string_view kind() const override { return "slack"; }
  bool send_resolved() const override { return config_.send_resolved; }

 private:
  const SlackConfig config_;
  const std::shared_ptr<const tmpl::NotificationTemplates> templates_;
  const std::unique_ptr<http::HttpClient> client_;
};

}  // namespace

Result<std::unique_ptr<notify::Notifier>> make_slack_notifier(const SlackConfig& config,
                                                              const NotifierSettings& settings) {
  auto client = make_http_client(config.http_config, settings);
  if (!client) return std::unexpected(client.error());
  return std::make_unique<SlackNotifier>(config, settings.templates, std::move(*client));
}

}  // namespace tocsin::notifiers
