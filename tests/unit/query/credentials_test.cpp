#include "query/credentials.h"

#include <gtest/gtest.h>

#include "support/temp_dir.h"

namespace tocsin::query {
namespace {

using test::TempDir;

TEST(Base64Encode, MatchesRfc4648) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode("user:pass"), "dXNlcjpwYXNz");
  EXPECT_EQ(base64_encode("\xff\xfe"), "//4=");
}

TEST(ResolveAuthorization, NoneConfiguredSendsNoHeader) {
  auto auth = resolve_authorization(ClientConfig{});
  ASSERT_TRUE(auth.has_value());
  EXPECT_TRUE(auth->header.empty());
}

TEST(ResolveAuthorization, BasicAuthEncodesUsernameAndTrimmedPassword) {
  ClientConfig config;
  config.basic_auth = BasicAuth{.username = "user", .password = " pass\n"};
  auto auth = resolve_authorization(config);
  ASSERT_TRUE(auth.has_value());
  EXPECT_EQ(auth->header, "Authorization: Basic dXNlcjpwYXNz");
  EXPECT_EQ(auth->secrets, (std::vector<std::string>{"pass", "dXNlcjpwYXNz"}));
}

TEST(ResolveAuthorization, PasswordFileIsReadOnEveryCall) {
  TempDir dir;
  ClientConfig config;
  config.basic_auth = BasicAuth{.username = "user", .password_file = dir.write("pw", "pass\n")};
  EXPECT_EQ(resolve_authorization(config)->header, "Authorization: Basic dXNlcjpwYXNz");
  dir.write("pw", "other");
  EXPECT_EQ(resolve_authorization(config)->header,
            "Authorization: Basic " + base64_encode("user:other"));
}

TEST(ResolveAuthorization, BearerTokenFileIsReadOnEveryCallAndTrimmed) {
  TempDir dir;
  ClientConfig config;
  config.bearer_token_file = dir.write("token", "  first-token\n");
  EXPECT_EQ(resolve_authorization(config)->header, "Authorization: Bearer first-token");
  dir.write("token", "second-token");
  auto auth = resolve_authorization(config);
  EXPECT_EQ(auth->header, "Authorization: Bearer second-token");
  EXPECT_EQ(auth->secrets, std::vector<std::string>{"second-token"});
}

TEST(ResolveAuthorization, InlineBearerTokenIsSentAsIs) {
  ClientConfig config;
  config.bearer_token = "abc";
  EXPECT_EQ(resolve_authorization(config)->header, "Authorization: Bearer abc");
}

TEST(ResolveAuthorization, UnreadableFileIsACredentialsErrorNamingTheFileNotTheSecret) {
  TempDir dir;
  ClientConfig config;
  config.bearer_token_file = dir.file("missing");
  auto auth = resolve_authorization(config);
  ASSERT_FALSE(auth.has_value());
  EXPECT_EQ(auth.error().type, "credentials");
  EXPECT_NE(auth.error().message.find("unable to read bearer token file " + dir.file("missing")),
            std::string::npos)
      << auth.error().message;
}

TEST(ResolveAuthorization, ALineBreakInsideTheTokenIsRefusedWithoutQuotingIt) {
  TempDir dir;
  ClientConfig config;
  config.bearer_token_file = dir.write("token", "line-one\nline-two\n");
  auto auth = resolve_authorization(config);
  ASSERT_FALSE(auth.has_value());
  EXPECT_EQ(auth.error().type, "credentials");
  EXPECT_EQ(auth.error().message.find("line-one"), std::string::npos);
}

TEST(Redact, ReplacesEveryOccurrenceOfEverySecret) {
  EXPECT_EQ(redact("token abc and abc again, key xyz", {"abc", "xyz", ""}),
            "token *** and *** again, key ***");
  EXPECT_EQ(redact("nothing to hide", {"abc"}), "nothing to hide");
}

}  // namespace
}  // namespace tocsin::query
