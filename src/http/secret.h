// A credential read from configuration (a password, an API key, a webhook
// URL that embeds a token): prometheus/common's config.Secret, which its
// HTTP client config holds and Alertmanager's receivers use too. It prints,
// formats and serialises as "<secret>", as Alertmanager shows secrets in
// /api/v2/status, so that no log line or status page can leak one by
// accident; `reveal()` is the one way to read it.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json_fwd.hpp>

namespace tocsin::http {

inline constexpr std::string_view kSecretToken = "<secret>";

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}

  const std::string& reveal() const { return value_; }
  bool empty() const { return value_.empty(); }

  // "<secret>" when set, "" when not.
  std::string_view redacted() const { return value_.empty() ? std::string_view() : kSecretToken; }

  bool operator==(const Secret& other) const = default;

 private:
  std::string value_;
};

std::ostream& operator<<(std::ostream& out, const Secret& secret);
void to_json(nlohmann::json& out, const Secret& secret);

}  // namespace tocsin::http

template <>
struct fmt::formatter<tocsin::http::Secret> : fmt::formatter<std::string_view> {
  template <typename FormatContext>
  auto format(const tocsin::http::Secret& secret, FormatContext& ctx) const {
    return fmt::formatter<std::string_view>::format(secret.redacted(), ctx);
  }
};
