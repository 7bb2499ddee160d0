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
    size_metric_ = &prometheus::BuildGauge()
                        .Name("tocsin_store_size_bytes")
                        .Help(
                            "What the store takes on the disk (the file and its write-ahead "
                            "log), or in memory.")
                        .Register(*options_.registry)
                        .Add({});
    purged_metric_ = &prometheus::BuildCounter()
                          .Name("tocsin_store_history_purged_total")
                          .Help(
                              "History events dropped because they were older than "
                              "--storage.retention.")
                          .Register(*options_.registry)
                          .Add({});
    write_seconds_metric_ =
        &prometheus::BuildHistogram()
             .Name("tocsin_store_write_duration_seconds")
             .Help(
                 "How long the store took to commit one batch, or to fail it: the "
                 "database's latency as tocsin sees it.")
             .Register(*options_.registry)
             .Add({},
                  prometheus::Histogram::BucketBoundaries{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                          0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10});
    last_purge_metric_ = &prometheus::BuildGauge()
                              .Name("tocsin_store_last_history_purge_timestamp_seconds")
                              .Help("When the history was last purged of old events.")
                              .Register(*options_.registry)
                              .Add({});
    update_size();
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

std::uint64_t Writer::purged_events() const {
  std::lock_guard lock(mu_);
  return purged_;
}

Result<HistoryPage> Writer::history(const HistoryQuery& query) const {
  return store_->history(query);
}

void Writer::update_size() {
  if (size_metric_ == nullptr) return;
  // Asking PostgreSQL for the size is a query: at most every few seconds.
  const auto now = std::chrono::steady_clock::now();
  if (size_updated_ && now - *size_updated_ < kSizeInterval) return;
  size_updated_ = now;
  if (auto size = store_->size_bytes()) size_metric_->Set(static_cast<double>(*size));
}

Timestamp Writer::purge(Timestamp now) {
  auto dropped = store_->purge_history(now - options_.history_retention, options_.purge_chunk);
  if (!dropped) {
    log::error("Purging old history failed; trying again at the next purge",
               {{"store", name_}, {"err", dropped.error()}});
    return now + options_.purge_interval;
  }
  {
    std::lock_guard lock(mu_);
    purged_ += *dropped;
  }
  if (purged_metric_ != nullptr) purged_metric_->Increment(static_cast<double>(*dropped));
  if (*dropped > 0) {
    log::info("Dropped history older than the retention",
              {{"store", name_},
               {"events", *dropped},
               {"retention", format_duration(options_.history_retention)}});
  }
  // A full chunk: there may be more, dropped next, after what is queued.
  if (*dropped >= options_.purge_chunk) return now;
  if (last_purge_metric_ != nullptr) last_purge_metric_->Set(to_unix_seconds(now));
  update_size();
  return now + options_.purge_interval;
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
  const bool purging = options_.history_retention > Duration::zero();
  Timestamp next_purge = clock.now() + options_.purge_interval;
  while (true) {
    {
      std::unique_lock lock(mu_);
      auto ready = [&] { return !queue_.empty() || !in_flight.empty(); };
      if (purging) {
        clock.wait_until(lock, changed_, next_purge, stop, ready);
      } else {
        changed_.wait(lock, stop, ready);
      }
      for (Queued& q : queue_) {
        last = q.sequence;
        std::move(q.batch.begin(), q.batch.end(), std::back_inserter(in_flight));
      }
      queue_.clear();
      if (in_flight.empty() && stop.stop_requested()) {  // everything is written
        stopped_ = true;
        changed_.notify_all();
        return;
      }
    }
    if (in_flight.empty()) {  // woken for the purge
      if (clock.now() >= next_purge) next_purge = purge(clock.now());
      continue;
    }

    const auto started = std::chrono::steady_clock::now();
    Status written = store_->write(in_flight);
    if (write_seconds_metric_ != nullptr) {
      write_seconds_metric_->Observe(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    }

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
      update_size();
      if (attempts > 0) {
        log::info("Writing to the store works again",
                  {{"store", name_}, {"failed_attempts", attempts}, {"changes", in_flight.size()}});
      }
      in_flight.clear();
      attempts = 0;
      backoff = options_.initial_backoff;
      // Due while writes kept coming: one chunk now, between two batches.
      if (purging && clock.now() >= next_purge) next_purge = purge(clock.now());
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
                 {{"store", name_}, {"changes", in_flight.size()}, {"err", written.error()}});
      return;
    }
    log::error(
        "Writing to the store failed; tocsin keeps running on what it holds in memory "
        "and retries",
        {{"store", name_},
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
