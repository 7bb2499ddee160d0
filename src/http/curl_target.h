// Where libcurl connects for one URL, and how the URL may be shown.
//
// A tls_config server_name must be sent as SNI and be the name the server's
// certificate is checked against, while the connection goes to the URL's
// host (Go's tls.Config.ServerName). libcurl has no option for that, so the
// URL handed to libcurl names server_name, CONNECT_TO dials the real host,
// and for HTTP the Host header keeps the real one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <tocsin/error.h>

namespace tocsin::http {

struct CurlTarget {
  std::string url;          // what libcurl is asked for
  std::string connect_to;   // a CURLOPT_CONNECT_TO entry; "" without server_name
  std::string host_header;  // "Host: ..." line for HTTP; "" without server_name
  // scheme://host[:port]: how errors name the endpoint. Never the path,
  // query or user info, where webhook and Slack URLs keep their tokens.
  std::string origin;
  std::vector<std::string> secrets;  // the URL's password, if it has one
};

// `url` must be absolute. Errors never repeat the URL.
Result<CurlTarget> make_curl_target(std::string_view url, std::string_view server_name);

// What to hide of a URL that is a secret as a whole (a webhook's, Slack's):
// the URL, and the parts a server may echo alone in an error page (path and
// query, path, query, password), longest first. A path of "/" is not hidden.
std::vector<std::string> secret_url_parts(std::string_view url);

}  // namespace tocsin::http
