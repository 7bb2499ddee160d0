// Prometheus's rule and alert API responses (/api/v1/rules, /api/v1/alerts)
// in the shapes Prometheus 2.42 returns, so Grafana and other clients that
// read Prometheus's rules read tocsin's unchanged.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <tocsin/error.h>

#include "rules/group.h"

namespace tocsin::api {

using Json = nlohmann::ordered_json;
using Groups = std::vector<std::shared_ptr<const rules::RuleGroup>>;

// {"status":"success","data":{"groups":[...]}}. `type` is "", "alert" or
// "record" (the `type` query parameter); anything else is an error.
Result<Json> rules_response(const Groups& groups, std::string_view type);

// {"status":"success","data":{"alerts":[...]}}: pending and firing alerts.
Json alerts_response(const Groups& groups);

// {"status":"error","errorType":TYPE,"error":MESSAGE}
Json error_response(std::string_view type, std::string_view message);

// Go's time.Time JSON: RFC 3339, and "0001-01-01T00:00:00Z" for unset.
std::string go_time(Timestamp t);

}  // namespace tocsin::api
