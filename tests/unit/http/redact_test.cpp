#include "http/redact.h"

#include <gtest/gtest.h>

namespace tocsin::http {
namespace {

TEST(Redact, ReplacesEveryOccurrenceOfEverySecret) {
  EXPECT_EQ(redact("token abc and abc again, key xyz", {"abc", "xyz", ""}),
            "token *** and *** again, key ***");
  EXPECT_EQ(redact("nothing to hide", {"abc"}), "nothing to hide");
}

}  // namespace
}  // namespace tocsin::http
