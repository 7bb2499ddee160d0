#include <tocsin/notify.h>

#include <fmt/format.h>

namespace tocsin::notify {

std::string fingerprint_string(std::uint64_t fingerprint) { return fmt::format("{:016x}", fingerprint); }

}  // namespace tocsin::notify
