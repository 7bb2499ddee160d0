#include "api/v1_envelope.h"

#include "api/openapi_response.h"
#include "api/prometheus_api.h"

namespace tocsin::api {
void answer_success(web::Response& res, const nlohmann::json& data) {
  res.set_content(nlohmann::json{{"status", "success"}, {"data", data}}.dump(
                      -1, ' ', false, nlohmann::json::error_handler_t::replace),
                  std::string(kJsonContentType));
}

void answer_error(web::Response& res, int status, std::string_view type, std::string_view message) {
  res.status = status;
  res.set_content(prometheus_error(type, message), std::string(kJsonContentType));
}

nlohmann::json labels_object(const Labels& labels) {
  nlohmann::json out = nlohmann::json::object();
  for (Label l : labels) out[std::string(l.name)] = std::string(l.value);
  return out;
}

}  // namespace tocsin::api
