// What go-openapi's producers write for Alertmanager's API v2 on success:
// a JSON payload as its Encoder ends it (with a newline), or an empty 200
// with no content type at all.
#pragma once

#include <string>
#include <string_view>

#include "web/http.h"

namespace tocsin::api {

inline constexpr std::string_view kJsonContentType = "application/json";

// 200, application/json: `document` (as json.Marshal returns it) and the
// newline json.Encoder.Encode ends it with.
web::Response json_ok(std::string document);
// 200 with no body and no Content-Type (DELETE, POST /alerts).
web::Response empty_ok();

}  // namespace tocsin::api
