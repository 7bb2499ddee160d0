#include "api/postable_alerts.h"

#include <algorithm>
#include <initializer_list>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <tocsin/labels.h>

#include "api/date_time.h"
#include "gocompat/json.h"
#include "gocompat/strconv.h"
#include "gocompat/time_parse.h"
#include "gocompat/utf8.h"

namespace tocsin::api {
namespace {

using Json = nlohmann::ordered_json;

// The anonymous struct go-swagger's PostableAlert.UnmarshalJSON reads the
// first half of an item into: the type Go names when an item is not an object.
constexpr std::string_view kPostableAlertFirstHalf =
    R"(struct { Annotations models.LabelSet "json:\"annotations,omitempty\""; )"
    R"(EndsAt strfmt.DateTime "json:\"endsAt,omitempty\""; )"
    R"(StartsAt strfmt.DateTime "json:\"startsAt,omitempty\"" })";

// time.Time's UnmarshalJSON layout (v1): RFC 3339 between the JSON quotes.
constexpr std::string_view kQuotedRfc3339 = R"("2006-01-02T15:04:05Z07:00")";

ApiError v2_parse_error(const std::string& reason) {
  return body_parse_error("alerts", reason);
}

// ---- Go's string decoding ------------------------------------------------

void append_replacement(std::string& out) {
  out += "\xef\xbf\xbd";  // U+FFFD
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The \uXXXX escape at text[i] (text[i] is the backslash), or -1.
int escaped_unit(std::string_view text, std::size_t i) {
  if (i + 6 > text.size() || text[i] != '\\' || text[i + 1] != 'u') return -1;
  int v = 0;
  for (std::size_t k = i + 2; k < i + 6; ++k) {
    int h = hex_value(text[k]);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

// JSON text Go's scanner accepted, rewritten so that it decodes to what Go
// decodes it to: inside strings, each byte of invalid UTF-8 becomes U+FFFD
// and so does every \u escape of a surrogate that is not the first half of
// a pair (encoding/json's unquote). nlohmann refuses both otherwise.
std::string as_go_decodes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (std::size_t i = 0; i < text.size();) {
    char c = text[i];
    if (!in_string) {
      // Everything up to and including the next quote is copied as it is.
      std::size_t quote = text.find('"', i);
      if (quote == std::string_view::npos) {
        out.append(text.substr(i));
        break;
      }
      out.append(text.substr(i, quote + 1 - i));
      in_string = true;
      i = quote + 1;
      continue;
    }
    if (c != '"' && c != '\\' && static_cast<unsigned char>(c) < 0x80) {
      // A run of plain ASCII inside the string is copied at once.
      std::size_t end = i + 1;
      while (end < text.size() && text[end] != '"' && text[end] != '\\' &&
             static_cast<unsigned char>(text[end]) < 0x80) {
        ++end;
      }
      out.append(text.substr(i, end - i));
      i = end;
      continue;
    }
    if (c == '"') {
      in_string = false;
      out += c;
      ++i;
    } else if (c == '\\') {
      int unit = escaped_unit(text, i);
      if (unit >= 0xd800 && unit < 0xe000) {
        int next = escaped_unit(text, i + 6);
        if (unit < 0xdc00 && next >= 0xdc00 && next < 0xe000) {
          out.append(text.substr(i, 12));
          i += 12;
        } else {
          out += "\\ufffd";
          i += 6;
        }
      } else {
        out.append(text.substr(i, 2));
        i += 2;
      }
    } else if (static_cast<unsigned char>(c) < 0x80) {
      out += c;
      ++i;
    } else {
      char32_t cp = 0;
      int n = gocompat::decode_utf8(text, i, cp);
      if (n == 0) {
        append_replacement(out);
        ++i;
      } else {
        out.append(text.substr(i, static_cast<std::size_t>(n)));
        i += static_cast<std::size_t>(n);
      }
    }
  }
  return out;
}

// Whether as_go_decodes could change `text`: only a byte beyond ASCII or a
// \u escape can need rewriting.
bool needs_go_rewrite(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) return true;
    if (c == '\\' && i + 1 < text.size() && text[i + 1] == 'u') return true;
  }
  return false;
}

// ---- encoding/json's decoding --------------------------------------------

