// The HTTP client every HTTP integration posts through: one per configured
// integration, honouring its http_config (basic_auth, authorization,
// proxy_url, tls_config, follow_redirects, enable_http2) as prometheus/common
// 0.38's client does for Alertmanager 0.25. oauth2 is not supported: create()
// refuses it.
//
// Thread-safe; immutable after create(). Each call leases a libcurl handle
// with its own kept-alive connection (query's EasyHandlePool), so concurrent
// notifications never wait for each other and sequential ones reuse their
// connection.
//
// Secrets (credentials, the URL's token, anything the caller names) never
// appear in a Failure: messages name only scheme://host:port, and text that
// came from libcurl or the server is redacted.
#pragma once

#include <expected>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <tocsin/error.h>
#include <tocsin/notify.h>
#include <tocsin/time.h>

#include "config/http_config.h"
#include "query/easy_handle_pool.h"

namespace tocsin::notifiers {

struct HttpClientOptions {
  Duration timeout{0};     // one request, connection included
  std::string user_agent;  // sent as User-Agent
};

struct HttpResponse {
  int status = 0;
  // At most the first 64 KiB; the rest is read and dropped. Redacted of
  // every secret unless the status is 2xx.
  std::string body;
};

class HttpClient {
 public:
  // Fails (as a configuration error) on oauth2 and on TLS files that cannot
  // be read.
  static Result<std::unique_ptr<HttpClient>> create(config::HttpClientConfig config,
                                                    HttpClientOptions options);

  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // POSTs `body` with Content-Type `content_type`. Any HTTP status is a
  // response; only a request that got none fails, and that is worth a retry
  // (a timeout, a refused connection, a TLS failure, an unreadable
  // credentials file), as Alertmanager retries every failed round trip.
  // `secrets` are redacted from the failure besides the client's own. The
  // request gives up at context.deadline and when context.stop is requested.
  std::expected<HttpResponse, notify::Failure> post(const std::string& url,
                                                    std::string_view content_type,
                                                    std::string_view body,
                                                    const std::vector<std::string>& secrets,
                                                    const notify::Context& context) const;

  const config::HttpClientConfig& config() const { return config_; }

 private:
  HttpClient(config::HttpClientConfig config, HttpClientOptions options,
             std::vector<std::string> secrets);

  const config::HttpClientConfig config_;
  const HttpClientOptions options_;
  const std::vector<std::string> proxy_secrets_;  // the proxy URL's password, if any
  mutable query::EasyHandlePool pool_;
};

}  // namespace tocsin::notifiers
