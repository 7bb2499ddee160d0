// The URLs tocsin's HTTP clients are configured with, checked where they are
// configured: a receiver's URL as Alertmanager checks it when it loads its
// configuration (its parseURL over Go's url.Parse, with messages close to
// Go's), and the datasource's base URL, to which the query client appends
// the API's paths.
#pragma once

#include <string>
#include <string_view>

#include <tocsin/error.h>

namespace tocsin::http {

// An absolute http:// or https:// URL with a host: "unsupported scheme \"ftp\"
// for URL", "missing host for URL", or a syntax error otherwise.
Status check_http_url(std::string_view url);

// Go's url.Parse syntax only (any scheme or none), as prometheus/common
// checks proxy_url.
Status check_url_syntax(std::string_view url);

// A base URL taken apart once, so each request only appends the API path.
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
// fragment. Errors never repeat a URL that contains '@'; they call it the
// datasource url, its one user.
Result<BaseUrl> parse_base_url(std::string_view url);

}  // namespace tocsin::http
