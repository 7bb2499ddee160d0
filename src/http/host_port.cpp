#include "http/host_port.h"

#include <fmt/format.h>

namespace tocsin::http {

std::string HostPort::to_string() const {
  if (empty()) return "";
  if (host.find(':') != std::string::npos) return fmt::format("[{}]:{}", host, port);
  return fmt::format("{}:{}", host, port);
}

Result<HostPort> parse_host_port(std::string_view text) {
  if (text.empty()) return HostPort{};
  auto bad = [&](std::string_view why) { return fail(fmt::format("address {}: {}", text, why)); };
  HostPort out;
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return bad("missing port in address");
  std::string_view host;
  if (text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos) return bad("missing ']' in address");
    if (close + 1 == text.size()) return bad("missing port in address");
    if (close + 1 != colon) {
      return bad(text[close + 1] == ':' ? "too many colons in address" : "missing port in address");
    }
    host = text.substr(1, close - 1);
  } else {
    host = text.substr(0, colon);
    if (host.find(':') != std::string_view::npos) return bad("too many colons in address");
  }
  std::string_view port = text.substr(colon + 1);
  if (host.find_first_of("[]") != std::string_view::npos && text.front() != '[') {
    return bad("unexpected '[' in address");
  }
  if (port.find_first_of("[]") != std::string_view::npos) return bad("unexpected ']' in address");
  if (port.empty()) return fail(fmt::format("address \"{}\": port cannot be empty", text));
  out.host = std::string(host);
  out.port = std::string(port);
  return out;
}

}  // namespace tocsin::http
