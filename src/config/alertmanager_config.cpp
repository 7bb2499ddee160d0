#include "config/alertmanager_config.h"

#include <algorithm>

#include <fmt/format.h>

#include "config/alertmanager_readers.h"
#include "config/field_readers.h"
#include "core/files.h"

namespace tocsin::config {
namespace {

void read_time_intervals(yaml::MapReader& r, bool deprecated_mute, const ReadContext& ctx,
                         AlertmanagerConfig& config, am::RouteReferences& refs) {
  for_each_item(
      r, deprecated_mute ? "mute_time_intervals" : "time_intervals", [&](const YAML::Node& n) {
        auto ti = am::read_named_time_interval(n, deprecated_mute, ctx);
        if (!ti) return;
        if (!ti->name.empty() && !refs.time_intervals.insert(ti->name).second) {
          ctx.diag.error(
              key_node(n, "name"),
              fmt::format("{} \"{}\" is not unique",
                          deprecated_mute ? "mute time interval" : "time interval", ti->name));
        }
        config.time_intervals.push_back(std::move(*ti));
      });
}

// The root route is the fallback for every alert: Alertmanager's checks.
void check_root_route(const YAML::Node& node, const Route& root, const ReadContext& ctx) {
  if (root.options.receiver.empty()) {
    ctx.diag.error(node, "root route must specify a default receiver");
  }
  if (!root.matchers.empty()) {
    ctx.diag.error(node, "root route must not have any matchers");
  }
  if (!root.mute_time_intervals.empty()) {
    ctx.diag.error(key_node(node, "mute_time_intervals"),
                   "root route must not have any mute time intervals");
  }
  if (!root.active_time_intervals.empty()) {
    ctx.diag.error(key_node(node, "active_time_intervals"),
                   "root route must not have any active time intervals");
  }
  if (root.continue_matching) {
    ctx.diag.error(key_node(node, "continue"), "cannot have continue in root route");
  }
}

}  // namespace

const Receiver* AlertmanagerConfig::find_receiver(std::string_view name) const {
  auto it = std::find_if(receivers.begin(), receivers.end(),
                         [&](const Receiver& r) { return r.name == name; });
  return it == receivers.end() ? nullptr : &*it;
}

const NamedTimeInterval* AlertmanagerConfig::find_time_interval(std::string_view name) const {
  auto it = std::find_if(time_intervals.begin(), time_intervals.end(),
                         [&](const NamedTimeInterval& t) { return t.name == name; });
  return it == time_intervals.end() ? nullptr : &*it;
}

std::optional<AlertmanagerConfig> read_alertmanager_config(const YAML::Node& node,
                                                           const std::string& base_dir,
                                                           const ReceiverKinds& kinds,
                                                           yaml::Diagnostics& diag) {
  if (!node.IsDefined() || node.IsNull()) {
    diag.error(SourcePosition{diag.file(), 1, 1}, "no route provided in config");
    return std::nullopt;
  }
  yaml::MapReader r(node, diag, "alertmanager configuration");
  if (!r.is_map()) return std::nullopt;
  ReadContext ctx{diag, base_dir};
  AlertmanagerConfig config;
  config.path = diag.file();
  am::RouteReferences refs;

  config.global = am::read_global(r.take("global"), ctx);
  read_time_intervals(r, true, ctx, config, refs);
  read_time_intervals(r, false, ctx, config, refs);
  for_each_item(r, "receivers", [&](const YAML::Node& n) {
    auto receiver = am::read_receiver(n, config.global, kinds, ctx);
    if (!receiver) return;
    if (!receiver->name.empty() && !refs.receivers.insert(receiver->name).second) {
      diag.error(key_node(n, "name"),
                 fmt::format("notification config name \"{}\" is not unique", receiver->name));
    }
    config.receivers.push_back(std::move(*receiver));
  });
  for (const std::string& pattern :
       r.string_list("templates").value_or(std::vector<std::string>{})) {
    config.templates.push_back(files::resolve(base_dir, pattern));
  }
  if (YAML::Node route = r.take("route"); route.IsDefined()) {
    config.route = am::read_route(route, RouteOptions{}, refs, ctx);
    check_root_route(route, config.route, ctx);
  } else {
    diag.error(node, "no routes provided");
  }
  for_each_item(r, "inhibit_rules", [&](const YAML::Node& n) {
    if (auto rule = am::read_inhibit_rule(n, ctx)) config.inhibit_rules.push_back(std::move(*rule));
  });
  r.finish();
  return config;
}

AlertmanagerConfigResult parse_alertmanager_config(const std::string& text, const std::string& path,
                                                   const ReceiverKinds& kinds) {
  auto root = yaml::parse(text, path);
  if (!root) return std::unexpected(std::vector<Error>{root.error()});
  yaml::Diagnostics diag(path);
  auto config = read_alertmanager_config(*root, files::dir_of(path), kinds, diag);
  if (!diag.ok() || !config) return std::unexpected(diag.errors());
  return std::move(*config);
}

AlertmanagerConfigResult load_alertmanager_config(const std::string& path,
                                                  const ReceiverKinds& kinds) {
  auto text = files::read(path);
  if (!text) return std::unexpected(std::vector<Error>{text.error()});
  return parse_alertmanager_config(*text, path, kinds);
}

Result<std::vector<std::string>> expand_templates(const AlertmanagerConfig& config) {
  return files::glob_all(config.templates);
}

}  // namespace tocsin::config
