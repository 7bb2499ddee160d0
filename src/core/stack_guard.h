// How much of the calling thread's stack is left, so that a recursive parser
// or the template executor can stop with an error before it overflows.
//
// Depth limits copied from Go (10,000 nested JSON values, 100,000 nested
// template calls) assume goroutine stacks that grow to a gigabyte; a C++
// thread has a fixed stack (8 MiB by default). Every recursion that input can
// drive checks both its own limit and `stack_exhausted()`, so no input can
// crash tocsin whatever thread it runs on.
#pragma once

#include <cstddef>

namespace tocsin {

// Left for the caller after a recursion gives up: error handling, logging and
// the unwinding itself.
inline constexpr std::size_t kStackReserve = 256 * 1024;

// Bytes between the caller's frame and the end of this thread's stack.
// The stack's bounds are read once per thread.
std::size_t stack_remaining();

// True when fewer than `reserve` bytes of stack are left.
inline bool stack_exhausted(std::size_t reserve = kStackReserve) {
  return stack_remaining() < reserve;
}

}  // namespace tocsin
