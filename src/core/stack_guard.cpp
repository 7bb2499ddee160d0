#include "core/stack_guard.h"

#include <cstdint>

#include <pthread.h>

namespace tocsin {
namespace {

// The lowest address of this thread's stack (stacks grow down on every
// platform tocsin builds for); 0 when the bounds cannot be read.
std::uintptr_t stack_low_end() {
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return 0;
  void* low = nullptr;
  std::size_t size = 0;
  int rc = pthread_attr_getstack(&attr, &low, &size);
  pthread_attr_destroy(&attr);
  return rc == 0 ? reinterpret_cast<std::uintptr_t>(low) : 0;
}

}  // namespace

std::size_t stack_remaining() {
  thread_local const std::uintptr_t low = stack_low_end();
  // The frame address, not a local's: under AddressSanitizer locals may live
  // on a heap-allocated fake stack.
  auto here = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
  if (low == 0 || here <= low) return low == 0 ? SIZE_MAX : 0;
  return here - low;
}

}  // namespace tocsin
