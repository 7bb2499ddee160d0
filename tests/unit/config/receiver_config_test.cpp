#include "config/receiver_config.h"

#include <gtest/gtest.h>

#include "config/alertmanager_config.h"

namespace tocsin::config {
namespace {

constexpr const char* kPath = "/etc/tocsin/alertmanager.yml";

// A config whose root route sends to receiver "r", defined by `receiver`
// (the mapping's fields after "name: r"), with `global` as the global section.
std::string with_receiver(const std::string& receiver, const std::string& global = "{}") {
  return "global: " + global + "\nroute: {receiver: r}\nreceivers:\n  - name: r\n" + receiver;
}

Receiver load_receiver(const std::string& receiver, const std::string& global = "{}") {
  auto c = parse_alertmanager_config(with_receiver(receiver, global), kPath);
  EXPECT_TRUE(c.has_value()) << (c ? "" : c.error().front().to_string());
  return c ? c->receivers.at(0) : Receiver{};
}

std::vector<std::string> problems(const std::string& receiver, const std::string& global = "{}") {
  auto c = parse_alertmanager_config(with_receiver(receiver, global), kPath);
  std::vector<std::string> out;
  if (!c) {
    for (const Error& e : c.error())
      out.push_back(e.to_string().substr(std::string(kPath).size() + 1));
  }
  return out;
}

using Problems = std::vector<std::string>;

TEST(WebhookConfig, DefaultsAndFields) {
  Receiver r = load_receiver(R"(    webhook_configs:
      - url: http://127.0.0.1:5001/hook
      - url_file: secrets/hook-url
        send_resolved: false
        max_alerts: 10
        http_config: {follow_redirects: false, bearer_token: t0k3n}
)",
                             "{http_config: {enable_http2: false}}");
  ASSERT_EQ(r.webhook_configs.size(), 2u);
  const WebhookConfig& a = r.webhook_configs[0];
  EXPECT_TRUE(a.send_resolved);
  EXPECT_EQ(a.url.reveal(), "http://127.0.0.1:5001/hook");
  EXPECT_EQ(a.max_alerts, 0u);
  EXPECT_FALSE(a.http_config.enable_http2);  // the global http_config
  EXPECT_EQ(a.position.line, 6);
  const WebhookConfig& b = r.webhook_configs[1];
  EXPECT_FALSE(b.send_resolved);
  EXPECT_TRUE(b.url.empty());
  EXPECT_EQ(b.url_file, "/etc/tocsin/secrets/hook-url");
  EXPECT_EQ(b.max_alerts, 10u);
  EXPECT_FALSE(b.http_config.follow_redirects);
  EXPECT_TRUE(b.http_config.enable_http2);  // its own http_config, defaulted afresh
  ASSERT_TRUE(b.http_config.authorization.has_value());
  EXPECT_EQ(b.http_config.authorization->type, "Bearer");
  EXPECT_EQ(b.http_config.authorization->credentials.reveal(), "t0k3n");
}

TEST(WebhookConfig, Errors) {
  EXPECT_EQ(problems("    webhook_configs: [{send_resolved: true}]\n"),
            Problems{"5:23: one of url or url_file must be configured"});
  EXPECT_EQ(problems("    webhook_configs: [{url: 'http://x', url_file: f}]\n"),
            Problems{"5:41: at most one of url & url_file must be configured"});
  EXPECT_EQ(problems("    webhook_configs: [{url: 'ftp://x'}]\n"),
            Problems{"5:29: url: unsupported scheme \"ftp\" for URL"});
  EXPECT_EQ(problems("    webhook_configs: [{url: '/hook'}]\n"),
            Problems{"5:29: url: unsupported scheme \"\" for URL"});
  EXPECT_EQ(problems("    webhook_configs: [{url: 'http:///hook'}]\n"),
            Problems{"5:29: url: missing host for URL"});
  EXPECT_EQ(problems("    webhook_configs: [{url: 'http://x', max_alerts: -1}]\n"),
            Problems{"5:53: max_alerts: cannot unmarshal \"-1\" into a non-negative integer"});
  EXPECT_EQ(problems("    webhook_configs: [{url: 'http://x', send_resolved: 'true'}]\n"),
            Problems{"5:56: send_resolved: cannot unmarshal \"true\" into bool"});
  EXPECT_EQ(problems("    webhook_configs: [{url: 'http://x', timeout: 5s}]\n"),
            Problems{"5:41: field timeout not found in webhook_config"});
}

TEST(WebhookConfig, Yaml11BooleansAreAccepted) {
  Receiver r = load_receiver("    webhook_configs: [{url: 'http://x', send_resolved: no}]\n");
  EXPECT_FALSE(r.webhook_configs.at(0).send_resolved);
}

TEST(SlackConfig, DefaultsAreAlertmanagersTemplates) {
  Receiver r = load_receiver("    slack_configs: [{channel: '#alerts'}]\n",
                             "{slack_api_url: 'https://hooks.slack.com/services/T0/B0/XYZ'}");
  const SlackConfig& s = r.slack_configs.at(0);
  EXPECT_FALSE(s.send_resolved);
  EXPECT_EQ(s.api_url.reveal(), "https://hooks.slack.com/services/T0/B0/XYZ");
  EXPECT_EQ(s.channel, "#alerts");
  EXPECT_EQ(s.title, R"({{ template "slack.default.title" . }})");
  EXPECT_EQ(s.username, R"({{ template "slack.default.username" . }})");
  EXPECT_EQ(s.color, R"({{ if eq .Status "firing" }}danger{{ else }}good{{ end }})");
  EXPECT_EQ(s.title_link, R"({{ template "slack.default.titlelink" . }})");
  EXPECT_EQ(s.pretext, R"({{ template "slack.default.pretext" . }})");
  EXPECT_EQ(s.text, R"({{ template "slack.default.text" . }})");
  EXPECT_EQ(s.footer, R"({{ template "slack.default.footer" . }})");
  EXPECT_EQ(s.fallback, R"({{ template "slack.default.fallback" . }})");
  EXPECT_EQ(s.callback_id, R"({{ template "slack.default.callbackid" . }})");
  EXPECT_EQ(s.icon_emoji, R"({{ template "slack.default.iconemoji" . }})");
  EXPECT_EQ(s.icon_url, R"({{ template "slack.default.iconurl" . }})");
  EXPECT_TRUE(s.image_url.empty());
  EXPECT_FALSE(s.short_fields);
  EXPECT_FALSE(s.link_names);
}

TEST(SlackConfig, EveryField) {
  Receiver r = load_receiver(R"(    slack_configs:
      - api_url: https://hooks.slack.com/services/T1/B1/abc
        send_resolved: true
        channel: '#ops'
        username: tocsin
        color: warning
        title: T
        title_link: https://grafana/
        pretext: P
        text: X
        fields:
          - {title: Service, value: '{{ .CommonLabels.service }}', short: true}
          - {title: Runbook, value: 'https://runbooks/'}
        short_fields: true
        footer: F
        fallback: FB
        callback_id: CB
        icon_emoji: ':fire:'
        icon_url: https://icons/x.png
        image_url: https://img/x.png
        thumb_url: https://img/t.png
        link_names: true
        mrkdwn_in: [pretext, text]
        actions:
          - {type: button, text: Runbook, url: 'https://runbooks/', name: ignored, value: ignored,
             style: primary, confirm: {text: ignored}}
          - type: button
            text: Ack
            name: ack
            value: '1'
            confirm: {text: 'Sure?', title: Ack, ok_text: 'Yes', dismiss_text: 'No'}
        http_config: {proxy_url: 'http://proxy:3128'}
)");
  const SlackConfig& s = r.slack_configs.at(0);
  EXPECT_TRUE(s.send_resolved);
  EXPECT_EQ(s.api_url.reveal(), "https://hooks.slack.com/services/T1/B1/abc");
  EXPECT_EQ(s.username, "tocsin");
  EXPECT_EQ(s.color, "warning");
  EXPECT_EQ(s.title_link, "https://grafana/");
  ASSERT_EQ(s.fields.size(), 2u);
  EXPECT_EQ(s.fields[0].value, "{{ .CommonLabels.service }}");
  EXPECT_EQ(s.fields[0].is_short, true);
  EXPECT_FALSE(s.fields[1].is_short.has_value());
  EXPECT_TRUE(s.short_fields);
  EXPECT_EQ(s.footer, "F");
  EXPECT_EQ(s.fallback, "FB");
  EXPECT_EQ(s.callback_id, "CB");
  EXPECT_EQ(s.icon_emoji, ":fire:");
  EXPECT_EQ(s.icon_url, "https://icons/x.png");
  EXPECT_EQ(s.image_url, "https://img/x.png");
  EXPECT_EQ(s.thumb_url, "https://img/t.png");
  EXPECT_TRUE(s.link_names);
  EXPECT_EQ(s.mrkdwn_in, (std::vector<std::string>{"pretext", "text"}));
  ASSERT_EQ(s.actions.size(), 2u);
  // A link button drops the message-action fields, as Alertmanager does.
  EXPECT_EQ(s.actions[0].url, "https://runbooks/");
  EXPECT_EQ(s.actions[0].style, "primary");
  EXPECT_TRUE(s.actions[0].name.empty());
  EXPECT_FALSE(s.actions[0].confirm.has_value());
  EXPECT_EQ(s.actions[1].name, "ack");
  EXPECT_EQ(s.actions[1].value, "1");
  ASSERT_TRUE(s.actions[1].confirm.has_value());
  EXPECT_EQ(s.actions[1].confirm->ok_text, "Yes");
  EXPECT_EQ(s.actions[1].confirm->dismiss_text, "No");
  EXPECT_EQ(s.http_config.proxy_url, "http://proxy:3128");
}

TEST(SlackConfig, ApiUrlFallsBackToTheGlobalOneInlineOrInAFile) {
  Receiver r = load_receiver("    slack_configs: [{}]\n", "{slack_api_url_file: /run/slack-url}");
  EXPECT_TRUE(r.slack_configs.at(0).api_url.empty());
  EXPECT_EQ(r.slack_configs.at(0).api_url_file, "/run/slack-url");
  Receiver own = load_receiver("    slack_configs: [{api_url_file: slack-url}]\n",
                               "{slack_api_url: 'https://global'}");
  EXPECT_TRUE(own.slack_configs.at(0).api_url.empty());
  EXPECT_EQ(own.slack_configs.at(0).api_url_file, "/etc/tocsin/slack-url");
}

TEST(SlackConfig, Errors) {
  EXPECT_EQ(problems("    slack_configs: [{channel: x}]\n"),
            Problems{"5:21: no global Slack API URL set either inline or in a file"});
  EXPECT_EQ(problems("    slack_configs: [{api_url: 'https://x', api_url_file: f}]\n"),
            Problems{"5:44: at most one of api_url & api_url_file must be configured"});
  EXPECT_EQ(problems("", "{slack_api_url: 'https://x', slack_api_url_file: f}"),
            Problems{"1:38: at most one of slack_api_url & slack_api_url_file must be configured"});
  std::string url = "api_url: 'https://x', ";
  EXPECT_EQ(problems("    slack_configs: [{" + url + "fields: [{title: t}]}]\n"),
            Problems{"5:53: missing value in Slack field configuration"});
  EXPECT_EQ(problems("    slack_configs: [{" + url + "fields: [{value: v}]}]\n"),
            Problems{"5:53: missing title in Slack field configuration"});
  EXPECT_EQ(problems("    slack_configs: [{" + url + "actions: [{text: t, url: u}]}]\n"),
            Problems{"5:54: missing type in Slack action configuration"});
  EXPECT_EQ(problems("    slack_configs: [{" + url + "actions: [{type: button, text: t}]}]\n"),
            Problems{"5:54: missing name or url in Slack action configuration"});
  EXPECT_EQ(problems("    slack_configs: [{" + url +
                     "actions: [{type: button, text: t, name: n, confirm: {title: x}}]}]\n"),
            Problems{"5:96: missing text in Slack confirmation configuration"});
}

TEST(PagerdutyConfig, DefaultsAndDetails) {
  Receiver r = load_receiver(R"(    pagerduty_configs:
      - routing_key: R0UT1NG
        details: {firing: 'custom', runbook: 'https://runbooks/'}
)");
  const PagerdutyConfig& p = r.pagerduty_configs.at(0);
  EXPECT_TRUE(p.send_resolved);
  EXPECT_EQ(p.routing_key.reveal(), "R0UT1NG");
  EXPECT_EQ(p.url, "https://events.pagerduty.com/v2/enqueue");
  EXPECT_EQ(p.client, R"({{ template "pagerduty.default.client" . }})");
  EXPECT_EQ(p.client_url, R"({{ template "pagerduty.default.clientURL" . }})");
  EXPECT_EQ(p.description, R"({{ template "pagerduty.default.description" .}})");
  EXPECT_EQ(p.source, p.client);
  EXPECT_EQ(p.details,
            (std::map<std::string, std::string>{
                {"firing", "custom"},
                {"num_firing", "{{ .Alerts.Firing | len }}"},
                {"num_resolved", "{{ .Alerts.Resolved | len }}"},
                {"resolved", R"({{ template "pagerduty.default.instances" .Alerts.Resolved }})"},
                {"runbook", "https://runbooks/"}}));
}

TEST(PagerdutyConfig, EveryField) {
  Receiver r = load_receiver(R"(    pagerduty_configs:
      - service_key_file: pd-service-key
        url: https://pd.example.com/v2/enqueue
        client: tocsin
        client_url: https://tocsin/
        description: '{{ .CommonAnnotations.summary }}'
        images: [{src: 'https://img/a.png', alt: graph, href: 'https://grafana/'}]
        links: [{href: 'https://runbooks/', text: runbook}]
        severity: critical
        class: slo
        component: policy-engine
        group: payments
        send_resolved: false
)",
                             "{pagerduty_url: 'https://global.pd/'}");
  const PagerdutyConfig& p = r.pagerduty_configs.at(0);
  EXPECT_FALSE(p.send_resolved);
  EXPECT_EQ(p.service_key_file, "/etc/tocsin/pd-service-key");
  EXPECT_EQ(p.url, "https://pd.example.com/v2/enqueue");
  EXPECT_EQ(p.client, "tocsin");
  EXPECT_EQ(p.source, "tocsin");  // defaults to client
  EXPECT_EQ(p.client_url, "https://tocsin/");
  EXPECT_EQ(p.description, "{{ .CommonAnnotations.summary }}");
  ASSERT_EQ(p.images.size(), 1u);
  EXPECT_EQ(p.images[0].alt, "graph");
  EXPECT_EQ(p.images[0].href, "https://grafana/");
  ASSERT_EQ(p.links.size(), 1u);
  EXPECT_EQ(p.links[0].text, "runbook");
  EXPECT_EQ(p.severity, "critical");
  EXPECT_EQ(p.event_class, "slo");
  EXPECT_EQ(p.component, "policy-engine");
  EXPECT_EQ(p.group, "payments");
  EXPECT_EQ(p.details.size(), 4u);

