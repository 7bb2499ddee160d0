#include "notifiers/discord/discord_notifier.h"

#include "notifiers/delivery/json_webhook_notifier.h"
#include "notifiers/discord/discord_message.h"

namespace tocsin::notifiers {

Result<std::unique_ptr<notify::Notifier>> make_discord_notifier(const DiscordConfig& config,
                                                                const NotifierSettings& settings) {
  return make_json_webhook_notifier(config, &render_discord_message, settings);
}

}  // namespace tocsin::notifiers
