#include "api/gettable_alert.h"

#include "api/date_time.h"
#include "gocompat/json_writer.h"

namespace tocsin::api {
namespace {

void write_labels(gocompat::JsonWriter& json, const Labels& labels) {
  json.begin_object();
  for (Label l : labels) json.field(l.name, l.value);
  json.end_object();
}

}  // namespace

std::string gettable_alert_json(const notify::Alert& alert, const dispatch::AlertStatus& status,
                                const std::vector<std::string>& receivers) {
  gocompat::JsonWriter json;
  json.begin_object();
  json.key("annotations");
  write_labels(json, alert.annotations);
  json.field("endsAt", format_api_time(alert.ends_at));
  json.field("fingerprint", notify::fingerprint_string(alert.fingerprint()));
  json.key("receivers");
  json.begin_array();
  for (const std::string& r : receivers) {
    json.begin_object();
    json.field("name", r);
    json.end_object();
  }
  json.end_array();
  json.field("startsAt", format_api_time(alert.starts_at));
  json.key("status");
  json.begin_object();
  json.key("inhibitedBy");
  json.string_array(status.inhibited_by);
  json.key("silencedBy");
  json.string_array(status.silenced_by);
  json.field("state", status.state());
  json.end_object();
  json.field("updatedAt", format_api_time(alert.updated_at));
  json.field_omitempty("generatorURL", alert.generator_url);
  json.key("labels");
  write_labels(json, alert.labels);
  if (status.acknowledged) {
    const dispatch::Acknowledgement& ack = *status.acknowledged;
    json.key("acknowledgement");
    json.begin_object();
    json.field("id", ack.id);
    json.field_omitempty("groupKey", ack.group_key);
    json.field("by", ack.by);
    json.field("comment", ack.comment);
    json.field("createdAt", format_api_time(ack.created_at));
    if (ack.expires_at != Timestamp{}) json.field("expiresAt", format_api_time(ack.expires_at));
    json.end_object();
  }
  json.end_object();
  return std::move(json).marshal();
}

}  // namespace tocsin::api
