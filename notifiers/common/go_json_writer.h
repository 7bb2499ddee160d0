// JSON written byte for byte as Go's encoding/json Encoder writes Alertmanager's
// payloads: struct fields in declaration order, map keys sorted, strings
// escaped as Go escapes them (HTML characters, U+2028/U+2029, invalid UTF-8
// as \ufffd), no spaces, and the newline Encoder.Encode ends with.
//
// The caller writes fields in the Go struct's order and leaves out the
// `omitempty` ones itself (see field_omitempty).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <tocsin/labels.h>
#include <tocsin/time.h>

namespace tocsin::notifiers {

class GoJsonWriter {
 public:
  void begin_object();
  void end_object();
  void begin_array();
  void end_array();
  // The key of the next value inside an object.
  void key(std::string_view name);

  void string(std::string_view value);
  void boolean(bool value);
  void number(std::uint64_t value);
  void null();
  // A time.Time: RFC 3339 with nanoseconds as Go marshals it, and Go's zero
  // time ("0001-01-01T00:00:00Z") for the unset Timestamp{}.
  void time(Timestamp value);
  // A map[string]string (keys sorted) and a label set as Alertmanager's KV.
  void string_map(const std::map<std::string, std::string>& map);
  void labels(const Labels& labels);
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

 private:
  void before_value();

  std::string out_;
  std::vector<bool> first_;  // per open object/array: nothing written in it yet
  bool after_key_ = false;
};

// A JSON string literal as Go's encoder writes it (with HTML escaping).
std::string go_json_quote(std::string_view value);

}  // namespace tocsin::notifiers
