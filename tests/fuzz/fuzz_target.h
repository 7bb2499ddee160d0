// The entry point every fuzz target defines, in libFuzzer's shape. Built two
// ways (tests/fuzz/CMakeLists.txt): with AFL++'s driver for afl-fuzz
// (scripts/fuzz), and with replay_main.cpp as a plain test that runs the
// target over its seed corpus and every crash found so far.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace tocsin::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace tocsin::fuzz
