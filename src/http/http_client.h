// The HTTP client tocsin posts through: the query client to Prometheus, and
// every HTTP integration to its receiver. One per configured client,
// honouring its HttpClientConfig (basic_auth, authorization, proxy_url,
// tls_config, follow_redirects, enable_http2) as prometheus/common 0.38's
// client does. oauth2 is not supported: create() refuses it.
//
// Thread-safe; immutable after create(). Each call leases a libcurl handle
// with its own kept-alive connection (EasyHandlePool), so concurrent calls
// never wait for each other and sequential ones reuse their connection.
//
// Secrets (credentials, the URL's password, anything the caller names)
// never appear in a RequestFailure: it names only scheme://host:port, and
// text that came from libcurl or the server is redacted.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <tocsin/error.h>
#include <tocsin/time.h>

#include "http/client_config.h"
#include "http/curl_bounds.h"
#include "http/easy_handle_pool.h"
#include "http/request_auth.h"

namespace tocsin::http {

// What the user of a client decides, not its configuration.
struct ClientOptions {
  Duration timeout{0};       // one request, connection included; zero: none of its own
  std::string user_agent{};  // sent as User-Agent
  // "Name: value" lines sent with every request, besides Content-Type and
  // the client's own; the caller checks them.
  std::vector<std::string> headers{};
  std::string accept_encoding = "gzip";  // as Go's transport asks; "": all libcurl decodes
  std::size_t max_body = 64 * 1024;      // bytes of a response kept; the rest is read and dropped
  std::size_t max_idle_connections = 8;  // more than usually run at once
  std::string credentials_file_name{kCredentialsFileName};  // see resolve_request_auth
  // Response headers kept in Response::headers (say, Retry-After); the
  // others are not kept.
  std::vector<std::string> response_headers{};
};

struct Response {
  int status = 0;
  // At most ClientOptions::max_body bytes. Redacted of every secret unless
  // the status is 2xx.
  std::string body{};
  // Every secret the request carried, to redact what is made of the body.
  std::vector<std::string> secrets{};
  // The last value of each of ClientOptions::response_headers the response
  // carried, by the name asked for; redacted like the body.
  std::map<std::string, std::string> headers{};
};

// Why a request got no response.
enum class FailureKind {
  kBadUrl,            // the URL cannot be requested
  kUnreadableFile,    // a credentials file could not be read (it may be back soon)
  kBadCredentials,    // credentials that cannot go in a header
  kNoResources,       // libcurl could not allocate
  kDeadlineExceeded,  // TransferBounds::deadline passed before the request started
  kTimedOut,          // no whole response within the time allowed
  kCanceled,          // TransferBounds::stop was requested
  kTransport,         // refused, reset, a TLS or DNS failure, ...
};

struct RequestFailure {
  FailureKind kind = FailureKind::kTransport;
  std::string origin{};  // scheme://host[:port] of the URL; "" for kBadUrl
  std::string detail{};  // what went wrong, redacted: libcurl's words for a failed transfer
  Duration timeout{0};   // kTimedOut: the time allowed

  // Worth trying again: everything but a bad URL or bad credentials, as
  // Alertmanager retries every failed round trip.
  bool retryable() const;
  // The way Go's client words it: "POST <origin>: context deadline
  // exceeded", "POST <origin>: no response within 10s: <detail>", ...; the
  // detail alone when nothing was sent.
  std::string to_string() const;
};

class HttpClient {
 public:
  // Fails on oauth2, on TLS files that cannot be read (check_tls_config) and
  // on a proxy_url libcurl cannot parse. Messages name the field, not
  // http_config: callers know where the config came from.
  static Result<std::unique_ptr<HttpClient>> create(HttpClientConfig config, ClientOptions options);

  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // POSTs `body` with Content-Type `content_type`. Any HTTP status is a
  // response; only a request that got none fails. `secrets` are redacted
  // from the failure and the body besides the client's own. The request
  // gives up at bounds.deadline and when bounds.stop is requested.
  std::expected<Response, RequestFailure> post(const std::string& url,
                                               std::string_view content_type, std::string_view body,
                                               const std::vector<std::string>& secrets,
                                               const TransferBounds& bounds = {}) const;

  // GETs `url`, as `post` does otherwise.
  std::expected<Response, RequestFailure> get(const std::string& url,
                                              const std::vector<std::string>& secrets,
                                              const TransferBounds& bounds = {}) const;

  // DELETEs `url`, as `get` does otherwise.
  std::expected<Response, RequestFailure> del(const std::string& url,
                                              const std::vector<std::string>& secrets,
                                              const TransferBounds& bounds = {}) const;

  // New TCP connections opened so far (the sum of CURLINFO_NUM_CONNECTS);
  // with keep-alive it stays near the number of concurrent callers.
  std::uint64_t connections_opened() const { return connections_opened_.load(); }

  const HttpClientConfig& config() const { return config_; }

 private:
  enum class Method { kGet, kPost, kDelete };
  HttpClient(HttpClientConfig config, ClientOptions options, std::vector<std::string> secrets);
  std::expected<Response, RequestFailure> send(Method method, const std::string& url,
                                               std::string_view content_type, std::string_view body,
                                               const std::vector<std::string>& secrets,
                                               const TransferBounds& bounds) const;

  const HttpClientConfig config_;
  const ClientOptions options_;
  const std::vector<std::string> proxy_secrets_;  // the proxy URL's password, if any
  mutable EasyHandlePool pool_;
  mutable std::atomic<std::uint64_t> connections_opened_{0};
};

}  // namespace tocsin::http
