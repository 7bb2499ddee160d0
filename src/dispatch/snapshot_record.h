// The JSON of snapshot records (see snapshot_store.h): one object a line,
// times in RFC 3339; shared by the silences' and the notification log's
// record formats.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <tocsin/error.h>
#include <tocsin/time.h>

namespace tocsin::dispatch::record {

using Json = nlohmann::json;

// One line: no indentation, invalid UTF-8 replaced.
std::string dump(const Json& record);

// The record's object; "not a JSON object" otherwise.
Result<Json> parse(std::string_view text);

// A field that must be present: "KEY missing" otherwise.
Result<std::string> string_field(const Json& record, std::string_view key);
Result<Timestamp> time_field(const Json& record, std::string_view key);

}  // namespace tocsin::dispatch::record
