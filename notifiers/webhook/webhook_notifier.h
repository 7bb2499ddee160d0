// The webhook integration (webhook_configs): posts webhook_message() to the
// configured URL (or the URL in url_file, read at every send). 2xx is sent,
// 5xx and failed requests are worth a retry, anything else is final, as
// Alertmanager's webhook notifier decides.
#pragma once

#include <memory>

#include <tocsin/error.h>
#include <tocsin/notify.h>

#include "notifiers/delivery/notifier_settings.h"
#include "notifiers/webhook/webhook_config.h"

namespace tocsin::notifiers {

Result<std::unique_ptr<notify::Notifier>> make_webhook_notifier(const WebhookConfig& config,
                                                                const NotifierSettings& settings);

}  // namespace tocsin::notifiers
