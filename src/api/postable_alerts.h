// The alerts clients post to Alertmanager's API, read as Alertmanager 0.25
// reads them: POST /api/v2/alerts (go-swagger's postableAlerts) and the
// deprecated POST /api/v1/alerts (types.Alert). Decoding follows Go's
// encoding/json, errors included; v2 adds go-swagger's validation; the
// handler's own check (model.Alert.Validate) runs after the defaults.
//
// Pure functions.
#pragma once

#include <expected>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tocsin/notify.h>
#include <tocsin/time.h>

#include "api/api_error.h"

namespace tocsin::api {

enum class AlertsApi { kV1, kV2 };

// Go's zero time.Time (0001-01-01T00:00:00Z), which Alertmanager's IsZero
// checks take as unset.
inline constexpr Timestamp kGoZeroTime{std::chrono::milliseconds(-62135596800000)};

// One posted alert as decoded, before Alertmanager's defaults.
struct PostedAlert {
  // nullopt: absent or null (go-swagger's "labels in body is required").
  std::optional<std::map<std::string, std::string>> labels;
  std::map<std::string, std::string> annotations;
  // nullopt: absent, null, or Go's zero time (0001-01-01T00:00:00Z), all of
  // which Alertmanager takes as unset.
  std::optional<Timestamp> starts_at;
  std::optional<Timestamp> ends_at;
  std::string generator_url;
  bool timeout = false;  // v1 only: types.Alert's exported Timeout field
};

// The body decoded; a null item stays nullopt (Alertmanager dereferences it
// and the request fails). Errors, v2 (go-openapi's, served as it serves them):
//   nothing but white space      -> 422 {"code":602,"message":"alerts in body is required"}
//   bad JSON, wrong types, times -> 400 {"code":400,"message":"parsing alerts body from \"\"
//                                   failed, because json: cannot unmarshal ..."}
//   an item without labels       -> 422 (602) "0.labels in body is required"
//   a generatorURL that is not a request URI
//                                -> 422 (601) "0.generatorURL in body must be of type uri: \"x\""
// v1: the message of the bad_data error ("EOF", "\"a-b\" is not a valid
// label name", Go's time.Parse error, ...), status 400, no code.
std::expected<std::vector<std::optional<PostedAlert>>, ApiError> decode_posted_alerts(
    std::string_view body, AlertsApi api);

// The alert Alertmanager builds from a posted one before its defaults:
// labels without the empty ones (removeEmptyLabels), the times as given
// (unset as the epoch).
notify::Alert to_alert(const PostedAlert& posted);

// model.Alert.Validate on the alert after the defaults, in its order and
// words: "start time must be before end time", "invalid label set: invalid
// name \"a-b\"", "at least one label pair required", "invalid annotations:
// invalid name \"a-b\"". nullopt: valid.
std::optional<std::string> check_alert(const PostedAlert& posted, const notify::Alert& completed);
// The same for an alert whose label and annotation names are known to be
// valid (decode_plain_alerts checked them): what is left of Validate.
std::optional<std::string> check_alert(const notify::Alert& completed);

// Go's url.ParseRequestURI succeeds: strfmt's "uri" format.
bool is_request_uri(std::string_view text);

}  // namespace tocsin::api
