// The one place integrations are registered (DESIGN.md, "notifiers/"). Each
// folder under notifiers/ but delivery/ is one integration: its section of
// a receiver (a config::IntegrationConfig), the reader of that section and
// its notifier factory; notifier_registry.cpp lists them, one line each, in
// the order Alertmanager builds a receiver's integrations (webhook, email,
// pagerduty, slack). The dispatcher only sees notify::Notifier, the config
// loader only config::ReceiverKinds.
#pragma once

#include <cstddef>
#include <expected>
#include <memory>
#include <string>
#include <vector>

#include <tocsin/error.h>
#include <tocsin/notify.h>

#include "config/receiver.h"
#include "config/receiver_kinds.h"
#include "notifiers/delivery/notifier_settings.h"

namespace tocsin::notifiers {

// What alertmanager.yml's loaders may read in a receiver: every registered
// integration (config::parse_alertmanager_config and the rest take it).
const config::ReceiverKinds& receiver_kinds();

struct Integration {
  std::string name;  // "webhook[0]": kind and index among the receiver's configs of that kind
  std::size_t index = 0;
  std::shared_ptr<const notify::Notifier> notifier;  // kind() is the metrics' integration label
};

// Every integration of `receiver` in the registry's order, or every error
// found (not just the first), each naming the receiver and the integration
// and positioned at its config section. settings.templates must be set.
std::expected<std::vector<Integration>, std::vector<Error>> build_integrations(
    const config::Receiver& receiver, const NotifierSettings& settings);

// The errors of build_integrations as one message, one per line
// ("FILE:LINE:COL: receiver \"x\": slack[0]: ...").
std::string join_errors(const std::vector<Error>& errors);

}  // namespace tocsin::notifiers
