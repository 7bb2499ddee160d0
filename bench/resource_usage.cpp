#include "resource_usage.h"

#include <fstream>
#include <string>

#include <malloc.h>
#include <sys/resource.h>

namespace tocsin::bench {
namespace {

double seconds(const timeval& tv) {
  return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
}

std::size_t vm_rss_bytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;  // "... kB"
  }
  return 0;
}

}  // namespace

CpuTime process_cpu_time() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return CpuTime{seconds(usage.ru_utime), seconds(usage.ru_stime)};
}

CpuTime operator-(const CpuTime& a, const CpuTime& b) {
  return CpuTime{a.user_seconds - b.user_seconds, a.system_seconds - b.system_seconds};
}

MemoryUsage memory_usage() {
  // Hand pages malloc holds but does not use back to the kernel first: what
  // loading the rule files freed would otherwise be reused by the alerts
  // without showing in RSS, and an RSS delta would undercount them.
  malloc_trim(0);
  // mallinfo2 sums every arena: uordblks is what is allocated from them,
  // hblkhd what large allocations hold in their own mappings.
  struct mallinfo2 info = mallinfo2();
  return MemoryUsage{vm_rss_bytes(), info.uordblks + info.hblkhd};
}

}  // namespace tocsin::bench
