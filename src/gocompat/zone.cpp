#include "gocompat/zone.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include <fmt/format.h>

#include "gocompat/calendar.h"

namespace tocsin::gocompat {
namespace {

constexpr std::int64_t kAlpha = INT64_MIN;  // Go's alpha: the beginning of time
constexpr int kSecondsPerDay = 86400;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

// --- Go's tzset syntax ---

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

constexpr std::string_view kBadData = "malformed time zone information";

// What reading a zone file gave: its bytes, or why not (empty when it
// does not exist, which Go passes over in silence).
struct ZoneFile {
  std::optional<std::string> data;
  std::string error;
};

ZoneFile read_zone_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return {std::nullopt, "is a directory"};
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  return {std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()), ""};
}

}  // namespace

// --- PosixTz ---

Result<PosixTz> PosixTz::parse(std::string_view text) {
  auto bad = [&] { return fail(fmt::format("invalid POSIX TZ rule \"{}\"", text)); };
  // Go's tzsetRule: Jn, n or Mm.w.d, then an optional /time.
  auto rule = [](std::string_view& s) -> std::optional<Date> {
    Date r;
    if (s.empty()) return std::nullopt;
    if (s[0] == 'J') {
      s.remove_prefix(1);
      auto day = tzset_num(s, 1, 365);
      if (!day) return std::nullopt;
      r.kind = Date::kJulian;
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
      r.kind = Date::kMonthWeekDay;
      r.day = *day;
      r.week = *week;
      r.month = *month;
    } else {
      auto day = tzset_num(s, 0, 365);
      if (!day) return std::nullopt;
      r.kind = Date::kDayOfYear;
      r.day = *day;
    }
    if (s.empty() || s[0] != '/') return r;
    s.remove_prefix(1);
    auto offset = tzset_offset(s);
    if (!offset) return std::nullopt;
    r.time = *offset;
    return r;
  };

  std::string_view s = text;
  PosixTz tz;
  auto std_name = tzset_name(s);
  if (!std_name) return bad();
  auto std_off = tzset_offset(s);
  if (!std_off) return bad();
  // TZ offsets are added to local time to get UTC; ours go the other way.
  tz.standard_ = Zone{std::string(*std_name), -*std_off};
  if (s.empty() || s[0] == ',') return tz;

  auto dst_name = tzset_name(s);
  if (!dst_name) return bad();
  int dst_offset = tz.standard_.offset + 3600;
  if (!s.empty() && s[0] != ',') {
    auto off = tzset_offset(s);
    if (!off) return bad();
    dst_offset = -*off;
  }
  tz.daylight_ = Zone{std::string(*dst_name), dst_offset};
  // Without dates, tzcode's default: the US rule.
  std::string_view rules = s.empty() ? std::string_view(",M3.2.0,M11.1.0") : s;
  if (rules[0] != ',' && rules[0] != ';') return bad();
  rules.remove_prefix(1);
  auto start = rule(rules);
  if (!start || rules.empty() || rules[0] != ',') return bad();
  rules.remove_prefix(1);
  auto end = rule(rules);
  if (!end || !rules.empty()) return bad();
  tz.start_ = *start;
  tz.end_ = *end;
  return tz;
}