  Receiver global_url = load_receiver("    pagerduty_configs: [{routing_key: k}]\n",
                                      "{pagerduty_url: 'https://global.pd/'}");
  EXPECT_EQ(global_url.pagerduty_configs.at(0).url, "https://global.pd/");
}

TEST(PagerdutyConfig, Errors) {
  EXPECT_EQ(problems("    pagerduty_configs: [{severity: critical}]\n"),
            Problems{"5:25: missing service or routing key in PagerDuty config"});
  EXPECT_EQ(problems("    pagerduty_configs: [{routing_key: a, routing_key_file: b}]\n"),
            Problems{"5:42: at most one of routing_key & routing_key_file must be configured"});
  EXPECT_EQ(problems("    pagerduty_configs: [{service_key: a, service_key_file: b}]\n"),
            Problems{"5:42: at most one of service_key & service_key_file must be configured"});
  EXPECT_EQ(problems("    pagerduty_configs: [{routing_key: a, images: [{source: x}]}]\n"),
            Problems{"5:52: field source not found in pagerduty image"});
  // As Alertmanager 0.25: both a routing and a service key load (the service key wins).
  EXPECT_TRUE(problems("    pagerduty_configs: [{routing_key: a, service_key: b}]\n").empty());
}

TEST(EmailConfig, GlobalFallbacksAndDefaults) {
  Receiver r =
      load_receiver("    email_configs: [{to: 'team@example.com'}]\n",
                    R"({smtp_smarthost: 'smtp.example.com:587', smtp_from: 'tocsin@example.com',
          smtp_hello: tocsin.example.com, smtp_auth_username: user, smtp_auth_password: pw,
          smtp_auth_secret: s3, smtp_auth_identity: id, smtp_require_tls: false})");
  const EmailConfig& e = r.email_configs.at(0);
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
  const EmailConfig& e = r.email_configs.at(0);
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

