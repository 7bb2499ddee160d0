#include "dispatch/snapshot_record.h"

#include <fmt/format.h>

namespace tocsin::dispatch::record {

std::string dump(const Json& record) {
  return record.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Result<Json> parse(std::string_view text) {
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return fail("not a JSON object");
  return j;
}

Result<std::string> string_field(const Json& record, std::string_view key) {
  auto it = record.find(key);
  if (it == record.end() || !it->is_string()) return fail(fmt::format("{} missing", key));
  return it->get<std::string>();
}

Result<Timestamp> time_field(const Json& record, std::string_view key) {
  auto text = string_field(record, key);
  if (!text) return std::unexpected(text.error());
  auto t = parse_time(*text);
  if (!t) return fail(fmt::format("{}: {}", key, t.error().message()));
  return *t;
}

}  // namespace tocsin::dispatch::record
