// The differential proof of tocsin's alertmanager.yml loader: Alertmanager's
// own `amtool check-config` (Debian's 0.25) and tocsin judge the same files,
// and tocsin must accept exactly the ones amtool accepts. The few places where
// tocsin differs on purpose are tests of their own, below.
#include <fstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "config/alertmanager_config.h"
#include "notifiers/notifier_registry.h"
#include "notifiers/pagerduty/pagerduty_config.h"
#include "notifiers/slack/slack_config.h"
#include "support/command.h"
#include "support/paths.h"
#include "support/temp_dir.h"

namespace tocsin::config {
namespace {

struct Case {
  const char* name;
  const char* yaml;
  // For a rejected file: what both tools must say (amtool_reason when
  // amtool words it differently), so that they reject it for the same cause.
  const char* reason = nullptr;
  const char* amtool_reason = nullptr;
};

// Accepted by Alertmanager 0.25.
const Case kValid[] = {
    {"Minimal", R"(
route: {receiver: default}
receivers: [{name: default}]
)"},
    {"RoutingTreeWithEveryMatcherSyntax", R"(
route:
  receiver: default
  group_by: ['...']
  group_wait: 0s
  group_interval: 1h30m
  repeat_interval: 1w
  routes:
    - receiver: db
      match: {team: db}
      match_re: {service: 'mysql|postgres'}
      continue: true
      routes:
        - receiver: default
          matchers: ['severity=~"warn.*"', 'env!="dev", zone!~"b.*"']
          group_by: [cluster, alertname]
    - receiver: default
      matchers: ['{region="eu"}']
receivers: [{name: default}, {name: db}]
)"},
    {"TimeIntervals", R"(
route:
  receiver: default
  routes:
    - receiver: default
      matchers: [team=a]
      mute_time_intervals: [nights, holidays]
      active_time_intervals: [business]
receivers: [{name: default}]
mute_time_intervals:
  - name: holidays
    time_intervals:
      - {months: ['december'], days_of_month: ['24:26', '-1']}
time_intervals:
  - name: nights
    time_intervals:
      - times: [{start_time: '00:00', end_time: '07:00'}, {start_time: '22:00', end_time: '24:00'}]
  - name: business
    time_intervals:
      - times: [{start_time: '09:00', end_time: '17:30'}]
        weekdays: ['Monday:Friday', 'saturday']
        days_of_month: ['1:10', '-7:-1']
        months: ['1:3', 'May:august', '13']
        years: ['2024:2030', '2040']
        location: Australia/Sydney
      - location: Local
  - name: empty
    time_intervals: []
)"},
    {"TelegramEveryField", R"(
global:
  telegram_api_url: https://tg.example.com
route: {receiver: telegram}
receivers:
  - name: telegram
    telegram_configs:
      - {bot_token: '123:abc', chat_id: 42}
      - api_url: http://relay.example.com:8080/tg
        bot_token: '123:abc'
        chat_id: -1001234567890
        message: '{{ .CommonLabels.alertname }}'
        disable_notifications: true
        parse_mode: MarkdownV2
        send_resolved: false
        http_config: {proxy_url: 'http://proxy:3128'}
      - {bot_token: '123:abc', chat_id: 1, parse_mode: ''}
)"},
    {"SlackEveryField", R"(
global:
  slack_api_url: https://hooks.slack.com/services/T0/B0/XXXX
route: {receiver: slack}
receivers:
  - name: slack
    slack_configs:
      - channel: '#alerts'
      - api_url: https://hooks.slack.com/services/T1/B1/YYYY
        send_resolved: true
        username: tocsin
        color: '{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}'
        title: T
        title_link: https://grafana.example.com/
        pretext: P
        text: X
        fields: [{title: Service, value: '{{ .CommonLabels.service }}', short: true}]
        short_fields: true
        footer: F
        fallback: FB
        callback_id: CB
        icon_emoji: ':fire:'
        icon_url: https://example.com/i.png
        image_url: https://example.com/x.png
        thumb_url: https://example.com/t.png
        link_names: true
        mrkdwn_in: [pretext, text]
        actions:
          - {type: button, text: Runbook, url: 'https://runbooks/', style: primary}
          - {type: button, text: Ack, name: ack, value: '1', confirm: {text: 'Sure?', title: Ack, ok_text: 'Yes', dismiss_text: 'No'}}
        http_config: {proxy_url: 'http://proxy:3128', follow_redirects: false}
      - api_url_file: /run/secrets/slack
)"},
    {"DiscordEveryField", R"(
global:
  http_config: {proxy_url: 'http://proxy:3128'}
route: {receiver: discord}
receivers:
  - name: discord
    discord_configs:
      - webhook_url: https://discord.com/api/webhooks/123/abc
      - webhook_url: https://discord.com/api/webhooks/456/def
        send_resolved: false
        title: '{{ .CommonLabels.alertname }}'
        message: '{{ .CommonAnnotations.summary }}'
        http_config: {follow_redirects: false}
)"},
    {"PagerdutyEveryField", R"(
global:
  pagerduty_url: https://events.eu.pagerduty.com/v2/enqueue
route: {receiver: pd}
receivers:
  - name: pd
    pagerduty_configs:
      - routing_key: abc
      - service_key_file: /run/secrets/pd
        url: https://pd.example.com/generic/2010-04-15/create_event.json
        client: tocsin
        client_url: https://tocsin.example.com/
        description: '{{ .CommonAnnotations.summary }}'
        details: {firing: custom, runbook: 'https://runbooks/'}
        images: [{src: 'https://img/a.png', alt: graph, href: 'https://grafana/'}]
        links: [{href: 'https://runbooks/', text: runbook}]
        source: prometheus
        severity: critical
        class: slo
        component: policy-engine
        group: payments
        send_resolved: false
      - routing_key: a
        service_key: b
)"},
    {"EmailWithGlobalSmtp", R"(
global:
  smtp_smarthost: smtp.example.com:587
  smtp_from: tocsin@example.com
  smtp_hello: tocsin.example.com
  smtp_auth_username: mailer
  smtp_auth_password_file: /run/secrets/smtp
  smtp_auth_identity: id
  smtp_auth_secret: cram
  smtp_require_tls: false
route: {receiver: mail}
receivers:
  - name: mail
    email_configs:
      - to: team@example.com
      - to: budget@example.com
        from: budget@example.com
        smarthost: '[::1]:2525'
        hello: me
        auth_username: u
        auth_password: p
        auth_password_file: /run/secrets/other
        require_tls: true
        send_resolved: true
        headers: {Subject: 'Budget', X-Team: llm}
        html: ''
        text: '{{ template "email.default.text" . }}'
        tls_config: {insecure_skip_verify: true, server_name: smtp, ca_file: ca.pem}
)"},
    {"WebhookHttpConfigs", R"(
route: {receiver: hooks}
receivers:
  - name: hooks
    webhook_configs:
      - url: http://127.0.0.1:5001/
        max_alerts: 10
        send_resolved: false
        http_config:
          basic_auth: {username: u, password_file: pw}
          tls_config: {cert_file: c.pem, key_file: k.pem, min_version: TLS12, max_version: TLS13}
      - url: https://hooks.example.com/x
        http_config:
          authorization: {type: Token, credentials: secret}
          enable_http2: false
      - url: https://hooks.example.com/y
        http_config:
          oauth2:
            client_id: id
            client_secret_file: /run/secrets/oauth
            token_url: https://auth.example.com/token
            scopes: [alerts]
            endpoint_params: {audience: tocsin}
            tls_config: {insecure_skip_verify: true}
            proxy_url: http://proxy:3128
      - url: https://hooks.example.com/z
        http_config: {bearer_token_file: /run/secrets/token}
)"},
    {"GlobalKeysOfEveryReceiver", R"(
global:
  resolve_timeout: 1m
  http_config: {bearer_token: t, follow_redirects: false}
  opsgenie_api_key: k
  opsgenie_api_url: https://api.eu.opsgenie.com/
  victorops_api_key_file: /run/secrets/vo
  victorops_api_url: https://vo.example.com/
  wechat_api_url: https://wechat.example.com/
  wechat_api_secret: s
  wechat_api_corp_id: c
  telegram_api_url: https://tg.example.com
  webex_api_url: https://webex.example.com/v1/messages
route: {receiver: r}
receivers:
  - name: r
    webhook_configs: [{url: 'http://x'}]
templates: ['templates/*.tmpl']
)"},
    {"InhibitRules", R"(
route: {receiver: r}
receivers: [{name: r}]
inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    equal: [service, component]
  - source_match: {alertname: NodeDown}
    source_match_re: {env: 'prod|staging'}
    target_match: {severity: info}
    target_match_re: {alertname: '.+'}
  - {}
)"},
    {"Yaml11BooleansAndLooseScalars", R"(
route:
  receiver: '1'
  routes: [{receiver: '1', continue: yes, matchers: [a=b]}]
receivers:
  - name: 1
    webhook_configs: [{url: 'http://x', send_resolved: off}]
    opsgenie_configs: []
)"},
    {"NullSectionsAreEmpty", R"(
global:
route:
  receiver: r
  routes:
receivers:
  - name: r
    email_configs:
inhibit_rules:
templates:
)"},
    {"NullMatchValueIsEmptyString", R"(
route:
  receiver: r
  routes: [{match: {team: }}]
receivers: [{name: r}]
)"},
};

// Rejected by Alertmanager 0.25.
const Case kInvalid[] = {
    {"EmptyDocument", "", "no route provided in config"},
    {"NoRoute", "receivers: [{name: r}]\n", "no routes provided"},
    {"RootRouteWithoutReceiver", "route: {group_wait: 1s}\nreceivers: [{name: r}]\n",
     "root route must specify a default receiver"},
    {"RootRouteWithMatchers", "route: {receiver: r, matchers: [a=b]}\nreceivers: [{name: r}]\n",
     "root route must not have any matchers"},
    {"RootRouteWithContinue", "route: {receiver: r, continue: true}\nreceivers: [{name: r}]\n",
     "cannot have continue in root route"},
    {"RootRouteWithMuteTimeIntervals",
     "route: {receiver: r, mute_time_intervals: [t]}\nreceivers: [{name: r}]\ntime_intervals: "
     "[{name: t}]\n",
     "root route must not have any mute time intervals"},
    {"UndefinedReceiver", "route: {receiver: r, routes: [{receiver: x}]}\nreceivers: [{name: r}]\n",
     "undefined receiver \"x\" used in route"},
    {"UndefinedTimeInterval",
     "route: {receiver: r, routes: [{active_time_intervals: [x]}]}\nreceivers: [{name: r}]\n",
     "undefined time interval \"x\" used in route"},
    {"DuplicateReceiver", "route: {receiver: r}\nreceivers: [{name: r}, {name: r}]\n",
     "notification config name \"r\" is not unique"},
    {"ReceiverWithoutName", "route: {receiver: r}\nreceivers: [{name: r}, {name: ''}]\n",
     "missing name in receiver"},
    {"DuplicateTimeInterval",
     "route: {receiver: r}\nreceivers: [{name: r}]\nmute_time_intervals: [{name: "
     "t}]\ntime_intervals: [{name: t}]\n",
     "time interval \"t\" is not unique"},
    {"GroupByDuplicate", "route: {receiver: r, group_by: [a, a]}\nreceivers: [{name: r}]\n",
     "duplicated label \"a\" in group_by"},
    {"GroupByWildcardWithLabels",
     "route: {receiver: r, group_by: ['...', a]}\nreceivers: [{name: r}]\n",
     "cannot have wildcard group_by (`...`) and other"},
    {"GroupByInvalidLabel", "route: {receiver: r, group_by: [a.b]}\nreceivers: [{name: r}]\n",
     "invalid label name \"a.b\" in group_by list"},
    {"RepeatIntervalZero", "route: {receiver: r, repeat_interval: 0s}\nreceivers: [{name: r}]\n",
     "repeat_interval cannot be zero"},
    {"BadDuration", "route: {receiver: r, group_wait: 1.5m}\nreceivers: [{name: r}]\n",
     "not a valid duration string: \"1.5m\""},
    {"UnknownTopLevelField", "route: {receiver: r}\nreceivers: [{name: r}]\nalerts: []\n",
     "field alerts not found"},
    {"UnknownNestedField",
     "route: {receiver: r}\nreceivers: [{name: r, slack_configs: [{api_url: 'http://x', fields: "
     "[{title: t, value: v, long: true}]}]}]\n",
     "field long not found"},
    {"DuplicateKey", "route: {receiver: r, receiver: r}\nreceivers: [{name: r}]\n",
     "mapping key \"receiver\" already defined", "field receiver already set"},
    {"InvalidMatchLabelName",
     "route: {receiver: r, routes: [{match: {a-b: c}}]}\nreceivers: [{name: r}]\n",
     "invalid label name \"a-b\""},
    {"NullMatchRe", "route: {receiver: r, routes: [{match_re: {a: }}]}\nreceivers: [{name: r}]\n",
     "invalid regexp value for \"a\""},
    {"BadRegexp", "route: {receiver: r, routes: [{match_re: {a: '(['}}]}\nreceivers: [{name: r}]\n",
     "error parsing regexp: missing"},
    {"BadMatcherSyntax",
     "route: {receiver: r, routes: [{matchers: ['=x']}]}\nreceivers: [{name: r}]\n",
     "bad matcher format: =x"},
    {"TimeOutOfRange",
     "route: {receiver: r}\nreceivers: [{name: r}]\ntime_intervals: [{name: t, time_intervals: "
     "[{times: [{start_time: '23:00', end_time: '25:00'}]}]}]\n",
     "couldn't parse timestamp 25:00, invalid format"},
    {"TimeWithoutLeadingZero",
     "route: {receiver: r}\nreceivers: [{name: r}]\ntime_intervals: [{name: t, time_intervals: "
     "[{times: [{start_time: '9:00', end_time: '17:00'}]}]}]\n",
     "couldn't parse timestamp 9:00, invalid format"},
    {"WeekdayRangeBackwards",
     "route: {receiver: r}\nreceivers: [{name: r}]\ntime_intervals: [{name: t, time_intervals: "
     "[{weekdays: ['saturday:sunday']}]}]\n",
     "start day cannot be before end day"},
    {"DayOfMonthSignMix",
     "route: {receiver: r}\nreceivers: [{name: r}]\ntime_intervals: [{name: t, time_intervals: "
     "[{days_of_month: ['-1:1']}]}]\n",
     "end day must be negative if start day is negative"},
    {"UnknownLocation",
     "route: {receiver: r}\nreceivers: [{name: r}]\ntime_intervals: [{name: t, time_intervals: "
     "[{location: Mars/Base}]}]\n",
     "unknown time zone Mars/Base"},
    {"EmailWithoutSmarthost",
     "route: {receiver: r}\nreceivers: [{name: r, email_configs: [{to: a@b, from: c@d}]}]\n",
     "no global SMTP smarthost set"},
    {"EmailWithoutTo",
     "global: {smtp_smarthost: 'h:25', smtp_from: f}\nroute: {receiver: r}\nreceivers: [{name: r, "
     "email_configs: [{}]}]\n",
     "missing to address in email config"},
    {"EmailSmarthostWithoutPort",
     "route: {receiver: r}\nreceivers: [{name: r, email_configs: [{to: a, from: b, smarthost: "
     "localhost}]}]\n",
     "address localhost: missing port in address"},
    {"EmailDuplicateHeader",
     "global: {smtp_smarthost: 'h:25', smtp_from: f}\nroute: {receiver: r}\nreceivers: [{name: r, "
     "email_configs: [{to: a, headers: {subject: x, Subject: y}}]}]\n",
     "duplicate header \"Subject\" in email config"},
    {"SlackWithoutUrl",
     "route: {receiver: r}\nreceivers: [{name: r, slack_configs: [{channel: x}]}]\n",
     "no global Slack API URL set either inline or in a file"},
    {"SlackActionWithoutText",
     "route: {receiver: r}\nreceivers: [{name: r, slack_configs: [{api_url: 'http://x', actions: "
     "[{type: button, url: u}]}]}]\n",
     "missing text in Slack action configuration"},
    {"DiscordWithoutUrl",
     "route: {receiver: r}\nreceivers: [{name: r, discord_configs: [{title: t}]}]\n",
     "no discord webhook URL provided"},
    {"DiscordFtpUrl",
     "route: {receiver: r}\nreceivers: [{name: r, discord_configs: [{webhook_url: 'ftp://x'}]}]\n",
     "unsupported scheme \"ftp\" for URL"},
    {"DiscordUnknownField",
     "route: {receiver: r}\nreceivers: [{name: r, discord_configs: [{webhook_url: 'http://x', "
     "content: c}]}]\n",
     "field content not found"},
    {"TelegramWithoutBotToken",
     "route: {receiver: r}\nreceivers: [{name: r, telegram_configs: [{chat_id: 1}]}]\n",
     "missing bot_token on telegram_config"},
    {"TelegramWithoutChatId",
     "route: {receiver: r}\nreceivers: [{name: r, telegram_configs: [{bot_token: t}]}]\n",
     "missing chat_id on telegram_config"},
    {"TelegramUnknownParseMode",
     "route: {receiver: r}\nreceivers: [{name: r, telegram_configs: [{bot_token: t, chat_id: 1, "
     "parse_mode: markdown}]}]\n",
     "unknown parse_mode on telegram_config, must be Markdown, MarkdownV2, HTML or empty string"},
    {"PagerdutyWithoutKey",
     "route: {receiver: r}\nreceivers: [{name: r, pagerduty_configs: [{severity: x}]}]\n",
     "missing service or routing key in PagerDuty config"},
    {"PagerdutyKeyAndKeyFile",
     "route: {receiver: r}\nreceivers: [{name: r, pagerduty_configs: [{routing_key: a, "
     "routing_key_file: b}]}]\n",
     "at most one of routing_key & routing_key_file must be configured"},
    {"WebhookFtpUrl",
     "route: {receiver: r}\nreceivers: [{name: r, webhook_configs: [{url: 'ftp://x'}]}]\n",
     "unsupported scheme \"ftp\" for URL"},
    {"WebhookWithoutUrl",
     "route: {receiver: r}\nreceivers: [{name: r, webhook_configs: [{max_alerts: 1}]}]\n",
     "one of url or url_file must be configured", "missing URL in webhook config"},
    {"WebhookNegativeMaxAlerts",
     "route: {receiver: r}\nreceivers: [{name: r, webhook_configs: [{url: 'http://x', max_alerts: "
     "-1}]}]\n",
     "cannot unmarshal"},
    {"QuotedBoolean",
     "route: {receiver: r}\nreceivers: [{name: r, webhook_configs: [{url: 'http://x', "
     "send_resolved: 'true'}]}]\n",
     "into bool"},
    {"BasicAuthAndBearerToken",
     "route: {receiver: r}\nreceivers: [{name: r, webhook_configs: [{url: 'http://x', http_config: "
     "{bearer_token: a, basic_auth: {username: u}}}]}]\n",
     "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured"},
    {"AuthorizationTypeBasic",
     "route: {receiver: r}\nreceivers: [{name: r, webhook_configs: [{url: 'http://x', http_config: "
     "{authorization: {type: basic}}}]}]\n",
     "authorization type cannot be set to \"basic\""},
    {"OAuth2WithoutClientId",
     "route: {receiver: r}\nreceivers: [{name: r, webhook_configs: [{url: 'http://x', http_config: "
     "{oauth2: {client_secret: s, token_url: t}}}]}]\n",
     "oauth2 client_id must be configured"},
    {"UnknownTlsVersion",
     "route: {receiver: r}\nreceivers: [{name: r, webhook_configs: [{url: 'http://x', http_config: "
     "{tls_config: {min_version: TLS14}}}]}]\n",
     "unknown TLS version: TLS14"},
    {"GlobalSlackUrlAndFile",
     "global: {slack_api_url: 'https://x', slack_api_url_file: f}\nroute: {receiver: "
     "r}\nreceivers: [{name: r}]\n",
     "at most one of slack_api_url & slack_api_url_file must be configured"},
    {"GlobalBadUrl",
     "global: {pagerduty_url: 'events.pagerduty.com'}\nroute: {receiver: r}\nreceivers: [{name: "
     "r}]\n",
     "unsupported scheme \"\" for URL"},
    {"InhibitEqualInvalidLabel",
     "route: {receiver: r}\nreceivers: [{name: r}]\ninhibit_rules: [{equal: ['a-b']}]\n",
     "\"a-b\" is not a valid label name"},
    {"YamlSyntaxError", "route: {receiver: r\nreceivers: [{name: r}]\n", "YAML syntax error",
     "yaml: line 1"},
};

struct Verdict {
  bool accepted = false;
  std::string detail;  // amtool's output, or tocsin's errors
};

class AmtoolDifferential : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { dir_ = new test::TempDir("amconfig"); }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    amtool_ = test::require_tool(test::amtool_binary(), "AMTOOL", "prometheus-alertmanager");
    ASSERT_FALSE(amtool_.empty());
  }

