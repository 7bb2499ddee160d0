// The Discord integration (discord_configs): posts render_discord_message()
// to the channel's webhook_url. 2xx is sent, 5xx and failed requests are
// worth a retry, anything else is final: Alertmanager 0.25 gives Discord
// the plain notify.Retrier, so a 429 (Discord's rate limit) is final too.
#pragma once

#include <memory>

#include <tocsin/error.h>
#include <tocsin/notify.h>

#include "notifiers/delivery/notifier_settings.h"
#include "notifiers/discord/discord_config.h"

namespace tocsin::notifiers {

Result<std::unique_ptr<notify::Notifier>> make_discord_notifier(const DiscordConfig& config,
                                                                const NotifierSettings& settings);

}  // namespace tocsin::notifiers
