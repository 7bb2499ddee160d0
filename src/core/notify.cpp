#include <fmt/format.h>

#include <tocsin/notify.h>

namespace tocsin::notify {

std::string fingerprint_string(std::uint64_t fingerprint) {
  return fmt::format("{:016x}", fingerprint);
}

}  // namespace tocsin::notify
