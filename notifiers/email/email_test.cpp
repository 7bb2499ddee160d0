// The email as rendered before it goes on the wire: Alertmanager's default
// headers, their encoding, the text and HTML parts, the envelope addresses,
// and the failures that are final.
#include <gtest/gtest.h>

#include "notifiers/delivery/notifier_settings.h"
#include "notifiers/email/email_config.h"
#include "notifiers/email/email_notifier.h"
#include "notifiers/testing/notifications.h"

namespace tocsin::notifiers {
namespace {

using namespace testutil;

constexpr std::string_view kMessageId = "<1.2@tocsin.test>";
constexpr std::string_view kDate = "Wed, 01 May 2024 12:00:00 +0000";

EmailConfig email_config() {
  EmailConfig c;
  c.to = "Ops <ops@example.com>, oncall@example.com";
  c.from = "tocsin <alerts@tocsin.test>";
  c.smarthost = http::HostPort{"127.0.0.1", "1"};
  c.text = "{{ .CommonAnnotations.summary }}";
  return c;
}

notify::Alert alert_with_summary(std::string_view summary) {
  notify::Alert a = firing_alert("a:9090");
  a.annotations = Labels{{"summary", summary}};
  return a;
}

std::expected<EmailMessage, notify::Failure> render(const EmailConfig& c,
                                                    const std::vector<notify::Alert>& alerts) {
  auto templates = default_templates();
  auto data = templates->data(test_context(), alerts);
  FieldRenderer renderer(*templates, *data);
  return render_email_message(c, renderer, std::string(kMessageId), std::string(kDate));
}

std::vector<std::pair<std::string, std::string>> header_pairs(const EmailMessage& m) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const MailHeader& h : m.headers) out.emplace_back(h.name, h.value);
  return out;
}

TEST(EmailMessage, DefaultsSubjectToAndFromAsAlertmanager) {
  auto message = render(email_config(), {alert_with_summary("disk < 5% & falling")});
  ASSERT_TRUE(message.has_value()) << message.error().message;
  EXPECT_EQ(message->from, "alerts@tocsin.test");
  EXPECT_EQ(message->to, (std::vector<std::string>{"ops@example.com", "oncall@example.com"}));
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(header_pairs(*message), (Pairs{{"From", "tocsin <alerts@tocsin.test>"},
                                           {"Subject", "[FIRING:1] HighLatency (a:9090 critical)"},
                                           {"To", "Ops <ops@example.com>, oncall@example.com"},
                                           {"Message-Id", std::string(kMessageId)},
                                           {"Date", std::string(kDate)}}));
  ASSERT_EQ(message->parts.size(), 2u);
  EXPECT_EQ(message->parts[0].content_type, "text/plain; charset=UTF-8");
  EXPECT_EQ(message->parts[0].body, "disk < 5% & falling");
  // The preferred alternative comes last (RFC 2046 5.1.4): Alertmanager's
  // email.default.html (its bytes are amtool's, tests/integration/template),
  // with the annotation escaped.
  EXPECT_EQ(message->parts[1].content_type, "text/html; charset=UTF-8");
  const std::string& html = message->parts[1].body;
  EXPECT_TRUE(html.starts_with("\n\n<!DOCTYPE html")) << html;
  EXPECT_NE(html.find("<title>[FIRING:1] HighLatency (a:9090 critical)</title>"),
            std::string::npos);
  EXPECT_NE(html.find("summary = disk &lt; 5% &amp; falling<br"), std::string::npos) << html;
  EXPECT_EQ(html.find("disk < 5%"), std::string::npos);
}

TEST(EmailMessage, HeadersAreTemplatesAndNonAsciiValuesAreEncoded) {
  EmailConfig c = email_config();
  c.headers = {{"Subject", "Alarm f\xc3\xbcr {{ .Receiver }}"},
               {"X-Severity", "{{ .CommonLabels.severity }}"},
               {"To", "override@example.com"}};
  auto message = render(c, {firing_alert("a")});
  ASSERT_TRUE(message.has_value()) << message.error().message;
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(header_pairs(*message), (Pairs{{"From", "tocsin <alerts@tocsin.test>"},
                                           // .Receiver is regexp-quoted, as in Alertmanager
                                           {"Subject", "=?utf-8?q?Alarm_f=C3=BCr_team-x\\.pager?="},
                                           {"To", "override@example.com"},
                                           {"X-Severity", "critical"},
                                           {"Message-Id", std::string(kMessageId)},
                                           {"Date", std::string(kDate)}}));
  // The envelope still goes to `to`, whatever the To header says.
  EXPECT_EQ(message->to, (std::vector<std::string>{"ops@example.com", "oncall@example.com"}));
}

