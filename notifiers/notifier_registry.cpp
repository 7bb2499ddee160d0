#include "notifiers/notifier_registry.h"

#include <functional>

#include <fmt/format.h>

#include "notifiers/discord/discord_config.h"
#include "notifiers/discord/discord_notifier.h"
#include "notifiers/email/email_config.h"
#include "notifiers/email/email_notifier.h"
#include "notifiers/msteams/msteams_config.h"
#include "notifiers/msteams/msteams_notifier.h"
#include "notifiers/pagerduty/pagerduty_config.h"
#include "notifiers/pagerduty/pagerduty_notifier.h"
#include "notifiers/slack/slack_config.h"
#include "notifiers/slack/slack_notifier.h"
#include "notifiers/telegram/telegram_config.h"
#include "notifiers/telegram/telegram_notifier.h"
#include "notifiers/webhook/webhook_config.h"
#include "notifiers/webhook/webhook_notifier.h"

namespace tocsin::notifiers {
namespace {

using NotifierFactory = std::function<Result<std::unique_ptr<notify::Notifier>>(
    const config::IntegrationConfig& config, const NotifierSettings& settings)>;

struct Registration {
  config::ReceiverKind kind;
  NotifierFactory make;
};

// The integration whose sections are `Config`s: read by `read`, built by `make`.
template <typename Config>
Registration integration(
    config::IntegrationReader read,
    Result<std::unique_ptr<notify::Notifier>> (*make)(const Config&, const NotifierSettings&)) {
  return {{Config::kKind, std::move(read)},
          [make](const config::IntegrationConfig& config,
                 const NotifierSettings& settings) -> Result<std::unique_ptr<notify::Notifier>> {
            const auto* section = dynamic_cast<const Config*>(&config);
            if (section == nullptr) return fail(fmt::format("not a {} section", Config::kKind));
            return make(*section, settings);
          }};
}

// Every integration, in Alertmanager's order (buildReceiverIntegrations).
// Adding one is its folder and one line here.
const std::vector<Registration>& registrations() {
  static const std::vector<Registration> all = {
      integration<WebhookConfig>(read_webhook_config, make_webhook_notifier),
      integration<EmailConfig>(read_email_config, make_email_notifier),
      integration<PagerdutyConfig>(read_pagerduty_config, make_pagerduty_notifier),
      integration<SlackConfig>(read_slack_config, make_slack_notifier),
      integration<TelegramConfig>(read_telegram_config, make_telegram_notifier),
      integration<DiscordConfig>(read_discord_config, make_discord_notifier),
      integration<MsteamsConfig>(read_msteams_config, make_msteams_notifier),
  };
  return all;
}

class Builder {
 public:
  Builder(const config::Receiver& receiver, const NotifierSettings& settings)
      : receiver_(receiver), settings_(settings) {}

  // Builds one integration per section of `kind` with `make`.
  void add(std::string_view kind, const NotifierFactory& make) {
    std::size_t index = 0;
    for (const auto& section : receiver_.integrations) {
      if (section->kind() != kind) continue;
      std::string name = fmt::format("{}[{}]", kind, index);
      auto notifier = make(*section, settings_);
      if (!notifier) {
        const Error& error = notifier.error();
        errors_.emplace_back(
            error.position().known() ? error.position() : section->position,
            fmt::format("receiver \"{}\": {}: {}", receiver_.name, name, error.message()));
      } else {
        integrations_.push_back(Integration{std::move(name), index, std::move(*notifier)});
      }
      ++index;
    }
  }

  // Sections of a kind no one registered (only a receiver made in code has them).
  void refuse_unregistered(const std::vector<Registration>& registered) {
    for (const auto& section : receiver_.integrations) {
      auto known = [&](const Registration& r) { return r.kind.name == section->kind(); };
      if (std::ranges::none_of(registered, known)) {
        errors_.emplace_back(section->position,
                             fmt::format("receiver \"{}\": no integration named \"{}\"",
                                         receiver_.name, section->kind()));
      }
    }
  }

  std::expected<std::vector<Integration>, std::vector<Error>> finish() && {
    if (!errors_.empty()) return std::unexpected(std::move(errors_));
    return std::move(integrations_);
  }

  void error(std::string message) {
    errors_.emplace_back(receiver_.position,
                         fmt::format("receiver \"{}\": {}", receiver_.name, message));
  }

 private:
  const config::Receiver& receiver_;
  const NotifierSettings& settings_;
  std::vector<Integration> integrations_;
  std::vector<Error> errors_;
};

}  // namespace

const config::ReceiverKinds& receiver_kinds() {
  static const config::ReceiverKinds kinds = [] {
    config::ReceiverKinds out;
    for (const Registration& r : registrations()) out.push_back(r.kind);
    return out;
  }();
  return kinds;
}

std::expected<std::vector<Integration>, std::vector<Error>> build_integrations(
    const config::Receiver& receiver, const NotifierSettings& settings) {
  Builder builder(receiver, settings);
  if (!settings.templates) {
    builder.error("no notification templates to render with");
    return std::move(builder).finish();
  }
  for (const Registration& r : registrations()) builder.add(r.kind.name, r.make);
  builder.refuse_unregistered(registrations());
  return std::move(builder).finish();
}

std::string join_errors(const std::vector<Error>& errors) {
  std::string out;
  for (const Error& error : errors) {
    if (!out.empty()) out += '\n';
    out += error.to_string();
  }
  return out;
}

}  // namespace tocsin::notifiers