TEST(Receivers, UnsupportedTypesAreLoadErrorsNeverDropped) {
  const char* types[] = {"opsgenie_configs", "victorops_configs", "pushover_configs",
                         "wechat_configs",   "sns_configs",       "telegram_configs",
                         "discord_configs",  "webex_configs"};
  for (const char* type : types) {
    EXPECT_EQ(
        problems(std::string("    ") + type + ": [{send_resolved: true}]\n"),
        Problems{std::string("5:5: receiver \"r\": ") + type + " are not supported by tocsin"})
        << type;
  }
  // An empty list configures nothing, so nothing is dropped.
  EXPECT_TRUE(problems("    opsgenie_configs: []\n").empty());
}

TEST(Receivers, GlobalKeysOfUnsupportedReceiversStillLoad) {
  auto c = parse_alertmanager_config(
      with_receiver("", R"({opsgenie_api_key: k, opsgenie_api_url: 'https://og/',
      victorops_api_key_file: /f, victorops_api_url: 'https://vo/', wechat_api_url: 'https://wc/',
      wechat_api_secret: s, wechat_api_corp_id: c, telegram_api_url: 'https://tg', webex_api_url: 'https://wx'})"),
      kPath);
  ASSERT_TRUE(c.has_value()) << c.error().front().to_string();
  EXPECT_EQ(c->global.opsgenie_api_url, "https://og/");
  EXPECT_EQ(c->global.victorops_api_key_file, "/f");
  EXPECT_EQ(c->global.telegram_api_url, "https://tg");
  EXPECT_EQ(
      problems("", "{opsgenie_api_key: k, opsgenie_api_key_file: f}"),
      Problems{"1:31: at most one of opsgenie_api_key & opsgenie_api_key_file must be configured"});
  EXPECT_EQ(problems("", "{victorops_api_url: 'ftp://vo'}"),
            Problems{"1:29: victorops_api_url: unsupported scheme \"ftp\" for URL"});
}

