#include "http/curl_global.h"

#include <mutex>

#include <curl/curl.h>
#include <fmt/format.h>

namespace tocsin::http {

Status ensure_curl_initialized() {
  static std::once_flag once;
  static CURLcode code = CURLE_OK;
  std::call_once(once, [] { code = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (code != CURLE_OK) {
    return fail(fmt::format("cannot initialise libcurl: {}", curl_easy_strerror(code)));
  }
  return {};
}

}  // namespace tocsin::http
