// The readers of alertmanager.yml's sections, one file each, called by
// alertmanager_config.cpp in dependency order: globals first (receivers fall
// back on them), then time intervals and receivers (routes refer to them by
// name), then the route tree and inhibition rules. Private to src/config.
#pragma once

#include <optional>
#include <set>
#include <string>

#include <yaml-cpp/yaml.h>

#include "config/alertmanager_config.h"
#include "config/receiver_kinds.h"
#include "config/yaml_reader.h"

namespace tocsin::config::am {

// The names routes may refer to.
struct RouteReferences {
  std::set<std::string, std::less<>> receivers;
  std::set<std::string, std::less<>> time_intervals;
};

AlertmanagerGlobalConfig read_global(const YAML::Node& node, const ReadContext& ctx);

std::optional<NamedTimeInterval> read_named_time_interval(const YAML::Node& node,
                                                          bool deprecated_mute,
                                                          const ReadContext& ctx);

// Reads the integration sections of the kinds in `kinds`; any other
// integration Alertmanager knows is an error.
std::optional<Receiver> read_receiver(const YAML::Node& node,
                                      const AlertmanagerGlobalConfig& global,
                                      const ReceiverKinds& kinds, const ReadContext& ctx);

// Reads a route and its subtree; `parent` holds the options it inherits
// (RouteOptions{} for the root).
Route read_route(const YAML::Node& node, const RouteOptions& parent, const RouteReferences& refs,
                 const ReadContext& ctx);

std::optional<InhibitRule> read_inhibit_rule(const YAML::Node& node, const ReadContext& ctx);

}  // namespace tocsin::config::am
