#include "remote/write_queue.h"

#include <atomic>
#include <condition_variable>
#include <mutex>

#include <gtest/gtest.h>
#include <snappy.h>

#include "remote/remote_write.pb.h"
#include "support/fake_clock.h"
#include "support/wait.h"

namespace tocsin::remote {
namespace {

using namespace std::chrono_literals;
using test::FakeClock;
using test::wait_until;

constexpr Duration kTimeout = 10s;

std::vector<SeriesSample> samples(int from, int to) {
  std::vector<SeriesSample> out;
  for (int i = from; i < to; ++i) {
    out.push_back(SeriesSample{Labels{{"__name__", "s"}, {"i", std::to_string(i)}},
                               Timestamp(std::chrono::milliseconds(1000 + i)), double(i)});
  }
  return out;
}

// The `i` label of every sample a request body carries, in order.
std::vector<int> indexes_in(std::string_view body) {
  std::string raw;
  EXPECT_TRUE(snappy::Uncompress(body.data(), body.size(), &raw));
  wire::WriteRequest request;
  EXPECT_TRUE(request.ParseFromString(raw));
  std::vector<int> out;
  for (const auto& ts : request.timeseries()) {
    for (int s = 0; s < ts.samples_size(); ++s) out.push_back(std::stoi(ts.labels(1).value()));
  }
  return out;
}

// A receiver the test steers: it records each request, answers what the
// test queued (sent when nothing is), and can be held until released.
class FakeReceiver {
 public:
  SendOutcome send(std::string_view body, const http::TransferBounds& bounds) {
    std::unique_lock lock(mu_);
    bodies_.emplace_back(body);
    changed_.notify_all();
    changed_.wait(lock, bounds.stop, [&] { return !held_; });
    if (bounds.stop.stop_requested()) return {SendOutcome::Kind::kRetry, "context canceled"};
    if (answers_.empty()) return {};
    SendOutcome out = answers_.front();
    answers_.erase(answers_.begin());
    return out;
  }
  SendFunc func() {
    return [this](std::string_view body, const http::TransferBounds& bounds) {
      return send(body, bounds);
    };
  }
  void answer(SendOutcome outcome) {
    std::lock_guard lock(mu_);
    answers_.push_back(std::move(outcome));
  }
  void hold(bool held) {
    std::lock_guard lock(mu_);
    held_ = held;
    changed_.notify_all();
  }
  std::size_t requests() {
    std::lock_guard lock(mu_);
    return bodies_.size();
  }
  bool await_requests(std::size_t n) {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, kTimeout, [&] { return bodies_.size() >= n; });
  }
  std::vector<int> sent_indexes() {
    std::lock_guard lock(mu_);
    std::vector<int> out;
    for (const auto& b : bodies_) {
      auto more = indexes_in(b);
      out.insert(out.end(), more.begin(), more.end());
    }
    return out;
  }
  std::vector<int> indexes_of(std::size_t request) {
    std::lock_guard lock(mu_);
    return indexes_in(bodies_.at(request));
  }

 private:
  std::mutex mu_;
  std::condition_variable_any changed_;
  std::vector<std::string> bodies_;
  std::vector<SendOutcome> answers_;
  bool held_ = false;
};

class WriteQueueTest : public ::testing::Test {
 protected:
  WriteQueueOptions options(std::size_t capacity, std::size_t batch) {
    return WriteQueueOptions{.name = "test",
                             .url = "http://127.0.0.1:1/api/v1/write",
                             .capacity = capacity,
                             .max_samples_per_send = batch,
                             .min_backoff = 30ms,
                             .max_backoff = 100ms,
                             .flush_deadline = 5s,
                             .clock = &clock_};
  }
  WriteQueueMetrics m() { return metrics_.acquire("test", "http://127.0.0.1:1/api/v1/write"); }
  double value(prometheus::Counter& c) { return c.Value(); }

