// How tocsin makes outbound HTTP requests: prometheus/common's
// config.HTTPClientConfig (0.38, the version Alertmanager 0.25 and
// Prometheus 2.42 build on), with its defaults. One type for every client:
// each HTTP receiver's `http_config` in alertmanager.yml, and the
// `datasource` of tocsin.yml, which holds one beside its own fields
// (config::DatasourceConfig).
//
// Plain data. Reading it from YAML and checking it with Prometheus's and
// Alertmanager's messages is config/'s job; using it is HttpClient's.
// Paths are absolute by then: readers resolve them against the
// configuration file's directory.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "http/secret.h"

namespace tocsin::http {

// config.TLSConfig. server_name is sent as SNI and checked against the
// server's certificate instead of the URL's host (see make_curl_target).
struct TlsConfig {
  std::string ca_file{};    // PEM bundle; empty: the system's CAs
  std::string cert_file{};  // client certificate (PEM), together with key_file
  std::string key_file{};
  std::string server_name{};
  bool insecure_skip_verify = false;
  std::string min_version{};  // "", or TLS10 TLS11 TLS12 TLS13; "" is TLS 1.2, Go's default
  std::string max_version{};

  bool operator==(const TlsConfig&) const = default;
};

// At most one of password and password_file. The file is read again for
// every request, so rotation needs no reload; either value is trimmed of
// surrounding white space, as prometheus/common does.
struct BasicAuth {
  std::string username{};
  Secret password{};
  std::string password_file{};

  bool operator==(const BasicAuth&) const = default;
};

// "Authorization: <type> <credentials>". A legacy bearer_token or
// bearer_token_file arrives here with type Bearer, as prometheus/common
// folds them. credentials_file is read for every request and trimmed.
struct Authorization {
  std::string type = "Bearer";
  Secret credentials{};
  std::string credentials_file{};

  bool operator==(const Authorization&) const = default;
};

// Read and checked as prometheus/common does; HttpClient refuses it.
struct OAuth2 {
  std::string client_id{};
  Secret client_secret{};
  std::string client_secret_file{};
  std::vector<std::string> scopes{};
  std::string token_url{};
  std::map<std::string, std::string> endpoint_params{};
  std::string proxy_url{};
  TlsConfig tls_config{};

  bool operator==(const OAuth2&) const = default;
};

// At most one of basic_auth, authorization and oauth2.
struct HttpClientConfig {
  std::optional<BasicAuth> basic_auth{};
  std::optional<Authorization> authorization{};
  std::optional<OAuth2> oauth2{};
  std::string proxy_url{};  // the only proxy: *_proxy variables are not read
  TlsConfig tls_config{};
  bool follow_redirects = true;
  bool enable_http2 = true;  // offered in the TLS handshake

  bool operator==(const HttpClientConfig&) const = default;
};

}  // namespace tocsin::http
