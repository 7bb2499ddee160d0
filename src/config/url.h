// URLs and host:port addresses, checked as Alertmanager checks them when it
// loads its configuration (its parseURL over Go's url.Parse, and
// net.SplitHostPort), with messages close to Go's.
#pragma once

#include <string>
#include <string_view>

#include <tocsin/error.h>

namespace tocsin::config {

// An absolute http:// or https:// URL with a host: "unsupported scheme \"ftp\"
// for URL", "missing host for URL", or a syntax error otherwise.
Status check_http_url(std::string_view url);

// Go's url.Parse syntax only (any scheme or none), as prometheus/common
// checks proxy_url.
Status check_url_syntax(std::string_view url);

// "host:port", as an SMTP smarthost is written. Empty means unset.
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

}  // namespace tocsin::config
