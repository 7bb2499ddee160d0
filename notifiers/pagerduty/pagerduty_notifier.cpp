#include "notifiers/pagerduty/pagerduty_notifier.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/log.h"
#include "http/redact.h"
#include "http/secret_file.h"
#include "notifiers/delivery/field_renderer.h"
#include "notifiers/delivery/group_status.h"
#include "notifiers/delivery/http_delivery.h"
#include "notifiers/delivery/retrier.h"
#include "notifiers/pagerduty/pagerduty_message.h"

namespace tocsin::notifiers {
namespace {

constexpr int kStatusForbidden = 403;
constexpr int kStatusTooManyRequests = 429;

class PagerdutyNotifier final : public notify::Notifier {
 public:
  PagerdutyNotifier(PagerdutyConfig config, const NotifierSettings& settings,
                    std::unique_ptr<http::HttpClient> client)
      : config_(std::move(config)),
        v1_(uses_events_api_v1(config_)),
        url_(v1_ ? settings.pagerduty_v1_url : config_.url),
        templates_(settings.templates),
        client_(std::move(client)),
        // PagerDuty rate-limits with 403 on v1 and 429 on v2.
        retrier_{{v1_ ? kStatusForbidden : kStatusTooManyRequests}} {}

  std::expected<notify::Delivery, notify::Failure> notify(
      const notify::Context& context, std::span<const notify::Alert> alerts) const override {
    std::string_view event_type = any_firing(alerts, context.now) ? "trigger" : "resolve";

    auto key = read_key();
    if (!key) return std::unexpected(key.error());
    auto data = templates_->data(context, alerts);
    FieldRenderer render(*templates_, *data);
    auto event = render_pagerduty_event(config_, event_type, *key, context.group_key, render);
    if (!event) {
      // A template error may quote the key, which is rendered as a template too.
      event.error().message = http::redact(std::move(event.error().message), {*key});
      return std::unexpected(event.error());
    }
    if (event->summary_truncated) {
      log::warn(v1_ ? "Truncated description" : "Truncated summary",
                {{"integration", "pagerduty"},
                 {"key", context.group_key},
                 {"max_runes", kPagerdutyMaxSummaryRunes}});
    }
    if (event->dropped_details_size > 0) {
      log::warn("Truncated Details because the message exceeds the size limit",
                {{"integration", "pagerduty"},
                 {"size", event->dropped_details_size},
                 {"limit", kPagerdutyMaxEventBytes}});
    }

    auto response = post_json(*client_, url_, event->body, {*key}, context);
    if (!response) {
      response.error().message = fmt::format("failed to post message to PagerDuty{}: {}",
                                             v1_ ? " v1" : "", response.error().message);
      return std::unexpected(response.error());
    }
    std::string details = pagerduty_error_details(response->status, response->body);
    // Alertmanager says nothing more when PagerDuty's answer is not its JSON
    // error; the start of the body tells an operator more than nothing.
    if (details.empty()) details = body_excerpt(response->body);
    return retrier_.check(response->status, details);
  }

  std::string_view kind() const override { return "pagerduty"; }
  bool send_resolved() const override { return config_.send_resolved; }
  bool acknowledges() const override { return true; }

  std::expected<notify::Delivery, notify::Failure> acknowledge(
      const notify::Context& context, std::span<const notify::Alert> alerts) const override {
    auto key = read_key();
    if (!key) return std::unexpected(key.error());
    auto data = templates_->data(context, alerts);
    FieldRenderer render(*templates_, *data);
    auto body = render_pagerduty_acknowledge(config_, *key, context.group_key, render);
    if (!body) {
      body.error().message = http::redact(std::move(body.error().message), {*key});
      return std::unexpected(body.error());
    }
    auto response = post_json(*client_, url_, *body, {*key}, context);
    if (!response) {
      response.error().message = fmt::format("failed to post acknowledgement to PagerDuty{}: {}",
                                             v1_ ? " v1" : "", response.error().message);
      return std::unexpected(response.error());
    }
    std::string details = pagerduty_error_details(response->status, response->body);
    if (details.empty()) details = body_excerpt(response->body);
    return retrier_.check(response->status, details);
  }

 private:
  // The routing or service key as configured, or read from its file now.
  std::expected<std::string, notify::Failure> read_key() const {
    const config::Secret& inline_key = v1_ ? config_.service_key : config_.routing_key;
    if (!inline_key.empty()) return inline_key.reveal();
    const std::string& file = v1_ ? config_.service_key_file : config_.routing_key_file;
    auto read = http::read_trimmed_secret_file(file);
    if (!read) {
      return std::unexpected(
          notify::Failure{fmt::format("failed to read {} key from file: {}",
                                      v1_ ? "service" : "routing", read.error().to_string()),
                          false});
    }
    return std::move(*read);
  }

  const PagerdutyConfig config_;
  const bool v1_;
  const std::string url_;
  const std::shared_ptr<const tmpl::NotificationTemplates> templates_;
  const std::unique_ptr<http::HttpClient> client_;
  const Retrier retrier_;
};

}  // namespace

std::string pagerduty_error_details(int status, std::string_view body) {
  constexpr int kStatusBadRequest = 400;
  if (status != kStatusBadRequest) return {};
  auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return {};
  std::string message;
  std::string errors;
  if (auto it = json.find("message"); it != json.end() && !it->is_null()) {
    if (!it->is_string()) return {};
    message = it->get<std::string>();
  }
  if (auto it = json.find("errors"); it != json.end() && !it->is_null()) {
    if (!it->is_array()) return {};
    for (const auto& error : *it) {
      if (!error.is_string()) return {};
      if (!errors.empty()) errors += ',';
      errors += error.get<std::string>();
    }
  }
  return fmt::format("{}: {}", message, errors);
}

Result<std::unique_ptr<notify::Notifier>> make_pagerduty_notifier(
    const PagerdutyConfig& config, const NotifierSettings& settings) {
  auto client = make_http_client(config.http_config, settings);
  if (!client) return std::unexpected(client.error());
  return std::make_unique<PagerdutyNotifier>(config, settings, std::move(*client));
}

}  // namespace tocsin::notifiers