TEST(EmailMessage, AConfiguredMessageIdIsKept) {
  EmailConfig c = email_config();
  c.headers = {{"Message-Id", "<fixed@example.com>"}};
  auto message = render(c, {firing_alert("a")});
  ASSERT_TRUE(message.has_value());
  int ids = 0;
  for (const MailHeader& h : message->headers) {
    if (h.name == "Message-Id") {
      ++ids;
      EXPECT_EQ(h.value, "<fixed@example.com>");
    }
  }
  EXPECT_EQ(ids, 1);
}

TEST(EmailMessage, EmptyBodiesLeaveTheirPartOut) {
  EmailConfig c = email_config();
  c.text = "";
  auto html_only = render(c, {firing_alert("a")});
  ASSERT_TRUE(html_only.has_value());
  ASSERT_EQ(html_only->parts.size(), 1u);
  EXPECT_EQ(html_only->parts[0].content_type, "text/html; charset=UTF-8");

  c.text = "t";
  c.html = "";
  auto text_only = render(c, {firing_alert("a")});
  ASSERT_TRUE(text_only.has_value());
  ASSERT_EQ(text_only->parts.size(), 1u);
  EXPECT_EQ(text_only->parts[0].content_type, "text/plain; charset=UTF-8");
}

TEST(EmailMessage, AddressesAreTemplatesToo) {
  EmailConfig c = email_config();
  c.to = "{{ .CommonLabels.severity }}@example.com";
  auto message = render(c, {firing_alert("a")});
  ASSERT_TRUE(message.has_value());
  EXPECT_EQ(message->to, std::vector<std::string>{"critical@example.com"});
}

TEST(EmailMessage, BadAddressesAreFinal) {
  EmailConfig c = email_config();
  c.from = "not an address";
  auto bad_from = render(c, {firing_alert("a")});
  ASSERT_FALSE(bad_from.has_value());
  EXPECT_FALSE(bad_from.error().retryable);
  EXPECT_EQ(bad_from.error().message, "parse 'from' addresses: mail: no angle-addr");

  c.from = "a@example.com, b@example.com";
  auto two_from = render(c, {firing_alert("a")});
  ASSERT_FALSE(two_from.has_value());
  EXPECT_EQ(two_from.error().message, "must be exactly one 'from' address (got: 2)");

  c = email_config();
  c.to = "Jane <jane@example.com";
  auto bad_to = render(c, {firing_alert("a")});
  ASSERT_FALSE(bad_to.has_value());
  EXPECT_FALSE(bad_to.error().retryable);
  EXPECT_EQ(bad_to.error().message, "parse 'to' addresses: mail: unclosed angle-addr");
}

TEST(EmailMessage, AFailingTemplateIsFinalAndNamesTheField) {
  EmailConfig c = email_config();
  c.headers = {{"Subject", "{{ fail }}"}};
  auto message = render(c, {firing_alert("a")});
  ASSERT_FALSE(message.has_value());
  EXPECT_FALSE(message.error().retryable);
  EXPECT_TRUE(
      message.error().message.starts_with("failed to template email: headers.Subject: template"))
      << message.error().message;
}

TEST(EmailNotifier, NeedsASmarthost) {
  EmailConfig c = email_config();
  c.smarthost = {};
  NotifierSettings settings;
  settings.templates = default_templates();
  auto notifier = make_email_notifier(c, settings);
  ASSERT_FALSE(notifier.has_value());
  EXPECT_EQ(notifier.error().message(), "email_config: no smarthost");
}

TEST(EmailNotifier, UnreadableTlsFilesAreConfigErrors) {
  EmailConfig c = email_config();
  c.tls_config.ca_file = "/nonexistent/tocsin/ca.pem";
  NotifierSettings settings;
  settings.templates = default_templates();
  auto notifier = make_email_notifier(c, settings);
  ASSERT_FALSE(notifier.has_value());
  EXPECT_TRUE(notifier.error().message().starts_with("email_config: tls_config ca_file: "))
      << notifier.error().message();
}

TEST(EmailNotifier, ATemplateFailureIsFinalBeforeAnyConnection) {
  EmailConfig c = email_config();
  c.text = "{{ fail }}";
  NotifierSettings settings;
  settings.templates = default_templates();
  auto notifier = make_email_notifier(c, settings);
  ASSERT_TRUE(notifier.has_value());
  EXPECT_EQ((*notifier)->kind(), "email");
  EXPECT_FALSE((*notifier)->send_resolved());
  std::vector<notify::Alert> alerts = {firing_alert("a")};
  auto sent = (*notifier)->notify(test_context(), alerts);
  ASSERT_FALSE(sent.has_value());
  EXPECT_FALSE(sent.error().retryable);
  EXPECT_TRUE(sent.error().message.starts_with("failed to template email: text: "))
      << sent.error().message;
}

}  // namespace
}  // namespace tocsin::notifiers
