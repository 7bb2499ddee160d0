// The HTTP client settings of a receiver (`http_config`), as prometheus/common
// 0.38 defines them for Alertmanager 0.25: basic_auth, authorization,
// oauth2, bearer_token[_file], proxy_url, tls_config, follow_redirects and
// enable_http2, with the same defaults and the same mutual exclusions.
// Relative file paths are resolved against the configuration file's directory.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/secret.h"
#include "config/yaml_reader.h"

namespace tocsin::config {

struct TlsConfig {
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  std::string server_name;
  bool insecure_skip_verify = false;
  std::string min_version;  // "", or TLS10 TLS11 TLS12 TLS13
  std::string max_version;
};

struct BasicAuth {
  std::string username;
  Secret password;
  std::string password_file;
};

struct Authorization {
  std::string type = "Bearer";
  Secret credentials;
  std::string credentials_file;
};

struct OAuth2 {
  std::string client_id;
  Secret client_secret;
  std::string client_secret_file;
  std::vector<std::string> scopes;
  std::string token_url;
  std::map<std::string, std::string> endpoint_params;
  std::string proxy_url;
  TlsConfig tls_config;
};

struct HttpClientConfig {
  std::optional<BasicAuth> basic_auth;
  // Also holds a legacy bearer_token or bearer_token_file, moved here with
  // type Bearer as prometheus/common does.
  std::optional<Authorization> authorization;
  std::optional<OAuth2> oauth2;
  std::string proxy_url;
  TlsConfig tls_config;
  bool follow_redirects = true;
  bool enable_http2 = true;
};

// Reads an `http_config` mapping; problems go to `diag`.
HttpClientConfig read_http_config(const YAML::Node& node, const std::string& base_dir,
                                  yaml::Diagnostics& diag);
TlsConfig read_tls_config(const YAML::Node& node, const std::string& base_dir,
                          yaml::Diagnostics& diag);

}  // namespace tocsin::config
