// Prometheus's rule and alert API responses (/api/v1/rules, /api/v1/alerts)
// in the shapes Prometheus 2.42 returns, so Grafana and other clients that
// read Prometheus's rules read tocsin's unchanged: written as its
// json.Marshal (jsoniter's standard-library mode) writes them, byte for
// byte (HTML escaped, floats as Go writes them, no trailing newline).
//
// Pure functions over the groups' current state.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <tocsin/error.h>

#include "rules/group.h"

namespace tocsin::api {

using Groups = std::vector<std::shared_ptr<const rules::RuleGroup>>;

// {"status":"success","data":{"groups":[...]}}. `type` is "", "alert" or
// "record" (the `type` query parameter); anything else is an error.
Result<std::string> rules_response(const Groups& groups, std::string_view type);

// {"status":"success","data":{"alerts":[...]}}: pending and firing alerts.
std::string alerts_response(const Groups& groups);

// {"status":"error","errorType":TYPE,"error":MESSAGE}
std::string prometheus_error(std::string_view type, std::string_view message);

}  // namespace tocsin::api