TEST(HttpConfig, AuthenticationAndTls) {
  Receiver r = load_receiver(R"(    webhook_configs:
      - url: https://hook
        http_config:
          basic_auth: {username: u, password_file: pw}
          tls_config: {ca_file: ca.pem, cert_file: /abs/c.pem, key_file: k.pem, min_version: TLS12}
      - url: https://hook
        http_config:
          authorization: {type: ' Token ', credentials_file: cred}
      - url: https://hook
        http_config:
          oauth2:
            client_id: id
            client_secret: s
            token_url: https://auth/token
            scopes: [a, b]
            endpoint_params: {audience: x}
)");
  const http::HttpClientConfig& basic = r.webhook_configs.at(0).http_config;
  EXPECT_EQ(basic.basic_auth->username, "u");
  EXPECT_EQ(basic.basic_auth->password_file, "/etc/tocsin/pw");
  EXPECT_EQ(basic.tls_config.ca_file, "/etc/tocsin/ca.pem");
  EXPECT_EQ(basic.tls_config.cert_file, "/abs/c.pem");
  EXPECT_EQ(basic.tls_config.min_version, "TLS12");
  const http::HttpClientConfig& token = r.webhook_configs.at(1).http_config;
  EXPECT_EQ(token.authorization->type, "Token");
  EXPECT_EQ(token.authorization->credentials_file, "/etc/tocsin/cred");
  const http::HttpClientConfig& oauth = r.webhook_configs.at(2).http_config;
  EXPECT_EQ(oauth.oauth2->client_secret.reveal(), "s");
  EXPECT_EQ(oauth.oauth2->scopes, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(oauth.oauth2->endpoint_params.at("audience"), "x");
}

TEST(HttpConfig, ValidationAsPrometheusCommon) {
  auto http = [](const std::string& config) {
    return problems("    webhook_configs: [{url: 'http://x', http_config: " + config + "}]\n");
  };
  EXPECT_EQ(http("{bearer_token: x, basic_auth: {username: u}}"),
            Problems{"5:54: http_config: at most one of basic_auth, oauth2, bearer_token & "
                     "bearer_token_file must be configured"});
  EXPECT_EQ(
      http("{bearer_token: x, bearer_token_file: y}"),
      Problems{
          "5:54: http_config: at most one of bearer_token & bearer_token_file must be configured"});
  EXPECT_EQ(http("{authorization: {type: Basic}}"),
            Problems{"5:54: http_config: authorization type cannot be set to \"basic\", use "
                     "\"basic_auth\" instead"});
  EXPECT_EQ(http("{authorization: {credentials: a}, bearer_token: b}"),
            Problems{"5:54: http_config: authorization is not compatible with bearer_token & "
                     "bearer_token_file"});
  EXPECT_EQ(http("{basic_auth: {password: a, password_file: b}}"),
            Problems{"5:54: http_config: at most one of basic_auth password & password_file must "
                     "be configured"});
  EXPECT_EQ(http("{oauth2: {client_secret: x, token_url: y}}"),
            Problems{"5:54: http_config: oauth2 client_id must be configured"});
  EXPECT_EQ(http("{tls_config: {min_version: TLS14}}"),
            Problems{"5:81: min_version: unknown TLS version: TLS14"});
  EXPECT_EQ(http("{tls_config: {ca: x}}"), Problems{"5:68: field ca not found in tls_config"});
}

TEST(MimeHeaders, CanonicalKeysAsGo) {
  EXPECT_EQ(canonical_mime_header_key("subject"), "Subject");
  EXPECT_EQ(canonical_mime_header_key("x-MAILER-id"), "X-Mailer-Id");
  EXPECT_EQ(canonical_mime_header_key("Reply To"), "Reply To");  // not a token: as written
}

}  // namespace
}  // namespace tocsin::config
