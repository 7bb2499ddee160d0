// One HTTP POST of a form on a leased libcurl easy handle: the options every
// request to Prometheus needs (timeouts, TLS, headers, no proxy, no
// redirects) and the mapping of libcurl's failures to QueryError.
#pragma once

#include <expected>
#include <string>
#include <vector>

#include <curl/curl.h>

#include <tocsin/time.h>

#include "query/client_config.h"
#include "query/query_func.h"

namespace tocsin::query {

// What stays the same for every request of one client.
struct PostTarget {
  std::string url;         // the endpoint libcurl asks for
  std::string connect_to;  // CURLOPT_CONNECT_TO entry; "" when not needed
  std::string shown_url;   // the endpoint as errors name it (never has credentials)
  Duration timeout{0};     // whole request, connection included
  TlsConfig tls;
  std::vector<std::string> headers;  // "Name: value" lines sent on every request
};

struct HttpReply {
  int status = 0;
  std::string body;
};

struct PostOutcome {
  std::expected<HttpReply, QueryError> reply;
  long new_connections = 0;  // CURLINFO_NUM_CONNECTS: 0 when a kept-alive one was reused
};

// POSTs `body` as application/x-www-form-urlencoded with `target.headers`
// plus `extra_headers`. Transport failures: "timeout" when the deadline
// passed, "connection" otherwise; messages come from libcurl and `shown_url`,
// never from the headers.
PostOutcome post_form(CURL* handle, const PostTarget& target, const std::string& body,
                      const std::vector<std::string>& extra_headers);

}  // namespace tocsin::query
