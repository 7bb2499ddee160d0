#include "store/writer.h"

#include <algorithm>
#include <iterator>

#include <fmt/format.h>

#include "core/log.h"

namespace tocsin::store {

Writer::Writer(std::unique_ptr<Store> store, Options options)
    : store_(std::move(store)), name_(store_->name()), options_(options) {
  if (options_.registry != nullptr) {
    transactions_metric_ = &prometheus::BuildCounter()
                                .Name("tocsin_store_transactions_total")
                                .Help("Transactions committed to the store.")
                                .Register(*options_.registry)
                                .Add({});
    failures_metric_ = &prometheus::BuildCounter()
                            .Name("tocsin_store_write_failures_total")
                            .Help("Writes to the store that failed; each is retried.")
                            .Register(*options_.registry)
                            .Add({});
    pending_metric_ = &prometheus::BuildGauge()
                           .Name("tocsin_store_pending_changes")
                           .Help("Changes queued for the store and not yet committed.")
                           .Register(*options_.registry)
                           .Add({});
  }
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

Writer::~Writer() {
  stop();
}

Writer::Sequence Writer::submit(Batch batch) {
  std::lock_guard lock(mu_);
  if (batch.empty()) return submitted_;
  pending_ += batch.size();
  if (pending_metric_ != nullptr) pending_metric_->Set(static_cast<double>(pending_));
  queue_.push_back(Queued{++submitted_, std::move(batch)});
  changed_.notify_all();
  return submitted_;
}

Status Writer::wait_written(Sequence sequence, Duration timeout) {
  std::unique_lock lock(mu_);
  auto done = [&] { return written_ >= sequence || stopped_; };
  const Clock& clock = *options_.clock;
  if (!done()) clock.wait_until(lock, changed_, clock.now() + timeout, std::stop_token(), done);
  if (written_ >= sequence) return {};
  if (stopped_) {
    return fail(last_error_ ? fmt::format("not written, and no longer retried (stopping): {}",
                                          last_error_->message())
                            : fmt::format("{}: not written: the writer has stopped", name_));
  }
  if (last_error_) {
    return fail(fmt::format("not yet written, retrying: {}", last_error_->message()));
  }
  return fail(fmt::format("{}: not yet written after {}", name_, format_duration(timeout)));
}

Writer::Sequence Writer::written() const {
  std::lock_guard lock(mu_);
  return written_;
}

std::size_t Writer::pending_changes() const {
  std::lock_guard lock(mu_);
  return pending_;
}

std::uint64_t Writer::failures() const {
  std::lock_guard lock(mu_);
  return failures_;
}

std::uint64_t Writer::transactions() const {
  std::lock_guard lock(mu_);
  return transactions_;
}

void Writer::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
}

void Writer::run(std::stop_token stop) {
  const Clock& clock = *options_.clock;
  Batch in_flight;  // taken from the queue, not yet committed, in submission order
  Sequence last = 0;
  Duration backoff = options_.initial_backoff;
  int attempts = 0;  // failed attempts at in_flight
  while (true) {
    {
      std::unique_lock lock(mu_);
      changed_.wait(lock, stop, [&] { return !queue_.empty() || !in_flight.empty(); });
      for (Queued& q : queue_) {
        last = q.sequence;
        std::move(q.batch.begin(), q.batch.end(), std::back_inserter(in_flight));
      }
      queue_.clear();
      if (in_flight.empty()) {  // stopping, and everything is written
        stopped_ = true;
        changed_.notify_all();
        return;
      }
    }

    Status written = store_->write(in_flight);

    std::unique_lock lock(mu_);
    if (written) {
      written_ = last;
      pending_ -= in_flight.size();
      ++transactions_;
      last_error_.reset();
      if (transactions_metric_ != nullptr) transactions_metric_->Increment();
      if (pending_metric_ != nullptr) pending_metric_->Set(static_cast<double>(pending_));
      changed_.notify_all();
      lock.unlock();
      if (attempts > 0) {
        log::info("Writing to the store works again",
                  {{"file", name_}, {"failed_attempts", attempts}, {"changes", in_flight.size()}});
      }
      in_flight.clear();
      attempts = 0;
      backoff = options_.initial_backoff;
      continue;
    }

    ++failures_;
    ++attempts;
    last_error_ = written.error();
    if (failures_metric_ != nullptr) failures_metric_->Increment();
    const bool stopping = stop.stop_requested();
    if (stopping) {
      stopped_ = true;
      changed_.notify_all();
    }
    lock.unlock();
    if (stopping) {
      log::error("Stopping with changes the store could not take; they are lost",
                 {{"file", name_}, {"changes", in_flight.size()}, {"err", written.error()}});
      return;
    }
    log::error(
        "Writing to the store failed; tocsin keeps running on what it holds in memory "
        "and retries",
        {{"file", name_},
         {"attempt", attempts},
         {"retry_in", format_duration(backoff)},
         {"changes", in_flight.size()},
         {"err", written.error()}});
    // A stop during the wait ends it early: the loop then tries once more.
    clock.sleep_until(clock.now() + backoff, stop);
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

}  // namespace tocsin::store