  prometheus::Registry registry_;
  RemoteWriteMetrics metrics_{registry_};
  FakeClock clock_;
  FakeReceiver receiver_;
};

std::vector<int> range(int from, int to) {
  std::vector<int> out;
  for (int i = from; i < to; ++i) out.push_back(i);
  return out;
}

TEST_F(WriteQueueTest, SendsEverythingInOrderInBatchesOfAtMostMaxSamplesPerSend) {
  receiver_.hold(true);  // the first request waits, so the rest queue up
  WriteQueue queue(options(1000, 10), receiver_.func(), m());
  EXPECT_EQ(queue.push(samples(0, 5)), 5u);
  ASSERT_TRUE(receiver_.await_requests(1));
  EXPECT_EQ(queue.push(samples(5, 30)), 25u);
  receiver_.hold(false);
  ASSERT_TRUE(wait_until([&] { return queue.pending() == 0; }, kTimeout));
  EXPECT_EQ(receiver_.sent_indexes(), range(0, 30));
  EXPECT_EQ(receiver_.indexes_of(0), range(0, 5));
  EXPECT_EQ(receiver_.indexes_of(1), range(5, 15));
  EXPECT_EQ(receiver_.requests(), 4u);
  WriteQueueMetrics metrics = m();
  EXPECT_EQ(metrics.samples_in.Value(), 30);
  EXPECT_EQ(metrics.samples_sent.Value(), 30);
  EXPECT_EQ(metrics.samples_dropped.Value(), 0);
  EXPECT_EQ(metrics.samples_pending.Value(), 0);
  EXPECT_GT(metrics.bytes_sent.Value(), 0);
  EXPECT_EQ(metrics.highest_sent_timestamp.Value(), 1.029);
  EXPECT_EQ(metrics.capacity.Value(), 1000);
}

TEST_F(WriteQueueTest, WhenFullPushDropsAndCountsTheRestAtOnce) {
  receiver_.hold(true);  // the receiver hangs: nothing drains
  WriteQueue queue(options(100, 10), receiver_.func(), m());
  EXPECT_EQ(queue.push(samples(0, 10)), 10u);
  ASSERT_TRUE(receiver_.await_requests(1));  // those 10 are in flight, and count
  EXPECT_EQ(queue.push(samples(10, 150)), 90u);
  EXPECT_EQ(queue.push(samples(150, 160)), 0u);
  EXPECT_EQ(queue.pending(), 100u);
  WriteQueueMetrics metrics = m();
  EXPECT_EQ(metrics.samples_in.Value(), 160);
  EXPECT_EQ(metrics.samples_dropped.Value(), 60);
  EXPECT_EQ(metrics.samples_pending.Value(), 100);

  // Once the receiver answers, what was kept goes, in order; what was
  // dropped is a gap.
  receiver_.hold(false);
  ASSERT_TRUE(wait_until([&] { return queue.pending() == 0; }, kTimeout));
  EXPECT_EQ(receiver_.sent_indexes(), range(0, 100));
  EXPECT_EQ(metrics.samples_sent.Value(), 100);
  // And there is room again.
  EXPECT_EQ(queue.push(samples(200, 210)), 10u);
}

TEST_F(WriteQueueTest, RetriesWithDoublingBackoffUpToTheMaximumThenSucceeds) {
  for (int i = 0; i < 4; ++i) receiver_.answer({SendOutcome::Kind::kRetry, "HTTP status 503"});
  Timestamp t0 = clock_.now();
  WriteQueue queue(options(100, 10), receiver_.func(), m());
  queue.push(samples(0, 3));
  // Prometheus's sendWriteRequestWithBackoff: 30ms, 60ms, then capped at
  // max_backoff (100ms).
  Timestamp at = t0;
  for (Duration backoff : {30ms, 60ms, 100ms, 100ms}) {
    at += backoff;
    ASSERT_TRUE(clock_.await_sleeper(at)) << format_duration(backoff);
    clock_.set(at);
  }
  ASSERT_TRUE(wait_until([&] { return queue.pending() == 0; }, kTimeout));
  EXPECT_EQ(receiver_.requests(), 5u);
  WriteQueueMetrics metrics = m();
  EXPECT_EQ(metrics.samples_retried.Value(), 12);  // 3 samples, sent again 4 times
  EXPECT_EQ(metrics.samples_sent.Value(), 3);
  EXPECT_EQ(metrics.samples_failed.Value(), 0);
}

TEST_F(WriteQueueTest, RetryAfterReplacesTheBackoff) {
  receiver_.answer({SendOutcome::Kind::kRetry, "HTTP status 429", 7s});
  Timestamp t0 = clock_.now();
  WriteQueue queue(options(100, 10), receiver_.func(), m());
  queue.push(samples(0, 1));
  ASSERT_TRUE(clock_.await_sleeper(t0 + 7s));
  clock_.set(t0 + 7s);
  ASSERT_TRUE(wait_until([&] { return queue.pending() == 0; }, kTimeout));
  EXPECT_EQ(receiver_.requests(), 2u);
}

TEST_F(WriteQueueTest, AFinalRefusalDropsTheBatchAsFailedAndGoesOn) {
  receiver_.answer({SendOutcome::Kind::kFailed, "server returned HTTP status 400: bad"});
  receiver_.hold(true);
  WriteQueue queue(options(100, 5), receiver_.func(), m());
  queue.push(samples(0, 5));
  ASSERT_TRUE(receiver_.await_requests(1));
  queue.push(samples(5, 8));
  receiver_.hold(false);
  ASSERT_TRUE(wait_until([&] { return queue.pending() == 0; }, kTimeout));
  EXPECT_EQ(receiver_.requests(), 2u);  // no retry of the refused batch
  WriteQueueMetrics metrics = m();
  EXPECT_EQ(metrics.samples_failed.Value(), 5);
  EXPECT_EQ(metrics.samples_sent.Value(), 3);
  EXPECT_EQ(metrics.samples_retried.Value(), 0);
}

TEST_F(WriteQueueTest, StopFlushesWhatIsQueued) {
  receiver_.hold(true);
  auto queue = std::make_unique<WriteQueue>(options(100, 4), receiver_.func(), m());
  queue->push(samples(0, 4));
  ASSERT_TRUE(receiver_.await_requests(1));
  queue->push(samples(4, 10));
  receiver_.hold(false);
  queue->stop();
  EXPECT_EQ(receiver_.sent_indexes(), range(0, 10));
  EXPECT_EQ(queue->push(samples(10, 12)), 0u);  // stopped: nothing more is taken
  WriteQueueMetrics metrics = m();
  EXPECT_EQ(metrics.samples_sent.Value(), 10);
  EXPECT_EQ(metrics.samples_dropped.Value(), 2);
}

TEST_F(WriteQueueTest, StopWithTheReceiverDownGivesUpAtTheFlushDeadlineAndCountsTheLoss) {
  for (int i = 0; i < 100; ++i) receiver_.answer({SendOutcome::Kind::kRetry, "refused"});
  Timestamp t0 = clock_.now();
  auto queue = std::make_unique<WriteQueue>(options(100, 4), receiver_.func(), m());
  queue->push(samples(0, 10));
  ASSERT_TRUE(clock_.await_sleeper(t0 + 30ms));  // retrying the first batch
  std::thread stopper([&] { queue->stop(); });
  ASSERT_TRUE(clock_.await_sleeper(t0 + 5s));  // stop() waits for the flush deadline
  clock_.set(t0 + 5s);
  stopper.join();
  WriteQueueMetrics metrics = m();
  EXPECT_EQ(metrics.samples_sent.Value(), 0);
  EXPECT_EQ(metrics.samples_dropped.Value(), 10);  // the batch in flight and the 6 queued
  EXPECT_EQ(metrics.samples_pending.Value(), 0);
  EXPECT_EQ(queue->pending(), 0u);
}

TEST_F(WriteQueueTest, PushNeverWaitsForAHangingReceiver) {
  receiver_.hold(true);
  WriteQueue queue(options(50, 10), receiver_.func(), m());
  queue.push(samples(0, 10));
  ASSERT_TRUE(receiver_.await_requests(1));
  // Many pushes return while the request hangs; each is bounded by capacity.
  std::size_t accepted = 0;
  for (int round = 0; round < 100; ++round) accepted += queue.push(samples(0, 10));
  EXPECT_EQ(accepted, 40u);
  EXPECT_EQ(m().samples_dropped.Value(), 960);
  receiver_.hold(false);
}

}  // namespace
}  // namespace tocsin::remote
