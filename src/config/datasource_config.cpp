#include "config/datasource_config.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "core/files.h"
#include "http/url.h"

namespace tocsin::config {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

// RFC 9110 token characters.
bool is_header_name(std::string_view name) {
  constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
  return !name.empty() && std::ranges::all_of(name, [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           kSymbols.find(c) != std::string_view::npos;
  });
}

// Headers libcurl or the client set themselves; a configured value would
// break the request or be ignored.
constexpr std::array<std::string_view, 9> kReservedHeaders = {
    "Host",       "Content-Length", "Content-Type", "Transfer-Encoding", "Connection",
    "Keep-Alive", "Expect",         "Upgrade",      "Accept-Encoding"};

void check_readable(const std::string& path, std::string_view field,
                    std::vector<std::string>& problems) {
  if (path.empty()) return;
  if (auto read = files::read(path); !read) {
    problems.push_back(fmt::format("{}: {}", field, read.error().to_string()));
  }
}

// The datasource's authorization can only come from bearer_token[_file]:
// messages name those keys.
void check_auth(const http::HttpClientConfig& config, std::vector<std::string>& problems) {
  if (config.basic_auth && config.authorization) {
    problems.push_back(
        "at most one of basic_auth, bearer_token & bearer_token_file must be configured");
  }
  if (config.authorization) {
    const http::Authorization& token = *config.authorization;
    if (!token.credentials.empty() && !token.credentials_file.empty()) {
      problems.push_back("at most one of bearer_token & bearer_token_file must be configured");
    }
    check_readable(token.credentials_file, "bearer_token_file", problems);
  }
  if (config.basic_auth) {
    const http::BasicAuth& basic = *config.basic_auth;
    if (!basic.password.empty() && !basic.password_file.empty()) {
      problems.push_back("basic_auth: at most one of password & password_file must be configured");
    }
    check_readable(basic.password_file, "basic_auth.password_file", problems);
  }
}

void check_headers(const DatasourceConfig& config, std::vector<std::string>& problems) {
  bool has_auth = config.http_config.basic_auth || config.http_config.authorization;
  for (const auto& [name, value] : config.headers) {
    if (!is_header_name(name)) {
      problems.push_back(fmt::format("headers: \"{}\" is not a valid header name", name));
      continue;
    }
    bool reserved =
        std::ranges::any_of(kReservedHeaders, [&](std::string_view r) { return iequals(r, name); });
    if (reserved) {
      problems.push_back(
          fmt::format("headers: {} is set by tocsin and cannot be configured", name));
    } else if (has_auth && iequals(name, "Authorization")) {
      problems.push_back(
          "headers: Authorization cannot be set together with basic_auth or bearer_token");
    }
    // The value is never echoed: it may be a secret.
    if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
      problems.push_back(fmt::format("headers: the value of {} holds a line break or NUL", name));
    }
  }
}

void check_tls(const http::TlsConfig& tls, std::vector<std::string>& problems) {
  if (tls.cert_file.empty() != tls.key_file.empty()) {
    problems.push_back("tls_config: cert_file and key_file must be set together");
  }
  check_readable(tls.ca_file, "tls_config.ca_file", problems);
  check_readable(tls.cert_file, "tls_config.cert_file", problems);
  check_readable(tls.key_file, "tls_config.key_file", problems);
}

}  // namespace

Status validate(const DatasourceConfig& config) {
  std::vector<std::string> problems;
  if (auto url = http::parse_base_url(config.url); !url) {
    problems.push_back(url.error().message());
  }
  if (config.timeout <= Duration(0)) problems.push_back("timeout must be greater than zero");
  check_auth(config.http_config, problems);
  check_headers(config, problems);
  check_tls(config.http_config.tls_config, problems);
  if (problems.empty()) return {};
  std::string message = "invalid Prometheus client config: ";
  for (std::size_t i = 0; i < problems.size(); ++i) {
    if (i > 0) message += "; ";
    message += problems[i];
  }
  return fail(std::move(message));
}

}  // namespace tocsin::config
