#include "config/time_zone.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "config/posix_tz.h"
#include "core/files.h"

namespace tocsin::config {

struct TimeZone::Data {
  std::string name;
  std::vector<std::int64_t> transitions;  // Unix seconds, ascending
  std::vector<std::uint8_t> type_of;      // the local time type from each transition on
  std::vector<std::int32_t> offsets;      // seconds east of UTC, per local time type
  std::optional<PosixTz> footer;          // after the last transition
};

namespace {

using std::chrono::seconds;

class BigEndianReader {
 public:
  explicit BigEndianReader(std::string_view data) : data_(data) {}
  bool has(std::size_t n) const { return data_.size() - pos_ >= n; }
  std::int64_t read(int bytes) {
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(data_[pos_++]);
    if (bytes == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
    return static_cast<std::int64_t>(v);
  }
  void skip(std::size_t n) { pos_ += n; }
  std::string_view rest() const { return data_.substr(pos_); }

 private:
  std::string_view data_;
  std::size_t pos_ = 0;
};

struct Header {
  char version = 0;
  std::int64_t isutcnt = 0, isstdcnt = 0, leapcnt = 0, timecnt = 0, typecnt = 0, charcnt = 0;
};

bool read_header(BigEndianReader& in, Header& h) {
  if (!in.has(44) || !in.rest().starts_with("TZif")) return false;
  in.skip(4);
  h.version = in.rest()[0];
  in.skip(16);
  h.isutcnt = in.read(4);
  h.isstdcnt = in.read(4);
  h.leapcnt = in.read(4);
  h.timecnt = in.read(4);
  h.typecnt = in.read(4);
  h.charcnt = in.read(4);
  return h.typecnt > 0 && h.isutcnt >= 0 && h.isstdcnt >= 0 && h.leapcnt >= 0 && h.timecnt >= 0 &&
         h.charcnt >= 0;
}

std::size_t block_size(const Header& h, int time_bytes) {
  return static_cast<std::size_t>(h.timecnt * time_bytes + h.timecnt + h.typecnt * 6 + h.charcnt +
                                  h.leapcnt * (time_bytes + 4) + h.isstdcnt + h.isutcnt);
}

std::optional<std::string> read_zone_file(const std::string& path) {
  auto text = files::read(path);
  if (!text) return std::nullopt;
  return std::move(*text);
}

// Zone `zone` from the tz database, named `display`.
Result<TimeZone> load_from_database(std::string display, std::string_view zone) {
  if (zone.find("..") != std::string_view::npos || zone.front() == '/' || zone.front() == '\\') {
    return fail("time: invalid location name");
  }
  std::vector<std::string> dirs;
  if (const char* zoneinfo = std::getenv("ZONEINFO"); zoneinfo != nullptr && *zoneinfo != '\0') {
    dirs.emplace_back(zoneinfo);
  }
  for (const char* dir :
       {"/usr/share/zoneinfo", "/usr/share/lib/zoneinfo", "/usr/lib/locale/TZ", "/etc/zoneinfo"}) {
    dirs.emplace_back(dir);
  }
  for (const std::string& dir : dirs) {
    if (auto data = read_zone_file(fmt::format("{}/{}", dir, zone))) {
      return TimeZone::from_tzif(std::move(display), *data);
    }
  }
  return fail(fmt::format("unknown time zone {}", zone));
}

}  // namespace

TimeZone::TimeZone() {
  static const auto utc = [] {
    auto d = std::make_shared<Data>();
    d->name = "UTC";
    d->offsets = {0};
    return std::shared_ptr<const Data>(std::move(d));
  }();
  data_ = utc;
}

Result<TimeZone> TimeZone::from_tzif(std::string name, std::string_view data) {
  auto bad = [&] { return fail(fmt::format("malformed time zone information for {}", name)); };
  BigEndianReader in(data);
  Header h;
  if (!read_header(in, h)) return bad();
  int time_bytes = 4;
  if (h.version >= '2') {
    // Skip the version 1 block: the 64-bit one after it says the same and more.
    if (!in.has(block_size(h, 4))) return bad();
    in.skip(block_size(h, 4));
    if (!read_header(in, h)) return bad();
    time_bytes = 8;
  }
  if (!in.has(block_size(h, time_bytes))) return bad();

  auto d = std::make_shared<Data>();
  d->name = std::move(name);
  for (std::int64_t i = 0; i < h.timecnt; ++i) d->transitions.push_back(in.read(time_bytes));
  for (std::int64_t i = 0; i < h.timecnt; ++i) {
    auto type = static_cast<std::uint8_t>(in.read(1));
    if (type >= h.typecnt) return bad();
    d->type_of.push_back(type);
  }
  for (std::int64_t i = 0; i < h.typecnt; ++i) {
    d->offsets.push_back(static_cast<std::int32_t>(in.read(4)));
    in.skip(2);  // isdst, abbreviation index
  }
  in.skip(
      static_cast<std::size_t>(h.charcnt + h.leapcnt * (time_bytes + 4) + h.isstdcnt + h.isutcnt));
  if (!std::is_sorted(d->transitions.begin(), d->transitions.end())) return bad();

  if (time_bytes == 8) {
    std::string_view footer = in.rest();
    if (footer.size() >= 2 && footer.front() == '\n') {
      footer.remove_prefix(1);
      footer = footer.substr(0, footer.find('\n'));
      if (!footer.empty()) {
        auto rule = PosixTz::parse(footer);
        if (!rule) return bad();
        d->footer = *rule;
      }
    }
  }
  return TimeZone(std::move(d));
}

Result<TimeZone> TimeZone::locate(std::string_view name) {
  if (name.empty() || name == "UTC") return TimeZone();
  if (name != "Local") return load_from_database(std::string(name), name);
  // The machine's zone, read as Go reads it: TZ when set ("" is UTC), else
  // /etc/localtime, else UTC.
  const char* tz = std::getenv("TZ");
  if (tz == nullptr) {
    auto data = read_zone_file("/etc/localtime");
    return data ? from_tzif("Local", *data) : TimeZone();
  }
  std::string_view spec(tz);
  if (spec.starts_with(':')) spec.remove_prefix(1);
  if (spec.empty() || spec == "UTC") return TimeZone();
  if (spec.starts_with('/')) {
    auto data = read_zone_file(std::string(spec));
    return data ? from_tzif("Local", *data) : TimeZone();
  }
  auto zone = load_from_database("Local", spec);
  return zone ? zone : TimeZone();
}

const std::string& TimeZone::name() const {
  return data_->name;
}

seconds TimeZone::offset_at(std::chrono::sys_seconds t) const {
  const Data& d = *data_;
  std::int64_t unix = t.time_since_epoch().count();
  auto after = std::upper_bound(d.transitions.begin(), d.transitions.end(), unix);
  if (after == d.transitions.end() && d.footer) return d.footer->offset_at(t);
  if (after == d.transitions.begin()) return seconds(d.offsets.front());
  return seconds(d.offsets[d.type_of[static_cast<std::size_t>(after - d.transitions.begin() - 1)]]);
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

}  // namespace tocsin::config
