#include <algorithm>
#include <set>

#include <fmt/format.h>

#include <tocsin/labels.h>

#include "config/alertmanager_readers.h"
#include "config/field_readers.h"

namespace tocsin::config::am {
namespace {

// group_by as Alertmanager reads it: "..." alone means every label.
void read_group_by(yaml::MapReader& r, Route& route, RouteOptions& options) {
  YAML::Node n = r.take("group_by");
  if (!n.IsDefined()) return;
  yaml::Diagnostics& diag = r.diagnostics();
  if (!n.IsSequence()) {
    diag.error(n, fmt::format("group_by: expected a sequence, got {}", yaml::kind_name(n)));
    return;
  }
  std::vector<std::string> written;
  std::set<std::string> labels;
  bool all = false;
  for (const auto& item : n) {
    auto name = yaml::as_string(item, diag, "group_by");
    if (!name) continue;
    written.push_back(*name);
    if (*name == "...") {
      all = true;
    } else if (!is_valid_label_name(*name)) {
      diag.error(item, fmt::format("invalid label name \"{}\" in group_by list", *name));
    } else if (!labels.insert(*name).second) {
      diag.error(item, fmt::format("duplicated label \"{}\" in group_by", *name));
    }
  }
  if (all && !labels.empty()) {
    diag.error(n, "cannot have wildcard group_by (`...`) and other labels at the same time");
  }
  route.written.group_by = std::move(written);
  // As Alertmanager's dispatcher: listed labels replace the parent's and end
  // group-by-all; "..." alone turns it on and keeps the parent's labels.
  if (!labels.empty()) {
    options.group_by.assign(labels.begin(), labels.end());
    options.group_by_all = false;
  } else if (all) {
    options.group_by_all = true;
  }
}

std::optional<Duration> read_interval(yaml::MapReader& r, std::string_view key, bool nonzero) {
  YAML::Node n = r.take(key);
  if (!n.IsDefined()) return std::nullopt;
  auto d = yaml::as_duration(n, r.diagnostics(), key);
  if (d && nonzero && *d == Duration(0)) {
    r.diagnostics().error(n, fmt::format("{} cannot be zero", key));
    return std::nullopt;
  }
  return d;
}

std::vector<std::string> read_interval_names(yaml::MapReader& r, std::string_view key,
                                             const RouteReferences& refs) {
  YAML::Node n = r.take(key);
  std::vector<std::string> out;
  if (!n.IsDefined()) return out;
  yaml::Diagnostics& diag = r.diagnostics();
  if (!n.IsSequence()) {
    diag.error(n, fmt::format("{}: expected a sequence, got {}", key, yaml::kind_name(n)));
    return out;
  }
  for (const auto& item : n) {
    auto name = yaml::as_string(item, diag, key);
    if (!name) continue;
    if (!refs.time_intervals.contains(*name)) {
      diag.error(item, fmt::format("undefined time interval \"{}\" used in route", *name));
    }
    out.push_back(std::move(*name));
  }
  return out;
}

// tocsin's `escalation:`: steps {after, receiver, repeat}, `after` rising,
// each receiver defined, told by no other step and not the route's own.
std::vector<EscalationStep> read_escalation(yaml::MapReader& r, const RouteOptions& options,
                                            const RouteReferences& refs) {
  YAML::Node n = r.take("escalation");
  std::vector<EscalationStep> steps;
  if (!n.IsDefined()) return steps;
  yaml::Diagnostics& diag = r.diagnostics();
  if (!n.IsSequence()) {
    diag.error(n,
               fmt::format("escalation: expected a sequence of steps, got {}", yaml::kind_name(n)));
    return steps;
  }
  std::set<std::string> receivers;
  std::size_t i = 0;
  for (const auto& item : n) {
    std::string where = fmt::format("escalation[{}]", i++);
    yaml::MapReader step_reader(item, diag, where);
    YAML::Node after = step_reader.take("after");
    YAML::Node receiver = step_reader.take("receiver");
    YAML::Node repeat = step_reader.take("repeat");
    step_reader.finish();
    if (!item.IsMap()) continue;  // the reader said so
    EscalationStep step;
    step.position = diag.position(item);
    bool ok = true;
    if (!after.IsDefined()) {
      diag.error(item, fmt::format("{}: after is required", where));
      ok = false;
    } else if (auto d = yaml::as_duration(after, diag, where + ".after"); !d) {
      ok = false;
    } else if (*d <= Duration::zero()) {
      diag.error(after, fmt::format("{}.after must be more than 0", where));
      ok = false;
    } else if (!steps.empty() && *d <= steps.back().after) {
      diag.error(after, fmt::format("{}.after must be later than the step before ({})", where,
                                    format_duration(steps.back().after)));
      ok = false;
    } else {
      step.after = *d;
    }
    std::optional<std::string> name;
    if (!receiver.IsDefined()) {
      diag.error(item, fmt::format("{}: receiver is required", where));
    } else {
      name = yaml::as_string(receiver, diag, where + ".receiver");
    }
    if (!name) {
      ok = false;
    } else if (!refs.receivers.contains(*name)) {
      diag.error(receiver, fmt::format("undefined receiver \"{}\" used in {}", *name, where));
      ok = false;
    } else if (*name == options.receiver) {
      diag.error(receiver, fmt::format("{}: receiver \"{}\" is the route's own; repeat_interval "
                                       "repeats its notifications",
                                       where, *name));
      ok = false;
    } else if (!receivers.insert(*name).second) {
      diag.error(receiver,
                 fmt::format("{}: receiver \"{}\" is already an earlier step's", where, *name));
      ok = false;
    } else {
      step.receiver = std::move(*name);
    }
    if (repeat.IsDefined()) {
      auto d = yaml::as_duration(repeat, diag, where + ".repeat");
      if (d && *d <= Duration::zero()) {
        diag.error(repeat, fmt::format("{}.repeat must be more than 0", where));
        ok = false;
      } else if (d) {
        step.repeat = *d;
      } else {
        ok = false;
      }
    }
    if (ok) steps.push_back(std::move(step));
  }
  return steps;
}

}  // namespace

Route read_route(const YAML::Node& node, const RouteOptions& parent, const RouteReferences& refs,
                 const ReadContext& ctx) {
  yaml::MapReader r(node, ctx.diag, "route");
  Route route;
  route.position = ctx.diag.position(node);
  RouteOptions options = parent;

  if (YAML::Node receiver = r.take("receiver"); receiver.IsDefined()) {
    if (auto name = yaml::as_string(receiver, ctx.diag, "receiver"); name && !name->empty()) {
      if (!refs.receivers.contains(*name)) {
        ctx.diag.error(receiver, fmt::format("undefined receiver \"{}\" used in route", *name));
      }
      route.written.receiver = *name;
      options.receiver = std::move(*name);
    }
  }
  read_group_by(r, route, options);
  read_legacy_matchers(r, "match", MatchType::kEqual, route.matchers);
  read_legacy_matchers(r, "match_re", MatchType::kRegexp, route.matchers);
  read_matcher_lists(r, "matchers", route.matchers);
  sort_matchers(route.matchers);
  route.mute_time_intervals = read_interval_names(r, "mute_time_intervals", refs);
  route.active_time_intervals = read_interval_names(r, "active_time_intervals", refs);
  route.continue_matching = read_bool(r, "continue").value_or(false);
  route.written.group_wait = read_interval(r, "group_wait", false);
  route.written.group_interval = read_interval(r, "group_interval", true);
  route.written.repeat_interval = read_interval(r, "repeat_interval", true);
  if (route.written.group_wait) options.group_wait = *route.written.group_wait;
  if (route.written.group_interval) options.group_interval = *route.written.group_interval;
  if (route.written.repeat_interval) options.repeat_interval = *route.written.repeat_interval;
  route.escalation = read_escalation(r, options, refs);
  route.options = std::move(options);

  YAML::Node children = r.take("routes");
  r.finish();
  if (children.IsDefined() && !children.IsSequence()) {
    ctx.diag.error(children,
                   fmt::format("routes: expected a sequence, got {}", yaml::kind_name(children)));
  } else if (children.IsDefined()) {
    for (const auto& child : children) {
      route.routes.push_back(read_route(child, route.options, refs, ctx));
    }
  }
  return route;
}

}  // namespace tocsin::config::am
