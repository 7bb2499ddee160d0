#include "http/host_port.h"

#include <fmt/format.h>

#include "gocompat/net.h"

namespace tocsin::http {

std::string HostPort::to_string() const {
  if (empty()) return "";
  if (host.find(':') != std::string::npos) return fmt::format("[{}]:{}", host, port);
  return fmt::format("{}:{}", host, port);
}

Result<HostPort> parse_host_port(std::string_view text) {
  if (text.empty()) return HostPort{};
  auto split = gocompat::split_host_port(text);
  if (!split) return fail(split.error());
  // Alertmanager's own rule on top of Go's.
  if (split->port.empty()) return fail(fmt::format("address \"{}\": port cannot be empty", text));
  return HostPort{std::string(split->host), std::string(split->port)};
}

}  // namespace tocsin::http
