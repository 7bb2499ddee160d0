// Keeping secrets out of text that came from elsewhere (libcurl's messages,
// a server's body echoing the request's headers) before it goes into an
// error or a log line.
#pragma once

#include <string>
#include <vector>

namespace tocsin::http {

// `text` with every occurrence of every non-empty secret replaced by "***".
std::string redact(std::string text, const std::vector<std::string>& secrets);

}  // namespace tocsin::http
