#include "notifiers/notifier_registry.h"

#include <fmt/format.h>

#include "notifiers/email/email_notifier.h"
#include "notifiers/pagerduty/pagerduty_notifier.h"
#include "notifiers/slack/slack_notifier.h"
#include "notifiers/webhook/webhook_notifier.h"

namespace tocsin::notifiers {
namespace {

class Builder {
 public:
  Builder(const config::Receiver& receiver, const NotifierSettings& settings)
      : receiver_(receiver), settings_(settings) {}

  // Builds one integration per entry of `configs` with `factory`.
  template <typename Config, typename Factory>
  void add(std::string_view kind, const std::vector<Config>& configs, Factory factory) {
    for (std::size_t i = 0; i < configs.size(); ++i) {
      std::string name = fmt::format("{}[{}]", kind, i);
      auto notifier = factory(configs[i], settings_);
      if (!notifier) {
        const Error& error = notifier.error();
        errors_.emplace_back(
            error.position().known() ? error.position() : configs[i].position,
            fmt::format("receiver \"{}\": {}: {}", receiver_.name, name, error.message()));
        continue;
      }
      integrations_.push_back(Integration{std::move(name), i, std::move(*notifier)});
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

std::expected<std::vector<Integration>, std::vector<Error>> build_integrations(
    const config::Receiver& receiver, const NotifierSettings& settings) {
  Builder builder(receiver, settings);
  if (!settings.templates) {
    builder.error("no notification templates to render with");
    return std::move(builder).finish();
  }
  builder.add("webhook", receiver.webhook_configs, make_webhook_notifier);
  builder.add("email", receiver.email_configs, make_email_notifier);
  builder.add("pagerduty", receiver.pagerduty_configs, make_pagerduty_notifier);
  builder.add("slack", receiver.slack_configs, make_slack_notifier);
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
