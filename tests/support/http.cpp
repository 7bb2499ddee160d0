#include "support/http.h"

#include <fmt/format.h>

namespace tocsin::test {
namespace {

struct SplitUrl {
  std::string origin;  // scheme://host:port
  std::string target;  // /path?query
};

SplitUrl split(const std::string& url) {
  auto scheme_end = url.find("://");
  auto path_start = url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  if (path_start == std::string::npos) return {url, "/"};
  return {url.substr(0, path_start), url.substr(path_start)};
}

template <typename Call>
HttpResponse call(const std::string& url, Duration timeout, Call&& perform) {
  SplitUrl parts = split(url);
  httplib::Client client(parts.origin);
  client.set_connection_timeout(timeout);
  client.set_read_timeout(timeout);
  client.set_write_timeout(timeout);
  client.enable_server_certificate_verification(false);  // tests' own certificates
  httplib::Result result = perform(client, parts.target);
  HttpResponse out;
  if (!result) {
    out.error = fmt::format("request to {} failed: {}", url, httplib::to_string(result.error()));
    return out;
  }
  out.status = result->status;
  out.body = result->body;
  out.headers = result->headers;
  return out;
}

}  // namespace

std::string HttpResponse::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

HttpResponse http_get(const std::string& url, const httplib::Headers& headers, Duration timeout) {
  return call(url, timeout, [&](httplib::Client& client, const std::string& target) {
    return client.Get(target, headers);
  });
}

HttpResponse http_post(const std::string& url, const std::string& body,
                       const std::string& content_type, const httplib::Headers& headers,
                       Duration timeout) {
  return call(url, timeout, [&](httplib::Client& client, const std::string& target) {
    return client.Post(target, headers, body, content_type);
  });
}

}  // namespace tocsin::test
