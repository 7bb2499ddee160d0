// Secrets kept in files (password_file, credentials_file, url_file,
// routing_key_file, ...) are read at send time, so a rotated file needs no
// reload, as in Prometheus and Alertmanager.
#pragma once

#include <string>

#include <tocsin/error.h>

namespace tocsin::http {

// The file's content without surrounding white space (Go's
// strings.TrimSpace). The error names the file, never its content.
Result<std::string> read_trimmed_secret_file(const std::string& path);

// Go's strings.TrimSpace for ASCII white space.
std::string trim_space(std::string_view text);

}  // namespace tocsin::http
