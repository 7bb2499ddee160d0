#include "support/http.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

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

HttpResponse http_request(const std::string& method, const std::string& url,
                          const std::string& body, const std::string& content_type,
                          const httplib::Headers& headers, Duration timeout) {
  return call(url, timeout, [&](httplib::Client& client, const std::string& target) {
    httplib::Request req;
    req.method = method;
    req.path = target;
    req.headers = headers;
    req.body = body;
    if (!content_type.empty()) req.set_header("Content-Type", content_type);
    return client.send(req);
  });
}

HttpResponse http_raw(int port, const std::string& request, Duration timeout) {
  HttpResponse out;
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    out.error = "socket failed";
    return out;
  }
  timeval tv{};
  tv.tv_sec =
      static_cast<time_t>(std::chrono::duration_cast<std::chrono::seconds>(timeout).count());
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string raw;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    out.error = fmt::format("connect to port {} failed", port);
  } else {
    std::size_t sent = 0;
    while (sent < request.size()) {
      ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<std::size_t>(n);
    }
    char buffer[4096];
    for (;;) {
      ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      raw.append(buffer, static_cast<std::size_t>(n));
    }
  }
  ::close(fd);
  auto head_end = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/", 0) != 0 || head_end == std::string::npos) {
    if (out.error.empty()) out.error = "no HTTP response";
    return out;
  }
  std::string head = raw.substr(0, head_end);
  out.body = raw.substr(head_end + 4);
  out.status = std::atoi(head.c_str() + head.find(' ') + 1);
  std::size_t line = head.find("\r\n");
  while (line != std::string::npos) {
    std::size_t next = head.find("\r\n", line + 2);
    std::string header =
        head.substr(line + 2, next == std::string::npos ? std::string::npos : next - line - 2);
    if (auto colon = header.find(':'); colon != std::string::npos) {
      std::size_t value = header.find_first_not_of(' ', colon + 1);
      out.headers.emplace(header.substr(0, colon),
                          value == std::string::npos ? "" : header.substr(value));
    }
    line = next;
  }
  return out;
}

}  // namespace tocsin::test
