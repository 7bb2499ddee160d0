// The Microsoft Teams integration (msteams_configs): posts
// render_msteams_message() to the incoming webhook. 2xx is sent, 5xx and
// failed requests are worth a retry (Teams answers 429 under its rate
// limit, which is final, as Alertmanager 0.26 decides).
#pragma once

#include <memory>

#include <tocsin/error.h>
#include <tocsin/notify.h>

#include "notifiers/delivery/notifier_settings.h"
#include "notifiers/msteams/msteams_config.h"

namespace tocsin::notifiers {

Result<std::unique_ptr<notify::Notifier>> make_msteams_notifier(const MsteamsConfig& config,
                                                                const NotifierSettings& settings);

}  // namespace tocsin::notifiers