namespace {

// Seconds after the start of `year` (UTC) at which a rule date takes
// effect, its time read in a zone `off` seconds east of UTC (Go's tzruleTime).
template <typename Date>
std::int64_t rule_time(std::int64_t year, const Date& r, int off) {
  static constexpr int kDaysBefore[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  std::int64_t s = 0;
  switch (r.kind) {
    case Date::kJulian:
      s = static_cast<std::int64_t>(r.day - 1) * kSecondsPerDay;
      if (is_leap(year) && r.day >= 60) s += kSecondsPerDay;
      break;
    case Date::kDayOfYear:
      s = static_cast<std::int64_t>(r.day) * kSecondsPerDay;
      break;
    case Date::kMonthWeekDay: {
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

}  // namespace

ZoneOffset PosixTz::lookup(std::int64_t sec) const {
  if (!daylight_) return ZoneOffset{standard_.name, standard_.offset};
  std::int64_t days = floor_div(sec, kSecondsPerDay);
  std::int64_t year = 0;
  int month = 0, day = 0;
  civil_from_days(days, year, month, day);
  std::int64_t ysec = sec - days_from_civil(year, 1, 1) * kSecondsPerDay;
  std::int64_t start = rule_time(year, start_, standard_.offset);
  std::int64_t end = rule_time(year, end_, daylight_->offset);
  const Zone* standard = &standard_;
  const Zone* daylight = &*daylight_;
  if (end < start) {
    // Southern hemisphere: the rule's "DST" covers the year's ends.
    std::swap(start, end);
    std::swap(standard, daylight);
  }
  const Zone& z = ysec < start || ysec >= end ? *standard : *daylight;
  return ZoneOffset{z.name, z.offset};
}

std::chrono::seconds PosixTz::offset_at(std::chrono::sys_seconds t) const {
  return std::chrono::seconds(lookup(t.time_since_epoch().count()).offset);
}

// --- TimeZone ---

struct TimeZone::Data {
  struct Zone {
    std::string name;
    int offset = 0;
    bool is_dst = false;
  };
  struct Transition {
    std::int64_t when = 0;
    std::uint8_t index = 0;
  };

  std::string name;
  std::vector<Zone> zones;  // empty: UTC
  std::vector<Transition> tx;
  std::optional<PosixTz> extend;  // for the instants past the last transition

  // Go's lookupFirstZone: the zone for the instants before the first transition.
  std::size_t first_zone() const {
    bool used = false;
    for (const Transition& t : tx) used = used || t.index == 0;
    if (!used) return 0;
    if (!tx.empty() && zones[tx[0].index].is_dst) {
      for (int zi = tx[0].index - 1; zi >= 0; --zi) {
        if (!zones[static_cast<std::size_t>(zi)].is_dst) return static_cast<std::size_t>(zi);
      }
    }
    for (std::size_t zi = 0; zi < zones.size(); ++zi) {
      if (!zones[zi].is_dst) return zi;
    }
    return 0;
  }
};

namespace {

// Go's loadLocation over its zone sources: the first file that reads as
// TZif wins; else the first error, or "unknown time zone".
Result<TimeZone> load_from_sources(std::string_view name) {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("ZONEINFO"); env != nullptr && *env != '\0') {
    dirs.emplace_back(env);
  }
  for (const char* dir :
       {"/usr/share/zoneinfo", "/usr/share/lib/zoneinfo", "/usr/lib/locale/TZ", "/etc/zoneinfo"}) {
    dirs.emplace_back(dir);
  }
  std::string first_error;
  for (const std::string& dir : dirs) {
    ZoneFile file = read_zone_file(fmt::format("{}/{}", dir, name));
    if (file.data) {
      auto zone = TimeZone::from_tzif(std::string(name), *file.data);
      if (zone) return zone;
      file.error = zone.error().message();
    }
    if (first_error.empty()) first_error = std::move(file.error);
  }
  if (!first_error.empty()) return fail(std::move(first_error));
  return fail(fmt::format("unknown time zone {}", name));
}

}  // namespace

TimeZone::TimeZone() {
  static const auto utc = [] {
    auto d = std::make_shared<Data>();
    d->name = "UTC";
    return std::shared_ptr<const Data>(std::move(d));
  }();
  data_ = utc;
}

Result<TimeZone> TimeZone::from_tzif(std::string name, std::string_view data) {
  auto bad = [] { return fail(std::string(kBadData)); };
  Reader d(data);
  auto magic = d.read(4);
  if (!magic || *magic != "TZif") return bad();
  auto header = d.read(16);
  if (!header) return bad();
  char v = (*header)[0];
  int version = v == 0 ? 1 : v == '2' ? 2 : v == '3' ? 3 : v == '4' ? 4 : 0;
  if (version == 0) return bad();
  enum { kUtcLocal, kStdWall, kLeap, kTime, kZone, kChar };
  std::size_t n[6];
  auto read_counts = [&] {
    for (std::size_t& count : n) {
      auto c = d.big(4);
      if (!c) return false;
      count = static_cast<std::size_t>(*c);
    }
    return true;
  };
  if (!read_counts()) return bad();
  std::size_t size = 4;
  if (version > 1) {
    // Skip the 32-bit data and the second header; read the 64-bit data.
    d.read(n[kTime] * 4 + n[kTime] + n[kZone] * 6 + n[kChar] + n[kLeap] * 8 + n[kStdWall] +
           n[kUtcLocal] + 4 + 16);
    if (!read_counts()) return bad();
    size = 8;
  }
  auto times = d.read(n[kTime] * size);
  auto indices = d.read(n[kTime]);
  auto zone_data = d.read(n[kZone] * 6);
  auto abbrev = d.read(n[kChar]);
  d.read(n[kLeap] * (size + 4));
  d.read(n[kStdWall]);
  d.read(n[kUtcLocal]);
  if (d.failed() || n[kZone] == 0) return bad();

  auto loc = std::make_shared<Data>();
  loc->name = std::move(name);
  std::string_view rest = d.rest();
  if (rest.size() > 2 && rest.front() == '\n' && rest.back() == '\n') {
    // Go keeps a rule it cannot read and ignores it when it looks it up.
    if (auto rule = PosixTz::parse(rest.substr(1, rest.size() - 2))) loc->extend = *rule;
  }
  Reader zones(*zone_data);
  for (std::size_t i = 0; i < n[kZone]; ++i) {
    Data::Zone z;
    z.offset = static_cast<std::int32_t>(static_cast<std::uint32_t>(*zones.big(4)));
    z.is_dst = *zones.big(1) != 0;
    auto at = static_cast<std::size_t>(*zones.big(1));
    if (at >= abbrev->size()) return bad();
    std::string_view name_at = abbrev->substr(at);
    z.name = std::string(name_at.substr(0, name_at.find('\0')));
    loc->zones.push_back(std::move(z));
  }
  Reader when(*times);
  for (std::size_t i = 0; i < n[kTime]; ++i) {
    Data::Transition t;
    std::uint64_t raw = *when.big(size);
    t.when = size == 4 ? static_cast<std::int32_t>(static_cast<std::uint32_t>(raw))
                       : static_cast<std::int64_t>(raw);
    t.index = static_cast<std::uint8_t>((*indices)[i]);
    if (t.index >= loc->zones.size()) return bad();
    loc->tx.push_back(t);
  }
  if (loc->tx.empty()) loc->tx.push_back(Data::Transition{kAlpha, 0});
  return TimeZone(std::move(loc));
}

TimeZone TimeZone::local() {
  const char* tz = std::getenv("TZ");
  if (tz == nullptr) {
    ZoneFile file = read_zone_file("/etc/localtime");
    if (file.data) {
      if (auto zone = from_tzif("Local", *file.data)) return *zone;
    }
  } else if (*tz != '\0') {
    std::string_view spec = tz;
    if (spec.starts_with(':')) spec.remove_prefix(1);
    if (spec.starts_with('/')) {
      ZoneFile file = read_zone_file(std::string(spec));
      if (file.data) {
        std::string as = spec == "/etc/localtime" ? "Local" : std::string(spec);
        if (auto zone = from_tzif(std::move(as), *file.data)) return *zone;
      }
    } else if (!spec.empty() && spec != "UTC") {
      if (auto zone = load_from_sources(spec)) return *zone;
    }
  }
  return TimeZone();
}

Result<TimeZone> TimeZone::locate(std::string_view name) {
  if (name.empty() || name == "UTC") return TimeZone();
  if (name == "Local") {
    TimeZone zone = local();
    if (zone.data_->zones.empty() || zone.name() == "Local") return zone;
    auto d = std::make_shared<Data>(*zone.data_);
    d->name = "Local";
    return TimeZone(std::move(d));
  }
  if (name.find("..") != std::string_view::npos || name[0] == '/' || name[0] == '\\') {
    return fail("time: invalid location name");
  }
  return load_from_sources(name);
}

const std::string& TimeZone::name() const {
  return data_->name;
}

ZoneOffset TimeZone::lookup(std::int64_t sec) const {
  const Data& l = *data_;
  if (l.zones.empty()) return ZoneOffset{"UTC", 0};
  if (l.tx.empty() || sec < l.tx[0].when) {
    const Data::Zone& z = l.zones[l.first_zone()];
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
  if (lo == l.tx.size() - 1 && l.extend) return l.extend->lookup(sec);
  const Data::Zone& z = l.zones[l.tx[lo].index];
  return ZoneOffset{z.name, z.offset};
}

std::chrono::seconds TimeZone::offset_at(std::chrono::sys_seconds t) const {
  return std::chrono::seconds(lookup(t.time_since_epoch().count()).offset);
}

CivilTime TimeZone::civil(Timestamp t) const {
  using namespace std::chrono;
  auto s = floor<seconds>(t);
  CivilTime out;
  out.offset = offset_at(s);
  auto local = s + out.offset;
  auto day = floor<days>(local);
  out.date = year_month_day(day);
  out.weekday = weekday(day);
  out.minute_of_day = static_cast<int>(duration_cast<minutes>(local - day).count());
  return out;
}

}  // namespace tocsin::gocompat
