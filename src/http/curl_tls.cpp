#include "http/curl_tls.h"

#include <fmt/format.h>

#include "core/files.h"

namespace tocsin::http {
namespace {

Status check_readable(std::string_view field, const std::string& path) {
  if (path.empty()) return {};
  if (auto content = files::read(path); !content) {
    return fail(fmt::format("tls_config {}: {}", field, content.error().to_string()));
  }
  return {};
}

long min_version(const std::string& name) {
  if (name == "TLS10") return CURL_SSLVERSION_TLSv1_0;
  if (name == "TLS11") return CURL_SSLVERSION_TLSv1_1;
  if (name == "TLS13") return CURL_SSLVERSION_TLSv1_3;
  return CURL_SSLVERSION_TLSv1_2;
}

long max_version(const std::string& name) {
  if (name == "TLS10") return CURL_SSLVERSION_MAX_TLSv1_0;
  if (name == "TLS11") return CURL_SSLVERSION_MAX_TLSv1_1;
  if (name == "TLS12") return CURL_SSLVERSION_MAX_TLSv1_2;
  if (name == "TLS13") return CURL_SSLVERSION_MAX_TLSv1_3;
  return CURL_SSLVERSION_MAX_DEFAULT;
}

}  // namespace

Status check_tls_config(const TlsConfig& tls) {
  if (tls.cert_file.empty() != tls.key_file.empty()) {
    return fail(tls.cert_file.empty()
                    ? "tls_config: client key file specified without client cert file"
                    : "tls_config: client cert file specified without client key file");
  }
  for (auto [field, path] :
       {std::pair<std::string_view, const std::string&>{"ca_file", tls.ca_file},
        {"cert_file", tls.cert_file},
        {"key_file", tls.key_file}}) {
    if (auto ok = check_readable(field, path); !ok) return ok;
  }
  return {};
}

void apply_tls_config(CURL* handle, const TlsConfig& tls) {
  if (!tls.ca_file.empty()) curl_easy_setopt(handle, CURLOPT_CAINFO, tls.ca_file.c_str());
  if (!tls.cert_file.empty()) {
    curl_easy_setopt(handle, CURLOPT_SSLCERT, tls.cert_file.c_str());
    curl_easy_setopt(handle, CURLOPT_SSLKEY, tls.key_file.c_str());
  }
  if (tls.insecure_skip_verify) {
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  curl_easy_setopt(handle, CURLOPT_SSLVERSION,
                   min_version(tls.min_version) | max_version(tls.max_version));
}

}  // namespace tocsin::http
