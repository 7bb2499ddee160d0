#include "http/host_port.h"

#include <gtest/gtest.h>

namespace tocsin::http {
namespace {

TEST(HostPort, SplitsAsGoNetSplitHostPort) {
  EXPECT_EQ(parse_host_port("smtp.example.com:587"), (HostPort{"smtp.example.com", "587"}));
  EXPECT_EQ(parse_host_port("[::1]:25"), (HostPort{"::1", "25"}));
  EXPECT_EQ(parse_host_port(":25"), (HostPort{"", "25"}));
  EXPECT_TRUE(parse_host_port("")->empty());
  EXPECT_EQ(parse_host_port("localhost").error().message(),
            "address localhost: missing port in address");
  EXPECT_EQ(parse_host_port("a:b:25").error().message(),
            "address a:b:25: too many colons in address");
  EXPECT_EQ(parse_host_port("[::1]").error().message(), "address [::1]: missing port in address");
  EXPECT_EQ(parse_host_port("h:").error().message(), "address \"h:\": port cannot be empty");
  EXPECT_EQ((HostPort{"::1", "25"}).to_string(), "[::1]:25");
}

}  // namespace
}  // namespace tocsin::http
