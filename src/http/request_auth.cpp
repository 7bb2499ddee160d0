#include "http/request_auth.h"

#include <fmt/format.h>

#include "http/base64.h"
#include "http/secret_file.h"

namespace tocsin::http {
namespace {

bool fits_in_header(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

// The trimmed content of a credentials file; `what` names it in errors.
std::expected<std::string, AuthFailure> read_credentials_file(const std::string& path,
                                                              std::string_view what) {
  auto read = read_trimmed_secret_file(path);
  if (!read) {
    return std::unexpected(AuthFailure{
        fmt::format("unable to read {} {}: {}", what, path, read.error().message()), true});
  }
  if (!fits_in_header(*read)) {
    return std::unexpected(AuthFailure{
        fmt::format("{} {} holds a line break or NUL inside its value", what, path), false});
  }
  return std::move(*read);
}

}  // namespace

std::expected<RequestAuth, AuthFailure> resolve_request_auth(
    const HttpClientConfig& config, std::string_view credentials_file_name) {
  RequestAuth auth;
  if (config.basic_auth) {
    const BasicAuth& basic = *config.basic_auth;
    std::string password = trim_space(basic.password.reveal());
    if (!basic.password_file.empty()) {
      auto read = read_credentials_file(basic.password_file, "basic auth password file");
      if (!read) return std::unexpected(read.error());
      password = std::move(*read);
    }
    std::string encoded = base64_encode(basic.username + ":" + password);
    auth.header = "Authorization: Basic " + encoded;
    auth.secrets = {password, encoded};
    return auth;
  }
  if (config.authorization) {
    const Authorization& authorization = *config.authorization;
    std::string credentials = authorization.credentials.reveal();
    if (!authorization.credentials_file.empty()) {
      auto read = read_credentials_file(authorization.credentials_file, credentials_file_name);
      if (!read) return std::unexpected(read.error());
      credentials = std::move(*read);
    }
    if (!credentials.empty()) {
      auth.header = fmt::format("Authorization: {} {}", authorization.type, credentials);
      auth.secrets = {credentials};
    }
  }
  if (!fits_in_header(auth.header)) {
    // A header line cannot hold a line break: refuse rather than send two headers.
    return std::unexpected(
        AuthFailure{"the Authorization credentials hold a line break or NUL", false});
  }
  return auth;
}

}  // namespace tocsin::http
