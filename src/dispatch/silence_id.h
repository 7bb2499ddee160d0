// Silence ids: random (version 4) UUIDs, as Alertmanager's gofrs/uuid
// NewV4 makes them, and the check API v2 makes of an id in a path.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace tocsin::dispatch {

// Makes a new id each call; must be safe to call from several threads.
using SilenceIdGenerator = std::function<std::string()>;

// Version 4 UUIDs from a generator seeded by std::random_device:
// "1b4e28ba-2fa1-41d2-883f-0016d3cca427". Thread-safe.
SilenceIdGenerator random_silence_ids();

// strfmt.IsUUID, the format API v2 checks silence ids in paths against:
// 32 hex digits in groups of 8-4-4-4-12, any case, the dashes optional.
bool is_uuid(std::string_view text);

}  // namespace tocsin::dispatch
