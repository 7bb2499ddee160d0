#include "config/datasource_config.h"

#include <gtest/gtest.h>

#include "support/temp_dir.h"

namespace tocsin::config {
namespace {

using namespace std::chrono_literals;
using test::TempDir;

DatasourceConfig valid() {
  DatasourceConfig config;
  config.url = "http://127.0.0.1:9090";
  return config;
}

// tocsin.yml's bearer_token and bearer_token_file, as the reader keeps them.
http::Authorization bearer_token(std::string token, std::string file = "") {
  return http::Authorization{.credentials = http::Secret(std::move(token)),
                             .credentials_file = std::move(file)};
}

std::string problems(const DatasourceConfig& config) {
  auto ok = validate(config);
  return ok ? std::string() : ok.error().message();
}

TEST(ValidateDatasourceConfig, AcceptsAPlainUrl) {
  EXPECT_EQ(problems(valid()), "");
}

TEST(ValidateDatasourceConfig, RejectsAZeroTimeout) {
  DatasourceConfig config = valid();
  config.timeout = 0ms;
  EXPECT_EQ(problems(config),
            "invalid Prometheus client config: timeout must be greater than zero");
}

TEST(ValidateDatasourceConfig, AuthMethodsAreExclusive) {
  DatasourceConfig config = valid();
  config.http_config.basic_auth = http::BasicAuth{.username = "u", .password = http::Secret("p")};
  config.http_config.authorization = bearer_token("t");
  EXPECT_EQ(problems(config),
            "invalid Prometheus client config: at most one of basic_auth, bearer_token & "
            "bearer_token_file must be configured");

  TempDir dir;
  DatasourceConfig both_tokens = valid();
  both_tokens.http_config.authorization = bearer_token("t", dir.write("token", "t"));
  EXPECT_EQ(problems(both_tokens),
            "invalid Prometheus client config: at most one of bearer_token & bearer_token_file "
            "must be configured");

  DatasourceConfig both_passwords = valid();
  both_passwords.http_config.basic_auth = http::BasicAuth{
      .username = "u", .password = http::Secret("p"), .password_file = dir.write("pw", "p")};
  EXPECT_EQ(problems(both_passwords),
            "invalid Prometheus client config: basic_auth: at most one of password & "
            "password_file must be configured");
}

TEST(ValidateDatasourceConfig, FilesMustBeReadableNow) {
  TempDir dir;
  DatasourceConfig config = valid();
  config.http_config.authorization = bearer_token("", dir.file("no-token"));
  config.http_config.tls_config.ca_file = dir.file("no-ca.pem");
  std::string text = problems(config);
  EXPECT_NE(text.find("bearer_token_file: " + dir.file("no-token") + ": cannot read file"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("tls_config.ca_file: " + dir.file("no-ca.pem")), std::string::npos) << text;
}

TEST(ValidateDatasourceConfig, ClientCertificateNeedsItsKey) {
  TempDir dir;
  DatasourceConfig config = valid();
  config.http_config.tls_config.cert_file = dir.write("cert.pem", "x");
  EXPECT_NE(problems(config).find("cert_file and key_file must be set together"),
            std::string::npos);
}

TEST(ValidateDatasourceConfig, HeadersMustBeValidAndNotOnesTocsinSets) {
  DatasourceConfig config = valid();
  config.headers = {{"X-Scope-OrgID", "tenant-1"},
                    {"Bad Name", "v"},
                    {"content-type", "text/plain"},
                    {"X-Injected", "a\r\nEvil: yes"}};
  std::string text = problems(config);
  EXPECT_NE(text.find("\"Bad Name\" is not a valid header name"), std::string::npos) << text;
  EXPECT_NE(text.find("content-type is set by tocsin"), std::string::npos) << text;
  EXPECT_NE(text.find("the value of X-Injected holds a line break"), std::string::npos) << text;
  EXPECT_EQ(text.find("Evil"), std::string::npos) << text;  // values are never echoed
  EXPECT_EQ(text.find("tenant-1"), std::string::npos) << text;

  DatasourceConfig auth_header = valid();
  auth_header.headers = {{"Authorization", "ApiKey k"}};
  EXPECT_EQ(problems(auth_header), "");  // a scheme tocsin has no field for
  auth_header.http_config.authorization = bearer_token("t");
  EXPECT_NE(problems(auth_header).find("Authorization cannot be set together"), std::string::npos);
}

TEST(ValidateDatasourceConfig, NoMessageContainsASecret) {
  DatasourceConfig config = valid();
  config.url = "http://user:url-secret@host";
  config.http_config.basic_auth = http::BasicAuth{.username = "u",
                                                  .password = http::Secret("password-secret"),
                                                  .password_file = "/nonexistent/pw"};
  config.http_config.authorization = bearer_token("token-secret");
  config.headers = {{"X-Api-Key", "header-secret\n"}};
  std::string text = problems(config);
  for (const char* secret : {"url-secret", "password-secret", "token-secret", "header-secret"}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret << " in " << text;
  }
}

}  // namespace
}  // namespace tocsin::config
