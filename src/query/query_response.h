// Decoding the answer of /api/v1/query (Prometheus's HTTP API envelope:
// {"status", "data": {"resultType", "result"}, "errorType", "error"}).
//
// Pure functions: no I/O, unit-tested on canned bodies.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "query/query_func.h"

namespace tocsin::query {

// A "vector" result gives its samples, a "scalar" one sample with empty
// labels; any other result type fails as Prometheus's rule manager does
// ("rule result is not a vector or scalar"). An error envelope keeps
// Prometheus's errorType and error with the HTTP status. Anything else is an
// "http" error (non-2xx) or a "decode" error (2xx) naming the status and
// quoting the start of the body.
QueryResult decode_query_response(int http_status, std::string_view body);

// Prometheus's sample value strings: a decimal number, "NaN", "+Inf", "-Inf".
std::optional<double> parse_sample_value(std::string_view text);

// The start of `body` for an error message: at most `max_bytes` bytes, cut
// on a UTF-8 boundary, control characters escaped, in double quotes, with
// "..." when cut.
std::string body_snippet(std::string_view body, std::size_t max_bytes = 200);

}  // namespace tocsin::query
