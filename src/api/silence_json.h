// Silences in Alertmanager's API v2 (api/v2/openapi.yaml, v0.25): the
// gettableSilence JSON GET answers with, and the postableSilence POST reads,
// with go-swagger's validation and Alertmanager's handler checks, and the
// errors each answers with, byte for byte where amtool shows them.
//
// Pure functions over values; silences_endpoint.h serves them. `now` is the
// handler's clock reading.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include <tocsin/time.h>

#include "api/api_error.h"
#include "dispatch/silence.h"
#include "dispatch/silences.h"

namespace tocsin::api {

// gettableSilence: {"id","status":{"state"},"updatedAt","comment",
// "createdBy","endsAt","matchers":[{"isEqual","isRegex","name","value"}],
// "startsAt"}, times as strfmt.DateTime, as json.Marshal returns it (no
// newline): go-swagger's composed model goes through json.Marshal, so <, >
// and & are escaped even inside an Encoder that does not escape. A silence
// that ends when its alerts resolve (tocsin's extension, posted as
// "endsWhenResolved": true) adds "endsWhenResolved":true at the end; a
// recurring one (tocsin's "timeIntervals": [...], Alertmanager's
// time_interval syntax) adds its "timeIntervals".
std::string gettable_silence_json(const dispatch::Silence& silence, Timestamp now);
// gettableSilences, in GET /api/v2/silences order (order_for_listing).
std::string gettable_silences_json(std::vector<dispatch::Silence> silences, Timestamp now);

// The body of POST /api/v2/silences, decoded as Go's encoding/json and
// validated as go-swagger does (the first failure only, as it serves it):
//   ""                         -> 422 {"code":602,"message":"silence in body is required"}
//   {"matchers":[],...}        -> 422 "matchers in body should have at least 1 items" (612)
//   {} / missing field         -> 422 "comment in body is required" (then createdBy,
//                                 endsAt, matchers, startsAt; "matchers.0.isRegex ...")
//   bad JSON or wrong types    -> 400 "parsing silence body from \"\" failed, because ..."
// A matcher's isEqual defaults to true. createdBy and comment may be empty.
std::expected<dispatch::PostableSilence, ApiError> parse_postable_silence(std::string_view body);

// The POST handler's own checks before it stores the silence (400):
// "Failed to create silence: start time must be before end time",
// "Failed to create silence: end time can't be in the past".
std::expected<void, ApiError> check_postable_silence(const dispatch::PostableSilence& silence,
                                                     Timestamp now);

// What POST answers when Silences::set refuses: 404 "silence not found",
// 400 "silence invalid: ...".
ApiError post_error(const dispatch::SilenceError& error);

}  // namespace tocsin::api
