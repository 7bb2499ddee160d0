// tocsin's own /api/v1 endpoints (heartbeats, acknowledgements) answer in
// Prometheus's envelope: {"status":"success","data":...} or
// {"status":"error","errorType":...,"error":...}. The answers and the
// refusals they share are written here once.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include <tocsin/labels.h>

#include "web/http.h"

namespace tocsin::api {

// 200 {"status":"success","data":DATA}
void answer_success(web::Response& res, const nlohmann::json& data);
// STATUS {"status":"error","errorType":TYPE,"error":MESSAGE}
void answer_error(web::Response& res, int status, std::string_view type, std::string_view message);

// A refusal of the notification side (HeartbeatError, AcknowledgementError:
// a Kind of kInvalid, kNotFound, kTooMany or kNotDurable, and a message):
// 400 bad_data, 404 not_found, 429 too_many, 500 internal (in force but not
// yet stored).
template <typename Refusal>
void answer_refusal(web::Response& res, const Refusal& refusal) {
  using Kind = typename Refusal::Kind;
  switch (refusal.kind) {
    case Kind::kInvalid:
      return answer_error(res, 400, "bad_data", refusal.message);
    case Kind::kNotFound:
      return answer_error(res, 404, "not_found", refusal.message);
    case Kind::kTooMany:
      return answer_error(res, 429, "too_many", refusal.message);
    case Kind::kNotDurable:
      return answer_error(res, 500, "internal", refusal.message);
  }
}

// Labels as a JSON object of strings.
nlohmann::json labels_object(const Labels& labels);

}  // namespace tocsin::api
