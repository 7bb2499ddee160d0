#include <algorithm>

#include <fmt/format.h>

#include "config/alertmanager_readers.h"
#include "config/field_readers.h"

namespace tocsin::config::am {
namespace {

bool is_registered(const ReceiverKinds& kinds, std::string_view name) {
  return std::ranges::any_of(kinds, [&](const ReceiverKind& kind) { return kind.name == name; });
}

// One entry of `<name>_configs`: the fields every integration has, then the
// kind's own.
std::shared_ptr<const IntegrationConfig> read_section(const YAML::Node& node,
                                                      const ReceiverKind& kind,
                                                      const AlertmanagerGlobalConfig& global,
                                                      const ReadContext& ctx) {
  yaml::MapReader r(node, ctx.diag, fmt::format("{}_config", kind.name));
  std::optional<bool> send_resolved = read_bool(r, "send_resolved");
  std::shared_ptr<IntegrationConfig> config = kind.read(r, global, ctx);
  r.finish();
  if (!config) return nullptr;
  config->position = ctx.diag.position(node);
  if (send_resolved) config->send_resolved = *send_resolved;
  return config;
}

}  // namespace

std::optional<Receiver> read_receiver(const YAML::Node& node,
                                      const AlertmanagerGlobalConfig& global,
                                      const ReceiverKinds& kinds, const ReadContext& ctx) {
  yaml::MapReader r(node, ctx.diag, "receiver");
  if (!r.is_map()) return std::nullopt;
  Receiver out;
  out.position = ctx.diag.position(node);
  out.name = r.string("name").value_or("");
  if (out.name.empty()) ctx.diag.error(node, "missing name in receiver");

  for (const ReceiverKind& kind : kinds) {
    for_each_item(r, kind.key(), [&](const YAML::Node& n) {
      if (auto config = read_section(n, kind, global, ctx)) {
        out.integrations.push_back(std::move(config));
      }
    });
  }
  for (std::string_view name : kAlertmanagerIntegrations) {
    if (is_registered(kinds, name)) continue;
    std::string key = integration_key(name);
    YAML::Node n = r.take(key);
    // An empty list configures nothing, so nothing is dropped.
    if (n.IsDefined() && !(n.IsSequence() && n.size() == 0)) {
      ctx.diag.error(key_node(node, key),
                     fmt::format("receiver \"{}\": {} are not supported by tocsin", out.name, key));
    }
  }
  r.finish();
  return out;
}

}  // namespace tocsin::config::am
