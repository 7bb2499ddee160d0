// The Slack integration (slack_configs): posts render_slack_message() to
// api_url (or the URL in api_url_file, read at every send). 2xx is sent,
// 5xx and failed requests are worth a retry, anything else is final, as
// Slack documents for incoming webhooks and Alertmanager decides.
//
// As in Alertmanager 0.25 there is no token handling of its own: posting to
// chat.postMessage works with http_config.authorization (a bot token), but
// Slack's {"ok": false} answers with status 200 count as sent.
#pragma once

#include <memory>

#include <tocsin/error.h>
#include <tocsin/notify.h>

#include "notifiers/delivery/notifier_settings.h"
#include "notifiers/slack/slack_config.h"

namespace tocsin::notifiers {

Result<std::unique_ptr<notify::Notifier>> make_slack_notifier(const SlackConfig& config,
                                                              const NotifierSettings& settings);

}  // namespace tocsin::notifiers
