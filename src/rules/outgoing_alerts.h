// What an alerting rule hands to the notification side, as Prometheus hands
// alerts to Alertmanager (cmd/prometheus sendAlerts and the notifier): the
// alert starts when it fired, ends when it resolved or, while firing, when
// its last evaluation stops vouching for it (valid_until); external labels
// are added where the alert lacks them; the generator URL links the
// expression in Prometheus's graph page.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <tocsin/alert.h>
#include <tocsin/notify.h>

namespace tocsin::rules {

std::vector<notify::Alert> outgoing_alerts(
    std::span<const Alert> alerts, std::string_view expr,
    const std::map<std::string, std::string>& external_labels, std::string_view graph_base_url,
    Timestamp now);

// "<base>/graph?g0.expr=<query-escaped expr>&g0.tab=1" (Prometheus's
// TableLinkForExpression).
std::string graph_link(std::string_view base_url, std::string_view expr);

}  // namespace tocsin::rules