  static std::string write(const std::string& name, const std::string& yaml) {
    return dir_->write(name + ".yml", yaml);
  }

  static Verdict amtool(const std::string& path) {
    test::CommandResult result = test::run_command({amtool_, "check-config", path});
    return {result.success(), result.output};
  }

  static Verdict tocsin(const std::string& path) {
    auto config = load_alertmanager_config(path, notifiers::receiver_kinds());
    Verdict v{config.has_value(), ""};
    if (!config) {
      for (const Error& e : config.error()) v.detail += e.to_string() + "\n";
    }
    return v;
  }

  // Both tools must give `expected` for the case, for the same reason.
  static void expect_both(const std::string& name, const Case& c, bool expected) {
    const std::string yaml = c.yaml;
    std::string path = write(name, yaml);
    Verdict a = amtool(path);
    Verdict t = tocsin(path);
    EXPECT_EQ(a.accepted, expected) << "amtool on " << name << ":\n" << a.detail << yaml;
    EXPECT_EQ(t.accepted, a.accepted) << "tocsin disagrees with amtool on " << name
                                      << ":\ntocsin: " << (t.accepted ? "accepted\n" : t.detail)
                                      << "amtool: " << a.detail << yaml;
    if (c.reason != nullptr) {
      EXPECT_NE(t.detail.find(c.reason), std::string::npos) << name << ": tocsin says " << t.detail;
      const char* amtool_reason = c.amtool_reason != nullptr ? c.amtool_reason : c.reason;
      EXPECT_NE(a.detail.find(amtool_reason), std::string::npos)
          << name << ": amtool says " << a.detail;
    }
  }

