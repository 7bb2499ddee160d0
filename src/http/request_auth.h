// The Authorization header of one request, from a client config's basic_auth
// or authorization (a legacy bearer_token arrives as authorization), as
// prometheus/common's round trippers set it. Files are read for every
// request, so a rotated password or token needs no reload.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "http/client_config.h"

namespace tocsin::http {

struct RequestAuth {
  std::string header{};                // "Authorization: ..." for libcurl; "" when none
  std::vector<std::string> secrets{};  // every string the header reveals, to redact
};

// Why no header could be made. The message names the file, never its content.
struct AuthFailure {
  std::string message{};
  // A file could not be read: worth a retry, as a failed round trip is in
  // Alertmanager. Otherwise a value holds what cannot go in a header line.
  bool unreadable = false;
};

// How errors name authorization.credentials_file: prometheus/common's
// words, unless the caller's users know it by another key.
inline constexpr std::string_view kCredentialsFileName = "authorization credentials file";

std::expected<RequestAuth, AuthFailure> resolve_request_auth(
    const HttpClientConfig& config, std::string_view credentials_file_name = kCredentialsFileName);

}  // namespace tocsin::http
