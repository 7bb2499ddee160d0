#include "http/request_auth.h"

#include <gtest/gtest.h>

#include "http/base64.h"
#include "support/temp_dir.h"

namespace tocsin::http {
namespace {

using test::TempDir;

TEST(ResolveRequestAuth, NoneConfiguredSendsNoHeader) {
  auto auth = resolve_request_auth(HttpClientConfig{});
  ASSERT_TRUE(auth.has_value());
  EXPECT_TRUE(auth->header.empty());
}

TEST(ResolveRequestAuth, BasicAuthEncodesUsernameAndTrimmedPassword) {
  HttpClientConfig config;
  config.basic_auth = BasicAuth{.username = "user", .password = Secret(" pass\n")};
  auto auth = resolve_request_auth(config);
  ASSERT_TRUE(auth.has_value());
  EXPECT_EQ(auth->header, "Authorization: Basic dXNlcjpwYXNz");
  EXPECT_EQ(auth->secrets, (std::vector<std::string>{"pass", "dXNlcjpwYXNz"}));
}

TEST(ResolveRequestAuth, PasswordFileIsReadOnEveryCall) {
  TempDir dir;
  HttpClientConfig config;
  config.basic_auth = BasicAuth{.username = "user", .password_file = dir.write("pw", "pass\n")};
  EXPECT_EQ(resolve_request_auth(config)->header, "Authorization: Basic dXNlcjpwYXNz");
  dir.write("pw", "other");
  EXPECT_EQ(resolve_request_auth(config)->header,
            "Authorization: Basic " + base64_encode("user:other"));
}

TEST(ResolveRequestAuth, BearerTokenFileIsReadOnEveryCallAndTrimmed) {
  TempDir dir;
  HttpClientConfig config;
  config.authorization = Authorization{.credentials_file = dir.write("token", "  first-token\n")};
  EXPECT_EQ(resolve_request_auth(config)->header, "Authorization: Bearer first-token");
  dir.write("token", "second-token");
  auto auth = resolve_request_auth(config);
  EXPECT_EQ(auth->header, "Authorization: Bearer second-token");
  EXPECT_EQ(auth->secrets, std::vector<std::string>{"second-token"});
}

TEST(ResolveRequestAuth, InlineBearerTokenIsSentAsIs) {
  HttpClientConfig config;
  config.authorization = Authorization{.credentials = Secret("abc")};
  EXPECT_EQ(resolve_request_auth(config)->header, "Authorization: Bearer abc");
}

TEST(ResolveRequestAuth, AnUnreadableFileIsNamedInTheCallersWords) {
  TempDir dir;
  HttpClientConfig config;
  config.authorization = Authorization{.credentials_file = dir.file("missing")};
  auto auth = resolve_request_auth(config);
  ASSERT_FALSE(auth.has_value());
  EXPECT_TRUE(auth.error().unreadable);
  EXPECT_TRUE(auth.error().message.starts_with("unable to read authorization credentials file " +
                                               dir.file("missing") + ": "))
      << auth.error().message;
  auto named = resolve_request_auth(config, "bearer token file");
  ASSERT_FALSE(named.has_value());
  EXPECT_TRUE(named.error().message.starts_with("unable to read bearer token file "))
      << named.error().message;
}

TEST(ResolveRequestAuth, CredentialsThatWouldSplitTheHeaderAreRefused) {
  HttpClientConfig config;
  config.authorization = Authorization{.credentials = Secret("abc\r\nX-Evil: yes")};
  auto auth = resolve_request_auth(config);
  ASSERT_FALSE(auth.has_value());
  EXPECT_FALSE(auth.error().unreadable);
  EXPECT_EQ(auth.error().message, "the Authorization credentials hold a line break or NUL");
}

}  // namespace
}  // namespace tocsin::http
