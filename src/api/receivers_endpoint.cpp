#include "api/receivers_endpoint.h"

#include "api/openapi_response.h"
#include "config/alertmanager_config.h"
#include "gocompat/json_writer.h"

namespace tocsin::api {

web::Response get_receivers(const dispatch::NotificationService& service) {
  gocompat::JsonWriter json(/*escape_html=*/false);
  json.begin_array();
  for (const config::Receiver& r : service.config()->receivers) {
    json.begin_object();
    json.field("name", r.name);
    json.end_object();
  }
  json.end_array();
  return json_ok(std::move(json).marshal());
}

}  // namespace tocsin::api
