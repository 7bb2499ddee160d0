#include "api/api_error.h"

#include <fmt/format.h>

#include "api/openapi_response.h"
#include "gocompat/json.h"

namespace tocsin::api {

std::string ApiError::body() const {
  if (code) {
    return fmt::format("{{\"code\":{},\"message\":{}}}", *code,
                       gocompat::json_quote(message, true));
  }
  return gocompat::json_quote(message, false) + "\n";
}

ApiError validation_error(int code, std::string message) {
  return ApiError{kUnprocessable, std::move(message), code};
}

ApiError body_parse_error(std::string_view name, std::string_view reason) {
  return ApiError{400, fmt::format("parsing {} body from \"\" failed, because {}", name, reason),
                  kParseErrorCode};
}

ApiError handler_error(int status, std::string message) {
  return ApiError{status, std::move(message), std::nullopt};
}

ApiError coded_error(int status, std::string message) {
  return ApiError{status, std::move(message), status};
}

web::Response error_response(const ApiError& error) {
  web::Response res;
  res.status = error.status;
  res.set_content(error.body(), std::string(kJsonContentType));
  return res;
}

}  // namespace tocsin::api
