// A tls_config (prometheus/common's TLSConfig) applied to a libcurl handle,
// for HTTPS and for SMTP alike. server_name is not set here: see
// make_curl_target.
#pragma once

#include <curl/curl.h>

#include <tocsin/error.h>

#include "http/client_config.h"

namespace tocsin::http {

// What prometheus/common checks when it builds a client: the CA file is
// readable, cert_file and key_file come together and are readable. Errors
// name the field and the file.
Status check_tls_config(const TlsConfig& tls);

// CA file (else the system's), client certificate, verification, and the
// TLS versions: TLS 1.2 at least unless min_version says otherwise, as Go's
// client defaults.
void apply_tls_config(CURL* handle, const TlsConfig& tls);

}  // namespace tocsin::http
