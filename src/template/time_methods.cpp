#include "template/time_methods.h"

#include <map>

#include "gocompat/time_format.h"
#include "template/arena.h"
#include "template/call_context.h"
#include "template/locations.h"

namespace tocsin::tmpl {
namespace {

const NamedType kMonthType{"time.Month", [](const Value& v, std::string& out) {
                             out += gocompat::month_string(v.as_int());
                           }};
const NamedType kWeekdayType{"time.Weekday", [](const Value& v, std::string& out) {
                               out += gocompat::weekday_string(v.as_int());
                             }};

Callable method(std::vector<Param> params, CallBody body) {
  Callable c;
  c.params = std::move(params);
  c.body = std::move(body);
  return c;
}

// The calendar fields of `t` in its location.
gocompat::TimeFields local_civil(const Value& t) {
  return gocompat::time_fields(t.time_seconds() + zone_at(t.time_zone(), t.time_seconds()).offset);
}

// time.Location's pointer type: prints as the location's name.
const NamedType kLocationType{"*time.Location",
                              [](const Value& v, std::string& out) { out += v.as_string(); }};

// A*1e9+B arithmetic on (seconds, nanos) pairs.
Value add_nanos(const Value& t, std::int64_t d) {
  std::int64_t sec = t.time_seconds() + d / 1'000'000'000;
  std::int64_t ns = t.time_nanos() + d % 1'000'000'000;
  if (ns < 0) {
    ns += 1'000'000'000;
    --sec;
  } else if (ns >= 1'000'000'000) {
    ns -= 1'000'000'000;
    ++sec;
  }
  return Value::time(sec, static_cast<std::int32_t>(ns), t.time_zone());
}

const Callable* time_method(std::string_view name) {
  static const Param kTimeParam = Param::of(Kind::kTime, "time.Time");
  static const Param kDurationParam = Param::of(Kind::kInt, "time.Duration");
  auto field = [](int gocompat::TimeFields::*member) {
    return method(
        {}, [member](CallContext&, const Value& self, std::span<const Value>) -> Result<Value> {
          return Value::integer(local_civil(self).*member);
        });
  };
  static const std::map<std::string_view, Callable> kMethods = [&] {
    std::map<std::string_view, Callable> m;
    m.emplace("String", method({},
                               [](CallContext& ctx, const Value& self,
                                  std::span<const Value>) -> Result<Value> {
                                 return ctx.arena().string(time_string(self));
                               }));
    m.emplace("Format", method({Param::string()},
                               [](CallContext& ctx, const Value& self,
                                  std::span<const Value> a) -> Result<Value> {
                                 return ctx.arena().string(format_time(self, a[0].as_string()));
                               }));
    m.emplace(
        "Unix",
        method({}, [](CallContext&, const Value& self, std::span<const Value>) -> Result<Value> {
          return Value::integer(self.time_seconds());
        }));
    m.emplace(
        "UnixMilli",
        method({}, [](CallContext&, const Value& self, std::span<const Value>) -> Result<Value> {
          return Value::integer(self.time_seconds() * 1000 + self.time_nanos() / 1'000'000);
        }));
    m.emplace(
        "UnixNano",
        method({}, [](CallContext&, const Value& self, std::span<const Value>) -> Result<Value> {
          return Value::integer(self.time_seconds() * 1'000'000'000 + self.time_nanos());
        }));
    auto in = [](ZoneId (*zone)()) {
      return [zone](CallContext&, const Value& self, std::span<const Value>) -> Result<Value> {
        return Value::time(self.time_seconds(), self.time_nanos(), zone());
      };
    };
    m.emplace("UTC", method({}, in([] { return kUtcZone; })));
    m.emplace("Local", method({}, in(local_location)));
    m.emplace(
        "Location",
        method({}, [](CallContext&, const Value& self, std::span<const Value>) -> Result<Value> {
          return Value::string(location_name(self.time_zone()), &kLocationType);
        }));
    m.emplace(
        "Year",
        method({}, [](CallContext&, const Value& self, std::span<const Value>) -> Result<Value> {
          return Value::integer(local_civil(self).year);
        }));
    m.emplace(
        "Month",
        method({}, [](CallContext&, const Value& self, std::span<const Value>) -> Result<Value> {
          return Value::integer(local_civil(self).month, &kMonthType);
        }));
    m.emplace(
        "Weekday",
        method({}, [](CallContext&, const Value& self, std::span<const Value>) -> Result<Value> {
          return Value::integer(local_civil(self).weekday, &kWeekdayType);
        }));
    m.emplace("Day", field(&gocompat::TimeFields::day));
    m.emplace("Hour", field(&gocompat::TimeFields::hour));
    m.emplace("Minute", field(&gocompat::TimeFields::minute));
    m.emplace("Second", field(&gocompat::TimeFields::second));
    m.emplace("YearDay", field(&gocompat::TimeFields::year_day));
    m.emplace(
        "Nanosecond",
        method({}, [](CallContext&, const Value& self, std::span<const Value>) -> Result<Value> {
          return Value::integer(self.time_nanos());
        }));
    m.emplace(
        "IsZero",
        method({}, [](CallContext&, const Value& self, std::span<const Value>) -> Result<Value> {
          // Go's zero Time is January 1, year 1, 00:00:00 UTC.
          return Value::boolean(self.time_seconds() == -62135596800 && self.time_nanos() == 0);
        }));
    auto compare = [](int want) {
      return [want](CallContext&, const Value& self, std::span<const Value> a) -> Result<Value> {
        auto key = [](const Value& v) { return std::pair(v.time_seconds(), v.time_nanos()); };
        auto l = key(self), r = key(a[0]);
        int c = l < r ? -1 : l > r ? 1 : 0;
        return Value::boolean(c == want);
      };
    };
    m.emplace("Before", method({kTimeParam}, compare(-1)));
    m.emplace("After", method({kTimeParam}, compare(1)));
    m.emplace("Equal", method({kTimeParam}, compare(0)));
    m.emplace(
        "Sub",
        method({kTimeParam},
               [](CallContext&, const Value& self, std::span<const Value> a) -> Result<Value> {
                 return duration_value(gocompat::sub_nanos(self.time_seconds(), self.time_nanos(),
                                                           a[0].time_seconds(), a[0].time_nanos()));
               }));
    m.emplace("Add", method({kDurationParam},
                            [](CallContext&, const Value& self, std::span<const Value> a)
                                -> Result<Value> { return add_nanos(self, a[0].as_int()); }));
    return m;
  }();
  auto it = kMethods.find(name);
  return it == kMethods.end() ? nullptr : &it->second;
}

const Callable* duration_method(std::string_view name) {
  static const std::map<std::string_view, Callable> kMethods = [] {
    std::map<std::string_view, Callable> m;
    m.emplace(
        "String",
        method({},
               [](CallContext& ctx, const Value& self, std::span<const Value>) -> Result<Value> {
                 return ctx.arena().string(gocompat::duration_string(self.as_int()));
               }));
    auto in = [](double unit) {
      return [unit](CallContext&, const Value& self, std::span<const Value>) -> Result<Value> {
        std::int64_t d = self.as_int();
        auto whole = static_cast<double>(d / static_cast<std::int64_t>(unit));
        auto frac = static_cast<double>(d % static_cast<std::int64_t>(unit));
        return Value::floating(whole + frac / unit);
      };
    };
    m.emplace("Seconds", method({}, in(1e9)));
    m.emplace("Minutes", method({}, in(60e9)));
    m.emplace("Hours", method({}, in(3600e9)));
    m.emplace(
        "Milliseconds",
        method({}, [](CallContext&, const Value& self, std::span<const Value>) -> Result<Value> {
          return Value::integer(self.as_int() / 1'000'000);
        }));
    return m;
  }();
  auto it = kMethods.find(name);
  return it == kMethods.end() ? nullptr : &it->second;
}

void time_stringer(const Value& v, std::string& out) {
  out += time_string(v);
}

}  // namespace

const NamedType kTimeType{"time.Time", time_stringer, time_method};
const NamedType kTimePointerType{"*time.Time", time_stringer, time_method};
const NamedType kDurationType{
    "time.Duration",
    [](const Value& v, std::string& out) { out += gocompat::duration_string(v.as_int()); },
    duration_method};

Value Value::time(std::int64_t unix_seconds, std::int32_t nanos, std::uint32_t zone) {
  Value v;
  v.kind_ = Kind::kTime;
  v.t_ = TimeRef{unix_seconds, nanos, zone};
  v.named_ = &kTimeType;
  return v;
}

std::string format_time(const Value& time, std::string_view layout) {
  return gocompat::format_time(time.time_seconds(), time.time_nanos(), layout,
                               zone_at(time.time_zone(), time.time_seconds()));
}

std::string time_string(const Value& time) {
  return gocompat::time_string(time.time_seconds(), time.time_nanos(),
                               zone_at(time.time_zone(), time.time_seconds()));
}

}  // namespace tocsin::tmpl
