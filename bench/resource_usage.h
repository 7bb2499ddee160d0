// This process's own CPU time and memory, for benchmark reports. Prometheus
// runs in another process, so nothing it does is counted here.
#pragma once

#include <cstddef>

namespace tocsin::bench {

// CPU time of every thread of this process so far (getrusage RUSAGE_SELF).
struct CpuTime {
  double user_seconds = 0;
  double system_seconds = 0;

  double total() const { return user_seconds + system_seconds; }
};
CpuTime process_cpu_time();
CpuTime operator-(const CpuTime& a, const CpuTime& b);

struct MemoryUsage {
  std::size_t rss_bytes = 0;   // VmRSS from /proc/self/status: what the kernel charges us
  std::size_t heap_bytes = 0;  // bytes malloc has handed out and not had back (mallinfo2)
};
// Releases free heap pages to the kernel (malloc_trim) before reading, so
// that RSS counts memory in use rather than memory malloc kept around.
MemoryUsage memory_usage();

}  // namespace tocsin::bench
