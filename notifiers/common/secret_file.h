// Secrets kept in files (url_file, api_url_file, routing_key_file, ...) are
// read at send time, so a rotated file needs no reload, as in Alertmanager.
#pragma once

#include <string>

#include <tocsin/error.h>

namespace tocsin::notifiers {

// The file's content without surrounding white space (Go's
// strings.TrimSpace). The error names the file, never its content.
Result<std::string> read_trimmed_secret_file(const std::string& path);

// Go's strings.TrimSpace for ASCII white space.
std::string trim_space(std::string_view text);

}  // namespace tocsin::notifiers
