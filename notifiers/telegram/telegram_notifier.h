// The Telegram integration (telegram_configs): sends
// render_telegram_message() to the Bot API's sendMessage. As in
// Alertmanager 0.25, whatever fails once the request is made is worth a
// retry (a refused connection, a reply with "ok": false whatever its HTTP
// status, a reply that is no JSON); only a failing template is final.
//
// The bot token is part of the URL path: it is redacted from every error.
#pragma once

#include <memory>

#include <tocsin/error.h>
#include <tocsin/notify.h>

#include "notifiers/delivery/notifier_settings.h"
#include "notifiers/telegram/telegram_config.h"

namespace tocsin::notifiers {

Result<std::unique_ptr<notify::Notifier>> make_telegram_notifier(const TelegramConfig& config,
                                                                 const NotifierSettings& settings);

}  // namespace tocsin::notifiers