// Type mismatches are remembered (the first wins) and decoding goes on; a
// failing UnmarshalJSON stops it, and its error wins.
struct Decoder {
  std::optional<std::string> saved;
  std::optional<std::string> aborted;

  void save(std::string error) {
    if (!saved) saved = std::move(error);
  }
  // A JSON object of strings into a Go map[string]string (merging into what
  // is there, as Go does); a null value stores "".
  void string_map(const Json& v, std::map<std::string, std::string>& out, std::string_view field,
                  std::string_view map_type) {
    if (v.is_null()) {
      out.clear();
      return;
    }
    if (!v.is_object()) {
      save(gocompat::json_type_error(gocompat::json_kind(v), field, map_type));
      return;
    }
    for (const auto& [name, value] : v.items()) {
      if (value.is_string()) {
        out[name] = value.get<std::string>();
      } else if (value.is_null()) {
        out.emplace(name, "");
      } else {
        save(gocompat::json_type_error(gocompat::json_kind(value), field, "string"));
        out.emplace(name, "");
      }
    }
  }
};

std::optional<Timestamp> unless_zero(Timestamp t) {
  if (t == kGoZeroTime) return std::nullopt;
  return t;
}

// strfmt.DateTime's UnmarshalJSON (v2): null leaves the field alone, a
// string is parsed by strfmt.ParseDateTime, anything else fails.
void v2_time(Decoder& d, const Json& v, std::optional<Timestamp>& out, std::string_view field) {
  if (v.is_null()) return;
  if (!v.is_string()) {
    d.aborted = gocompat::json_type_error(gocompat::json_kind(v), field, "string");
    return;
  }
  auto t = parse_api_time(v.get<std::string>());
  if (!t) {
    d.aborted = t.error().message();
    return;
  }
  out = unless_zero(*t);
}

// time.Time's UnmarshalJSON (v1): time.Parse of the JSON text itself, quotes
// included, against RFC 3339 in quotes.
void v1_time(Decoder& d, const Json& v, std::optional<Timestamp>& out) {
  if (v.is_null()) return;
  std::string raw = v.is_string() ? gocompat::json_quote(v.get<std::string>(), false) : v.dump();
  auto t = gocompat::time_parse(kQuotedRfc3339, raw);
  if (!t) {
    d.aborted = t.error();
    return;
  }
  out = unless_zero(*t);
}

// go-swagger's PostableAlert.UnmarshalJSON: the annotations and times
// first, then the embedded Alert (generatorURL, labels); each half is a
// json.Unmarshal of its own, so a mismatch in the first stops the item.
std::expected<PostedAlert, std::string> decode_v2_item(const Json& item) {
  if (!item.is_object()) {
    return std::unexpected(
        gocompat::json_value_type_error(gocompat::json_kind(item), kPostableAlertFirstHalf));
  }
  PostedAlert alert;
  Decoder first;
  for (const auto& [key, v] : item.items()) {
    auto f = gocompat::json_field_for(key, {"annotations", "endsAt", "startsAt"});
    if (!f) continue;
    if (*f == "annotations")
      first.string_map(v, alert.annotations, ".annotations", "models.LabelSet");
    if (*f == "endsAt") v2_time(first, v, alert.ends_at, ".endsAt");
    if (*f == "startsAt") v2_time(first, v, alert.starts_at, ".startsAt");
    if (first.aborted) return std::unexpected(*first.aborted);
  }
  if (first.saved) return std::unexpected(*first.saved);

  Decoder second;
  for (const auto& [key, v] : item.items()) {
    auto f = gocompat::json_field_for(key, {"generatorURL", "labels"});
    if (!f) continue;
    if (*f == "generatorURL") {
      // strfmt.URI's UnmarshalJSON: a string (null reads as ""), else it fails.
      if (v.is_string()) {
        alert.generator_url = v.get<std::string>();
      } else if (v.is_null()) {
        alert.generator_url.clear();
      } else {
        return std::unexpected(
            gocompat::json_type_error(gocompat::json_kind(v), "Alert.generatorURL", "string"));
      }
    }
    if (*f == "labels") {
      if (v.is_null()) {
        alert.labels.reset();
      } else if (!v.is_object()) {
        second.save(
            gocompat::json_type_error(gocompat::json_kind(v), "Alert.labels", "models.LabelSet"));
      } else {
        if (!alert.labels) alert.labels.emplace();
        second.string_map(v, *alert.labels, "Alert.labels", "models.LabelSet");
      }
    }
  }
  if (second.saved) return std::unexpected(*second.saved);
  return alert;
}

