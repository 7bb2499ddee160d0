#include "dispatch/notification_service.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "notifiers/notifier_registry.h"
#include "store/sqlite_store.h"
#include "support/alerts.h"
#include "support/fake_clock.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace tocsin::dispatch {
namespace {

using namespace std::chrono_literals;
using test::wait_until;

// Records what it is asked to send; shared by every receiver it stands for.
class RecordingNotifier final : public notify::Notifier {
 public:
  std::expected<notify::Delivery, notify::Failure> notify(
      const notify::Context& context, std::span<const notify::Alert> alerts) const override {
    std::lock_guard lock(mu_);
    sent_.push_back({context.receiver, {alerts.begin(), alerts.end()}});
    return {};
  }
  std::string_view kind() const override { return "webhook"; }
  bool send_resolved() const override { return true; }

  struct Sent {
    std::string receiver;
    std::vector<notify::Alert> alerts;
  };
  std::vector<Sent> sent() const {
    std::lock_guard lock(mu_);
    return sent_;
  }

 private:
  mutable std::mutex mu_;
  mutable std::vector<Sent> sent_;
};

std::shared_ptr<const config::AlertmanagerConfig> parse(const std::string& yaml) {
  auto c = config::parse_alertmanager_config(yaml, "alertmanager.yml", notifiers::receiver_kinds());
  EXPECT_TRUE(c.has_value()) << (c ? "" : c.error()[0].to_string());
  return c ? std::make_shared<const config::AlertmanagerConfig>(std::move(*c)) : nullptr;
}

const char* const kConfig = R"(route:
  receiver: slack
  group_by: [alertname]
  group_wait: 10ms
  group_interval: 50ms
  routes:
    - matchers: [severity=critical]
      receiver: pager
inhibit_rules:
  - source_matchers: [severity=critical]
    target_matchers: [severity=warning]
    equal: [service]
receivers:
  - name: slack
    webhook_configs: [{url: "http://127.0.0.1:1/slack"}]
  - name: pager
    webhook_configs: [{url: "http://127.0.0.1:1/pager"}]
)";

class NotificationServiceTest : public ::testing::Test {
 protected:
  std::unique_ptr<NotificationService> make(std::string storage = {}) {
    NotificationService::Options options;
    options.integrations = [this](const config::Receiver& receiver,
                                  const std::shared_ptr<const tmpl::NotificationTemplates>&)
        -> std::expected<std::vector<ReceiverIntegration>, std::vector<Error>> {
      if (receiver.name == "broken") {
        return std::unexpected(std::vector<Error>{Error("receiver \"broken\": cannot build")});
      }
      return std::vector<ReceiverIntegration>{
          {NotificationTarget{receiver.name, "webhook", 0}, notifier_}};
    };
    if (!storage.empty()) {
      // As the daemon does: open, load, then hand the store to a writer.
      auto opened = store::open_sqlite_store(storage + "/tocsin.db");
      EXPECT_TRUE(opened.has_value()) << opened.error().message();
      if (!opened) return nullptr;
      auto state = (*opened)->load();
      EXPECT_TRUE(state.has_value());
      options.restored = std::move(*state);
      options.journal = std::make_shared<store::Writer>(std::move(*opened),
                                                        store::Writer::Options{.clock = &clock_});
    }
    options.clock = &clock_;
    auto service = NotificationService::create(std::move(options));
    EXPECT_TRUE(service.has_value());
    return service ? std::move(*service) : nullptr;
  }

  notify::Alert alert(Labels labels) { return test::AlertBuilder(std::move(labels)); }

  test::FakeClock clock_;  // what every service here runs on
  std::shared_ptr<RecordingNotifier> notifier_ = std::make_shared<RecordingNotifier>();
};

const Labels kDown{{"alertname", "ServiceDown"}, {"service", "policy"}, {"severity", "critical"}};
const Labels kErrors{
    {"alertname", "HighErrorRate"}, {"service", "policy"}, {"severity", "warning"}};
const Labels kLatency{
    {"alertname", "HighLatency"}, {"service", "workflow"}, {"severity", "warning"}};

