// The Prometheus base URL, taken apart once so each request only appends
// the API path (and, for tls server_name, swaps the host).
#pragma once

#include <string>
#include <string_view>

#include <tocsin/error.h>

namespace tocsin::query {

struct BaseUrl {
  std::string scheme;  // "http" or "https", lower case
  std::string host;    // as libcurl prints it: IPv6 in brackets
  std::string port;    // explicit or the scheme's default
  bool explicit_port = false;
  std::string path_prefix;  // "" or "/prefix", without the trailing slash

  // scheme://host:port + path_prefix + `path` (`path` starts with '/').
  std::string endpoint(std::string_view path) const;
  // The same with `host` replaced by `other_host`.
  std::string endpoint_at(std::string_view other_host, std::string_view path) const;
  // host[:port] as the Host header carries it.
  std::string host_header() const;
};

// Accepts http:// and https:// URLs with a host. Rejects credentials in the
// URL (use basic_auth: a URL is printed in errors and logs), a query and a
// fragment. Errors never repeat a URL that contains '@'.
Result<BaseUrl> parse_base_url(std::string_view url);

}  // namespace tocsin::query
