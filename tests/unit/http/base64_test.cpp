#include "http/base64.h"

#include <gtest/gtest.h>

namespace tocsin::http {
namespace {

TEST(Base64Encode, MatchesRfc4648) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode("user:pass"), "dXNlcjpwYXNz");
  EXPECT_EQ(base64_encode("\xff\xfe"), "//4=");
}

}  // namespace
}  // namespace tocsin::http
