#include "api/alert_groups_endpoint.h"

#include <algorithm>
#include <unordered_map>
#include <vector>

#include "api/alert_filter.h"
#include "api/api_error.h"
#include "api/gettable_alert.h"
#include "api/openapi_response.h"
#include "api/params.h"
#include "dispatch/alert_order.h"
#include "gocompat/json_writer.h"

namespace tocsin::api {

web::Response get_alert_groups(const dispatch::NotificationService& service,
                               const web::Request& req, Timestamp now) {
  using Group = dispatch::NotificationService::Group;
  auto filter = AlertFilter::from(bind_alerts_params(req));
  if (!filter) return error_response(filter.error());

  std::vector<Group> groups;
  std::unordered_map<std::uint64_t, std::vector<std::string>> receivers;
  std::unordered_map<std::uint64_t, dispatch::AlertStatus> statuses;
  for (Group& group : service.groups()) {
    if (!filter->receiver_matches(group.receiver)) continue;
    std::vector<notify::Alert> kept;
    for (notify::Alert& alert : group.alerts) {
      dispatch::AlertStatus status = service.status(alert.labels, now);
      if (!filter->passes(alert, status, now)) continue;
      receivers[alert.fingerprint()].push_back(group.receiver);
      statuses[alert.fingerprint()] = std::move(status);
      kept.push_back(std::move(alert));
    }
    if (kept.empty()) continue;
    group.alerts = std::move(kept);
    groups.push_back(std::move(group));
  }
  std::sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) {
    if (a.labels == b.labels) return a.receiver < b.receiver;
    return dispatch::label_set_before(a.labels, b.labels);
  });
  for (auto& [fingerprint, names] : receivers) std::sort(names.begin(), names.end());

  // alertGroups goes through the producer's Encoder (no HTML escaping);
  // each gettableAlert through json.Marshal (escaped).
  gocompat::JsonWriter json(/*escape_html=*/false);
  json.begin_array();
  for (Group& group : groups) {
    std::sort(group.alerts.begin(), group.alerts.end(), dispatch::alert_before);
    json.begin_object();
    json.key("alerts");
    json.begin_array();
    for (const notify::Alert& alert : group.alerts) {
      std::uint64_t fingerprint = alert.fingerprint();
      json.raw(gettable_alert_json(alert, statuses[fingerprint], receivers[fingerprint]));
    }
    json.end_array();
    json.key("labels");
    json.begin_object();
    for (Label l : group.labels) json.field(l.name, l.value);
    json.end_object();
    json.key("receiver");
    json.begin_object();
    json.field("name", group.receiver);
    json.end_object();
    json.end_object();
  }
  json.end_array();
  return json_ok(std::move(json).marshal());
}

}  // namespace tocsin::api