TEST_F(NotificationServiceTest, CompletesPostedAlertsAsAlertmanagerDoes) {
  auto service = make();
  ASSERT_TRUE(service->apply(parse(kConfig), "http://tocsin:9095").has_value());
  Timestamp now = clock_.now();
  notify::Alert bare = alert(kErrors);
  service->complete(bare, now);
  EXPECT_EQ(bare.starts_at, now);
  EXPECT_EQ(bare.ends_at, now + 5min);  // global.resolve_timeout
  EXPECT_TRUE(bare.timeout);
  EXPECT_EQ(bare.updated_at, now);

  notify::Alert ended = alert(kErrors);
  ended.ends_at = now - 1min;
  service->complete(ended, now);
  EXPECT_EQ(ended.starts_at, now - 1min);
  EXPECT_FALSE(ended.timeout);
}

TEST_F(NotificationServiceTest, RoutesGroupsAndInhibitsStoredAlerts) {
  auto service = make();
  ASSERT_TRUE(service->apply(parse(kConfig), "http://tocsin:9095").has_value());
  std::vector<notify::Alert> alerts{alert(kDown), alert(kErrors), alert(kLatency)};
  Timestamp now = clock_.now();
  for (auto& a : alerts) service->complete(a, now);
  service->put(alerts);
  clock_.advance(10ms);  // group_wait

  ASSERT_TRUE(wait_until(
      [&] {
        int pager = 0, slack = 0;
        for (const auto& s : notifier_->sent()) (s.receiver == "pager" ? pager : slack)++;
        return pager >= 1 && slack >= 1;
      },
      10s));
  for (const auto& s : notifier_->sent()) {
    for (const auto& a : s.alerts) {
      // HighErrorRate on policy is inhibited by ServiceDown on policy.
      EXPECT_NE(a.labels, kErrors);
      EXPECT_EQ(s.receiver, a.labels == kDown ? "pager" : "slack");
    }
  }
  AlertStatus inhibited = service->status(kErrors, clock_.now());
  EXPECT_EQ(inhibited.state(), "suppressed");
  ASSERT_EQ(inhibited.inhibited_by.size(), 1u);
  EXPECT_EQ(inhibited.inhibited_by[0], notify::fingerprint_string(kDown.fingerprint()));
  EXPECT_EQ(service->status(kLatency, clock_.now()).state(), "active");
  EXPECT_EQ(service->receivers_for(kDown), std::vector<std::string>{"pager"});
  EXPECT_EQ(service->groups().size(), 3u);
}

TEST_F(NotificationServiceTest, AFailedApplyKeepsTheRunningConfiguration) {
  auto service = make();
  auto running = parse(kConfig);
  ASSERT_TRUE(service->apply(running, "").has_value());
  auto broken = parse(R"(route: {receiver: broken}
receivers: [{name: broken}]
)");
  auto applied = service->apply(broken, "");
  ASSERT_FALSE(applied.has_value());
  EXPECT_NE(applied.error()[0].to_string().find("cannot build"), std::string::npos);
  EXPECT_EQ(service->config(), running);
  EXPECT_EQ(service->receivers_for(kDown), std::vector<std::string>{"pager"});
}

TEST_F(NotificationServiceTest, ANewConfigurationRegroupsTheStoredAlerts) {
  auto service = make();
  ASSERT_TRUE(service->apply(parse(kConfig), "").has_value());
  notify::Alert a = alert(kLatency);
  service->complete(a, clock_.now());
  service->put(std::span(&a, 1));
  ASSERT_EQ(service->groups().size(), 1u);
  ASSERT_TRUE(service
                  ->apply(parse(R"(route:
  receiver: team
  group_by: [service]
  group_wait: 10ms
receivers: [{name: team}]
)"),
                          "")
                  .has_value());
  auto groups = service->groups();
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].receiver, "team");
  EXPECT_EQ(groups[0].labels, (Labels{{"service", "workflow"}}));
  clock_.advance(10ms);  // group_wait
  ASSERT_TRUE(wait_until(
      [&] {
        for (const auto& s : notifier_->sent())
          if (s.receiver == "team") return true;
        return false;
      },
      10s));
}

