// Alertmanager's notify.Retrier: what an HTTP status says about a
// notification. 2xx is sent; 5xx, and the integration's own extra codes
// (PagerDuty's rate limits), may pass on a later try; anything else is final.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include <tocsin/notify.h>

namespace tocsin::notifiers {

struct Retrier {
  std::vector<int> extra_retry_codes{};

  // Success for 2xx; otherwise a Failure reading "unexpected status code N"
  // followed by ": details" when `details` is not empty.
  // A 2xx is delivered, its reply "HTTP <status>".
  std::expected<notify::Delivery, notify::Failure> check(int status,
                                                         std::string_view details) const;
};

// The start of a response body for an error: at most `max_bytes` bytes cut
// on a UTF-8 boundary with "..." when cut, surrounding white space trimmed,
// control characters escaped, so a body cannot forge log lines.
std::string body_excerpt(std::string_view body, std::size_t max_bytes = 512);

}  // namespace tocsin::notifiers
