#include "api/status_endpoint.h"

#include "api/date_time.h"
#include "api/openapi_response.h"
#include "config/alertmanager_config.h"
#include "gocompat/json_writer.h"

#ifndef TOCSIN_VERSION
#define TOCSIN_VERSION "unknown"
#endif

namespace tocsin::api {

const char* const kApiVersion = "0.25.0+tocsin." TOCSIN_VERSION;

web::Response get_status(const dispatch::NotificationService& service) {
  auto config = service.config();
  gocompat::JsonWriter json(/*escape_html=*/false);
  json.begin_object();
  // Alertmanager's clusterStatus: this replica's name, the peers alive
  // (itself among them), "ready"; "disabled" when tocsin runs alone.
  json.key("cluster");
  json.begin_object();
  if (const auto& replicas = service.replicas()) {
    json.field("name", replicas->self());
    json.key("peers");
    json.begin_array();
    for (const store::ReplicaRow& r : replicas->live()) {
      json.begin_object();
      json.field("address", r.address);
      json.field("name", r.id);
      json.end_object();
    }
    json.end_array();
    json.field("status", "ready");
  } else {
    json.key("peers");
    json.begin_array();
    json.end_array();
    json.field("status", "disabled");
  }
  json.end_object();
  json.key("config");
  json.begin_object();
  json.field("original", config::to_redacted_yaml(*config));
  json.end_object();
  json.field("uptime", format_api_time(service.started()));
  // tocsin is not built by Go; the fields stay for clients that read them.
  json.key("versionInfo");
  json.begin_object();
  for (const char* empty : {"branch", "buildDate", "buildUser", "goVersion", "revision"}) {
    json.field(empty, "");
  }
  json.field("version", kApiVersion);
  json.end_object();
  json.end_object();
  return json_ok(std::move(json).marshal());
}

}  // namespace tocsin::api
