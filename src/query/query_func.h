// What the rule evaluator sees of Prometheus: an instant query at a given
// time that yields a vector of samples or a typed error.
//
// `QueryFunc` is the seam rules, templates and tests share (Prometheus's
// rules.QueryFunc): the real one is PrometheusClient::instant_query, tests
// hand in a lambda.
#pragma once

#include <expected>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <tocsin/labels.h>
#include <tocsin/time.h>

namespace tocsin::query {

// One element of an instant vector. A scalar result becomes one sample with
// empty labels, as Prometheus's rule manager does.
struct Sample {
  Labels metric{};
  double value = 0;
  Timestamp timestamp{};
};
using Vector = std::vector<Sample>;

// Error types tocsin adds to Prometheus's own ("bad_data", "execution",
// "timeout", "canceled", "unavailable", "internal", "not_found"), which are
// kept exactly as Prometheus sent them.
namespace error_type {
inline constexpr std::string_view kConnection = "connection";    // no TCP/TLS exchange
inline constexpr std::string_view kTimeout = "timeout";          // our deadline passed
inline constexpr std::string_view kHttp = "http";                // non-2xx, not Prometheus JSON
inline constexpr std::string_view kDecode = "decode";            // 2xx, body not understood
inline constexpr std::string_view kCredentials = "credentials";  // password/token file unreadable
inline constexpr std::string_view kUnsupportedResult = "unsupported_result";  // matrix, string
}  // namespace error_type

// Never carries a secret: messages are built without credentials, and text
// that came from the server is redacted before it lands here.
struct QueryError {
  std::string type{};     // see error_type, or Prometheus's errorType
  std::string message{};  // Prometheus's "error", or tocsin's description
  int http_status = 0;    // 0 when no HTTP response arrived

  // "type: message", as Prometheus's Go client prints its errors.
  std::string to_string() const;
};

using QueryResult = std::expected<Vector, QueryError>;
using QueryFunc = std::function<QueryResult(std::string_view expr, Timestamp at)>;

}  // namespace tocsin::query
