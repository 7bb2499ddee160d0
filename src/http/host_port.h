// "host:port" addresses (an SMTP smarthost), split as Alertmanager reads them:
// Go's net.SplitHostPort (gocompat/net.h), and a port that is not empty.
#pragma once

#include <string>
#include <string_view>

#include <tocsin/error.h>

namespace tocsin::http {

// Empty means unset.
struct HostPort {
  std::string host;
  std::string port;

  bool empty() const { return host.empty() && port.empty(); }
  // "host:port" ("" when unset); IPv6 hosts come back in brackets.
  std::string to_string() const;
  bool operator==(const HostPort& other) const = default;
};

// "" reads as an unset HostPort; otherwise the port must be present.
Result<HostPort> parse_host_port(std::string_view text);

}  // namespace tocsin::http
