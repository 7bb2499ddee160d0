// Reading `email_configs` as Alertmanager 0.25 does: the global smtp_*
// fallbacks, canonical header names, and the errors in its words.
#include "notifiers/email/email_config.h"

#include <gtest/gtest.h>

#include "notifiers/testing/receivers.h"

namespace tocsin::notifiers {
namespace {

using namespace testutil;
using config::Receiver;

TEST(EmailConfig, GlobalFallbacksAndDefaults) {
  Receiver r =
      load_receiver("    email_configs: [{to: 'team@example.com'}]\n",
                    R"({smtp_smarthost: 'smtp.example.com:587', smtp_from: 'tocsin@example.com',
          smtp_hello: tocsin.example.com, smtp_auth_username: user, smtp_auth_password: pw,
          smtp_auth_secret: s3, smtp_auth_identity: id, smtp_require_tls: false})");
  const EmailConfig& e = *r.configs<EmailConfig>().at(0);
  EXPECT_FALSE(e.send_resolved);
  EXPECT_EQ(e.to, "team@example.com");
  EXPECT_EQ(e.from, "tocsin@example.com");
  EXPECT_EQ(e.smarthost.to_string(), "smtp.example.com:587");
  EXPECT_EQ(e.hello, "tocsin.example.com");
  EXPECT_EQ(e.auth_username, "user");
  EXPECT_EQ(e.auth_password.reveal(), "pw");
  EXPECT_EQ(e.auth_secret.reveal(), "s3");
  EXPECT_EQ(e.auth_identity, "id");
  EXPECT_FALSE(e.require_tls);
  EXPECT_EQ(e.html, R"({{ template "email.default.html" . }})");
  EXPECT_TRUE(e.text.empty());
  EXPECT_TRUE(e.headers.empty());
  EXPECT_EQ(e.effective_headers(), (std::map<std::string, std::string>{
                                       {"From", "tocsin@example.com"},
                                       {"Subject", R"({{ template "email.default.subject" . }})"},
                                       {"To", "team@example.com"}}));
}

TEST(EmailConfig, OwnFieldsWinAndHeadersAreCanonical) {
  Receiver r = load_receiver(R"(    email_configs:
      - to: budget@example.com
        from: budget-bot@example.com
        smarthost: '[::1]:2525'
        hello: me
        auth_username: u
        auth_password_file: smtp-password
        require_tls: true
        send_resolved: true
        headers: {subject: 'Token budget', x-team: llm}
        html: ''
        text: '{{ template "email.default.text" . }}'
        tls_config: {insecure_skip_verify: true, server_name: smtp}
)",
                             "{smtp_smarthost: 'smtp:25', smtp_from: f, smtp_auth_password: "
                             "global, smtp_require_tls: false}");
  const EmailConfig& e = *r.configs<EmailConfig>().at(0);
  EXPECT_TRUE(e.send_resolved);
  EXPECT_EQ(e.smarthost.host, "::1");
  EXPECT_EQ(e.smarthost.port, "2525");
  EXPECT_EQ(e.smarthost.to_string(), "[::1]:2525");
  EXPECT_EQ(e.from, "budget-bot@example.com");
  EXPECT_EQ(e.hello, "me");
  EXPECT_EQ(e.auth_password_file, "/etc/tocsin/smtp-password");
  EXPECT_TRUE(e.auth_password.empty());  // its own file replaces the global password
  EXPECT_TRUE(e.require_tls);
  EXPECT_EQ(e.headers,
            (std::map<std::string, std::string>{{"Subject", "Token budget"}, {"X-Team", "llm"}}));
  EXPECT_EQ(e.effective_headers().at("Subject"), "Token budget");
  EXPECT_TRUE(e.html.empty());
  EXPECT_EQ(e.text, R"({{ template "email.default.text" . }})");
  EXPECT_TRUE(e.tls_config.insecure_skip_verify);
  EXPECT_EQ(e.tls_config.server_name, "smtp");
}

TEST(EmailConfig, Errors) {
  EXPECT_EQ(problems("    email_configs: [{to: x}]\n"),
            (Problems{"5:21: no global SMTP smarthost set", "5:21: no global SMTP from set"}));
  EXPECT_EQ(problems("    email_configs: [{from: x, smarthost: 'h:25'}]\n"),
            Problems{"5:21: missing to address in email config"});
  EXPECT_EQ(problems("    email_configs: [{to: x, from: y, smarthost: localhost}]\n"),
            Problems{"5:49: smarthost: address localhost: missing port in address"});
  EXPECT_EQ(problems("    email_configs: [{to: x, from: y, smarthost: 'localhost:'}]\n"),
            Problems{"5:49: smarthost: address \"localhost:\": port cannot be empty"});
  EXPECT_EQ(problems("    email_configs: [{to: x, from: y, smarthost: 'h:25', headers: {Subject: "
                     "a, SUBJECT: b}}]\n"),
            Problems{"5:79: duplicate header \"Subject\" in email config"});
  EXPECT_EQ(
      problems("", "{smtp_auth_password: a, smtp_auth_password_file: b}"),
      Problems{
          "1:33: at most one of smtp_auth_password & smtp_auth_password_file must be configured"});
}

}  // namespace
}  // namespace tocsin::notifiers