TEST_F(NotificationServiceTest, SilencesSurviveARestartWithStorage) {
  test::TempDir dir("service");
  std::string id;
  {
    auto service = make(dir.path());
    ASSERT_TRUE(service->apply(parse(kConfig), "").has_value());
    PostableSilence s;
    s.matchers = {SilenceMatcher{MatchType::kEqual, "service", "workflow"}};
    s.starts_at = clock_.now() - 1min;
    s.ends_at = clock_.now() + 1h;
    s.created_by = "ops";
    s.comment = "deploy";
    auto set = service->silences().set(s, clock_.now());
    ASSERT_TRUE(set.has_value());
    id = *set;
    service->stop();
  }
  auto restarted = make(dir.path());
  ASSERT_TRUE(restarted->apply(parse(kConfig), "").has_value());
  auto silence = restarted->silences().get(id);
  ASSERT_TRUE(silence.has_value());
  EXPECT_EQ(silence->comment, "deploy");
  EXPECT_EQ(restarted->status(kLatency, clock_.now()).silenced_by, std::vector<std::string>{id});
}

// The restart's dedup reads the log the last run wrote: the first flush of
// the same group finds the receiver already told.
TEST_F(NotificationServiceTest, TheNotificationLogSurvivesARestartWithStorage) {
  test::TempDir dir("service");
  std::optional<NotificationLogEntry> logged;
  std::string key;
  const NotificationTarget slack{"slack", "webhook", 0};
  {
    auto service = make(dir.path());
    ASSERT_TRUE(service->apply(parse(kConfig), "").has_value());
    notify::Alert a = alert(kLatency);
    service->complete(a, clock_.now());
    service->put(std::span(&a, 1));
    ASSERT_EQ(service->groups().size(), 1u);
    key = service->groups()[0].key;
    clock_.advance(10ms);  // group_wait
    ASSERT_TRUE(wait_until(
        [&] {
          logged = service->notification_log().query(slack, key);
          return logged.has_value();
        },
        10s));
  }
  EXPECT_EQ(notifier_->sent().size(), 1u);
  auto restarted = make(dir.path());
  EXPECT_EQ(restarted->notification_log().query(slack, key), logged);
}

TEST_F(NotificationServiceTest, MaintenanceDropsResolvedAlerts) {
  auto service = make();
  ASSERT_TRUE(service->apply(parse(kConfig), "").has_value());
  notify::Alert a = alert(kLatency);
  a.starts_at = clock_.now() - 10min;
  a.ends_at = clock_.now() - 1min;
  service->complete(a, clock_.now());
  service->put(std::span(&a, 1));
  EXPECT_EQ(service->alerts().size(), 1u);
  service->maintain(clock_.now());
  EXPECT_TRUE(service->alerts().empty());
}

TEST_F(NotificationServiceTest, MaintenanceRunsEveryIntervalOnItsClock) {
  auto service = make();
  ASSERT_TRUE(service->apply(parse(kConfig), "").has_value());
  notify::Alert a = alert(kLatency);
  a.starts_at = clock_.now() - 10min;
  a.ends_at = clock_.now() + 1min;
  service->complete(a, clock_.now());
  service->put(std::span(&a, 1));
  // The thread wakes every 5 s (for silences that end with their alerts);
  // maintenance is due 15 minutes after the start, when the alert has
  // resolved. Once it is asleep again, that pass is done.
  ASSERT_TRUE(clock_.await_sleeper(clock_.now() + 5s));
  clock_.advance(5s);
  ASSERT_TRUE(clock_.await_sleeper(clock_.now() + 5s));
  EXPECT_EQ(service->alerts().size(), 1u);  // a silence check, not maintenance
  clock_.advance(15min);
  ASSERT_TRUE(clock_.await_sleeper(clock_.now() + 5s));
  EXPECT_TRUE(service->alerts().empty());
}

}  // namespace
}  // namespace tocsin::dispatch
