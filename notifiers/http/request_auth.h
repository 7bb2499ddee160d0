// The Authorization header of one request, from an http_config's basic_auth
// or authorization (a legacy bearer_token arrives as authorization), as
// prometheus/common's round trippers set it. Files are read for every
// request, so a rotated password or token needs no reload.
#pragma once

#include <expected>
#include <string>
#include <vector>

#include <tocsin/notify.h>

#include "config/http_config.h"

namespace tocsin::notifiers {

struct RequestAuth {
  std::string header;                // "Authorization: ..." for libcurl; "" when none
  std::vector<std::string> secrets;  // every string the header reveals, to redact
};

// A file that cannot be read fails the request (worth retrying, as a failed
// round trip is in Alertmanager); the message names the file, never its
// content.
std::expected<RequestAuth, notify::Failure> resolve_request_auth(
    const config::HttpClientConfig& config);

}  // namespace tocsin::notifiers
