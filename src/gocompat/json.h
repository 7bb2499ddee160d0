// Go's encoding/json as Alertmanager's API shows it to clients: the syntax
// errors of its scanner (json.Decoder.Decode), the type errors of its
// decoder (*json.UnmarshalTypeError), its field matching, and its string
// and float64 encoding (encodeState.string, floatEncoder). API v2 bodies
// must be refused with the words amtool users see from Alertmanager, and
// what it writes must read the same byte for byte (json_writer.h writes
// whole documents).
//
// Pure functions.
#pragma once

#include <expected>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <tocsin/error.h>

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

// A JSON string as encoding/json writes it in Go 1.19 to 1.21, which
// Alertmanager 0.25 and Prometheus 2.4x are built with: '"' and '\\'
// backslashed; \n, \r and \t as such; every other byte below 0x20 as
// \u00XX (\b and \f too: Go 1.22 began writing those two as \b and \f);
// U+2028 and U+2029 as \u2028 and \u2029; each byte that is not part of
// valid UTF-8 as \ufffd; and with `escape_html` (json.Marshal's and the
// Encoder's default; SetEscapeHTML(false) turns it off) also <, > and & as
// \u003c, \u003e and \u0026. Everything else, DEL included, as it is.
// Every JSON string tocsin writes for a Go client or a byte-for-byte
// comparison goes through here.
void append_json_string(std::string& out, std::string_view s, bool escape_html = true);
std::string json_quote(std::string_view s, bool escape_html = true);

// A float64 as encoding/json writes it (ES6 number formatting): the
// shortest 'f' form, or the shortest 'e' form below 1e-6 and from 1e21 on,
// its exponent unpadded ("1e-07" is "1e-7"). NaN and infinities are Go's
// *UnsupportedValueError: "json: unsupported value: NaN".
Result<std::string> json_float(double v);

// Go's json field matching: exact, else equal under ASCII case folding.
bool json_key_matches(std::string_view key, std::string_view field);

// The struct field (one of `fields`) an object key decodes into: the exact
// name, else the first that matches ignoring case; none: Go skips the key.
std::optional<std::string_view> json_field_for(std::string_view key,
                                               std::initializer_list<std::string_view> fields);

}  // namespace tocsin::gocompat
