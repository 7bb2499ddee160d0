// The request parameters of Alertmanager's API v2, bound as go-swagger's
// generated binders and Alertmanager's handlers bind them: the query of GET
// /alerts, /alerts/groups and /silences, the {silenceID} in a path, and
// the content type of a body.
//
// Pure functions. The query arrives as Go's url.ParseQuery reads it
// (gocompat::parse_query): an unencoded "filter=alertname=X" is the filter
// "alertname=X".
#pragma once

#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <tocsin/matcher.h>

#include "api/api_error.h"
#include "web/http.h"

namespace tocsin::api {

// The query of GET /api/v2/alerts and /api/v2/alerts/groups.
struct AlertsParams {
  std::vector<std::string> filter;  // every filter= value, in order
  bool silenced = true;
  bool inhibited = true;
  bool active = true;
  std::string receiver;  // a regular expression; "" for every receiver
  // `unprocessed` is read and ignored, as Alertmanager 0.25 does.
};

// A single-valued parameter binds its last value; a boolean is true for
// swag.ConvertBool's words ("true", "1", "yes", "on", ...; any case),
// false for anything else, and its default when absent or empty.
AlertsParams bind_alerts_params(const web::Request& req);

// Every filter= value of GET /api/v2/silences.
std::vector<std::string> bind_silences_filter(const web::Request& req);

// The filter= values as matchers, as Alertmanager's handlers parse them
// (labels.ParseMatcher); a bad one answers 400 with its error as a JSON
// string ("bad matcher format: 9a=b").
std::expected<Matchers, ApiError> parse_filter(std::span<const std::string> filters);

// The {silenceID} path parameter: 422 {"code":601,"message":"silenceID in
// path must be of type uuid: \"x\""} unless it is a UUID (strfmt's format).
std::expected<void, ApiError> check_silence_id(std::string_view id);

// go-openapi's choice of a consumer for a request with a body: nullopt when
// the body is empty or its Content-Type is application/json (parameters and
// case aside); otherwise 415 {"code":415,"message":"unsupported media type
// \"text/plain\", only [application/json] are allowed"}, a missing type
// read as application/octet-stream.
std::optional<ApiError> check_json_body(const web::Request& req);

}  // namespace tocsin::api