// model.LabelSet's UnmarshalJSON (v1): a map of strings whose names are
// all valid, or it fails. Several invalid names: Go reports one in map
// order; tocsin the first in sorted order.
void v1_label_set(Decoder& d, const Json& v, std::map<std::string, std::string>& out,
                  std::string_view field) {
  if (v.is_null()) {
    out.clear();
    return;
  }
  if (!v.is_object()) {
    d.aborted = gocompat::json_type_error(gocompat::json_kind(v), field,
                                          "map[model.LabelName]model.LabelValue");
    return;
  }
  std::map<std::string, std::string> set;
  for (const auto& [name, value] : v.items()) {
    if (value.is_string()) {
      set[name] = value.get<std::string>();
    } else if (value.is_null()) {
      set.emplace(name, "");
    } else {
      d.aborted = gocompat::json_type_error(gocompat::json_kind(value), field, "model.LabelValue");
      return;
    }
  }
  for (const auto& [name, value] : set) {
    if (!is_valid_label_name(name)) {
      d.aborted = fmt::format("{} is not a valid label name", gocompat::quote(name));
      return;
    }
  }
  out = std::move(set);
}

// types.Alert (model.Alert's fields and its own UpdatedAt and Timeout).
void decode_v1_item(Decoder& d, const Json& item, PostedAlert& alert) {
  for (const auto& [key, v] : item.items()) {
    auto f = gocompat::json_field_for(key, {"labels", "annotations", "startsAt", "endsAt",
                                            "generatorURL", "UpdatedAt", "Timeout"});
    if (!f) continue;
    if (*f == "labels") {
      if (v.is_null()) {
        alert.labels.reset();
      } else {
        std::map<std::string, std::string> set;
        v1_label_set(d, v, set, "Alert.labels");
        if (!d.aborted) alert.labels = std::move(set);
      }
    }
    if (*f == "annotations") v1_label_set(d, v, alert.annotations, "Alert.annotations");
    if (*f == "startsAt") v1_time(d, v, alert.starts_at);
    if (*f == "endsAt") v1_time(d, v, alert.ends_at);
    if (*f == "UpdatedAt") {
      std::optional<Timestamp> ignored;  // the handler overwrites it
      v1_time(d, v, ignored);
    }
    if (*f == "generatorURL") {
      if (v.is_string()) {
        alert.generator_url = v.get<std::string>();
      } else if (!v.is_null()) {
        d.save(gocompat::json_type_error(gocompat::json_kind(v), "Alert.generatorURL", "string"));
      }
    }
    if (*f == "Timeout") {
      if (v.is_boolean()) {
        alert.timeout = v.get<bool>();
      } else if (!v.is_null()) {
        d.save(gocompat::json_type_error(gocompat::json_kind(v), "Alert.Timeout", "bool"));
      }
    }
    if (d.aborted) return;
  }
}

using Items = std::vector<std::optional<PostedAlert>>;

std::expected<Items, ApiError> decode_v2(const Json& json) {
  Items items;
  if (json.is_null()) return items;
  if (!json.is_array()) {
    return std::unexpected(v2_parse_error(
        gocompat::json_value_type_error(gocompat::json_kind(json), "models.PostableAlerts")));
  }
  for (const Json& item : json) {
    if (item.is_null()) {
      items.emplace_back();
      continue;
    }
    auto alert = decode_v2_item(item);
    if (!alert) return std::unexpected(v2_parse_error(alert.error()));
    items.emplace_back(std::move(*alert));
  }
  // go-swagger's validation: the first failing item, generatorURL first.
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!items[i]) continue;
    const PostedAlert& a = *items[i];
    if (!a.generator_url.empty() && !is_request_uri(a.generator_url)) {
      return std::unexpected(ApiError{kUnprocessable,
                                      fmt::format("{}.generatorURL in body must be of type uri: {}",
                                                  i, gocompat::quote(a.generator_url)),
                                      kInvalidTypeCode});
    }
    if (!a.labels) {
      return std::unexpected(ApiError{
          kUnprocessable, fmt::format("{}.labels in body is required", i), kRequiredFailCode});
    }
  }
  return items;
}

