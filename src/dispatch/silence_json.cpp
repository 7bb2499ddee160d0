#include "dispatch/silence_json.h"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

#include "dispatch/silence_id.h"
#include "gocompat/json.h"
#include "gocompat/strconv.h"
#include "gocompat/time_parse.h"

namespace tocsin::dispatch {
namespace {

// go-openapi/errors codes.
constexpr int kParseErrorCode = 400;
constexpr int kInvalidTypeCode = 601;
constexpr int kRequiredFailCode = 602;
constexpr int kMinItemsFailCode = 612;
constexpr int kUnprocessable = 422;  // what go-openapi serves its 6xx codes as

ApiError validation_error(int code, std::string message) {
  return ApiError{kUnprocessable, std::move(message), code};
}

ApiError parse_error(const std::string& reason) {
  return ApiError{400, fmt::format("parsing silence body from \"\" failed, because {}", reason),
                  kParseErrorCode};
}

ApiError handler_error(int status, std::string message) {
  return ApiError{status, std::move(message), std::nullopt};
}

// strfmt.DateTimeFormats, in the order ParseDateTime tries them.
constexpr std::string_view kDateTimeLayouts[] = {
    "2006-01-02T15:04:05.000000Z07:00",     // RFC3339Micro
    "2006-01-02T15:04:05.000000Z0700",      // RFC3339MicroNoColon
    "2006-01-02T15:04:05.000Z07:00",        // RFC3339Millis
    "2006-01-02T15:04:05.000Z0700",         // RFC3339MillisNoColon
    "2006-01-02T15:04:05Z07:00",            // time.RFC3339
    "2006-01-02T15:04:05.999999999Z07:00",  // time.RFC3339Nano
    "2006-01-02T15:04:05",                  // ISO8601LocalTime
    "2006-01-02T15:04Z",                    // ISO8601TimeWithReducedPrecision
    "2006-01-02T15:04",                     // ISO8601TimeWithReducedPrecisionLocaltime
    "2006-01-02 15:04:05",                  // ISO8601TimeUniversalSortableDateTimePattern
};

// ---- Go's encoding/json decoding of the postable silence ---------------

// Decoding as encoding/json does: type mismatches are remembered (the first
// wins) and decoding goes on; a failing UnmarshalJSON (the date-times) stops it.
struct Decoder {
  std::optional<std::string> saved;
  std::optional<std::string> aborted;

