// The Teams message against Alertmanager 0.26's: the MessageCard's fields
// in its struct's order, the default title and text (its default.tmpl's
// msteams.* templates), the color by status, template failures.
#include <gtest/gtest.h>

#include "notifiers/msteams/msteams_message.h"
#include "notifiers/testing/notifications.h"

namespace tocsin::notifiers {
namespace {

using namespace testutil;

std::expected<std::string, notify::Failure> render(const MsteamsConfig& c,
                                                   const std::vector<notify::Alert>& alerts) {
  auto templates = default_templates();
  auto data = templates->data(test_context(), alerts);
  FieldRenderer renderer(*templates, *data);
  return render_msteams_message(c, test_context(), alerts, renderer);
}

// What 0.26's msteams.default.text renders: each section opened by an empty
// line, each alert's block (its __text_alert_list_markdown) too, and the
// newlines the template's own lines leave. Encoded as Go's json.Encoder
// does: "&" as \u0026, a newline at the end.
TEST(MsteamsMessage, DefaultTemplatesGiveAlertmanagersCard) {
  auto body = render(MsteamsConfig{}, {firing_alert("a:9090")});
  ASSERT_TRUE(body.has_value()) << body.error().message;
  EXPECT_EQ(*body, R"({"@context":"http://schema.org/extensions","type":"MessageCard",)"
                   R"json("title":"[FIRING:1] HighLatency (a:9090 critical)",)json"
                   R"("text":"\n\n# Alerts Firing:\n\nLabels:\n  - alertname = HighLatency\n)"
                   R"(  - instance = a:9090\n  - severity = critical\n\nAnnotations:\n)"
                   R"(  - summary = p99 above 1s\n\nSource: )"
                   R"(http://prometheus:9090/graph?g0.expr=x\u0026g0.tab=1\n\n\n\n\n",)"
                   R"("themeColor":"8C1A1A"})"
                   "\n");
}

TEST(MsteamsMessage, AResolvedGroupIsGreenAndListsItsResolvedAlerts) {
  auto body = render(MsteamsConfig{}, {resolved_alert("a:9090"), resolved_alert("b:9090")});
  ASSERT_TRUE(body.has_value()) << body.error().message;
  EXPECT_NE(body->find(R"("themeColor":"2DC72D")"), std::string::npos) << *body;
  EXPECT_NE(body->find(R"json("title":"[RESOLVED] HighLatency (critical)")json"), std::string::npos)
      << *body;
  EXPECT_NE(body->find(R"("text":"\n\n\n# Alerts Resolved:\n\nLabels:)"), std::string::npos)
      << *body;
  EXPECT_EQ(body->find("Alerts Firing"), std::string::npos) << *body;
}

TEST(MsteamsMessage, AGroupWithAnyFiringAlertIsRed) {
  auto body = render(MsteamsConfig{}, {resolved_alert("a:9090"), firing_alert("b:9090")});
  ASSERT_TRUE(body.has_value()) << body.error().message;
  EXPECT_NE(body->find(R"("themeColor":"8C1A1A")"), std::string::npos) << *body;
  EXPECT_LT(body->find("# Alerts Firing:"), body->find("# Alerts Resolved:")) << *body;
}

TEST(MsteamsMessage, CustomTemplatesAndEscaping) {
  MsteamsConfig c;
  c.title = "{{ .GroupLabels.alertname }} <b>";
  c.text = R"({{ range .Alerts }}{{ .Labels.instance }} {{ end }}"quoted")";
  auto body = render(c, {firing_alert("a:9090")});
  ASSERT_TRUE(body.has_value()) << body.error().message;
  EXPECT_NE(body->find(R"("title":"HighLatency \u003cb\u003e","text":"a:9090 \"quoted\"")"),
            std::string::npos)
      << *body;
}

TEST(MsteamsMessage, AFailedTemplateIsFinalAndNamesItsField) {
  MsteamsConfig c;
  c.text = "{{ .Nope }}";
  auto body = render(c, {firing_alert("a:9090")});
  ASSERT_FALSE(body.has_value());
  EXPECT_FALSE(body.error().retryable);
  EXPECT_TRUE(body.error().message.starts_with("failed to template Teams message: text: "))
      << body.error().message;
}

}  // namespace
}  // namespace tocsin::notifiers
