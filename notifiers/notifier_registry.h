// The one place integrations are registered: builds every integration of a
// receiver from its loaded configuration, as Alertmanager's
// buildReceiverIntegrations does, in its order (webhook, email, pagerduty,
// slack) and with its names ("webhook[0]", "slack[1]").
//
// Adding an integration means a folder under notifiers/ with a
// make_<name>_notifier factory and one loop in build_integrations; the
// dispatcher only sees notify::Notifier.
#pragma once

#include <cstddef>
#include <expected>
#include <memory>
#include <string>
#include <vector>

#include <tocsin/error.h>
#include <tocsin/notify.h>

#include "config/receiver_config.h"
#include "notifiers/common/notifier_settings.h"

namespace tocsin::notifiers {

struct Integration {
  std::string name;  // "webhook[0]": kind and index among the receiver's configs of that kind
  std::size_t index = 0;
  std::shared_ptr<const notify::Notifier> notifier;  // kind() is the metrics' integration label
};

// Every integration of `receiver`, or every error found (not just the
// first), each naming the receiver and the integration and positioned at
// its config section. settings.templates must be set.
std::expected<std::vector<Integration>, std::vector<Error>> build_integrations(
    const config::Receiver& receiver, const NotifierSettings& settings);

// The errors of build_integrations as one message, one per line
// ("FILE:LINE:COL: receiver \"x\": slack[0]: ...").
std::string join_errors(const std::vector<Error>& errors);

}  // namespace tocsin::notifiers