std::expected<Items, ApiError> decode_v1(const Json& json) {
  auto bad = [](std::string message) { return ApiError{400, std::move(message), std::nullopt}; };
  Items items;
  if (json.is_null()) return items;
  if (!json.is_array()) {
    return std::unexpected(
        bad(gocompat::json_value_type_error(gocompat::json_kind(json), "[]*types.Alert")));
  }
  Decoder d;
  for (const Json& item : json) {
    if (item.is_null()) {
      items.emplace_back();
      continue;
    }
    PostedAlert alert;
    if (!item.is_object()) {
      d.save(gocompat::json_value_type_error(gocompat::json_kind(item), "types.Alert"));
    } else {
      decode_v1_item(d, item, alert);
      if (d.aborted) return std::unexpected(bad(*d.aborted));
    }
    items.emplace_back(std::move(alert));
  }
  if (d.saved) return std::unexpected(bad(*d.saved));
  return items;
}

// ---- net/url's ParseRequestURI --------------------------------------------

bool is_hex(char c) {
  return hex_value(c) >= 0;
}

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// The bytes a host may hold unescaped (shouldEscape in encodeHost mode).
bool host_byte_ok(char c) {
  if (is_alnum(c) || static_cast<unsigned char>(c) >= 0x80) return true;
  return std::string_view("!$&'()*+,;=:[]<>\"-_.~").find(c) != std::string_view::npos;
}

enum class Component { kPath, kUserinfo, kHost, kZone };

// url.unescape's checks: every % starts a two-digit hex escape; a host
// escapes only non-ASCII bytes (and %25) and holds no other odd byte.
bool unescape_ok(std::string_view s, Component mode) {
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '%') {
      if (i + 2 >= s.size() || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) return false;
      std::string_view escape = s.substr(i, 3);
      if (mode == Component::kHost && hex_value(s[i + 1]) < 8 && escape != "%25") return false;
      if (mode == Component::kZone) {
        char v = static_cast<char>(hex_value(s[i + 1]) << 4 | hex_value(s[i + 2]));
        if (escape != "%25" && v != ' ' && !host_byte_ok(v)) return false;
      }
      i += 3;
      continue;
    }
    if ((mode == Component::kHost || mode == Component::kZone) && !host_byte_ok(s[i])) {
      return false;
    }
    ++i;
  }
  return true;
}

// ":" followed by digits, or nothing.
bool valid_optional_port(std::string_view port) {
  if (port.empty()) return true;
  if (port[0] != ':') return false;
  return std::all_of(port.begin() + 1, port.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool host_ok(std::string_view host) {
  if (!host.empty() && host[0] == '[') {
    auto close = host.rfind(']');
    if (close == std::string_view::npos) return false;
    if (!valid_optional_port(host.substr(close + 1))) return false;
    auto zone = host.substr(0, close).find("%25");
    if (zone != std::string_view::npos) {
      return unescape_ok(host.substr(0, zone), Component::kHost) &&
             unescape_ok(host.substr(zone, close - zone), Component::kZone) &&
             unescape_ok(host.substr(close), Component::kHost);
    }
  } else if (auto colon = host.rfind(':'); colon != std::string_view::npos) {
    if (!valid_optional_port(host.substr(colon))) return false;
  }
  return unescape_ok(host, Component::kHost);
}

bool userinfo_ok(std::string_view userinfo) {
  for (char c : userinfo) {
    if (is_alnum(c)) continue;
    if (std::string_view("-._:~!$&'()*+,;=%@").find(c) == std::string_view::npos) return false;
  }
  return unescape_ok(userinfo, Component::kUserinfo);
}

bool authority_ok(std::string_view authority) {
  auto at = authority.rfind('@');
  if (at == std::string_view::npos) return host_ok(authority);
  return host_ok(authority.substr(at + 1)) && userinfo_ok(authority.substr(0, at));
}

}  // namespace

bool is_request_uri(std::string_view text) {
  if (std::any_of(text.begin(), text.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
    return false;
  }
  if (text.empty()) return false;
  if (text == "*") return true;
  // getScheme: letters, then digits + - . too, up to a colon.
  std::string_view scheme;
  std::string_view rest = text;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) continue;
    if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
      if (i == 0) break;
      continue;
    }
    if (c == ':') {
      if (i == 0) return false;  // missing protocol scheme
      scheme = text.substr(0, i);
      rest = text.substr(i + 1);
    }
    break;
  }
  if (!rest.empty() && rest.back() == '?' && std::count(rest.begin(), rest.end(), '?') == 1) {
    rest.remove_suffix(1);
  } else if (auto q = rest.find('?'); q != std::string_view::npos) {
    rest = rest.substr(0, q);
  }
  if (!rest.starts_with('/')) return !scheme.empty();  // opaque, or not a request URI
  if (!scheme.empty() && rest.starts_with("//")) {
    std::string_view authority = rest.substr(2);
    rest = {};
    if (auto slash = authority.find('/'); slash != std::string_view::npos) {
      rest = authority.substr(slash);
      authority = authority.substr(0, slash);
    }
    if (!authority_ok(authority)) return false;
  }
  return unescape_ok(rest, Component::kPath);
}

