#include "api/silence_json.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/date_time.h"
#include "gocompat/json.h"
#include "gocompat/json_writer.h"

namespace tocsin::api {
namespace {

using Json = nlohmann::ordered_json;
using dispatch::PostableSilence;
using dispatch::SilenceError;
using dispatch::SilenceMatcher;

ApiError parse_error(std::string_view reason) {
  return body_parse_error("silence", reason);
}

// ---- Go's encoding/json decoding of the postable silence ---------------

// Decoding as encoding/json does: type mismatches are remembered (the first
// wins) and decoding goes on; a failing UnmarshalJSON (the date-times) stops it.
struct Decoder {
  std::optional<std::string> saved;
  std::optional<std::string> aborted;

  void mismatch(const Json& v, std::string_view field, std::string_view type) {
    if (!saved) saved = gocompat::json_type_error(gocompat::json_kind(v), field, type);
  }
  void string_field(const Json& v, std::optional<std::string>& out, std::string_view field) {
    if (v.is_null()) {
      out.reset();
    } else if (v.is_string()) {
      out = v.get<std::string>();
    } else {
      mismatch(v, field, "string");
    }
  }
  void bool_field(const Json& v, std::optional<bool>& out, std::string_view field) {
    if (v.is_null()) {
      out.reset();
    } else if (v.is_boolean()) {
      out = v.get<bool>();
    } else {
      mismatch(v, field, "bool");
    }
  }
  // strfmt.DateTime's UnmarshalJSON reads a string; its failure ends decoding.
  void time_field(const Json& v, std::optional<Timestamp>& out, std::string_view field) {
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
  std::optional<bool> ends_when_resolved;  // tocsin's
  std::optional<std::string> schedule;     // tocsin's: timeIntervals, as compact JSON
  std::optional<std::string> comment, created_by;
  std::optional<Timestamp> starts_at, ends_at;
  std::optional<std::vector<std::optional<RawMatcher>>> matchers;
};

RawMatcher decode_matcher(Decoder& d, const Json& object) {
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

void decode_matchers(Decoder& d, const Json& v, RawSilence& s) {
  if (v.is_null()) {
    s.matchers.reset();
    return;
  }
  if (!v.is_array()) {
    d.mismatch(v, "Silence.matchers", "models.Matchers");
    return;
  }
  s.matchers.emplace();
  for (const Json& item : v) {
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

// A schedule is a list of time intervals: arrays of objects of strings or
// of lists of strings or of {start_time, end_time}; deeper is no schedule
// (and dumping it would recurse once per level).
constexpr std::size_t kMaxScheduleDepth = 5;

bool shallower_than(const Json& root, std::size_t limit) {
  std::vector<std::pair<const Json*, std::size_t>> todo{{&root, 1}};
  while (!todo.empty()) {
    auto [v, depth] = todo.back();
    todo.pop_back();
    if (depth > limit) return false;
    if (v->is_structured()) {
      for (const Json& child : *v) todo.emplace_back(&child, depth + 1);
    }
  }
  return true;
}

void decode_schedule(Decoder& d, const Json& v, RawSilence& s) {
  if (v.is_null()) {
    s.schedule.reset();
    return;
  }
  if (!v.is_array()) {
    d.mismatch(v, "Silence.timeIntervals", "[]timeinterval.TimeInterval");
    return;
  }
  if (!shallower_than(v, kMaxScheduleDepth)) {
    d.aborted = "timeIntervals: nested deeper than a list of time intervals";
    return;
  }
  s.schedule = v.empty() ? std::string() : v.dump();
}

// PostableSilence.UnmarshalJSON: the id first, then the silence's fields.
std::expected<std::pair<std::string, RawSilence>, ApiError> decode(const Json& body) {
  // A reference, never a copy: copying a JSON value recurses once per level,
  // and a body may nest 10,000 levels deep.
  static const Json kNoFields = Json::object();
  const Json& object = body.is_null() ? kNoFields : body;
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
  for (const auto& [key, v] : object.items()) {
    auto f = gocompat::json_field_for(key, {"endsWhenResolved", "timeIntervals"});
    if (!f) continue;
    if (*f == "endsWhenResolved") d.bool_field(v, s.ends_when_resolved, "Silence.endsWhenResolved");
    if (*f == "timeIntervals") decode_schedule(d, v, s);
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

void write_matcher(gocompat::JsonWriter& json, const Matcher& m) {
  bool is_equal = m.type() == MatchType::kEqual || m.type() == MatchType::kRegexp;
  bool is_regex = m.type() == MatchType::kRegexp || m.type() == MatchType::kNotRegexp;
  json.begin_object();
  json.key("isEqual");
  json.boolean(is_equal);
  json.key("isRegex");
  json.boolean(is_regex);
  json.field("name", m.name());
  json.field("value", m.value());
  json.end_object();
}

MatchType match_type(bool is_equal, bool is_regex) {
  if (is_regex) return is_equal ? MatchType::kRegexp : MatchType::kNotRegexp;
  return is_equal ? MatchType::kEqual : MatchType::kNotEqual;
}

void write_gettable_silence(gocompat::JsonWriter& json, const dispatch::Silence& silence,
                            Timestamp now) {
  json.begin_object();
  json.field("id", silence.id);
  json.key("status");
  json.begin_object();
  json.field("state", dispatch::to_string(silence.state_at(now)));
  json.end_object();
  json.field("updatedAt", format_api_time(silence.updated_at));
  json.field("comment", silence.comment);
  json.field("createdBy", silence.created_by);
  json.field("endsAt", format_api_time(silence.ends_at));
  json.key("matchers");
  json.begin_array();
  for (const Matcher& m : silence.matchers) write_matcher(json, m);
  json.end_array();
  json.field("startsAt", format_api_time(silence.starts_at));
  if (silence.ends_when_resolved) {
    json.key("endsWhenResolved");
    json.boolean(true);
  }
  if (!silence.schedule.empty()) {
    json.key("timeIntervals");
    json.raw(silence.schedule);
  }
  json.end_object();
}

}  // namespace

std::string gettable_silence_json(const dispatch::Silence& silence, Timestamp now) {
  gocompat::JsonWriter json;
  write_gettable_silence(json, silence, now);
  return std::move(json).marshal();
}

std::string gettable_silences_json(std::vector<dispatch::Silence> silences, Timestamp now) {
  dispatch::order_for_listing(silences, now);
  gocompat::JsonWriter json;
  json.begin_array();
  for (const dispatch::Silence& s : silences) json.raw(gettable_silence_json(s, now));
  json.end_array();
  return std::move(json).marshal();
}

std::expected<PostableSilence, ApiError> parse_postable_silence(std::string_view body) {
  auto value = gocompat::json_first_value(body);
  if (!value) {
    if (value.error() == "EOF") {
      return std::unexpected(validation_error(kRequiredFailCode, "silence in body is required"));
    }
    return std::unexpected(parse_error(value.error()));
  }
  Json json = Json::parse(*value, nullptr, /*allow_exceptions=*/false);
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
  out.ends_when_resolved = raw.ends_when_resolved.value_or(false);
  out.schedule = raw.schedule.value_or("");
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
  switch (error.kind) {
    case SilenceError::Kind::kNotFound:
      return handler_error(404, error.message);
    case SilenceError::Kind::kInvalid:
      return handler_error(400, error.message);
    case SilenceError::Kind::kNotDurable:
      break;
  }
  return handler_error(500, error.message);
}

}  // namespace tocsin::api
