// The HTTP side of one remote_write target, as Prometheus 2.42's
// remote.Client.Store: POSTs an encoded request (write_request.h) with
// Content-Encoding: snappy, Content-Type: application/x-protobuf and
// X-Prometheus-Remote-Write-Version: 0.1.0, the target's headers and
// credentials, within remote_timeout, and says whether a retry is worth it:
// a request that got no response and a 5xx are; a 429 is when
// retry_on_http_429 is set (after Retry-After when the receiver gives one);
// any other status is final.
//
// Thread-safe; immutable after create().
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <tocsin/error.h>
#include <tocsin/time.h>

#include "config/remote_write_config.h"
#include "http/curl_bounds.h"
#include "http/http_client.h"

namespace tocsin::remote {

struct SendOutcome {
  enum class Kind { kSent, kRetry, kFailed };
  Kind kind = Kind::kSent;
  std::string error{};      // empty when sent; never a secret
  Duration retry_after{0};  // kRetry: what the receiver asked for; 0: the backoff's own
};

class WriteClient {
 public:
  // Fails as http::HttpClient::create fails (oauth2, unreadable TLS files,
  // a bad proxy_url), the message naming the target.
  static Result<std::unique_ptr<WriteClient>> create(const config::RemoteWriteConfig& config);

  SendOutcome store(std::string_view body, const http::TransferBounds& bounds = {}) const;

  const std::string& url() const { return url_; }

 private:
  WriteClient(std::string url, bool retry_on_429, std::unique_ptr<http::HttpClient> client);

  const std::string url_;
  const bool retry_on_429_;
  const std::unique_ptr<http::HttpClient> client_;
};

// Retry-After as a delay: delay-seconds, or an HTTP date measured from
// `now`; zero when absent, unreadable or past (the backoff's own then).
Duration retry_after_delay(std::string_view value, Timestamp now);

}  // namespace tocsin::remote
