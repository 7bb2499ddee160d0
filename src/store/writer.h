// The one way changes reach the store: a queue that a thread of its own
// drains, writing everything queued so far in one transaction. Producers
// (rule groups, flushes, the API) only queue, so the evaluation and
// dispatch paths never wait on the disk; whoever promises durability (the
// silences API) waits for its own change with `wait_written`.
//
// A write that fails (disk full, read-only, locked) is logged, counted in
// tocsin_store_write_failures_total and retried with exponential backoff,
// together with whatever was queued meanwhile, in submission order. Nothing
// is dropped while tocsin runs: the daemon's memory stays the truth, the
// queue grows until the disk takes it. Only `stop` gives up, after one last
// attempt, and logs what it could not write.
//
// The writer also keeps the history within its retention: every
// purge_interval it drops the events older than history_retention, a
// bounded chunk per transaction between the queued batches, so a large
// purge never holds up a write for long.
//
// Threads: `submit`, `wait_written`, `history` and the accessors from any
// thread; one writer thread owns the store's writes. Backoff waits and wait_written's deadlines
// run on Options::clock, so tests drive retries with a fake clock.
//
// What a crash loses: the changes queued or being written that were not yet
// committed (a crash never leaves half a batch, since a batch is one
// transaction); everything wait_written has confirmed is on the disk.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <tocsin/error.h>
#include <tocsin/time.h>

#include "store/store.h"

namespace tocsin::store {

class Writer {
 public:
  // Counts submitted batches: every batch up to a sequence number is
  // written once written() reaches it.
  using Sequence = std::uint64_t;

  struct Options {
    // The wait after the first failed write; it doubles up to max_backoff.
    Duration initial_backoff = std::chrono::milliseconds(100);
    Duration max_backoff = std::chrono::seconds(30);
    // How long history events are kept (--storage.retention); zero keeps
    // them for ever.
    Duration history_retention = std::chrono::hours(24 * 30);
    // How often the history is purged; the first purge runs this long
    // after start.
    Duration purge_interval = std::chrono::hours(1);
    // Events dropped per purge transaction.
    std::size_t purge_chunk = 10'000;
    const Clock* clock = &Clock::system();     // never null; must outlive the writer
    prometheus::Registry* registry = nullptr;  // where the metrics go; none if null
  };

  // Takes the store: from now on only the writer's thread touches it.
  Writer(std::unique_ptr<Store> store, Options options);
  // Stops (see stop).
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Queues `batch` behind everything submitted before it and returns at
  // once with its sequence number. An empty batch is not queued.
  Sequence submit(Batch batch);

  // Waits until the batch numbered `sequence` (and every one before it) is
  // committed, or until `timeout` has passed on the clock. The error says
  // why it is not written yet: the last write error, or that the writer has
  // stopped.
  Status wait_written(Sequence sequence, Duration timeout);

  // The last sequence committed.
  Sequence written() const;
  // Changes queued or being retried, not yet committed.
  std::size_t pending_changes() const;
  // Failed write attempts since start.
  std::uint64_t failures() const;
  // Transactions committed since start.
  std::uint64_t transactions() const;
  // Events dropped from the history by retention since start.
  std::uint64_t purged_events() const;
  // The store's name ("data/tocsin.db"), for messages.
  const std::string& name() const { return name_; }

  // One page of the history, read on the caller's thread (the store's
  // reading connection; it never waits for a write). Events still queued
  // are not in it yet.
  Result<HistoryPage> history(const HistoryQuery& query) const;

  // Writes what is queued, trying once more if a retry is waiting, and
  // stops the thread; whatever still cannot be written is logged and lost.
  // Call it after every producer has stopped. Idempotent.
  void stop();

 private:
  struct Queued {
    Sequence sequence;
    Batch batch;
  };

  void run(std::stop_token stop);
  // Drops one chunk of expired history; returns when the next purge is due.
  Timestamp purge(Timestamp now);
  void update_size();

  const std::unique_ptr<Store> store_;
  const std::string name_;
  const Options options_;

  prometheus::Counter* transactions_metric_ = nullptr;
  prometheus::Counter* failures_metric_ = nullptr;
  prometheus::Gauge* pending_metric_ = nullptr;
  prometheus::Gauge* size_metric_ = nullptr;
  prometheus::Counter* purged_metric_ = nullptr;
  prometheus::Gauge* last_purge_metric_ = nullptr;
  prometheus::Histogram* write_seconds_metric_ = nullptr;
  // When tocsin_store_size_bytes was last read from the store (the writer
  // thread's, and the constructor's): at most every kSizeInterval.
  static constexpr auto kSizeInterval = std::chrono::seconds(5);
  std::optional<std::chrono::steady_clock::time_point> size_updated_;

  mutable std::mutex mu_;
  std::condition_variable_any changed_;  // something queued, written, or stopping
  std::deque<Queued> queue_;             // guarded by mu_
  Sequence submitted_ = 0;               // guarded by mu_
  Sequence written_ = 0;                 // guarded by mu_
  std::size_t pending_ = 0;              // changes in queue_ and in flight; guarded by mu_
  std::uint64_t failures_ = 0;           // guarded by mu_
  std::uint64_t transactions_ = 0;       // guarded by mu_
  std::uint64_t purged_ = 0;             // guarded by mu_
  std::optional<Error> last_error_;      // of the last attempt, if it failed; guarded by mu_
  bool stopped_ = false;                 // the thread has ended; guarded by mu_
  std::jthread thread_;                  // last: started once everything else exists
};

}  // namespace tocsin::store
