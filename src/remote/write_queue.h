// One remote_write target's queue: a bounded FIFO of samples that rule
// evaluation fills and one sender thread drains, in batches of at most
// max_samples_per_send, each retried with backoff as Prometheus 2.42
// retries (sendWriteRequestWithBackoff): after min_backoff, doubling up to
// max_backoff, or after the receiver's Retry-After; for as long as it takes.
// A batch the receiver refuses for good is dropped and counted as failed.
//
// push() never waits for the sender: it takes what fits under `capacity`
// (the batch being sent counts against it) and drops the rest, counted in
// samples_dropped and logged at most once every 10 s. So a receiver that is
// down costs a bounded amount of memory, and evaluation goes on. Samples
// leave in the order they came, so each series reaches the receiver in
// timestamp order, with a gap where samples were dropped.
//
// stop() sends what is queued for up to `flush_deadline`, then aborts the
// request under way and drops (and counts) the rest.
//
// Threads: push() from any thread; the sender is the queue's own; stop()
// and the destructor from the owner's.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <tocsin/series.h>
#include <tocsin/time.h>

#include "http/curl_bounds.h"
#include "remote/write_client.h"
#include "remote/write_queue_metrics.h"

namespace tocsin::remote {

struct WriteQueueOptions {
  std::string name;  // for logs: remote_name
  std::string url;   // for logs
  std::size_t capacity = 100'000;
  std::size_t max_samples_per_send = 500;
  Duration min_backoff = std::chrono::milliseconds(30);
  Duration max_backoff = std::chrono::seconds(5);
  Duration flush_deadline = std::chrono::seconds(5);
  // What backoff and the flush deadline are measured on; never null.
  const Clock* clock = &Clock::system();
};

// Sends one encoded request (write_request.h) within `bounds`.
using SendFunc =
    std::function<SendOutcome(std::string_view body, const http::TransferBounds& bounds)>;

class WriteQueue {
 public:
  // Starts the sender. `metrics` must stay valid until the queue is gone.
  WriteQueue(WriteQueueOptions options, SendFunc send, WriteQueueMetrics metrics);
  ~WriteQueue();
  WriteQueue(const WriteQueue&) = delete;
  WriteQueue& operator=(const WriteQueue&) = delete;

  // Queues what fits of `samples`, in order; returns how many. Never blocks
  // on the sender. After stop(), queues nothing.
  std::size_t push(std::vector<SeriesSample> samples);

  // Samples queued or being sent.
  std::size_t pending() const;

  // Flushes for up to flush_deadline, then drops what is left. Idempotent.
  void stop();

 private:
  void run(std::stop_token stop);
  // Sends one batch until it is accepted, refused for good, or `stop`.
  void send_batch(std::vector<SeriesSample> batch, std::stop_token stop);
  void count_dropped(std::size_t n, std::string_view why);

  const WriteQueueOptions options_;
  const SendFunc send_;
  const WriteQueueMetrics metrics_;

  mutable std::mutex mu_;
  std::condition_variable_any cv_;
  std::deque<SeriesSample> queue_;  // guarded by mu_
  std::size_t in_flight_ = 0;       // samples of the batch being sent; guarded by mu_
  bool stopping_ = false;           // guarded by mu_
  bool finished_ = false;           // the sender has nothing left; guarded by mu_
  // Drops not yet logged, and when the last line was written; guarded by mu_.
  std::size_t unlogged_drops_ = 0;
  std::chrono::steady_clock::time_point last_drop_log_{};
  std::chrono::steady_clock::time_point last_failure_log_{};  // the sender's own

  std::jthread sender_;  // last: started after everything it uses
};

}  // namespace tocsin::remote
