// GoogleTest glue for tocsin's error values: ASSERT_TRUE(ok(result)) prints
// the error when the result holds one.
#pragma once

#include <expected>

#include <gtest/gtest.h>

#include <tocsin/error.h>

#include "support/command.h"

namespace tocsin::test {

template <typename T>
::testing::AssertionResult ok(const std::expected<T, Error>& result) {
  if (result) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << result.error().to_string();
}

inline ::testing::AssertionResult ok(const CommandResult& result) {
  if (result.success()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "exit code " << result.exit_code << ":\n"
                                       << result.output;
}

}  // namespace tocsin::test
