// The notification pipeline's counters, named as Alertmanager names its own
// (alertmanager_notifications_total and friends, with the tocsin_ prefix) and
// labelled by integration kind. Every known integration's series exist from
// the start, as Alertmanager creates them, so rate() works before the first
// notification.
#pragma once

#include <optional>
#include <string_view>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "store/cluster.h"

namespace tocsin::dispatch {

class NotificationMetrics {
 public:
  explicit NotificationMetrics(prometheus::Registry& registry);

  // One notification (all attempts of one integration in one flush).
  void notification(std::string_view integration);
  void notification_failed(std::string_view integration);
  // One attempt: a request to the receiver, and how long it took.
  void request(std::string_view integration, double seconds, bool ok);
  // One claim of a notification among replicas (replicas.h), by outcome;
  // none: the database could not be asked.
  void claim(std::optional<store::ClaimOutcome> outcome);

 private:
  prometheus::Family<prometheus::Counter>& notifications_;
  prometheus::Family<prometheus::Counter>& failed_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Counter>& requests_failed_;
  prometheus::Family<prometheus::Histogram>& latency_;
  prometheus::Family<prometheus::Counter>& claims_;
};

}  // namespace tocsin::dispatch
