// How tocsin's API commands (`tocsin history`, `tocsin ack`, `tocsin unack`) reach a
// running tocsin: HTTP through libcurl (http/http_client.h), JSON answers,
// and errors worded as the server worded them ("GET /api/v1/history: 400:
// invalid parameter ...").
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <tocsin/error.h>
#include <tocsin/time.h>

namespace tocsin::cli {

struct ApiTarget {
  std::string url = "http://127.0.0.1:9095";  // tocsin's default web.listen_address
  Duration timeout = std::chrono::seconds(30);
};

// GETs `path_and_query` ("/api/v1/history?kind=alert") below the target's
// URL and parses the JSON answer; any status but 2xx is an error.
Result<nlohmann::json> api_get(const ApiTarget& target, std::string_view path_and_query);
// POSTs `body` as JSON, and DELETEs, answered as api_get is.
Result<nlohmann::json> api_post(const ApiTarget& target, std::string_view path,
                                const nlohmann::json& body);
Result<nlohmann::json> api_delete(const ApiTarget& target, std::string_view path_and_query);

}  // namespace tocsin::cli
