#include "query/credentials.h"

#include <cstdint>

#include <fmt/format.h>

#include "core/files.h"

namespace tocsin::query {
namespace {

// Go's strings.TrimSpace for the ASCII whitespace a file ends with.
std::string trim_space(std::string_view s) {
  constexpr std::string_view kSpace = " \t\n\v\f\r";
  auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  auto last = s.find_last_not_of(kSpace);
  return std::string(s.substr(first, last - first + 1));
}

bool fits_in_header(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

std::unexpected<QueryError> credentials_error(std::string message) {
  return std::unexpected(QueryError{std::string(error_type::kCredentials), std::move(message)});
}

// The trimmed content of a credentials file; `what` names it in errors.
std::expected<std::string, QueryError> read_secret_file(const std::string& path,
                                                        std::string_view what) {
  auto content = files::read(path);
  if (!content) {
    return credentials_error(
        fmt::format("unable to read {} {}: {}", what, path, content.error().message()));
  }
  std::string value = trim_space(*content);
  if (!fits_in_header(value)) {
    return credentials_error(
        fmt::format("{} {} holds a line break or NUL inside its value", what, path));
  }
  return value;
}

}  // namespace

std::expected<Authorization, QueryError> resolve_authorization(const ClientConfig& config) {
  Authorization auth;
  if (config.basic_auth) {
    const BasicAuth& basic = *config.basic_auth;
    std::string password = trim_space(basic.password);
    if (!basic.password_file.empty()) {
      auto read = read_secret_file(basic.password_file, "basic auth password file");
      if (!read) return std::unexpected(read.error());
      password = std::move(*read);
    }
    std::string encoded = base64_encode(basic.username + ":" + password);
    auth.header = "Authorization: Basic " + encoded;
    auth.secrets = {password, encoded};
    return auth;
  }
  std::string token = config.bearer_token;
  if (!config.bearer_token_file.empty()) {
    auto read = read_secret_file(config.bearer_token_file, "bearer token file");
    if (!read) return std::unexpected(read.error());
    token = std::move(*read);
  }
  if (!token.empty()) {
    auth.header = "Authorization: Bearer " + token;
    auth.secrets = {token};
  }
  return auth;
}

std::string redact(std::string text, const std::vector<std::string>& secrets) {
  constexpr std::string_view kMask = "***";
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    for (auto pos = text.find(secret); pos != std::string::npos;
         pos = text.find(secret, pos + kMask.size())) {
      text.replace(pos, secret.size(), kMask);
    }
  }
  return text;
}

std::string base64_encode(std::string_view data) {
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    auto n = (std::uint32_t(std::uint8_t(data[i])) << 16) |
             (std::uint32_t(std::uint8_t(data[i + 1])) << 8) | std::uint8_t(data[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (std::size_t rest = data.size() - i; rest > 0) {
    std::uint32_t n = std::uint32_t(std::uint8_t(data[i])) << 16;
    if (rest == 2) n |= std::uint32_t(std::uint8_t(data[i + 1])) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += rest == 2 ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace tocsin::query
