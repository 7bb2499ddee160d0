// Running a test body on a thread with a stack of a chosen size, to show
// that deep input stops with an error, never a stack overflow. Test code only.
#pragma once

#include <cstddef>
#include <functional>

#include <gtest/gtest.h>
#include <pthread.h>

namespace tocsin::test {

// AddressSanitizer's frames (at -O1) are several times larger than a plain
// build's; under it a stack is this much larger, so that the same depths fit
// or overflow.
#ifdef __SANITIZE_ADDRESS__
inline constexpr std::size_t kStackScale = 8;
#else
inline constexpr std::size_t kStackScale = 1;
#endif

// Runs `fn` on a thread whose stack is `bytes` (times kStackScale) large,
// and waits for it.
inline void run_on_stack(std::size_t bytes, std::function<void()> fn) {
  pthread_attr_t attr;
  ASSERT_EQ(pthread_attr_init(&attr), 0);
  ASSERT_EQ(pthread_attr_setstacksize(&attr, bytes * kStackScale), 0);
  pthread_t thread;
  auto body = [](void* arg) -> void* {
    (*static_cast<std::function<void()>*>(arg))();
    return nullptr;
  };
  ASSERT_EQ(pthread_create(&thread, &attr, body, &fn), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
}

}  // namespace tocsin::test
