// The body of POST /api/v1/query: application/x-www-form-urlencoded, as
// an HTML form (and Go's url.Values.Encode) writes it.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <tocsin/time.h>

namespace tocsin::query {

// name=value pairs joined with '&', in the order given. Unreserved
// characters (A-Z a-z 0-9 - _ . ~) stay, space becomes '+', every other byte
// is %XX.
std::string form_encode(const std::vector<std::pair<std::string_view, std::string>>& fields);

// Seconds with up to three decimals ("120", "1.5", "0.25"): a form
// Prometheus's parseDuration accepts for the `timeout` parameter.
std::string format_timeout_seconds(Duration timeout);

// query=<expr>&time=<at as Unix seconds.millis>&timeout=<seconds>. The time
// is the caller's evaluation time, so a late tick still asks for its own
// instant.
std::string instant_query_form(std::string_view expr, Timestamp at, Duration timeout);

}  // namespace tocsin::query
