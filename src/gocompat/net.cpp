#include "gocompat/net.h"

#include <arpa/inet.h>

namespace tocsin::gocompat {

std::expected<HostPort, std::string> split_host_port(std::string_view hp) {
  // Go's *net.AddrError.
  auto error = [&](std::string_view why) {
    return std::unexpected("address " + std::string(hp) + ": " + std::string(why));
  };
  std::size_t i = hp.rfind(':');
  if (i == std::string_view::npos) return error("missing port in address");
  std::string_view host;
  std::size_t j = 0, k = 0;
  if (hp[0] == '[') {
    std::size_t end = hp.find(']');
    if (end == std::string_view::npos) return error("missing ']' in address");
    if (end + 1 == hp.size()) return error("missing port in address");
    if (end + 1 != i) {
      return error(hp[end + 1] == ':' ? "too many colons in address" : "missing port in address");
    }
    host = hp.substr(1, end - 1);
    j = 1;
    k = end + 1;
  } else {
    host = hp.substr(0, i);
    if (host.find(':') != std::string_view::npos) return error("too many colons in address");
  }
  if (hp.substr(j).find('[') != std::string_view::npos) return error("unexpected '[' in address");
  if (hp.substr(k).find(']') != std::string_view::npos) return error("unexpected ']' in address");
  return HostPort{host, hp.substr(i + 1)};
}

std::string join_host_port(std::string_view host, std::string_view port) {
  if (host.find(':') != std::string_view::npos) {
    return "[" + std::string(host) + "]:" + std::string(port);
  }
  return std::string(host) + ":" + std::string(port);
}

bool is_ip(std::string_view s) {
  std::string text(s);
  unsigned char buf[16];
  if (text.find(':') != std::string::npos) return inet_pton(AF_INET6, text.c_str(), buf) == 1;
  return inet_pton(AF_INET, text.c_str(), buf) == 1;
}

}  // namespace tocsin::gocompat
