// Reading the HTTP client settings of a receiver (`http_config`) into
// http::HttpClientConfig, as prometheus/common 0.38 reads them for
// Alertmanager 0.25: basic_auth, authorization, oauth2, bearer_token[_file]
// (moved into authorization), proxy_url, tls_config, follow_redirects and
// enable_http2, with the same defaults, the same mutual exclusions and the
// same messages. Relative file paths are resolved against the configuration
// file's directory.
#pragma once

#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "config/yaml_reader.h"
#include "http/client_config.h"

namespace tocsin::config {

// Reads an `http_config` mapping; problems go to `diag`.
http::HttpClientConfig read_http_config(const YAML::Node& node, const std::string& base_dir,
                                        yaml::Diagnostics& diag);
// The same fields inlined in a mapping that holds others too, as
// Prometheus's remote_write inlines them: read from `r`, which the caller
// finishes, and checked, each problem reported at r's mapping as
// "<what>: message".
http::HttpClientConfig read_inline_http_config(yaml::MapReader& r, const std::string& base_dir,
                                               std::string_view what);
// The `http_config` of a section read with `r`, or `fallback` (the global
// one) when the section sets none.
http::HttpClientConfig read_http_config_or(yaml::MapReader& r,
                                           const http::HttpClientConfig& fallback,
                                           const std::string& base_dir);
http::TlsConfig read_tls_config(const YAML::Node& node, const std::string& base_dir,
                                yaml::Diagnostics& diag);

}  // namespace tocsin::config
