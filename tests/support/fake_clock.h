// A clock tests move by hand, and literal instants. Header only: any test
// target can use it.
//
// FakeClock's now() changes only when the test calls advance() or set().
// Threads that wait on it (Clock::wait_until, Clock::sleep_until: the
// dispatcher's timer, the pipeline's retries, a rule group runner) wake when
// the clock reaches their deadline, so a test never sleeps for time to pass:
// it advances the clock, then waits with a real-time deadline either for the
// effect it expects or for the thread to be asleep on the clock again
// (await_sleeper), which shows the thread has done all it had to at that
// time and will do nothing more until the next advance.
//
// One caveat: a sleeper its owner has just woken through its condition
// variable (not through the clock) still counts as asleep until it looks
// again, so await a deadline the thread sleeps until only after the event
// the test waits for, or await after an advance (which makes every earlier
// look stale).
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include <tocsin/time.h>

namespace tocsin::test {

// "2024-05-01T12:00:00Z" as a Timestamp.
inline Timestamp at(std::string_view rfc3339) {
  auto t = parse_time(rfc3339);
  EXPECT_TRUE(t.has_value()) << rfc3339;
  return t.value_or(Timestamp{});
}

class FakeClock final : public Clock {
 public:
  explicit FakeClock(Timestamp start = at("2024-05-01T12:00:00Z")) : now_(start) {}

  Timestamp now() const override { return now_.load(); }

  void advance(Duration d) { set(now() + d); }
  // Moves to `t` and has every waiting thread look at the time again.
  void set(Timestamp t) {
    std::lock_guard lock(mu_);
    now_.store(t);
    for (const Sleeper* s : sleepers_) s->cv->notify_all();
  }

  bool wait_until(std::unique_lock<std::mutex>& lock, std::condition_variable_any& cv,
                  Timestamp deadline, std::stop_token stop,
                  const std::function<bool()>& ready) const override {
    // mu_ is held from every look at the time until the thread blocks on
    // `cv` (the wait releases both locks at once), and set() notifies under
    // mu_: an advance cannot slip in unseen between the two. Lock order:
    // the caller's mutex, then mu_.
    std::unique_lock own(mu_);
    Sleeper self{&cv, deadline, Timestamp::min()};
    sleepers_.push_back(&self);
    BothLocks both{lock, own};
    cv.wait(both, std::move(stop), [&] {
      if (ready() || now_.load() >= deadline) return true;
      self.seen = now_.load();
      changed_.notify_all();
      return false;
    });
    std::erase(sleepers_, &self);
    own.unlock();
    return ready();
  }

  // Waits, in real time up to `timeout`, until a thread is asleep on this
  // clock until exactly `deadline`, having looked at the current now().
  bool await_sleeper(Timestamp deadline,
                     std::chrono::milliseconds timeout = std::chrono::seconds(10)) const {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, timeout, [&] {
      return std::ranges::any_of(sleepers_, [&](const Sleeper* s) {
        return s->deadline == deadline && s->seen == now_.load();
      });
    });
  }

  // The same for `n` threads, whatever their deadlines: for a test of a
  // whole program (the daemon) that waits for all of its timers to start.
  bool await_sleepers(std::size_t n,
                      std::chrono::milliseconds timeout = std::chrono::seconds(10)) const {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, timeout, [&] {
      return static_cast<std::size_t>(std::ranges::count_if(
                 sleepers_, [&](const Sleeper* s) { return s->seen == now_.load(); })) >= n;
    });
  }

  // The earliest deadline a thread asleep on this clock (having looked at
  // the current now()) waits for; nullopt when none is asleep within
  // `timeout`.
  std::optional<Timestamp> await_any_sleeper(
      std::chrono::milliseconds timeout = std::chrono::seconds(10)) const {
    std::unique_lock lock(mu_);
    std::optional<Timestamp> earliest;
    changed_.wait_for(lock, timeout, [&] {
      for (const Sleeper* s : sleepers_) {
        if (s->seen == now_.load() && (!earliest || s->deadline < *earliest)) {
          earliest = s->deadline;
        }
      }
      return earliest.has_value();
    });
    return earliest;
  }

 private:
  struct Sleeper {
    std::condition_variable_any* cv;
    Timestamp deadline;
    Timestamp seen;  // the time it last found not to be its deadline
  };
  // The caller's lock and mu_, taken and released as one.
  struct BothLocks {
    std::unique_lock<std::mutex>& outer;
    std::unique_lock<std::mutex>& inner;
    void lock() {
      outer.lock();
      inner.lock();
    }
    void unlock() {
      inner.unlock();
      outer.unlock();
    }
  };

  std::atomic<Timestamp> now_;
  mutable std::mutex mu_;
  mutable std::condition_variable changed_;       // a sleeper looked at the time
  mutable std::vector<const Sleeper*> sleepers_;  // guarded by mu_
};

}  // namespace tocsin::test
