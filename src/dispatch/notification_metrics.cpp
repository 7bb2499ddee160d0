#include "dispatch/notification_metrics.h"

#include <string>

namespace tocsin::dispatch {
namespace {

constexpr std::string_view kIntegrations[] = {"discord", "email",    "msteams", "pagerduty",
                                              "slack",   "telegram", "webhook"};

prometheus::Labels by(std::string_view integration) {
  return {{"integration", std::string(integration)}};
}

// Alertmanager's buckets for notification latency.
prometheus::Histogram::BucketBoundaries latency_buckets() {
  return {1, 5, 10, 15, 20};
}

}  // namespace

NotificationMetrics::NotificationMetrics(prometheus::Registry& registry)
    : notifications_(prometheus::BuildCounter()
                         .Name("tocsin_notifications_total")
                         .Help("The total number of attempted notifications.")
                         .Register(registry)),
      failed_(prometheus::BuildCounter()
                  .Name("tocsin_notifications_failed_total")
                  .Help("The total number of failed notifications.")
                  .Register(registry)),
      requests_(prometheus::BuildCounter()
                    .Name("tocsin_notification_requests_total")
                    .Help("The total number of attempted notification requests.")
                    .Register(registry)),
      requests_failed_(prometheus::BuildCounter()
                           .Name("tocsin_notification_requests_failed_total")
                           .Help("The total number of failed notification requests.")
                           .Register(registry)),
      latency_(prometheus::BuildHistogram()
                   .Name("tocsin_notification_latency_seconds")
                   .Help("The latency of notification requests.")
                   .Register(registry)),
      claims_(prometheus::BuildCounter()
                  .Name("tocsin_notification_claims_total")
                  .Help("Claims of notifications among replicas, by outcome: claimed (this "
                        "replica sent it), told (another replica had sent it), busy (another "
                        "replica was sending it), unavailable (the database could not be asked).")
                  .Register(registry)) {
  for (std::string_view integration : kIntegrations) {
    notifications_.Add(by(integration));
    failed_.Add(by(integration));
    requests_.Add(by(integration));
    requests_failed_.Add(by(integration));
    latency_.Add(by(integration), latency_buckets());
  }
}

void NotificationMetrics::notification(std::string_view integration) {
  notifications_.Add(by(integration)).Increment();
}

void NotificationMetrics::notification_failed(std::string_view integration) {
  failed_.Add(by(integration)).Increment();
}

void NotificationMetrics::request(std::string_view integration, double seconds, bool ok) {
  requests_.Add(by(integration)).Increment();
  if (!ok) requests_failed_.Add(by(integration)).Increment();
  latency_.Add(by(integration), latency_buckets()).Observe(seconds);
}

void NotificationMetrics::claim(std::optional<store::ClaimOutcome> outcome) {
  std::string name = "unavailable";
  if (outcome) {
    switch (*outcome) {
      case store::ClaimOutcome::kClaimed:
        name = "claimed";
        break;
      case store::ClaimOutcome::kTold:
        name = "told";
        break;
      case store::ClaimOutcome::kBusy:
        name = "busy";
        break;
    }
  }
  claims_.Add({{"outcome", name}}).Increment();
}

}  // namespace tocsin::dispatch
