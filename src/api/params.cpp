#include "api/params.h"

#include <algorithm>

#include <fmt/format.h>

#include "api/openapi_response.h"
#include "dispatch/silence_id.h"
#include "gocompat/json.h"
#include "gocompat/strconv.h"

namespace tocsin::api {
namespace {

std::vector<std::string> all_values(const web::Request& req, const std::string& name) {
  std::vector<std::string> out;
  auto [begin, end] = req.params.equal_range(name);
  for (auto it = begin; it != end; ++it) out.push_back(it->second);
  return out;
}

// The last value of a parameter; "" when absent.
std::string last_value(const web::Request& req, const std::string& name) {
  auto [begin, end] = req.params.equal_range(name);
  if (begin == end) return {};
  return std::prev(end)->second;
}

// swag.ConvertBool; "" keeps the default.
bool bool_param(const web::Request& req, const std::string& name, bool fallback) {
  std::string raw = last_value(req, name);
  if (raw.empty()) return fallback;
  std::transform(raw.begin(), raw.end(), raw.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (std::string_view yes :
       {"true", "1", "yes", "ok", "y", "on", "selected", "checked", "t", "enabled"}) {
    if (raw == yes) return true;
  }
  return false;
}

}  // namespace

AlertsParams bind_alerts_params(const web::Request& req) {
  AlertsParams p;
  p.filter = all_values(req, "filter");
  p.silenced = bool_param(req, "silenced", true);
  p.inhibited = bool_param(req, "inhibited", true);
  p.active = bool_param(req, "active", true);
  p.receiver = last_value(req, "receiver");
  return p;
}

std::vector<std::string> bind_silences_filter(const web::Request& req) {
  return all_values(req, "filter");
}

std::expected<Matchers, ApiError> parse_filter(std::span<const std::string> filters) {
  Matchers out;
  for (const std::string& f : filters) {
    auto m = parse_matcher(f);
    if (!m) return std::unexpected(handler_error(400, m.error().message()));
    out.push_back(std::move(*m));
  }
  return out;
}

std::expected<void, ApiError> check_silence_id(std::string_view id) {
  if (dispatch::is_uuid(id)) return {};
  return std::unexpected(validation_error(
      kInvalidTypeCode,
      fmt::format("silenceID in path must be of type uuid: {}", gocompat::quote(id))));
}

std::optional<ApiError> check_json_body(const web::Request& req) {
  if (req.body.empty()) return std::nullopt;
  std::string header = req.header("Content-Type");
  std::string media = header.empty() ? "application/octet-stream" : header;
  std::string type = media.substr(0, media.find(';'));
  type.erase(0, type.find_first_not_of(" \t"));
  type.erase(type.find_last_not_of(" \t") + 1);
  if (gocompat::json_key_matches(type, kJsonContentType)) return std::nullopt;
  return coded_error(415,
                     fmt::format("unsupported media type {}, only [application/json] are allowed",
                                 gocompat::quote(media)));
}

}  // namespace tocsin::api
