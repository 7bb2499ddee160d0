// JSON written byte for byte as Go's encoding/json Encoder writes a Go
// value: struct fields in declaration order, map keys sorted, strings as
// append_json_string (json.h) writes them with HTML escaping (the
// Encoder's default), no spaces, and the newline Encoder.Encode ends with.
//
// The caller writes fields in the Go struct's order and leaves out the
// `omitempty` ones itself (see field_omitempty). Alertmanager's webhook,
// Slack and PagerDuty payloads and tocsin's API answers are written with it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <tocsin/time.h>

#include "gocompat/json.h"

namespace tocsin::gocompat {

class JsonWriter {
 public:
  // `escape_html` false: an Encoder after SetEscapeHTML(false), which
  // leaves <, > and & as they are.
  explicit JsonWriter(bool escape_html = true) : escape_html_(escape_html) {}

  void begin_object();
  void end_object();
  void begin_array();
  void end_array();
  // The key of the next value inside an object.
  void key(std::string_view name);

  void string(std::string_view value);
  void boolean(bool value);
  void number(std::uint64_t value);
  void integer(std::int64_t value);
  // A float64 as encoding/json writes it (json_float). Go refuses to encode
  // NaN and the infinities; they are written as null here.
  void float64(double value);
  void null();
  // A value that is JSON already, as a type's MarshalJSON returns it: Go's
  // encoder copies it in (compacted, which it already is).
  void raw(std::string_view json);
  // A time.Time: RFC 3339 with nanoseconds as Time.MarshalJSON writes it,
  // and Go's zero time ("0001-01-01T00:00:00Z") for the unset Timestamp{}.
  void time(Timestamp value);
  // A map[string]string: its keys sorted, as Go's encoder sorts them.
  void string_map(const std::map<std::string, std::string>& map);
  // An object of (name, value) string pairs in the order given, such as a
  // label set (Alertmanager's KV, sorted by name).
  template <typename Pairs>
  void string_pairs(const Pairs& pairs) {
    begin_object();
    for (const auto& [name, value] : pairs) field(name, value);
    end_object();
  }
  // A []string; null when empty is not wanted, so an empty one is [].
  void string_array(const std::vector<std::string>& values);

  void field(std::string_view name, std::string_view value) {
    key(name);
    string(value);
  }
  // A string field tagged `omitempty`: left out when empty.
  void field_omitempty(std::string_view name, std::string_view value) {
    if (!value.empty()) field(name, value);
  }

  // The document followed by "\n", as json.Encoder.Encode writes it.
  std::string finish() &&;
  // The document alone, as json.Marshal returns it.
  std::string marshal() &&;

 private:
  void before_value();

  bool escape_html_;
  std::string out_;
  std::vector<bool> first_;  // per open object/array: nothing written in it yet
  bool after_key_ = false;
};

}  // namespace tocsin::gocompat
