// The key integrations use to deduplicate a group's notifications on the
// other side: Alertmanager's notify.Key(groupKey).Hash(), the SHA-256 of the
// group key in lower-case hex (PagerDuty's dedup_key and incident_key).
#pragma once

#include <string>
#include <string_view>

namespace tocsin::notifiers {

std::string group_key_hash(std::string_view group_key);

}  // namespace tocsin::notifiers
