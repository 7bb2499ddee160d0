// The integrations a loader may read in a receiver, handed to it by whoever
// loads a configuration (notifiers::receiver_kinds() registers tocsin's).
//
// For each kind the loader reads every entry of the receiver's
// `<name>_configs` list: it opens the mapping as `<name>_config`, reads
// `send_resolved` and the position, and the kind's reader does the rest.
// Every other integration key Alertmanager 0.25 knows is a load error
// ("... are not supported by tocsin"), never silently dropped.
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/receiver.h"
#include "config/yaml_reader.h"

namespace tocsin::config {

struct AlertmanagerGlobalConfig;

// Alertmanager 0.25's integrations, in its Receiver struct's field order:
// the order their keys are written back in.
inline constexpr std::array<std::string_view, 12> kAlertmanagerIntegrations = {
    "discord", "email",    "pagerduty", "slack", "webhook",  "opsgenie",
    "wechat",  "pushover", "victorops", "sns",   "telegram", "webex"};

// "slack" -> "slack_configs", the key of a receiver's sections of a kind.
inline std::string integration_key(std::string_view name) {
  return std::string(name) + "_configs";
}

// What every section reader is handed besides its mapping.
struct ReadContext {
  yaml::Diagnostics& diag;
  std::string base_dir;  // relative file paths are resolved against it
};

// Reads the fields of one section other than send_resolved from `section`
// (calling finish() before checks that need every field read), falling back
// on `global` as Alertmanager does. Problems go to ctx.diag; the config
// comes back even then.
using IntegrationReader = std::function<std::shared_ptr<IntegrationConfig>(
    yaml::MapReader& section, const AlertmanagerGlobalConfig& global, const ReadContext& ctx)>;

struct ReceiverKind {
  std::string_view name;  // "slack": read from `slack_configs`, each a `slack_config`
  IntegrationReader read;

  std::string key() const { return integration_key(name); }
};

// In the order integrations are built (Alertmanager's: webhook, email,
// pagerduty, slack, ...), which is also the order receivers hold them in.
using ReceiverKinds = std::vector<ReceiverKind>;

}  // namespace tocsin::config
