// Go's encoding/json as Alertmanager's API shows it to clients: the syntax
// errors of its scanner (json.Decoder.Decode), the type errors of its
// decoder (*json.UnmarshalTypeError), its field matching, and its string
// encoding. API v2 bodies must be refused with the words amtool users see
// from Alertmanager.
//
// Pure functions.
#pragma once

#include <expected>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace tocsin::gocompat {

// What json.Decoder.Decode reads from `body`: the first JSON value (what
// follows it is never looked at), or the error Go reports:
//   "EOF"                                            nothing but white space
//   "unexpected EOF"                                 the value is cut short
//   "invalid character 'x' looking for beginning of value"   and Go's other
//                                                    scanner messages
std::expected<std::string_view, std::string> json_first_value(std::string_view body);

// Go's name for a JSON value's kind in type errors: "object", "array",
// "string", "number", "bool".
std::string_view json_kind(const nlohmann::ordered_json& value);

// json.UnmarshalTypeError's text: "json: cannot unmarshal KIND into Go
// struct field FIELD of type TYPE", FIELD being "Struct.path.to.field".
std::string json_type_error(std::string_view kind, std::string_view field, std::string_view type);
// The same for a value outside any struct: "... into Go value of type TYPE".
std::string json_value_type_error(std::string_view kind, std::string_view type);

// A JSON string as Go writes it: control characters, U+2028 and U+2029 as
// \uXXXX, and with `escape_html` (json.Marshal) also <, > and &.
std::string json_quote(std::string_view s, bool escape_html);

// Go's json field matching: exact, else equal under ASCII case folding.
bool json_key_matches(std::string_view key, std::string_view field);

// The struct field (one of `fields`) an object key decodes into: the exact
// name, else the first that matches ignoring case; none: Go skips the key.
std::optional<std::string_view> json_field_for(std::string_view key,
                                               std::initializer_list<std::string_view> fields);

}  // namespace tocsin::gocompat
