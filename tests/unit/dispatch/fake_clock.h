// A clock tests move by hand, and literal instants.
#pragma once

#include <atomic>
#include <string_view>

#include <gtest/gtest.h>

#include <tocsin/time.h>

namespace tocsin::dispatch::testing {

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
  void advance(Duration d) { now_.store(now_.load() + d); }
  void set(Timestamp t) { now_.store(t); }

 private:
  std::atomic<Timestamp> now_;
};

}  // namespace tocsin::dispatch::testing