  void mismatch(const ApiJson& v, std::string_view field, std::string_view type) {
    if (!saved) saved = gocompat::json_type_error(gocompat::json_kind(v), field, type);
  }
  void string_field(const ApiJson& v, std::optional<std::string>& out, std::string_view field) {
    if (v.is_null()) {
      out.reset();
    } else if (v.is_string()) {
      out = v.get<std::string>();
    } else {
      mismatch(v, field, "string");
    }
  }
  void bool_field(const ApiJson& v, std::optional<bool>& out, std::string_view field) {
    if (v.is_null()) {
      out.reset();
    } else if (v.is_boolean()) {
      out = v.get<bool>();
    } else {
      mismatch(v, field, "bool");
    }
  }
  // strfmt.DateTime's UnmarshalJSON reads a string; its failure ends decoding.
  void time_field(const ApiJson& v, std::optional<Timestamp>& out, std::string_view field) {
    if (v.is_null()) {
      out.reset();
    } else if (!v.is_string()) {
      aborted = gocompat::json_type_error(gocompat::json_kind(v), field, "string");
    } else if (auto t = parse_api_time(v.get<std::string>())) {
      out = *t;
    } else {
      aborted = t.error().message();
    }
  }
};

struct RawMatcher {
  std::optional<bool> is_equal, is_regex;
  std::optional<std::string> name, value;
};

struct RawSilence {
  std::optional<std::string> comment, created_by;
  std::optional<Timestamp> starts_at, ends_at;
  std::optional<std::vector<std::optional<RawMatcher>>> matchers;
};

RawMatcher decode_matcher(Decoder& d, const ApiJson& object) {
  RawMatcher m;
  for (const auto& [key, v] : object.items()) {
    auto f = gocompat::json_field_for(key, {"isEqual", "isRegex", "name", "value"});
    if (!f) continue;
    std::string path = fmt::format("Matcher.matchers.{}", *f);
    if (*f == "isEqual") d.bool_field(v, m.is_equal, path);
    if (*f == "isRegex") d.bool_field(v, m.is_regex, path);
    if (*f == "name") d.string_field(v, m.name, path);
    if (*f == "value") d.string_field(v, m.value, path);
  }
  return m;
}

void decode_matchers(Decoder& d, const ApiJson& v, RawSilence& s) {
  if (v.is_null()) {
    s.matchers.reset();
    return;
  }
  if (!v.is_array()) {
    d.mismatch(v, "Silence.matchers", "models.Matchers");
    return;
  }
  s.matchers.emplace();
  for (const ApiJson& item : v) {
    if (item.is_null()) {
      s.matchers->push_back(std::nullopt);
    } else if (item.is_object()) {
      s.matchers->push_back(decode_matcher(d, item));
      if (d.aborted) return;
    } else {
      d.mismatch(item, "Silence.matchers", "models.Matcher");
      s.matchers->push_back(RawMatcher{});
    }
  }
}

// PostableSilence.UnmarshalJSON: the id first, then the silence's fields.
std::expected<std::pair<std::string, RawSilence>, ApiError> decode(const ApiJson& body) {
  ApiJson object = body.is_null() ? ApiJson::object() : body;
  if (!object.is_object()) {
    return std::unexpected(parse_error(gocompat::json_value_type_error(
        gocompat::json_kind(object), R"(struct { ID string "json:\"id,omitempty\"" })")));
  }
  Decoder d;
  std::string id;
  for (const auto& [key, v] : object.items()) {
    if (!gocompat::json_field_for(key, {"id"})) continue;
    if (v.is_string()) {
      id = v.get<std::string>();
    } else if (!v.is_null()) {
      d.mismatch(v, ".id", "string");
    }
  }
  if (d.saved) return std::unexpected(parse_error(*d.saved));

  RawSilence s;
  for (const auto& [key, v] : object.items()) {
    auto f =
        gocompat::json_field_for(key, {"comment", "createdBy", "endsAt", "matchers", "startsAt"});
    if (!f) continue;
    if (*f == "comment") d.string_field(v, s.comment, "Silence.comment");
    if (*f == "createdBy") d.string_field(v, s.created_by, "Silence.createdBy");
    if (*f == "endsAt") d.time_field(v, s.ends_at, "Silence.endsAt");
    if (*f == "startsAt") d.time_field(v, s.starts_at, "Silence.startsAt");
    if (*f == "matchers") decode_matchers(d, v, s);
    if (d.aborted) return std::unexpected(parse_error(*d.aborted));
  }
  if (d.saved) return std::unexpected(parse_error(*d.saved));
  return std::pair{std::move(id), std::move(s)};
}

// The go-swagger validation of the decoded silence, in its field order.
std::optional<ApiError> validate(const RawSilence& s) {
  auto required = [](std::string_view name) {
    return validation_error(kRequiredFailCode, fmt::format("{} in body is required", name));
  };
  if (!s.comment) return required("comment");
  if (!s.created_by) return required("createdBy");
  if (!s.ends_at) return required("endsAt");
  if (!s.matchers) return required("matchers");
  if (s.matchers->empty()) {
    return validation_error(kMinItemsFailCode, "matchers in body should have at least 1 items");
  }
  for (std::size_t i = 0; i < s.matchers->size(); ++i) {
    const auto& m = (*s.matchers)[i];
    if (!m) continue;  // go-swagger skips a null item
    auto field = [&](std::string_view name) { return fmt::format("matchers.{}.{}", i, name); };
    if (!m->is_regex) return required(field("isRegex"));
    if (!m->name) return required(field("name"));
    if (!m->value) return required(field("value"));
  }
  if (!s.starts_at) return required("startsAt");
  return std::nullopt;
}

ApiJson matcher_json(const Matcher& m) {
  bool is_equal = m.type() == MatchType::kEqual || m.type() == MatchType::kRegexp;
  bool is_regex = m.type() == MatchType::kRegexp || m.type() == MatchType::kNotRegexp;
  ApiJson j = ApiJson::object();
  j["isEqual"] = is_equal;
  j["isRegex"] = is_regex;
  j["name"] = m.name();
  j["value"] = m.value();
  return j;
}

MatchType match_type(bool is_equal, bool is_regex) {
  if (is_regex) return is_equal ? MatchType::kRegexp : MatchType::kNotRegexp;
  return is_equal ? MatchType::kEqual : MatchType::kNotEqual;
}

}  // namespace

std::string ApiError::body() const {
  if (code) {
    return fmt::format("{{\"code\":{},\"message\":{}}}", *code,
                       gocompat::json_quote(message, true));
  }
  return gocompat::json_quote(message, false) + "\n";
}

std::string format_api_time(Timestamp t) {
  using namespace std::chrono;
  auto days = floor<std::chrono::days>(t);
  year_month_day ymd{days};
  hh_mm_ss hms{t - days};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count(),
                     hms.subseconds().count());
}

namespace {

// The common case of parse_api_time without trying layout after layout:
// strictly "YYYY-MM-DDTHH:MM:SS[.fraction]" then "Z" or "+HH:MM"/"-HH:MM",
// every field in range, which one of the layouts reads to the same instant.
// nullopt: anything else, left to the layouts.
std::optional<Timestamp> parse_plain_rfc3339(std::string_view t) {
  auto digits = [&](std::size_t at, std::size_t n) -> int {
    if (at + n > t.size()) return -1;
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (t[i] < '0' || t[i] > '9') return -1;
      v = v * 10 + (t[i] - '0');
    }
    return v;
  };
  if (t.size() < 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':') {
    return std::nullopt;
  }
  int year = digits(0, 4), month = digits(5, 2), day = digits(8, 2);
  int hour = digits(11, 2), minute = digits(14, 2), second = digits(17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 ||
      minute > 59 || second < 0 || second > 59) {
    return std::nullopt;
  }
  using namespace std::chrono;
  year_month_day date{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                      std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) return std::nullopt;
  std::size_t i = 19;
  std::int64_t nanos = 0;
  if (t[i] == '.') {
    std::size_t n = 0;
    while (i + 1 + n < t.size() && t[i + 1 + n] >= '0' && t[i + 1 + n] <= '9') {
      nanos = nanos * 10 + (t[i + 1 + n] - '0');
      ++n;
    }
    if (n < 1 || n > 9) return std::nullopt;
    for (std::size_t k = n; k < 9; ++k) nanos *= 10;
    i += 1 + n;
  }
  int offset = 0;  // seconds east of UTC
  if (i + 1 == t.size() && t[i] == 'Z') {
    offset = 0;
  } else if (i + 6 == t.size() && (t[i] == '+' || t[i] == '-') && t[i + 3] == ':') {
    int hh = digits(i + 1, 2), mm = digits(i + 4, 2);
    if (hh < 0 || hh > 23 || mm < 0 || mm > 59) return std::nullopt;
    offset = (hh * 60 + mm) * 60 * (t[i] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  return time_point_cast<milliseconds>(sys_days(date)) + hours(hour) + minutes(minute) +
         seconds(second) - seconds(offset) + duration_cast<milliseconds>(nanoseconds(nanos));
}

}  // namespace

Result<Timestamp> parse_api_time(std::string_view text) {
  if (text.empty()) return Timestamp{};  // strfmt.NewDateTime(): the Unix epoch
  if (auto t = parse_plain_rfc3339(text)) return *t;
  std::string last_error;
  for (std::string_view layout : kDateTimeLayouts) {
    auto t = gocompat::time_parse(layout, text);
    if (t) return *t;
    last_error = std::move(t.error());
  }
  return fail(std::move(last_error));
}

ApiJson gettable_silence_json(const Silence& silence, Timestamp now) {
  ApiJson j = ApiJson::object();
  j["id"] = silence.id;
  j["status"] = {{"state", to_string(silence.state_at(now))}};
  j["updatedAt"] = format_api_time(silence.updated_at);
  j["comment"] = silence.comment;
  j["createdBy"] = silence.created_by;
  j["endsAt"] = format_api_time(silence.ends_at);
  ApiJson matchers = ApiJson::array();
  for (const Matcher& m : silence.matchers) matchers.push_back(matcher_json(m));
  j["matchers"] = std::move(matchers);
  j["startsAt"] = format_api_time(silence.starts_at);
  return j;
}

ApiJson gettable_silences_json(std::vector<Silence> silences, Timestamp now) {
  order_for_listing(silences, now);
  ApiJson out = ApiJson::array();
  for (const Silence& s : silences) out.push_back(gettable_silence_json(s, now));
  return out;
}

std::expected<PostableSilence, ApiError> parse_postable_silence(std::string_view body) {
  auto value = gocompat::json_first_value(body);
  if (!value) {
    if (value.error() == "EOF") {
      return std::unexpected(validation_error(kRequiredFailCode, "silence in body is required"));
    }
    return std::unexpected(parse_error(value.error()));
  }
  ApiJson json = ApiJson::parse(*value, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    // Go takes what nlohmann refuses here (invalid UTF-8, lone surrogates).
    return std::unexpected(parse_error("invalid UTF-8 in JSON text"));
  }

  auto decoded = decode(json);
  if (!decoded) return std::unexpected(decoded.error());
  auto& [id, raw] = *decoded;
  if (auto invalid = validate(raw)) return std::unexpected(*invalid);

  PostableSilence out;
  out.id = std::move(id);
  out.comment = *raw.comment;
  out.created_by = *raw.created_by;
  out.starts_at = *raw.starts_at;
  out.ends_at = *raw.ends_at;
  for (const auto& m : *raw.matchers) {
    if (!m) {
      // Alertmanager dereferences the null item and the request fails.
      return std::unexpected(
          handler_error(500, "runtime error: invalid memory address or nil pointer dereference"));
    }
    out.matchers.push_back(
        SilenceMatcher{match_type(m->is_equal.value_or(true), *m->is_regex), *m->name, *m->value});
  }
  return out;
}

std::expected<void, ApiError> check_postable_silence(const PostableSilence& silence,
                                                     Timestamp now) {
  if (silence.starts_at >= silence.ends_at) {
    return std::unexpected(
        handler_error(400, "Failed to create silence: start time must be before end time"));
  }
  if (silence.ends_at < now) {
    return std::unexpected(
        handler_error(400, "Failed to create silence: end time can't be in the past"));
  }
  return {};
}

ApiError post_error(const SilenceError& error) {
  int status = error.kind == SilenceError::Kind::kNotFound ? 404 : 400;
  return handler_error(status, error.message);
}

std::expected<ApiJson, ApiError> post_silence(Silences& silences, std::string_view body,
                                              Timestamp now) {
  auto silence = parse_postable_silence(body);
  if (!silence) return std::unexpected(silence.error());
  if (auto ok = check_postable_silence(*silence, now); !ok) return std::unexpected(ok.error());
  auto id = silences.set(*silence, now);
  if (!id) return std::unexpected(post_error(id.error()));
  ApiJson answer = ApiJson::object();
  answer["silenceID"] = *id;
  return answer;
}

std::expected<void, ApiError> check_silence_id(std::string_view id) {
  if (is_uuid(id)) return {};
  return std::unexpected(validation_error(
      kInvalidTypeCode,
      fmt::format("silenceID in path must be of type uuid: {}", gocompat::quote(id))));
}

std::expected<void, ApiError> delete_silence(Silences& silences, std::string_view id,
                                             Timestamp now) {
  if (auto ok = check_silence_id(id); !ok) return ok;
  if (auto ok = silences.expire(id, now); !ok) {
    return std::unexpected(handler_error(500, ok.error().message));
  }
  return {};
}

std::expected<Matchers, ApiError> parse_silence_filter(std::span<const std::string> filters) {
  Matchers out;
  for (const std::string& f : filters) {
    auto m = parse_matcher(f);
    if (!m) return std::unexpected(handler_error(400, m.error().message()));
    out.push_back(std::move(*m));
  }
  return out;
}

}  // namespace tocsin::dispatch
