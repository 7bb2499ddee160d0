#include "http/curl_target.h"

#include <fmt/format.h>

#include "http/curl_url.h"

namespace tocsin::http {
namespace {

// One part of `url`, or "" when it is absent.
std::string part(CURLU* url, CURLUPart which, unsigned int flags = 0) {
  return url_part(url, which, flags).value_or("");
}

}  // namespace

Result<CurlTarget> make_curl_target(std::string_view url, std::string_view server_name) {
  CurlUrl handle(curl_url());
  if (!handle) return fail("out of memory parsing a URL");
  std::string text(url);
  if (CURLUcode rc = curl_url_set(handle.get(), CURLUPART_URL, text.c_str(), 0); rc != CURLUE_OK) {
    return fail(fmt::format("invalid URL: {}", curl_url_strerror(rc)));
  }
  CurlTarget target;
  std::string scheme = part(handle.get(), CURLUPART_SCHEME);
  std::string host = part(handle.get(), CURLUPART_HOST);
  std::string explicit_port = part(handle.get(), CURLUPART_PORT);
  std::string port = part(handle.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
  target.origin = scheme + "://" + host + (explicit_port.empty() ? "" : ":" + explicit_port);
  if (std::string password = part(handle.get(), CURLUPART_PASSWORD); !password.empty()) {
    target.secrets.push_back(std::move(password));
  }
  target.url = std::move(text);
  if (server_name.empty()) return target;

  std::string sni(server_name);
  if (curl_url_set(handle.get(), CURLUPART_HOST, sni.c_str(), 0) != CURLUE_OK) {
    return fail(fmt::format("invalid tls_config server_name \"{}\"", server_name));
  }
  target.url = part(handle.get(), CURLUPART_URL);
  target.connect_to = fmt::format("{}:{}:{}:{}", sni, port, host, port);
  target.host_header = "Host: " + host + (explicit_port.empty() ? "" : ":" + explicit_port);
  return target;
}

std::vector<std::string> secret_url_parts(std::string_view url) {
  std::vector<std::string> out{std::string(url)};
  CurlUrl handle(curl_url());
  std::string text(url);
  if (!handle || curl_url_set(handle.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK)
    return out;
  std::string path = part(handle.get(), CURLUPART_PATH);
  std::string query = part(handle.get(), CURLUPART_QUERY);
  if (path == "/") path.clear();
  if (!path.empty() && !query.empty()) out.push_back(path + "?" + query);
  for (std::string* piece : {&path, &query}) {
    if (!piece->empty()) out.push_back(std::move(*piece));
  }
  if (std::string password = part(handle.get(), CURLUPART_PASSWORD); !password.empty()) {
    out.push_back(std::move(password));
  }
  return out;
}

}  // namespace tocsin::http
