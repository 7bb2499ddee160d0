// The self-monitoring series of remote write, one set per target, labelled
// remote_name and url as Prometheus labels its prometheus_remote_storage_*
// series. tocsin's names and meanings:
//
//   tocsin_remote_storage_samples_in_total       samples handed to the queue
//   tocsin_remote_storage_samples_total          samples the receiver accepted (2xx)
//   tocsin_remote_storage_samples_failed_total   samples in requests that failed for good
//                                                (a 4xx other than a retried 429)
//   tocsin_remote_storage_samples_retried_total  samples in requests sent again
//   tocsin_remote_storage_samples_dropped_total  samples the full queue turned away, and
//                                                those still queued when tocsin stopped
//   tocsin_remote_storage_samples_pending        samples queued or being sent
//   tocsin_remote_storage_bytes_total            compressed request bytes accepted
//   tocsin_remote_storage_sent_batch_duration_seconds   each request, failed ones too
//   tocsin_remote_storage_queue_highest_sent_timestamp_seconds
//   tocsin_remote_storage_queue_capacity         the queue's capacity in samples
//
// So in = samples + failed + dropped + pending, at rest.
//
// Thread-safe.
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <string>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace tocsin::remote {

// One target's series; the references stay valid until the last
// RemoteWriteMetrics::release of the target.
struct WriteQueueMetrics {
  prometheus::Counter& samples_in;
  prometheus::Counter& samples_sent;
  prometheus::Counter& samples_failed;
  prometheus::Counter& samples_retried;
  prometheus::Counter& samples_dropped;
  prometheus::Gauge& samples_pending;
  prometheus::Counter& bytes_sent;
  prometheus::Histogram& sent_batch_duration;
  prometheus::Gauge& highest_sent_timestamp;
  prometheus::Gauge& capacity;
};

class RemoteWriteMetrics {
 public:
  explicit RemoteWriteMetrics(prometheus::Registry& registry);

  // The series of target (`name`, `url`), created on the first acquire; a
  // queue that replaces another of the same labels shares them (counters
  // carry on).
  WriteQueueMetrics acquire(const std::string& name, const std::string& url);
  // Removes the series once every acquire has been released.
  void release(const std::string& name, const std::string& url);

 private:
  std::mutex mu_;  // guards users_ and each Add/Remove pair
  std::map<std::pair<std::string, std::string>, int> users_;
  prometheus::Family<prometheus::Counter>& samples_in_;
  prometheus::Family<prometheus::Counter>& samples_sent_;
  prometheus::Family<prometheus::Counter>& samples_failed_;
  prometheus::Family<prometheus::Counter>& samples_retried_;
  prometheus::Family<prometheus::Counter>& samples_dropped_;
  prometheus::Family<prometheus::Gauge>& samples_pending_;
  prometheus::Family<prometheus::Counter>& bytes_sent_;
  prometheus::Family<prometheus::Histogram>& sent_batch_duration_;
  prometheus::Family<prometheus::Gauge>& highest_sent_timestamp_;
  prometheus::Family<prometheus::Gauge>& capacity_;
};

}  // namespace tocsin::remote
