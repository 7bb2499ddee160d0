#include "notifiers/http/request_auth.h"

#include <fmt/format.h>

#include "notifiers/common/secret_file.h"
#include "query/credentials.h"

namespace tocsin::notifiers {
namespace {

std::unexpected<notify::Failure> unreadable(std::string_view what, const std::string& path,
                                            const Error& error) {
  return std::unexpected(
      notify::Failure{fmt::format("unable to read {} {}: {}", what, path, error.message()), true});
}

}  // namespace

std::expected<RequestAuth, notify::Failure> resolve_request_auth(
    const config::HttpClientConfig& config) {
  RequestAuth auth;
  if (config.basic_auth) {
    const config::BasicAuth& basic = *config.basic_auth;
    std::string password = basic.password.reveal();
    if (!basic.password_file.empty()) {
      auto read = read_trimmed_secret_file(basic.password_file);
      if (!read) return unreadable("basic auth password file", basic.password_file, read.error());
      password = std::move(*read);
    }
    std::string encoded = query::base64_encode(basic.username + ":" + password);
    auth.header = "Authorization: Basic " + encoded;
    auth.secrets = {password, encoded};
    return auth;
  }
  if (config.authorization) {
    const config::Authorization& authorization = *config.authorization;
    std::string credentials = authorization.credentials.reveal();
    if (!authorization.credentials_file.empty()) {
      auto read = read_trimmed_secret_file(authorization.credentials_file);
      if (!read) {
        return unreadable("authorization credentials file", authorization.credentials_file,
                          read.error());
      }
      credentials = std::move(*read);
    }
    if (!credentials.empty()) {
      auth.header = fmt::format("Authorization: {} {}", authorization.type, credentials);
      auth.secrets = {credentials};
    }
  }
  if (auth.header.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
    // A header line cannot hold a line break: refuse rather than send two headers.
    return std::unexpected(
        notify::Failure{"the Authorization credentials hold a line break or NUL", false});
  }
  return auth;
}

}  // namespace tocsin::notifiers
