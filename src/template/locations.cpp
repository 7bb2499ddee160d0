#include "template/locations.h"

#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

namespace tocsin::tmpl {
namespace {

constexpr ZoneId kLocalZone = 1;

class Registry {
 public:
  Registry() {
    zones_.push_back(std::make_unique<gocompat::TimeZone>());
    zones_.push_back(std::make_unique<gocompat::TimeZone>(gocompat::TimeZone::local()));
  }

  static Registry& instance() {
    static Registry registry;
    return registry;
  }

  const gocompat::TimeZone& get(ZoneId id) const {
    std::shared_lock lock(mu_);
    return id < zones_.size() ? *zones_[id] : *zones_[kUtcZone];
  }

  Result<ZoneId> load(std::string_view name) {
    {
      std::shared_lock lock(mu_);
      if (auto it = by_name_.find(name); it != by_name_.end()) return it->second;
    }
    auto zone = gocompat::TimeZone::locate(name);
    if (!zone) return std::unexpected(zone.error());
    std::unique_lock lock(mu_);
    if (auto it = by_name_.find(name); it != by_name_.end()) return it->second;
    auto id = static_cast<ZoneId>(zones_.size());
    zones_.push_back(std::make_unique<gocompat::TimeZone>(std::move(*zone)));
    by_name_.emplace(std::string(name), id);
    return id;
  }

 private:
  mutable std::shared_mutex mu_;
  std::vector<std::unique_ptr<gocompat::TimeZone>> zones_;
  std::map<std::string, ZoneId, std::less<>> by_name_;
};

}  // namespace

Result<ZoneId> load_location(std::string_view name) {
  if (name.empty() || name == "UTC") return kUtcZone;
  if (name == "Local") return kLocalZone;
  return Registry::instance().load(name);
}

ZoneId local_location() {
  return kLocalZone;
}

std::string_view location_name(ZoneId zone) {
  return Registry::instance().get(zone).name();
}

gocompat::ZoneOffset zone_at(ZoneId zone, std::int64_t unix_seconds) {
  if (zone == kUtcZone) return gocompat::kUtc;
  return Registry::instance().get(zone).lookup(unix_seconds);
}

}  // namespace tocsin::tmpl
