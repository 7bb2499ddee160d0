#include "dispatch/silence_id.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <random>

#include <fmt/format.h>

namespace tocsin::dispatch {
namespace {

class RandomUuids {
 public:
  RandomUuids() : engine_(std::random_device{}()) {}

  std::string next() {
    std::uint64_t hi, lo;
    {
      std::lock_guard lock(mu_);
      hi = engine_();
      lo = engine_();
    }
    hi = (hi & ~0xf000ULL) | 0x4000ULL;              // version 4
    lo = (lo & ~(0xc0ULL << 56)) | (0x80ULL << 56);  // RFC 4122 variant
    return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", hi >> 32, (hi >> 16) & 0xffff,
                       hi & 0xffff, lo >> 48, lo & 0xffffffffffffULL);
  }

 private:
  std::mutex mu_;
  std::mt19937_64 engine_;  // guarded by mu_
};

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

}  // namespace

SilenceIdGenerator random_silence_ids() {
  auto uuids = std::make_shared<RandomUuids>();
  return [uuids] { return uuids->next(); };
}

bool is_uuid(std::string_view text) {
  constexpr int kGroups[] = {8, 4, 4, 4, 12};
  std::size_t pos = 0;
  for (int g = 0; g < 5; ++g) {
    if (g > 0 && pos < text.size() && text[pos] == '-') ++pos;
    for (int i = 0; i < kGroups[g]; ++i, ++pos) {
      if (pos >= text.size() || !is_hex(text[pos])) return false;
    }
  }
  return pos == text.size();
}

}  // namespace tocsin::dispatch
