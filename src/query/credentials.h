// The Authorization header of one request, and keeping secrets out of text.
//
// Credentials are resolved for every request, reading password_file and
// bearer_token_file again, as Prometheus's HTTP client does, so a rotated
// file takes effect without a reload.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "query/client_config.h"
#include "query/query_func.h"

namespace tocsin::query {

struct Authorization {
  std::string header;                // "Authorization: ..." for libcurl; empty: none
  std::vector<std::string> secrets;  // every string the header reveals
};

// Fails with type "credentials" when a file cannot be read or holds a value
// that cannot go in a header; the message names the file, not its content.
std::expected<Authorization, QueryError> resolve_authorization(const ClientConfig& config);

// `text` with every occurrence of every non-empty secret replaced by
// "***". For text that came from elsewhere (a server's body may echo
// the request's headers) before it goes into an error.
std::string redact(std::string text, const std::vector<std::string>& secrets);

// Standard base64 with padding (RFC 4648), as HTTP basic auth encodes
// "username:password".
std::string base64_encode(std::string_view data);

}  // namespace tocsin::query
