#include "template/alertmanager_functions.h"

#include <fmt/format.h>

#include "gocompat/cases.h"
#include "gocompat/strings.h"
#include "gocompat/time_format.h"
#include "template/call_context.h"
#include "template/humanize.h"
#include "template/locations.h"
#include "template/notification_data.h"
#include "template/prometheus_functions.h"
#include "template/time_methods.h"

namespace tocsin::tmpl {
namespace {

using Args = std::span<const Value>;

const Param kTimeParam = Param::of(Kind::kTime, "time.Time");
const Param kStringSliceParam = Param::of(Kind::kList, kStringSliceType);

// prometheus/common's ConvertToFloat: Prometheus's kinds and time.Duration
// (as seconds).
Result<double> to_float(const Value& v) {
  if (v.named() == &kDurationType) {
    std::int64_t d = v.as_int();
    return static_cast<double>(d / 1'000'000'000) + static_cast<double>(d % 1'000'000'000) / 1e9;
  }
  return convert_to_float(v);
}

FuncMap make_functions() {
  const Param s = Param::string();
  const FuncMap& prometheus = *prometheus_functions();
  FuncMap m;
  // The same Go functions as Prometheus's.
  for (const char* shared : {"toUpper", "toLower", "match", "safeHtml", "reReplaceAll"}) {
    m.emplace(shared, prometheus.at(shared));
  }
  m.emplace("title", make_function({s}, false, [](CallContext& ctx, Args a) -> Result<Value> {
              return ctx.arena().string(gocompat::title_case(a[0].as_string()));
            }));
  m.emplace("join", make_function({s, kStringSliceParam}, false,
                                  [](CallContext& ctx, Args a) -> Result<Value> {
                                    std::string out;
                                    if (a[1].valid()) {
                                      const List& items = a[1].as_list();
                                      for (std::size_t i = 0; i < items.size(); ++i) {
                                        if (i > 0) out += a[0].as_string();
                                        out += items.at(i).as_string();
                                      }
                                    }
                                    return ctx.arena().string(out);
                                  }));
  m.emplace("stringSlice", make_function({s}, true, [](CallContext& ctx, Args a) -> Result<Value> {
              std::vector<std::string_view> items;
              items.reserve(a.size());
              for (const Value& v : a) items.push_back(v.as_string());
              return string_slice(ctx.arena(), items);
            }));
  m.emplace("trimSpace", make_function({s}, false, [](CallContext&, Args a) -> Result<Value> {
              return Value::string(gocompat::trim_space(a[0].as_string()));
            }));
  m.emplace("date",
            make_function({s, kTimeParam}, false, [](CallContext& ctx, Args a) -> Result<Value> {
              const Value& t = a[1];
              return ctx.arena().string(format_time(t, a[0].as_string()));
            }));
  m.emplace("tz", make_function({s, kTimeParam}, false, [](CallContext&, Args a) -> Result<Value> {
              auto zone = load_location(a[0].as_string());
              if (!zone) return std::unexpected(zone.error());
              return Value::time(a[1].time_seconds(), a[1].time_nanos(), *zone);
            }));
  m.emplace(
      "since", make_function({kTimeParam}, false, [](CallContext& ctx, Args a) -> Result<Value> {
        const auto* clock = ctx.host().get<NotificationClock>();
        if (clock == nullptr) return fail("since: no notification time to measure from");
        auto ms = clock->now.time_since_epoch().count();
        return duration_value(gocompat::sub_nanos(ms / 1000,
                                                  static_cast<std::int32_t>(ms % 1000) * 1'000'000,
                                                  a[0].time_seconds(), a[0].time_nanos()));
      }));
  m.emplace("humanizeDuration",
            make_function({Param::any()}, false, [](CallContext& ctx, Args a) -> Result<Value> {
              auto v = to_float(a[0]);
              if (!v) return std::unexpected(v.error());
              return ctx.arena().string(humanize_duration(*v));
            }));
  return m;
}

}  // namespace

std::shared_ptr<const FuncMap> alertmanager_functions() {
  static const auto funcs = std::make_shared<const FuncMap>(make_functions());
  return funcs;
}

}  // namespace tocsin::tmpl
