#include "http/url.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "gocompat/url.h"
#include "http/curl_url.h"

namespace tocsin::http {
namespace {

// How a base URL appears in an error: never with what could be credentials.
std::string shown(std::string_view url) {
  if (url.find('@') != std::string_view::npos) return "the datasource url";
  return fmt::format("url \"{}\"", url);
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), s.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
}

}  // namespace

Status check_http_url(std::string_view url) {
  auto parsed = gocompat::parse_url(url);
  if (!parsed) return fail(parsed.error());
  if (parsed->scheme != "http" && parsed->scheme != "https") {
    return fail(fmt::format("unsupported scheme \"{}\" for URL", parsed->scheme));
  }
  if (parsed->host.empty()) return fail("missing host for URL");
  return {};
}

Status check_url_syntax(std::string_view url) {
  auto parsed = gocompat::parse_url(url);
  if (!parsed) return fail(parsed.error());
  return {};
}

std::string BaseUrl::endpoint(std::string_view path) const {
  return endpoint_at(host, path);
}

std::string BaseUrl::endpoint_at(std::string_view other_host, std::string_view path) const {
  return fmt::format("{}://{}:{}{}{}", scheme, other_host, port, path_prefix, path);
}

std::string BaseUrl::host_header() const {
  return explicit_port ? fmt::format("{}:{}", host, port) : host;
}

Result<BaseUrl> parse_base_url(std::string_view text) {
  if (text.empty()) return fail("url must be set");
  if (!starts_with_nocase(text, "http://") && !starts_with_nocase(text, "https://")) {
    return fail(fmt::format("{} must start with http:// or https://", shown(text)));
  }
  CurlUrl url(curl_url());
  if (!url) return fail("out of memory parsing the datasource url");
  std::string copy(text);
  if (CURLUcode rc = curl_url_set(url.get(), CURLUPART_URL, copy.c_str(), 0); rc != CURLUE_OK) {
    return fail(fmt::format("{} is not a valid URL: {}", shown(text), curl_url_strerror(rc)));
  }
  if (url_part(url.get(), CURLUPART_USER) || url_part(url.get(), CURLUPART_PASSWORD)) {
    return fail("credentials in the datasource url are not supported; use basic_auth");
  }
  if (url_part(url.get(), CURLUPART_QUERY) || url_part(url.get(), CURLUPART_FRAGMENT)) {
    return fail(fmt::format("{} must not have a query or a fragment", shown(text)));
  }
  BaseUrl out;
  out.scheme = url_part(url.get(), CURLUPART_SCHEME).value_or("");
  out.host = url_part(url.get(), CURLUPART_HOST).value_or("");
  if (out.host.empty()) return fail(fmt::format("{} has no host", shown(text)));
  out.explicit_port = url_part(url.get(), CURLUPART_PORT).has_value();
  out.port = url_part(url.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT).value_or("");
  out.path_prefix = url_part(url.get(), CURLUPART_PATH).value_or("");
  while (!out.path_prefix.empty() && out.path_prefix.back() == '/') out.path_prefix.pop_back();
  return out;
}

}  // namespace tocsin::http
