// How to reach one Prometheus: the `datasource` section of tocsin.yml, shaped
// like Prometheus's own HTTP client config (prometheus/common config.HTTPClientConfig).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include <tocsin/error.h>
#include <tocsin/time.h>

namespace tocsin::query {

// At most one of password and password_file. The file is read again on every
// request (so rotation needs no reload) and trimmed of surrounding spaces,
// as Prometheus does.
struct BasicAuth {
  std::string username{};
  std::string password{};
  std::string password_file{};
};

// Applies to https:// URLs only.
struct TlsConfig {
  std::string ca_file{};    // PEM bundle; empty: the system's CAs
  std::string cert_file{};  // client certificate (PEM), together with key_file
  std::string key_file{};
  // Name sent as SNI and checked against the server's certificate instead of
  // the URL's host. libcurl has no option for that, so the client connects
  // with CURLOPT_CONNECT_TO and puts the URL's host in the Host header.
  std::string server_name{};
  bool insecure_skip_verify = false;
};

struct ClientConfig {
  std::string url{};  // http(s)://host[:port][/path prefix]; no credentials, query or fragment
  Duration timeout = std::chrono::minutes(2);  // whole request, and Prometheus's query timeout
  std::optional<BasicAuth> basic_auth{};
  std::string bearer_token{};
  std::string bearer_token_file{};               // read again on every request, trimmed
  std::map<std::string, std::string> headers{};  // sent on every request; values may be secret
  TlsConfig tls{};
};

// Every problem found, joined with "; ". Files named must be readable now;
// messages name files and fields, never their secret contents.
Status validate(const ClientConfig& config);

}  // namespace tocsin::query
