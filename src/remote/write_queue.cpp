#include "remote/write_queue.h"

#include <algorithm>

#include "core/log.h"
#include "remote/write_request.h"

namespace tocsin::remote {
namespace {

// A queue that cannot drain would otherwise log on every evaluation.
constexpr auto kLogEvery = std::chrono::seconds(10);

}  // namespace

WriteQueue::WriteQueue(WriteQueueOptions options, SendFunc send, WriteQueueMetrics metrics)
    : options_(std::move(options)),
      send_(std::move(send)),
      metrics_(metrics),
      sender_([this](std::stop_token stop) { run(stop); }) {
  metrics_.capacity.Set(static_cast<double>(options_.capacity));
}

WriteQueue::~WriteQueue() {
  stop();
}

std::size_t WriteQueue::push(std::vector<SeriesSample> samples) {
  if (samples.empty()) return 0;
  std::size_t accepted = 0;
  std::size_t to_log = 0;
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      std::size_t held = queue_.size() + in_flight_;
      std::size_t room = options_.capacity > held ? options_.capacity - held : 0;
      accepted = std::min(room, samples.size());
      for (std::size_t i = 0; i < accepted; ++i) queue_.push_back(std::move(samples[i]));
      metrics_.samples_pending.Increment(static_cast<double>(accepted));
    }
    std::size_t dropped = samples.size() - accepted;
    if (dropped > 0) {
      unlogged_drops_ += dropped;
      auto now = std::chrono::steady_clock::now();
      if (now - last_drop_log_ >= kLogEvery) {
        to_log = unlogged_drops_;
        unlogged_drops_ = 0;
        last_drop_log_ = now;
      }
    }
  }
  metrics_.samples_in.Increment(static_cast<double>(samples.size()));
  if (accepted > 0) cv_.notify_all();
  if (accepted < samples.size()) {
    metrics_.samples_dropped.Increment(static_cast<double>(samples.size() - accepted));
  }
  if (to_log > 0) {
    log::warn("Remote write queue full, samples dropped", {{"remote_name", options_.name},
                                                           {"url", options_.url},
                                                           {"dropped_since_last_report", to_log},
                                                           {"capacity", options_.capacity}});
  }
  return accepted;
}

std::size_t WriteQueue::pending() const {
  std::lock_guard lock(mu_);
  return queue_.size() + in_flight_;
}

void WriteQueue::stop() {
  if (!sender_.joinable()) return;
  {
    std::unique_lock lock(mu_);
    stopping_ = true;
    cv_.notify_all();
    Timestamp deadline = options_.clock->now() + options_.flush_deadline;
    options_.clock->wait_until(lock, cv_, deadline, {}, [this] { return finished_; });
  }
  sender_.request_stop();  // aborts the request under way and any backoff
  sender_.join();
}

void WriteQueue::run(std::stop_token stop) {
  while (!stop.stop_requested()) {
    std::vector<SeriesSample> batch;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, stop, [this] { return !queue_.empty() || stopping_; });
      if (stop.stop_requested()) break;
      if (queue_.empty()) {  // stopping, and everything was sent
        finished_ = true;
        cv_.notify_all();
        return;
      }
      std::size_t n = std::min(options_.max_samples_per_send, queue_.size());
      batch.reserve(n);
      std::move(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n),
                std::back_inserter(batch));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
      in_flight_ = n;
    }
    send_batch(std::move(batch), stop);
    std::lock_guard lock(mu_);
    in_flight_ = 0;
  }
  // Stopped before the queue drained: what is left is lost.
  std::size_t rest = 0;
  {
    std::lock_guard lock(mu_);
    rest = queue_.size();
    queue_.clear();
    finished_ = true;
    metrics_.samples_pending.Decrement(static_cast<double>(rest));
  }
  cv_.notify_all();
  if (rest > 0) count_dropped(rest, "stopped before they could be sent");
}

void WriteQueue::send_batch(std::vector<SeriesSample> batch, std::stop_token stop) {
  const auto n = static_cast<double>(batch.size());
  Timestamp highest = std::ranges::max_element(batch, {}, &SeriesSample::timestamp)->timestamp;
  const std::string body = encode_write_request(batch);
  batch.clear();
  Duration backoff = options_.min_backoff;
  const http::TransferBounds bounds{.deadline = {}, .stop = stop, .clock = options_.clock};
  for (;;) {
    auto started = std::chrono::steady_clock::now();
    SendOutcome outcome = send_(body, bounds);
    metrics_.sent_batch_duration.Observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    switch (outcome.kind) {
      case SendOutcome::Kind::kSent:
        metrics_.samples_sent.Increment(n);
        metrics_.bytes_sent.Increment(static_cast<double>(body.size()));
        metrics_.highest_sent_timestamp.Set(
            std::max(metrics_.highest_sent_timestamp.Value(), to_unix_seconds(highest)));
        metrics_.samples_pending.Decrement(n);
        return;
      case SendOutcome::Kind::kFailed:
        metrics_.samples_failed.Increment(n);
        metrics_.samples_pending.Decrement(n);
        log::error("Non-recoverable error sending samples to remote storage; the batch is dropped",
                   {{"remote_name", options_.name},
                    {"url", options_.url},
                    {"samples", static_cast<std::size_t>(n)},
                    {"err", outcome.error}});
        return;
      case SendOutcome::Kind::kRetry:
        break;
    }
    Duration wait = outcome.retry_after > Duration(0) ? outcome.retry_after : backoff;
    auto now = std::chrono::steady_clock::now();
    if (!stop.stop_requested() && now - last_failure_log_ >= kLogEvery) {
      last_failure_log_ = now;
      log::warn("Failed to send batch to remote storage, retrying",
                {{"remote_name", options_.name},
                 {"url", options_.url},
                 {"backoff", format_duration(wait)},
                 {"err", outcome.error}});
    }
    if (!options_.clock->sleep_until(options_.clock->now() + wait, stop)) {
      metrics_.samples_pending.Decrement(n);
      count_dropped(static_cast<std::size_t>(n), "stopped while retrying");
      return;
    }
    metrics_.samples_retried.Increment(n);
    backoff = std::min(wait * 2, options_.max_backoff);
  }
}

void WriteQueue::count_dropped(std::size_t n, std::string_view why) {
  metrics_.samples_dropped.Increment(static_cast<double>(n));
  log::warn("Remote write samples dropped",
            {{"remote_name", options_.name}, {"url", options_.url}, {"samples", n}, {"why", why}});
}

}  // namespace tocsin::remote
