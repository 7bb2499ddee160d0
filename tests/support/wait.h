// Waiting for something to become true, with a deadline. Tests never sleep
// for a guessed time: they poll what they wait for.
#pragma once

#include <chrono>
#include <functional>

#include <tocsin/time.h>

namespace tocsin::test {

// Calls `predicate` every `poll` until it returns true (then true) or
// `timeout` has passed (then false, after one last call).
bool wait_until(const std::function<bool()>& predicate, Duration timeout,
                Duration poll = std::chrono::milliseconds(20));

// The deadline an integration test gives one step of its story (a
// notification arriving, a restart done): generous for a loaded machine, and
// a wait ends as soon as its step happens.
inline constexpr std::chrono::seconds kStepTimeout{60};

}  // namespace tocsin::test