  static inline std::string amtool_;
  static inline test::TempDir* dir_ = nullptr;
};

TEST_F(AmtoolDifferential, AcceptsExactlyTheValidConfigsAmtoolAccepts) {
  for (const Case& c : kValid) {
    SCOPED_TRACE(c.name);
    expect_both(std::string("valid-") + c.name, c, true);
  }
}

TEST_F(AmtoolDifferential, RejectsExactlyTheInvalidConfigsAmtoolRejectsForTheSameReason) {
  for (const Case& c : kInvalid) {
    SCOPED_TRACE(c.name);
    expect_both(std::string("invalid-") + c.name, c, false);
  }
}

TEST_F(AmtoolDifferential, TheShippedExampleRoutingPassesBoth) {
  std::string path = test::source_dir() + "/examples/alertmanager.yml";
  Verdict a = amtool(path);
  Verdict t = tocsin(path);
  EXPECT_TRUE(a.accepted) << a.detail;
  ASSERT_TRUE(t.accepted) << t.detail;

  // The seed's routing: critical pages and posts to Slack, warnings go to
  // Slack, token budget alerts become a daily email, critical inhibits warning.
  auto config = load_alertmanager_config(path, notifiers::receiver_kinds());
  const Route& root = config->route;
  ASSERT_EQ(root.routes.size(), 3u);
  const Route& budget = root.routes[0];
  EXPECT_EQ(budget.options.receiver, "budget-email");
  EXPECT_EQ(budget.options.group_interval, std::chrono::hours(24));
  EXPECT_EQ(budget.options.repeat_interval, std::chrono::hours(24));
  EXPECT_TRUE(matches_all(budget.matchers, Labels{{"alertname", "TokenBudgetExceededRate"}}));
  const Receiver* critical = config->find_receiver(root.routes[1].options.receiver);
  ASSERT_NE(critical, nullptr);
  EXPECT_EQ(critical->configs<notifiers::PagerdutyConfig>().size(), 1u);
  EXPECT_EQ(critical->configs<notifiers::SlackConfig>().size(), 1u);
  EXPECT_TRUE(matches_all(root.routes[1].matchers, Labels{{"severity", "critical"}}));
  EXPECT_EQ(root.routes[2].options.receiver, "slack-warnings");
  ASSERT_EQ(config->inhibit_rules.size(), 1u);
  EXPECT_EQ(config->inhibit_rules[0].equal, (std::vector<std::string>{"service", "component"}));
  // Written back with secrets hidden, it still passes amtool.
  Verdict redacted = amtool(write("example-redacted", to_redacted_yaml(*config)));
  EXPECT_TRUE(redacted.accepted) << redacted.detail;
}

// Deliberate differences from Alertmanager 0.25, each pinned down.

TEST_F(AmtoolDifferential, UnsupportedReceiverTypesAreErrorsThoughAmtoolAcceptsThem) {
  std::string path = write("opsgenie", R"(
route: {receiver: r}
receivers: [{name: r, opsgenie_configs: [{api_key: k}]}]
)");
  EXPECT_TRUE(amtool(path).accepted);
  Verdict t = tocsin(path);
  EXPECT_FALSE(t.accepted);
  EXPECT_NE(t.detail.find("receiver \"r\": opsgenie_configs are not supported by tocsin"),
            std::string::npos)
      << t.detail;
}

TEST_F(AmtoolDifferential, WebhookUrlFileIsAcceptedAsAlertmanager026DoesThoughAmtool025RejectsIt) {
  std::string path = write("webhook-url-file", R"(
route: {receiver: r}
receivers: [{name: r, webhook_configs: [{url_file: /run/secrets/hook}]}]
)");
  EXPECT_FALSE(amtool(path).accepted);
  EXPECT_TRUE(tocsin(path).accepted);
}

}  // namespace
}  // namespace tocsin::config