std::expected<std::vector<std::optional<PostedAlert>>, ApiError> decode_posted_alerts(
    std::string_view body, AlertsApi api) {
  auto value = gocompat::json_first_value(body);
  if (!value) {
    if (api == AlertsApi::kV1) return std::unexpected(ApiError{400, value.error(), std::nullopt});
    if (value.error() == "EOF") {
      return std::unexpected(
          ApiError{kUnprocessable, "alerts in body is required", kRequiredFailCode});
    }
    return std::unexpected(v2_parse_error(value.error()));
  }
  Json json = needs_go_rewrite(*value)
                  ? Json::parse(as_go_decodes(*value), nullptr, /*allow_exceptions=*/false)
                  : Json::parse(*value, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    // Go's scanner accepted it; nlohmann should too once rewritten.
    std::string reason = "invalid JSON";
    if (api == AlertsApi::kV1) return std::unexpected(ApiError{400, reason, std::nullopt});
    return std::unexpected(v2_parse_error(reason));
  }
  return api == AlertsApi::kV2 ? decode_v2(json) : decode_v1(json);
}

notify::Alert to_alert(const PostedAlert& posted) {
  notify::Alert alert;
  // Labels leave out empty values: Alertmanager's removeEmptyLabels for the
  // labels; for annotations a limit of tocsin's label sets.
  if (posted.labels) alert.labels = Labels::from_map(*posted.labels);
  alert.annotations = Labels::from_map(posted.annotations);
  alert.starts_at = posted.starts_at.value_or(Timestamp{});
  alert.ends_at = posted.ends_at.value_or(Timestamp{});
  alert.generator_url = posted.generator_url;
  alert.timeout = posted.timeout;
  return alert;
}

namespace {

constexpr std::string_view kTimesOutOfOrder = "start time must be before end time";
constexpr std::string_view kNoLabels = "at least one label pair required";

bool times_out_of_order(const notify::Alert& completed) {
  return completed.ends_at != Timestamp{} && completed.ends_at < completed.starts_at;
}

}  // namespace

std::optional<std::string> check_alert(const PostedAlert& posted, const notify::Alert& completed) {
  if (times_out_of_order(completed)) return std::string(kTimesOutOfOrder);
  // Go walks the map in random order and reports the first invalid name it
  // meets; tocsin reports the first in sorted order. Label values are always
  // valid UTF-8 once decoded.
  if (posted.labels) {
    for (const auto& [name, value] : *posted.labels) {
      if (!value.empty() && !is_valid_label_name(name)) {
        return fmt::format("invalid label set: invalid name {}", gocompat::quote(name));
      }
    }
  }
  if (completed.labels.empty()) return std::string(kNoLabels);
  for (const auto& [name, value] : posted.annotations) {
    if (!is_valid_label_name(name)) {
      return fmt::format("invalid annotations: invalid name {}", gocompat::quote(name));
    }
  }
  return std::nullopt;
}

std::optional<std::string> check_alert(const notify::Alert& completed) {
  if (times_out_of_order(completed)) return std::string(kTimesOutOfOrder);
  if (completed.labels.empty()) return std::string(kNoLabels);
  return std::nullopt;
}

}  // namespace tocsin::api
