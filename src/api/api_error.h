// The errors Alertmanager's API v2 answers with, as go-openapi and
// Alertmanager's handlers write them. amtool prints the body after the
// status, so the words and the bytes matter.
//
// Two shapes: go-openapi's own errors (a body that does not parse or
// validate, a path parameter of the wrong format, an unknown path or
// method) carry a code and are written {"code":602,"message":"..."} with
// json.Marshal; a handler's error payload is a JSON string written by the
// producer's Encoder (no HTML escaping, a newline).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "web/http.h"

namespace tocsin::api {

// go-openapi/errors codes. It serves the 6xx ones as 422.
inline constexpr int kParseErrorCode = 400;
inline constexpr int kInvalidTypeCode = 601;
inline constexpr int kRequiredFailCode = 602;
inline constexpr int kMinItemsFailCode = 612;
inline constexpr int kUnprocessable = 422;

struct ApiError {
  int status = 400;
  std::string message;
  // Set for go-openapi's own errors; unset for a handler's payload.
  std::optional<int> code;

  // The response body: what `amtool` prints after the status.
  std::string body() const;
  bool operator==(const ApiError&) const = default;
};

// A go-openapi validation failure (422 with `code`).
ApiError validation_error(int code, std::string message);
// go-openapi's "parsing <name> body from \"\" failed, because <reason>" (400).
ApiError body_parse_error(std::string_view name, std::string_view reason);
// A handler's error payload, a JSON string.
ApiError handler_error(int status, std::string message);
// go-openapi's shape for a status of tocsin's own (503): the code is the status.
ApiError coded_error(int status, std::string message);

// `error` as the response: its status, body and application/json.
web::Response error_response(const ApiError& error);

}  // namespace tocsin::api
