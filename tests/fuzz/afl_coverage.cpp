// Edge coverage for afl-fuzz from GCC's own instrumentation.
//
// AFL++'s GCC plugin (afl-g++-fast) refuses Debian 12's g++: the plugin was
// built against 12.2.0-14 and checks the exact configure arguments, which
// differ in 12.2.0-14+deb12u1. So the fuzz build compiles tocsin with
// -fsanitize-coverage=trace-pc (a call at every basic block) and this
// function records each edge in AFL's shared map, as AFL's own
// instrumentation does; AFL++'s runtime (afl-compiler-rt.o) sets the map
// up and runs the fork server, and libAFLDriver.a calls the target.
#include <cstdint>

extern "C" std::uint8_t* __afl_area_ptr;
extern "C" std::uint32_t __afl_map_size;

extern "C" __attribute__((no_sanitize("address", "undefined"))) void __sanitizer_cov_trace_pc() {
  static thread_local std::uintptr_t previous = 0;
  auto pc = reinterpret_cast<std::uintptr_t>(__builtin_return_address(0));
  std::uintptr_t current = ((pc >> 4) ^ (pc << 8)) & (__afl_map_size - 1);
  __afl_area_ptr[current ^ previous]++;
  previous = current >> 1;
}
