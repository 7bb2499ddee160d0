// Email through a real SMTP server (aiosmtpd): plain SMTP, STARTTLS
// required by require_tls, implicit TLS, AUTH PLAIN/LOGIN/CRAM-MD5, and the
// message Alertmanager writes read back by Python's email package: the
// headers, both alternatives, their decoded bodies.
#include <chrono>
#include <regex>

#include <gtest/gtest.h>

#include "delivery_test_support.h"
#include "notifiers/email/email_config.h"
#include "notifiers/email/email_notifier.h"
#include "smtp_test_server.h"
#include "support/ports.h"
#include "support/recording_server.h"
#include "support/temp_dir.h"

namespace tocsin::notifiers::testing {
namespace {

using namespace std::chrono_literals;
using testutil::firing_alert;

std::unique_ptr<SmtpTestServer> start_server(SmtpServerOptions options = {}) {
  auto server = SmtpTestServer::start(std::move(options));
  EXPECT_TRUE(server.has_value()) << server.error().to_string();
  return server ? std::move(*server) : nullptr;
}

SmtpServerOptions with_tls(SmtpTls tls) {
  return {.tls = tls, .cert_file = tls_file("server.pem"), .key_file = tls_file("server-key.pem")};
}

EmailConfig email_to(const http::HostPort& smarthost) {
  EmailConfig c;
  c.to = "Ops Team <ops@example.com>, oncall@example.com";
  c.from = "tocsin <alerts@tocsin.test>";
  c.smarthost = smarthost;
  c.require_tls = false;
  c.text = "{{ .CommonAnnotations.summary }}";
  return c;
}

// Verifies the test PKI's server certificate, which names prometheus.test.
http::TlsConfig verifying_tls() {
  http::TlsConfig tls;
  tls.ca_file = tls_file("ca.pem");
  tls.server_name = std::string(kCertifiedName);
  return tls;
}

std::unique_ptr<notify::Notifier> email(const EmailConfig& c,
                                        const NotifierSettings& settings = test_settings()) {
  auto notifier = make_email_notifier(c, settings);
  EXPECT_TRUE(notifier.has_value()) << notifier.error().to_string();
  return notifier ? std::move(*notifier) : nullptr;
}

// The first value of header `name` as Python decoded it; "" if absent.
std::string header(const nlohmann::json& message, std::string_view name) {
  for (const auto& pair : message["parsed"]["headers"]) {
    if (pair[0] == name) return pair[1];
  }
  return {};
}

int header_count(const nlohmann::json& message, std::string_view name) {
  int n = 0;
  for (const auto& pair : message["parsed"]["headers"]) n += pair[0] == name;
  return n;
}

// `text` with its line breaks as canonical text carries them (RFC 2045):
// quoted-printable hard line breaks are CRLF.
std::string crlf(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

notify::Alert alert_with_summary(std::string summary) {
  notify::Alert a = firing_alert("a:9090");
  a.annotations = Labels{{"summary", summary}};
  return a;
}

TEST(EmailDelivery, DeliversAlertmanagersMimeMessage) {
  auto server = start_server();
  ASSERT_TRUE(server);
  EmailConfig c = email_to(server->smarthost());
  c.headers = {
      {"Subject", "[{{ .Status }}] {{ .GroupLabels.alertname }} f\xc3\xbcr {{ .Receiver }}"},
      {"X-Tocsin-Severity", "{{ .CommonLabels.severity }}"}};
  auto notifier = email(c);
  ASSERT_TRUE(notifier);
  // Long lines, '=' signs, a line starting with a dot (SMTP's end of data),
  // trailing spaces and non-ASCII text: all must arrive as they were.
  const std::string summary = "Disk f\xc3\xbcll = 99% on /var \n.hidden line\n" +
                              std::string(120, 'x') + " \xe2\x98\x83 <b>&</b>";
  const std::vector<notify::Alert> alerts = {alert_with_summary(summary)};
  auto sent = send(*notifier, alerts);
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(sent->reply, "SMTP 250");  // the server's answer to the message, for the history

  ASSERT_TRUE(server->wait_for_messages(1, kGenerous)) << server->log();
  nlohmann::json m = server->messages()[0];
  ASSERT_FALSE(m.is_discarded());
  EXPECT_EQ(m["mail_from"], "alerts@tocsin.test");
  EXPECT_EQ(m["rcpt_tos"], (nlohmann::json{"ops@example.com", "oncall@example.com"}));
  EXPECT_EQ(m["helo"], "localhost");  // Go's smtp client's default, as Alertmanager sends
  EXPECT_FALSE(m["tls"].get<bool>());
  EXPECT_TRUE(m["auth"].is_null());

  // .Receiver is regexp-quoted in the template data, as Alertmanager quotes it.
  EXPECT_EQ(header(m, "Subject"), "[firing] HighLatency f\xc3\xbcr team-x\\.pager");
  EXPECT_EQ(header(m, "From"), "tocsin <alerts@tocsin.test>");
  EXPECT_EQ(header(m, "To"), "Ops Team <ops@example.com>, oncall@example.com");
  EXPECT_EQ(header(m, "X-Tocsin-Severity"), "critical");
  EXPECT_EQ(header(m, "MIME-Version"), "1.0");
  EXPECT_TRUE(std::regex_match(header(m, "Message-Id"),
                               std::regex(R"(<1714564800000000000\.\d+@tocsin\.test>)")))
      << header(m, "Message-Id");
  EXPECT_TRUE(
      std::regex_match(header(m, "Date"), std::regex(R"(Wed, 01 May 2024 \d\d:\d\d:00 [+-]\d{4})")))
      << header(m, "Date");
  for (std::string_view name :
       {"Subject", "From", "To", "Message-Id", "Date", "MIME-Version", "Content-Type"}) {
    EXPECT_EQ(header_count(m, name), 1) << name;
  }

  const nlohmann::json& parsed = m["parsed"];
  EXPECT_EQ(parsed["defects"], nlohmann::json::array()) << m["raw"];
  EXPECT_EQ(parsed["content_type"], "multipart/alternative");
  ASSERT_EQ(parsed["parts"].size(), 2u) << m["raw"];
  const nlohmann::json& text = parsed["parts"][0];
  EXPECT_EQ(text["content_type"], "text/plain");
  EXPECT_EQ(text["charset"], "utf-8");
  EXPECT_EQ(text["transfer_encoding"], "quoted-printable");
  EXPECT_EQ(text["body"], crlf(summary));
  const nlohmann::json& html = parsed["parts"][1];
  EXPECT_EQ(html["content_type"], "text/html");
  EXPECT_EQ(html["transfer_encoding"], "quoted-printable");
  // Alertmanager's email.default.html (amtool proves its bytes), as rendered,
  // with the summary escaped.
  auto templates = testutil::default_templates();
  auto rendered = templates->html(default_template::kEmailHtml,
                                  *templates->data(testutil::test_context(), alerts));
  ASSERT_TRUE(rendered.has_value()) << rendered.error().to_string();
  EXPECT_EQ(html["body"], crlf(*rendered));
  std::string escaped = "summary = Disk f\xc3\xbcll = 99% on /var \n.hidden line\n" +
                        std::string(120, 'x') + " \xe2\x98\x83 &lt;b&gt;&amp;&lt;/b&gt;<br";
  EXPECT_NE(html["body"].get<std::string>().find(crlf(escaped)), std::string::npos);

  // On the wire: 7-bit, CRLF, lines within quoted-printable's 76, and the
  // Content-Type exactly as Alertmanager writes it.
  std::string raw = m["raw"];
  // (The server shows a non-ASCII byte as \xNN; the subject's one backslash
  // is the regexp-quoted receiver's, plain ASCII.)
  EXPECT_EQ(raw.find("\\x"), std::string::npos) << "non-ASCII bytes on the wire";
  EXPECT_NE(raw.find("Content-Type: multipart/alternative;  boundary=" +
                     parsed["boundary"].get<std::string>() + "\r\n"),
            std::string::npos);
  EXPECT_NE(raw.find("Subject: =?utf-8?q?"), std::string::npos);
  std::size_t body_start = raw.find("\r\n\r\n");
  ASSERT_NE(body_start, std::string::npos);
  for (std::size_t pos = body_start + 4, end; pos < raw.size(); pos = end + 2) {
    end = raw.find("\r\n", pos);
    if (end == std::string::npos) end = raw.size();
    EXPECT_LE(end - pos, 76u) << raw.substr(pos, end - pos);
  }
}

TEST(EmailDelivery, HelloNamesTheClientAndEveryRecipientIsInTheEnvelope) {
  auto server = start_server();
  ASSERT_TRUE(server);
  EmailConfig c = email_to(server->smarthost());
  c.hello = "tocsin.example.org";
  c.to = "a@example.com, b@example.com, \"Doe, Jane\" <jane@example.com>";
  auto notifier = email(c);
  ASSERT_TRUE(notifier);
  ASSERT_TRUE(send(*notifier, {firing_alert("a")}));
  ASSERT_TRUE(server->wait_for_messages(1, kGenerous));
  nlohmann::json m = server->messages()[0];
  EXPECT_EQ(m["helo"], "tocsin.example.org");
  EXPECT_EQ(m["rcpt_tos"], (nlohmann::json{"a@example.com", "b@example.com", "jane@example.com"}));
}

TEST(EmailDelivery, RequireTlsUpgradesWithStartTlsBeforeTheMessage) {
  auto server = start_server(with_tls(SmtpTls::kStartTls));
  ASSERT_TRUE(server);
  EmailConfig c = email_to(server->smarthost());
  c.require_tls = true;
  c.tls_config = verifying_tls();
  auto notifier = email(c);
  ASSERT_TRUE(notifier);
  auto sent = send(*notifier, {firing_alert("a")});
  ASSERT_TRUE(sent.has_value()) << sent.error().message << "\n" << server->log();
  ASSERT_TRUE(server->wait_for_messages(1, kGenerous));
  nlohmann::json m = server->messages()[0];
  EXPECT_TRUE(m["tls"].get<bool>());
  EXPECT_EQ(m["sni"], kCertifiedName);
}

TEST(EmailDelivery, WithoutRequireTlsAnOfferedStartTlsIsNotUsed) {
  auto server = start_server(with_tls(SmtpTls::kStartTls));
  ASSERT_TRUE(server);
  auto notifier = email(email_to(server->smarthost()));  // require_tls: false
  ASSERT_TRUE(notifier);
  ASSERT_TRUE(send(*notifier, {firing_alert("a")}));
  ASSERT_TRUE(server->wait_for_messages(1, kGenerous));
  EXPECT_FALSE(server->messages()[0]["tls"].get<bool>());
}

TEST(EmailDelivery, RequireTlsRefusesAServerWithoutStartTls) {
  auto server = start_server();
  ASSERT_TRUE(server);
  EmailConfig c = email_to(server->smarthost());
  c.require_tls = true;
  auto notifier = email(c);
  ASSERT_TRUE(notifier);
  auto sent = send(*notifier, {firing_alert("a")});
  ASSERT_FALSE(sent.has_value());
  EXPECT_TRUE(sent.error().retryable);
  EXPECT_EQ(sent.error().message, "'require_tls' is true (default) but \"" +
                                      server->smarthost().to_string() +
                                      "\" does not advertise the STARTTLS extension");
  EXPECT_TRUE(server->messages().empty());
}

TEST(EmailDelivery, StartTlsVerifiesTheServersCertificate) {
  auto server = start_server(with_tls(SmtpTls::kStartTls));
  ASSERT_TRUE(server);
  EmailConfig c = email_to(server->smarthost());
  c.require_tls = true;
  c.tls_config.ca_file = tls_file("ca.pem");  // no server_name: 127.0.0.1 is not in the cert
  auto refused = email(c);
  ASSERT_TRUE(refused);
  auto sent = send(*refused, {firing_alert("a")});
  ASSERT_FALSE(sent.has_value());
  EXPECT_TRUE(sent.error().retryable);
  EXPECT_TRUE(server->messages().empty());

  c.tls_config = {};
  c.tls_config.insecure_skip_verify = true;
  auto trusting = email(c);
  ASSERT_TRUE(trusting);
  auto delivered = send(*trusting, {firing_alert("a")});
  ASSERT_TRUE(delivered.has_value()) << delivered.error().message;
  ASSERT_TRUE(server->wait_for_messages(1, kGenerous));
  EXPECT_TRUE(server->messages()[0]["tls"].get<bool>());
}

TEST(EmailDelivery, TheSmtpsPortSpeaksTlsFromTheStart) {
  auto server = start_server(with_tls(SmtpTls::kImplicit));
  ASSERT_TRUE(server);
  NotifierSettings settings = test_settings();
  settings.smtps_port = server->smarthost().port;  // Alertmanager's 465, here a free port
  EmailConfig c = email_to(server->smarthost());
  c.require_tls = true;  // no STARTTLS inside TLS: the connection already is
  c.tls_config = verifying_tls();
  auto notifier = email(c, settings);
  ASSERT_TRUE(notifier);
  auto sent = send(*notifier, {firing_alert("a")});
  ASSERT_TRUE(sent.has_value()) << sent.error().message << "\n" << server->log();
  ASSERT_TRUE(server->wait_for_messages(1, kGenerous));
  nlohmann::json m = server->messages()[0];
  EXPECT_TRUE(m["tls"].get<bool>());
  EXPECT_EQ(m["sni"], kCertifiedName);
  EXPECT_EQ(m["parsed"]["parts"].size(), 2u);
}

TEST(EmailDelivery, PlainSmtpToTheSmtpsPortFails) {
  auto server = start_server(with_tls(SmtpTls::kImplicit));
  ASSERT_TRUE(server);
  // Without the port setting, tocsin speaks plain SMTP to a TLS server.
  auto notifier = email(email_to(server->smarthost()), test_settings(2s));
  ASSERT_TRUE(notifier);
  auto sent = send(*notifier, {firing_alert("a")});
  ASSERT_FALSE(sent.has_value());
  EXPECT_TRUE(sent.error().retryable);
  EXPECT_TRUE(server->messages().empty());
}

struct AuthCase {
  std::string offered;   // the server's AUTH mechanisms
  bool tls;              // STARTTLS first
  std::string expected;  // the mechanism used
};

TEST(EmailDelivery, AuthenticatesWithTheMechanismTheServerOffers) {
  const std::vector<AuthCase> cases = {
      {"PLAIN", true, "PLAIN"},
      {"LOGIN", false, "LOGIN"},
      {"PLAIN", false, "PLAIN"},  // in the clear only to localhost, as Go's PlainAuth
  };
  for (const AuthCase& auth : cases) {
    SmtpServerOptions options = with_tls(auth.tls ? SmtpTls::kStartTls : SmtpTls::kNone);
    options.user = "mailer";
    options.password = "s3cret pass";
    options.mechanisms = {auth.offered};
    auto server = start_server(options);
    ASSERT_TRUE(server);
    EmailConfig c = email_to(server->smarthost());
    c.require_tls = auth.tls;
    c.tls_config = verifying_tls();
    c.auth_username = "mailer";
    c.auth_password = config::Secret("s3cret pass");
    c.auth_identity = auth.expected == "PLAIN" ? "mailer" : "";
    auto notifier = email(c);
    ASSERT_TRUE(notifier);
    auto sent = send(*notifier, {firing_alert("a")});
    ASSERT_TRUE(sent.has_value()) << auth.offered << ": " << sent.error().message << "\n"
                                  << server->log();
    ASSERT_TRUE(server->wait_for_messages(1, kGenerous));
    nlohmann::json m = server->messages()[0];
    ASSERT_TRUE(m["auth"].is_object()) << auth.offered;
    EXPECT_EQ(m["auth"]["mechanism"], auth.expected);
    EXPECT_EQ(m["auth"]["login"], "mailer");
    EXPECT_EQ(m["auth"]["identity"], c.auth_identity);
    EXPECT_EQ(m["tls"].get<bool>(), auth.tls);
  }
}

TEST(EmailDelivery, CramMd5UsesTheSecret) {
  SmtpServerOptions options;
  options.user = "mailer";
  options.cram_secret = "cr4m-s3cret";
  options.mechanisms = {"CRAM-MD5", "LOGIN", "PLAIN"};
  auto server = start_server(options);
  ASSERT_TRUE(server);
  EmailConfig c = email_to(server->smarthost());
  c.auth_username = "mailer";
  c.auth_secret = config::Secret("cr4m-s3cret");
  auto notifier = email(c);
  ASSERT_TRUE(notifier);
  auto sent = send(*notifier, {firing_alert("a")});
  ASSERT_TRUE(sent.has_value()) << sent.error().message << "\n" << server->log();
  ASSERT_TRUE(server->wait_for_messages(1, kGenerous));
  EXPECT_EQ(server->messages()[0]["auth"]["mechanism"], "CRAM-MD5");
}

TEST(EmailDelivery, AuthPasswordFileIsReadAtSendTime) {
  SmtpServerOptions options;
  options.user = "mailer";
  options.password = "from-file";
  options.mechanisms = {"LOGIN"};
  auto server = start_server(options);
  ASSERT_TRUE(server);
  test::TempDir dir("email");
  EmailConfig c = email_to(server->smarthost());
  c.auth_username = "mailer";
  c.auth_password_file = dir.write("password", "from-file");
  auto notifier = email(c);
  ASSERT_TRUE(notifier);
  auto sent = send(*notifier, {firing_alert("a")});
  ASSERT_TRUE(sent.has_value()) << sent.error().message;
  ASSERT_TRUE(server->wait_for_messages(1, kGenerous));
  EXPECT_EQ(server->messages()[0]["auth"]["login"], "mailer");
}

TEST(EmailDelivery, AWrongPasswordIsRetryableAndNeverShown) {
  SmtpServerOptions options;
  options.user = "mailer";
  options.password = "right";
  options.mechanisms = {"LOGIN", "PLAIN"};
  auto server = start_server(options);
  ASSERT_TRUE(server);
  EmailConfig c = email_to(server->smarthost());
  c.auth_username = "mailer";
  c.auth_password = config::Secret("wr0ng-passw0rd");
  auto notifier = email(c);
  ASSERT_TRUE(notifier);
  auto sent = send(*notifier, {firing_alert("a")});
  ASSERT_FALSE(sent.has_value());
  EXPECT_TRUE(sent.error().retryable);
  EXPECT_TRUE(
      sent.error().message.starts_with("authenticate to " + server->smarthost().to_string()))
      << sent.error().message;
  EXPECT_EQ(sent.error().message.find("wr0ng"), std::string::npos) << sent.error().message;
  EXPECT_TRUE(server->messages().empty());
}

TEST(EmailDelivery, ARejectedRecipientIsRetryable) {
  auto server = start_server();
  ASSERT_TRUE(server);
  EmailConfig c = email_to(server->smarthost());
  c.to = "reject@example.com";
  auto notifier = email(c);
  ASSERT_TRUE(notifier);
  auto sent = send(*notifier, {firing_alert("a")});
  ASSERT_FALSE(sent.has_value());
  EXPECT_TRUE(sent.error().retryable);  // Alertmanager retries SMTP errors
  EXPECT_NE(sent.error().message.find("550"), std::string::npos) << sent.error().message;
  EXPECT_TRUE(server->messages().empty());
}

TEST(EmailDelivery, ASmarthostThatNeverAnswersTimesOutWithinTheTimeout) {
  test::SilentListener silent;
  ASSERT_GT(silent.port(), 0);
  auto notifier = email(email_to(http::HostPort{"127.0.0.1", std::to_string(silent.port())}),
                        test_settings(400ms));
  ASSERT_TRUE(notifier);
  auto start = std::chrono::steady_clock::now();
  auto sent = send(*notifier, {firing_alert("a")});
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(sent.has_value());
  EXPECT_TRUE(sent.error().retryable);
  EXPECT_NE(sent.error().message.find("took longer than 400ms"), std::string::npos)
      << sent.error().message;
  EXPECT_GE(elapsed, 300ms);  // about the timeout, give or take a timer tick
  EXPECT_LT(elapsed, 5s);
}

TEST(EmailDelivery, ARefusedConnectionIsRetryable) {
  int port = test::free_port();
  ASSERT_GT(port, 0);
  auto notifier = email(email_to(http::HostPort{"127.0.0.1", std::to_string(port)}));
  ASSERT_TRUE(notifier);
  auto sent = send(*notifier, {firing_alert("a")});
  ASSERT_FALSE(sent.has_value());
  EXPECT_TRUE(sent.error().retryable);
  EXPECT_TRUE(sent.error().message.starts_with("establish connection to server 127.0.0.1:"))
      << sent.error().message;
}

}  // namespace
}  // namespace tocsin::notifiers::testing
