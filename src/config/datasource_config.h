// How to reach one Prometheus: the `datasource` section of tocsin.yml, from
// which the query client is built (query::PrometheusClient). Its credentials
// and TLS are prometheus/common's HTTP client config, the one the receivers'
// http_config is too; the rest is the datasource's own.
#pragma once

#include <chrono>
#include <map>
#include <string>

#include <tocsin/error.h>
#include <tocsin/time.h>

#include "http/client_config.h"

namespace tocsin::config {

struct DatasourceConfig {
  std::string url{};  // http(s)://host[:port][/path prefix]; no credentials, query or fragment
  Duration timeout = std::chrono::minutes(2);    // whole request, and Prometheus's query timeout
  std::map<std::string, std::string> headers{};  // sent on every request; values may be secret
  // basic_auth, bearer_token[_file] (held as authorization, type Bearer) and
  // tls_config; tocsin.yml sets no other field. Redirects are not followed:
  // an answer from elsewhere is not this Prometheus's.
  http::HttpClientConfig http_config{.follow_redirects = false};
};

// Every problem found, joined with "; ". Files named must be readable now;
// messages name files and fields (as tocsin.yml spells them), never their
// secret contents.
Status validate(const DatasourceConfig& config);

}  // namespace tocsin::config
