#include "template/go_zone.h"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

namespace tocsin::tmpl {
namespace {

constexpr std::int64_t kAlpha = INT64_MIN;  // Go's alpha: the beginning of time
constexpr int kSecondsPerDay = 86400;

struct Zone {
  std::string name;
  int offset = 0;
  bool is_dst = false;
};

struct Transition {
  std::int64_t when = 0;
  std::uint8_t index = 0;
};

struct Location {
  std::string name;
  std::vector<Zone> zones;  // empty: UTC
  std::vector<Transition> tx;
  std::string extend;  // the POSIX TZ rule for times past the last transition
};

// --- civil dates (proleptic Gregorian, UTC) ---

std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2;
  std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  auto yoe = static_cast<unsigned>(y - era * 400);
  unsigned doy =
      (153 * static_cast<unsigned>(m + (m > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(d) - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::int64_t year_of_days(std::int64_t z) {
  z += 719468;
  std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  auto doe = static_cast<unsigned>(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  return mp < 10 ? y : y + 1;
}

bool is_leap(std::int64_t y) {
  return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

int days_in(int month, std::int64_t year) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

// --- Go's tzset: POSIX TZ rules such as "CET-1CEST,M3.5.0,M10.5.0/3" ---

struct Rule {
  enum Kind { kJulian, kDayOfYear, kMonthWeekDay } kind = kJulian;
  int day = 0;
  int week = 0;
  int month = 0;
  int time = 2 * 3600;
};

std::optional<std::string_view> tzset_name(std::string_view& s) {
  if (s.empty()) return std::nullopt;
  if (s[0] != '<') {
    for (std::size_t i = 0; i < s.size(); ++i) {
      char c = s[i];
      if ((c >= '0' && c <= '9') || c == ',' || c == '-' || c == '+') {
        if (i < 3) return std::nullopt;
        std::string_view name = s.substr(0, i);
        s.remove_prefix(i);
        return name;
      }
    }
    if (s.size() < 3) return std::nullopt;
    std::string_view name = s;
    s = {};
    return name;
  }
  std::size_t close = s.find('>');
  if (close == std::string_view::npos) return std::nullopt;
  std::string_view name = s.substr(1, close - 1);
  s.remove_prefix(close + 1);
  return name;
}

std::optional<int> tzset_num(std::string_view& s, int min, int max) {
  if (s.empty()) return std::nullopt;
  int num = 0;
  std::size_t i = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c < '0' || c > '9') {
      if (i == 0 || num < min) return std::nullopt;
      s.remove_prefix(i);
      return num;
    }
    num = num * 10 + (c - '0');
    if (num > max) return std::nullopt;
  }
  if (num < min) return std::nullopt;
  s = {};
  return num;
}

std::optional<int> tzset_offset(std::string_view& s) {
  if (s.empty()) return std::nullopt;
  bool neg = false;
  if (s[0] == '+') {
    s.remove_prefix(1);
  } else if (s[0] == '-') {
    s.remove_prefix(1);
    neg = true;
  }
  auto hours = tzset_num(s, 0, 24 * 7);
  if (!hours) return std::nullopt;
  int off = *hours * 3600;
  for (int unit : {60, 1}) {
    if (s.empty() || s[0] != ':') break;
    s.remove_prefix(1);
    auto n = tzset_num(s, 0, 59);
    if (!n) return std::nullopt;
    off += *n * unit;
  }
  return neg ? -off : off;
}

std::optional<Rule> tzset_rule(std::string_view& s) {
  Rule r;
  if (s.empty()) return std::nullopt;
  if (s[0] == 'J') {
    s.remove_prefix(1);
    auto day = tzset_num(s, 1, 365);
    if (!day) return std::nullopt;
    r.kind = Rule::kJulian;
    r.day = *day;
  } else if (s[0] == 'M') {
    s.remove_prefix(1);
    auto month = tzset_num(s, 1, 12);
    if (!month || s.empty() || s[0] != '.') return std::nullopt;
    s.remove_prefix(1);
    auto week = tzset_num(s, 1, 5);
    if (!week || s.empty() || s[0] != '.') return std::nullopt;
    s.remove_prefix(1);
    auto day = tzset_num(s, 0, 6);
    if (!day) return std::nullopt;
    r.kind = Rule::kMonthWeekDay;
    r.day = *day;
    r.week = *week;
    r.month = *month;
  } else {
    auto day = tzset_num(s, 0, 365);
    if (!day) return std::nullopt;
    r.kind = Rule::kDayOfYear;
    r.day = *day;
  }
  if (s.empty() || s[0] != '/') return r;
  s.remove_prefix(1);
  auto offset = tzset_offset(s);
  if (!offset) return std::nullopt;
  r.time = *offset;
  return r;
}

// Seconds after the start of `year` (UTC) at which rule `r` takes effect.
std::int64_t tzrule_time(std::int64_t year, const Rule& r, int off) {
  static constexpr int kDaysBefore[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  std::int64_t s = 0;
  switch (r.kind) {
    case Rule::kJulian:
      s = static_cast<std::int64_t>(r.day - 1) * kSecondsPerDay;
      if (is_leap(year) && r.day >= 60) s += kSecondsPerDay;
      break;
    case Rule::kDayOfYear:
      s = static_cast<std::int64_t>(r.day) * kSecondsPerDay;
      break;
    case Rule::kMonthWeekDay: {
      // Zeller's congruence, as Go computes it.
      int m1 = (r.month + 9) % 12 + 1;
      std::int64_t yy0 = year;
      if (r.month <= 2) --yy0;
      std::int64_t yy1 = yy0 / 100;
      std::int64_t yy2 = yy0 % 100;
      auto dow = static_cast<int>(((26 * m1 - 2) / 10 + 1 + yy2 + yy2 / 4 + yy1 / 4 - 2 * yy1) % 7);
      if (dow < 0) dow += 7;
      int d = r.day - dow;
      if (d < 0) d += 7;
      for (int i = 1; i < r.week; ++i) {
        if (d + 7 >= days_in(r.month, year)) break;
        d += 7;
      }
      d += kDaysBefore[r.month - 1];
      if (is_leap(year) && r.month > 2) ++d;
      s = static_cast<std::int64_t>(d) * kSecondsPerDay;
      break;
    }
  }
  return s + r.time - off;
}

struct RuleZone {
  std::string_view name;
  int offset = 0;
};

std::optional<RuleZone> tzset(std::string_view s, std::int64_t sec) {
  auto std_name = tzset_name(s);
  if (!std_name) return std::nullopt;
  auto std_off = tzset_offset(s);
  if (!std_off) return std::nullopt;
  // TZ offsets are added to local time to get UTC; ours go the other way.
  int std_offset = -*std_off;
  if (s.empty() || s[0] == ',') return RuleZone{*std_name, std_offset};

  auto dst_name = tzset_name(s);
  if (!dst_name) return std::nullopt;
  int dst_offset = std_offset + 3600;
  if (!s.empty() && s[0] != ',') {
    auto off = tzset_offset(s);
    if (!off) return std::nullopt;
    dst_offset = -*off;
  }
  std::string_view rules = s.empty() ? std::string_view(",M3.2.0,M11.1.0") : s;
  if (rules[0] != ',' && rules[0] != ';') return std::nullopt;
  rules.remove_prefix(1);
  auto start_rule = tzset_rule(rules);
  if (!start_rule || rules.empty() || rules[0] != ',') return std::nullopt;
  rules.remove_prefix(1);
  auto end_rule = tzset_rule(rules);
  if (!end_rule || !rules.empty()) return std::nullopt;

  std::int64_t days = floor_div(sec, kSecondsPerDay);
  std::int64_t year = year_of_days(days);
  std::int64_t year_start = days_from_civil(year, 1, 1) * kSecondsPerDay;
  std::int64_t ysec = sec - year_start;
  std::int64_t start = tzrule_time(year, *start_rule, std_offset);
  std::int64_t end = tzrule_time(year, *end_rule, dst_offset);
  RuleZone standard{*std_name, std_offset};
  RuleZone daylight{*dst_name, dst_offset};
  if (end < start) {
    // Southern hemisphere: the rule's "DST" covers the year's ends.
    std::swap(start, end);
    std::swap(standard, daylight);
  }
  if (ysec < start || ysec >= end) return standard;
  return daylight;
}

// --- TZif ---

class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  std::optional<std::string_view> read(std::size_t n) {
    if (n > data_.size()) {
      failed_ = true;
      return std::nullopt;
    }
    std::string_view out = data_.substr(0, n);
    data_.remove_prefix(n);
    return out;
  }
  std::optional<std::uint64_t> big(std::size_t n) {
    auto bytes = read(n);
    if (!bytes) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : *bytes) v = v << 8 | static_cast<unsigned char>(c);
    return v;
  }
  std::string_view rest() const { return data_; }
  bool failed() const { return failed_; }

 private:
  std::string_view data_;
  bool failed_ = false;
};

// Go's LoadLocationFromTZData; nullopt for data that is not TZif.
std::optional<Location> parse_tzif(std::string name, std::string_view data) {
  Reader d(data);
  auto magic = d.read(4);
  if (!magic || *magic != "TZif") return std::nullopt;
  auto header = d.read(16);
  if (!header) return std::nullopt;
  int version = (*header)[0] == 0 ? 1 : (*header)[0] == '2' ? 2 : (*header)[0] == '3' ? 3 : 0;
  if (version == 0) return std::nullopt;
  enum { kUtcLocal, kStdWall, kLeap, kTime, kZone, kChar };
  std::size_t n[6];
  auto read_counts = [&] {
    for (std::size_t& count : n) {
      auto v = d.big(4);
      if (!v) return false;
      count = static_cast<std::size_t>(*v);
    }
    return true;
  };
  if (!read_counts()) return std::nullopt;
  std::size_t size = 4;
  if (version > 1) {
    // Skip the 32-bit data and the second header; read the 64-bit data.
    d.read(n[kTime] * 4 + n[kTime] + n[kZone] * 6 + n[kChar] + n[kLeap] * 8 + n[kStdWall] +
           n[kUtcLocal] + 4 + 16);
    if (!read_counts()) return std::nullopt;
    size = 8;
  }
  auto times = d.read(n[kTime] * size);
  auto indices = d.read(n[kTime]);
  auto zone_data = d.read(n[kZone] * 6);
  auto abbrev = d.read(n[kChar]);
  d.read(n[kLeap] * (size + 4));
  d.read(n[kStdWall]);
  d.read(n[kUtcLocal]);
  if (d.failed() || n[kZone] == 0) return std::nullopt;

  Location loc;
  loc.name = std::move(name);
  std::string_view rest = d.rest();
  if (rest.size() > 2 && rest.front() == '\n' && rest.back() == '\n') {
    loc.extend = std::string(rest.substr(1, rest.size() - 2));
  }
  Reader zones(*zone_data);
  for (std::size_t i = 0; i < n[kZone]; ++i) {
    Zone z;
    z.offset = static_cast<std::int32_t>(static_cast<std::uint32_t>(*zones.big(4)));
    z.is_dst = *zones.big(1) != 0;
    auto at = static_cast<std::size_t>(*zones.big(1));
    if (at >= abbrev->size()) return std::nullopt;
    std::string_view name_at = abbrev->substr(at);
    z.name = std::string(name_at.substr(0, name_at.find('\0')));
    loc.zones.push_back(std::move(z));
  }
  Reader when(*times);
  for (std::size_t i = 0; i < n[kTime]; ++i) {
    Transition t;
    std::uint64_t raw = *when.big(size);
    t.when = size == 4 ? static_cast<std::int32_t>(static_cast<std::uint32_t>(raw))
                       : static_cast<std::int64_t>(raw);
    t.index = static_cast<std::uint8_t>((*indices)[i]);
    if (t.index >= loc.zones.size()) return std::nullopt;
    loc.tx.push_back(t);
  }
  if (loc.tx.empty()) loc.tx.push_back(Transition{kAlpha, 0});
  return loc;
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Go's loadLocation over $ZONEINFO (a directory) and the Unix sources.
std::optional<Location> load_from_sources(std::string_view name, std::string_view as) {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("ZONEINFO"); env != nullptr && *env != '\0') {
    dirs.push_back(std::string(env) + "/");
  }
  for (const char* dir :
       {"/usr/share/zoneinfo/", "/usr/share/lib/zoneinfo/", "/usr/lib/locale/TZ/"}) {
    dirs.emplace_back(dir);
  }
  for (const std::string& dir : dirs) {
    auto data = read_file(dir + std::string(name));
    if (!data) continue;
    if (auto loc = parse_tzif(std::string(as), *data)) return loc;
  }
  return std::nullopt;
}

// Go's initLocal.
Location make_local() {
  const char* tz = std::getenv("TZ");
  if (tz == nullptr) {
    if (auto data = read_file("/etc/localtime")) {
      if (auto loc = parse_tzif("Local", *data)) return std::move(*loc);
    }
  } else if (*tz != '\0') {
    std::string_view name = tz;
    if (name.starts_with(':')) name.remove_prefix(1);
    if (name.starts_with('/')) {
      if (auto data = read_file(std::string(name))) {
        std::string as = name == "/etc/localtime" ? "Local" : std::string(name);
        if (auto loc = parse_tzif(std::move(as), *data)) return std::move(*loc);
      }
    } else if (!name.empty() && name != "UTC") {
      if (auto loc = load_from_sources(name, name)) return std::move(*loc);
    }
  }
  Location utc;
  utc.name = "UTC";
  return utc;
}

class Registry {
 public:
  Registry() {
    Location utc;
    utc.name = "UTC";
    locations_.push_back(std::make_unique<Location>(std::move(utc)));
    locations_.push_back(std::make_unique<Location>(make_local()));
  }

  static Registry& instance() {
    static Registry registry;
    return registry;
  }

  const Location& get(ZoneId id) const {
    std::shared_lock lock(mu_);
    return id < locations_.size() ? *locations_[id] : *locations_[kUtcZone];
  }

  Result<ZoneId> load(std::string_view name) {
    {
      std::shared_lock lock(mu_);
      if (auto it = by_name_.find(name); it != by_name_.end()) return it->second;
    }
    auto loc = load_from_sources(name, name);
    if (!loc) return fail("unknown time zone " + std::string(name));
    std::unique_lock lock(mu_);
    if (auto it = by_name_.find(name); it != by_name_.end()) return it->second;
    auto id = static_cast<ZoneId>(locations_.size());
    locations_.push_back(std::make_unique<Location>(std::move(*loc)));
    by_name_.emplace(std::string(name), id);
    return id;
  }

 private:
  mutable std::shared_mutex mu_;
  std::vector<std::unique_ptr<Location>> locations_;
  std::map<std::string, ZoneId, std::less<>> by_name_;
};

constexpr ZoneId kLocalZone = 1;

// Go's lookupFirstZone: the zone for times before the first transition.
std::size_t first_zone(const Location& l) {
  bool used = false;
  for (const Transition& t : l.tx) used = used || t.index == 0;
  if (!used) return 0;
  if (!l.tx.empty() && l.zones[l.tx[0].index].is_dst) {
    for (int zi = l.tx[0].index - 1; zi >= 0; --zi) {
      if (!l.zones[static_cast<std::size_t>(zi)].is_dst) return static_cast<std::size_t>(zi);
    }
  }
  for (std::size_t zi = 0; zi < l.zones.size(); ++zi) {
    if (!l.zones[zi].is_dst) return zi;
  }
  return 0;
}

}  // namespace

Result<ZoneId> load_location(std::string_view name) {
  if (name.empty() || name == "UTC") return kUtcZone;
  if (name == "Local") return kLocalZone;
  if (name.find("..") != std::string_view::npos || name[0] == '/' || name[0] == '\\') {
    return fail("time: invalid location name");
  }
  return Registry::instance().load(name);
}

ZoneId local_location() {
  return kLocalZone;
}

std::string_view location_name(ZoneId zone) {
  return Registry::instance().get(zone).name;
}

ZoneOffset zone_at(ZoneId zone, std::int64_t sec) {
  if (zone == kUtcZone) return ZoneOffset{"UTC", 0};
  const Location& l = Registry::instance().get(zone);
  if (l.zones.empty()) return ZoneOffset{"UTC", 0};
  if (l.tx.empty() || sec < l.tx[0].when) {
    const Zone& z = l.zones[first_zone(l)];
    return ZoneOffset{z.name, z.offset};
  }
  std::size_t lo = 0, hi = l.tx.size();
  while (hi - lo > 1) {
    std::size_t m = lo + (hi - lo) / 2;
    if (sec < l.tx[m].when) {
      hi = m;
    } else {
      lo = m;
    }
  }
  const Zone& z = l.zones[l.tx[lo].index];
  if (lo == l.tx.size() - 1 && !l.extend.empty()) {
    // The rule's abbreviations point into l.extend, which lives as long as l.
    if (auto r = tzset(l.extend, sec)) return ZoneOffset{r->name, r->offset};
  }
  return ZoneOffset{z.name, z.offset};
}

}  // namespace tocsin::tmpl
