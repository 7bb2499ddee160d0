// Standard base64 with padding (RFC 4648), as HTTP basic auth encodes
// "username:password" (Go's base64.StdEncoding).
#pragma once

#include <string>
#include <string_view>

namespace tocsin::http {

std::string base64_encode(std::string_view data);

}  // namespace tocsin::http
