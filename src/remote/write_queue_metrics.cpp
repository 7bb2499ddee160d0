#include "remote/write_queue_metrics.h"

namespace tocsin::remote {
namespace {

// Prometheus's: prometheus.DefBuckets with 25 and 60 added.
const prometheus::Histogram::BucketBoundaries& duration_buckets() {
  static const prometheus::Histogram::BucketBoundaries buckets = {
      0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 60};
  return buckets;
}

prometheus::Family<prometheus::Counter>& counter(prometheus::Registry& registry,
                                                 const std::string& name, const std::string& help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(registry);
}

prometheus::Family<prometheus::Gauge>& gauge(prometheus::Registry& registry,
                                             const std::string& name, const std::string& help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(registry);
}

template <typename T, typename... Args>
void drop(prometheus::Family<T>& family, const prometheus::Labels& labels, Args&&... args) {
  if (family.Has(labels)) family.Remove(&family.Add(labels, std::forward<Args>(args)...));
}

}  // namespace

RemoteWriteMetrics::RemoteWriteMetrics(prometheus::Registry& registry)
    : samples_in_(counter(registry, "tocsin_remote_storage_samples_in_total",
                          "Samples handed to the remote write queue.")),
      samples_sent_(counter(registry, "tocsin_remote_storage_samples_total",
                            "Samples the remote write receiver accepted.")),
      samples_failed_(counter(registry, "tocsin_remote_storage_samples_failed_total",
                              "Samples in remote write requests that failed for good.")),
      samples_retried_(counter(registry, "tocsin_remote_storage_samples_retried_total",
                               "Samples in remote write requests that were sent again.")),
      samples_dropped_(counter(
          registry, "tocsin_remote_storage_samples_dropped_total",
          "Samples dropped because the remote write queue was full, or still queued at stop.")),
      samples_pending_(gauge(registry, "tocsin_remote_storage_samples_pending",
                             "Samples queued for remote write or being sent.")),
      bytes_sent_(counter(registry, "tocsin_remote_storage_bytes_total",
                          "Compressed bytes of the remote write requests accepted.")),
      sent_batch_duration_(prometheus::BuildHistogram()
                               .Name("tocsin_remote_storage_sent_batch_duration_seconds")
                               .Help("Duration of each remote write request.")
                               .Register(registry)),
      highest_sent_timestamp_(
          gauge(registry, "tocsin_remote_storage_queue_highest_sent_timestamp_seconds",
                "Highest sample timestamp the remote write receiver accepted.")),
      capacity_(gauge(registry, "tocsin_remote_storage_queue_capacity",
                      "Samples the remote write queue holds at most.")) {}

WriteQueueMetrics RemoteWriteMetrics::acquire(const std::string& name, const std::string& url) {
  std::lock_guard lock(mu_);
  ++users_[{name, url}];
  prometheus::Labels labels{{"remote_name", name}, {"url", url}};
  return WriteQueueMetrics{samples_in_.Add(labels),
                           samples_sent_.Add(labels),
                           samples_failed_.Add(labels),
                           samples_retried_.Add(labels),
                           samples_dropped_.Add(labels),
                           samples_pending_.Add(labels),
                           bytes_sent_.Add(labels),
                           sent_batch_duration_.Add(labels, duration_buckets()),
                           highest_sent_timestamp_.Add(labels),
                           capacity_.Add(labels)};
}

void RemoteWriteMetrics::release(const std::string& name, const std::string& url) {
  std::lock_guard lock(mu_);
  auto it = users_.find({name, url});
  if (it == users_.end() || --it->second > 0) return;
  users_.erase(it);
  prometheus::Labels labels{{"remote_name", name}, {"url", url}};
  drop(samples_in_, labels);
  drop(samples_sent_, labels);
  drop(samples_failed_, labels);
  drop(samples_retried_, labels);
  drop(samples_dropped_, labels);
  drop(samples_pending_, labels);
  drop(bytes_sent_, labels);
  drop(sent_batch_duration_, labels, duration_buckets());
  drop(highest_sent_timestamp_, labels);
  drop(capacity_, labels);
}

}  // namespace tocsin::remote
