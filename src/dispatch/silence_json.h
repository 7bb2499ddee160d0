// Silences in Alertmanager's API v2 (api/v2/openapi.yaml, v0.25): the
// gettableSilence JSON GET answers with, the postableSilence POST reads with
// go-swagger's validation and Alertmanager's handler checks, and the errors
// each answers with, byte for byte where amtool shows them.
//
// Pure functions over values; the HTTP handlers in src/api/ call them.
// `now` is the handler's clock reading.
#pragma once

#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <tocsin/matcher.h>
#include <tocsin/time.h>

#include "dispatch/silence.h"
#include "dispatch/silences.h"

namespace tocsin::dispatch {

using ApiJson = nlohmann::ordered_json;

// An error answer of the silence endpoints, as Alertmanager writes it.
struct ApiError {
  int status = 400;
  std::string message;
  // go-swagger's own errors (a body that fails to parse or validate, a
  // path parameter of the wrong format) carry a code and are written as
  // {"code":602,"message":"..."}; the handlers' errors are a JSON string.
  std::optional<int> code;

  // The response body: what `amtool` prints after the status.
  std::string body() const;
  bool operator==(const ApiError&) const = default;
};

// gettableSilence: {"id","status":{"state"},"updatedAt","comment",
// "createdBy","endsAt","matchers":[{"isEqual","isRegex","name","value"}],
// "startsAt"}, times as RFC 3339 in UTC with milliseconds.
ApiJson gettable_silence_json(const Silence& silence, Timestamp now);
// gettableSilences, in GET /api/v2/silences order (order_for_listing).
ApiJson gettable_silences_json(std::vector<Silence> silences, Timestamp now);

// The body of POST /api/v2/silences, decoded as Go's encoding/json and
// validated as go-swagger does (the first failure only, as it serves it):
//   ""                         -> 422 {"code":602,"message":"silence in body is required"}
//   {"matchers":[],...}        -> 422 "matchers in body should have at least 1 items" (612)
//   {} / missing field         -> 422 "comment in body is required" (then createdBy,
//                                 endsAt, matchers, startsAt; "matchers.0.isRegex ...")
//   bad JSON or wrong types    -> 400 "parsing silence body from \"\" failed, because ..."
// A matcher's isEqual defaults to true. createdBy and comment may be empty.
std::expected<PostableSilence, ApiError> parse_postable_silence(std::string_view body);

// The POST handler's own checks before it stores the silence (400):
// "Failed to create silence: start time must be before end time",
// "Failed to create silence: end time can't be in the past".
std::expected<void, ApiError> check_postable_silence(const PostableSilence& silence, Timestamp now);

// What POST answers when Silences::set refuses: 404 "silence not found",
// 400 "silence invalid: ...".
ApiError post_error(const SilenceError& error);

// All of POST /api/v2/silences: parse, check, store. The answer on success
// is {"silenceID":"..."} with status 200.
std::expected<ApiJson, ApiError> post_silence(Silences& silences, std::string_view body,
                                              Timestamp now);

// The {silenceID} path parameter of GET and DELETE /api/v2/silence/{id}:
// 422 {"code":601,"message":"silenceID in path must be of type uuid: \"x\""}
// unless it is a UUID. (GET answers an unknown id with 404 and no body;
// DELETE answers it with 500 "silence not found", as Alertmanager 0.25 does.)
std::expected<void, ApiError> check_silence_id(std::string_view id);

// DELETE /api/v2/silence/{id}: the id check, then expire.
std::expected<void, ApiError> delete_silence(Silences& silences, std::string_view id,
                                             Timestamp now);

// GET /api/v2/silences?filter=...: each filter parsed as a matcher (400 with
// the matcher error as a JSON string otherwise). Use as SilenceQuery::filter.
std::expected<Matchers, ApiError> parse_silence_filter(std::span<const std::string> filters);

// strfmt.DateTime's text: "2024-05-01T12:00:00.000Z".
std::string format_api_time(Timestamp t);

// strfmt.ParseDateTime: RFC 3339 with or without a fraction, with "Z",
// "+hh:mm" or (3 or 6 fraction digits) "+hhmm", or without a zone (UTC);
// "2006-01-02T15:04Z", "2006-01-02T15:04", "2006-01-02 15:04:05"; "" is the
// Unix epoch. Errors read as Go's time.Parse against the last layout tried.
Result<Timestamp> parse_api_time(std::string_view text);

}  // namespace tocsin::dispatch
