// The instant the rule tests' alerts start from. Any fixed time serves; the
// files of tocsin_rules_tests share this one, since a unity build compiles
// them together (TOCSIN_UNITY_BUILD).
#pragma once

#include <chrono>

#include <tocsin/time.h>

namespace tocsin::test {

inline constexpr Timestamp kT0{std::chrono::milliseconds(1'700'000'000'000)};

}  // namespace tocsin::test
