// An owned libcurl URL handle (CURLU) and reading its parts, so that
// parse_base_url and make_curl_target take URLs apart as libcurl will.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <curl/curl.h>

namespace tocsin::http {

struct CurlUrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
using CurlUrl = std::unique_ptr<CURLU, CurlUrlDeleter>;

// One part of `url`; nullopt when it has none.
inline std::optional<std::string> url_part(CURLU* url, CURLUPart part, unsigned int flags = 0) {
  char* value = nullptr;
  if (curl_url_get(url, part, &value, flags) != CURLUE_OK || value == nullptr) return std::nullopt;
  std::string out(value);
  curl_free(value);
  return out;
}

}  // namespace tocsin::http
