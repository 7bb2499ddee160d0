#include "support/wait.h"

#include <thread>

namespace tocsin::test {

bool wait_until(const std::function<bool()>& predicate, Duration timeout, Duration poll) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (predicate()) return true;
    std::this_thread::sleep_for(poll);
  }
  return predicate();
}

}  // namespace tocsin::test
