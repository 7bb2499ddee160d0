#include <fmt/format.h>

#include "config/alertmanager_readers.h"

namespace tocsin::config::am {
namespace {

// A list of range strings, each parsed by `parse`; nullopt when the key is
// absent (an empty list stays an empty list: it matches nothing).
template <typename Parse>
std::optional<std::vector<InclusiveRange>> read_ranges(yaml::MapReader& r, std::string_view key,
                                                       Parse parse) {
  YAML::Node n = r.take(key);
  if (!n.IsDefined()) return std::nullopt;
  yaml::Diagnostics& diag = r.diagnostics();
  std::vector<InclusiveRange> out;
  if (!n.IsSequence()) {
    diag.error(n, fmt::format("{}: expected a sequence, got {}", key, yaml::kind_name(n)));
    return out;
  }
  for (const auto& item : n) {
    auto text = yaml::as_string(item, diag, key);
    if (!text) continue;
    auto range = parse(*text);
    if (!range) {
      diag.error(item, fmt::format("{}: {}", key, range.error().message()));
      continue;
    }
    out.push_back(*range);
  }
  return out;
}

std::optional<std::vector<TimeRange>> read_times(yaml::MapReader& r) {
  YAML::Node n = r.take("times");
  if (!n.IsDefined()) return std::nullopt;
  yaml::Diagnostics& diag = r.diagnostics();
  std::vector<TimeRange> out;
  if (!n.IsSequence()) {
    diag.error(n, fmt::format("times: expected a sequence, got {}", yaml::kind_name(n)));
    return out;
  }
  for (const auto& item : n) {
    yaml::MapReader t(item, diag, "times");
    if (!t.is_map()) continue;
    std::string start = t.string("start_time").value_or("");
    std::string end = t.string("end_time").value_or("");
    t.finish();
    auto range = parse_time_range(start, end);
    if (!range) {
      diag.error(item, fmt::format("times: {}", range.error().message()));
      continue;
    }
    out.push_back(*range);
  }
  return out;
}

std::optional<TimeInterval> read_time_interval(const YAML::Node& node, yaml::Diagnostics& diag) {
  yaml::MapReader r(node, diag, "time_interval");
  if (!r.is_map()) return std::nullopt;
  TimeInterval ti;
  ti.times = read_times(r);
  ti.weekdays = read_ranges(r, "weekdays", parse_weekday_range);
  ti.days_of_month = read_ranges(r, "days_of_month", parse_day_of_month_range);
  ti.months = read_ranges(r, "months", parse_month_range);
  ti.years = read_ranges(r, "years", parse_year_range);
  if (YAML::Node loc = r.take("location"); loc.IsDefined()) {
    if (auto name = yaml::as_string(loc, diag, "location")) {
      auto zone = gocompat::TimeZone::locate(*name);
      if (zone) {
        ti.location = std::move(*zone);
      } else {
        diag.error(loc, fmt::format("location: {}", zone.error().message()));
      }
    }
  }
  r.finish();
  return ti;
}

}  // namespace

std::optional<NamedTimeInterval> read_named_time_interval(const YAML::Node& node,
                                                          bool deprecated_mute,
                                                          const ReadContext& ctx) {
  const char* what = deprecated_mute ? "mute time interval" : "time interval";
  yaml::MapReader r(node, ctx.diag, what);
  if (!r.is_map()) return std::nullopt;
  NamedTimeInterval out;
  out.deprecated_mute = deprecated_mute;
  out.position = ctx.diag.position(node);
  out.name = r.string("name").value_or("");
  YAML::Node list = r.take("time_intervals");
  r.finish();
  if (out.name.empty()) ctx.diag.error(node, fmt::format("missing name in {}", what));
  if (list.IsDefined() && !list.IsSequence()) {
    ctx.diag.error(
        list, fmt::format("time_intervals: expected a sequence, got {}", yaml::kind_name(list)));
  } else if (list.IsDefined()) {
    for (const auto& item : list) {
      if (auto ti = read_time_interval(item, ctx.diag))
        out.time_intervals.push_back(std::move(*ti));
    }
  }
  return out;
}

}  // namespace tocsin::config::am

namespace tocsin::config {

Result<std::vector<TimeInterval>> parse_time_intervals(const std::string& text,
                                                       const std::string& what) {
  auto node = yaml::parse(text, what);
  if (!node) return std::unexpected(node.error());
  yaml::Diagnostics diag(what);
  std::vector<TimeInterval> out;
  if (!node->IsSequence()) {
    diag.error(*node, fmt::format("expected a sequence of time intervals, got {}",
                                  yaml::kind_name(*node)));
  } else {
    for (const auto& item : *node) {
      if (auto ti = am::read_time_interval(item, diag)) out.push_back(std::move(*ti));
    }
  }
  if (!diag.ok()) return std::unexpected(diag.errors().front());
  return out;
}

}  // namespace tocsin::config
