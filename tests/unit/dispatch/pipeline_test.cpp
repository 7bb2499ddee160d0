#include "dispatch/pipeline.h"

#include <atomic>
#include <deque>
#include <future>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "config/alertmanager_config.h"
#include "notifiers/notifier_registry.h"
#include "store/writer.h"
#include "support/alerts.h"
#include "support/fake_clock.h"
#include "support/recording_store.h"
#include "support/wait.h"
#include "two_services.h"

namespace tocsin::dispatch {
namespace {

using namespace std::chrono_literals;
using test::at;
using test::FakeClock;

Timestamp wall_now() {
  return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
}

// An integration that answers from a script (success once the script runs
// out) and records every alert set it was asked to send.
class ScriptedNotifier final : public notify::Notifier {
 public:
  explicit ScriptedNotifier(bool send_resolved = true, std::string_view kind = "webhook")
      : send_resolved_(send_resolved), kind_(kind) {}

  void fail_next(notify::Failure failure) {
    std::lock_guard lock(mu_);
    script_.push_back(std::move(failure));
  }
  // Blocks every call until release().
  void hang() { hanging_ = true; }
  void release() { hanging_ = false; }

  std::expected<notify::Delivery, notify::Failure> notify(
      const notify::Context& context, std::span<const notify::Alert> alerts) const override {
    while (hanging_) std::this_thread::sleep_for(1ms);
    std::lock_guard lock(mu_);
    calls_.push_back({context, {alerts.begin(), alerts.end()}});
    if (script_.empty()) return notify::Delivery{"HTTP 200"};
    notify::Failure f = script_.front();
    script_.pop_front();
    return std::unexpected(f);
  }
  std::string_view kind() const override { return kind_; }
  bool send_resolved() const override { return send_resolved_; }
  // As PagerDuty: keeps acknowledgements of its own.
  bool acknowledges() const override { return kind_ == "pagerduty"; }
  std::expected<notify::Delivery, notify::Failure> acknowledge(
      const notify::Context& context, std::span<const notify::Alert> alerts) const override {
    std::lock_guard lock(mu_);
    acknowledged_.push_back({context, {alerts.begin(), alerts.end()}});
    return {};
  }

  struct Call {
    notify::Context context;
    std::vector<notify::Alert> alerts;
  };
  std::vector<Call> calls() const {
    std::lock_guard lock(mu_);
    return calls_;
  }
  std::vector<Call> acknowledged() const {
    std::lock_guard lock(mu_);
    return acknowledged_;
  }

 private:
  const bool send_resolved_;
  const std::string kind_;
  std::atomic<bool> hanging_{false};
  mutable std::mutex mu_;
  mutable std::deque<notify::Failure> script_;
  mutable std::vector<Call> calls_;
  mutable std::vector<Call> acknowledged_;
};

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    load(R"(route:
  receiver: team
  group_by: [alertname]
  repeat_interval: 4h
inhibit_rules:
  - source_matchers: [severity=critical]
    target_matchers: [severity=warning]
    equal: [service]
receivers: [{name: team}]
)");
  }

  void load(const std::string& yaml) {
    auto c =
        config::parse_alertmanager_config(yaml, "alertmanager.yml", notifiers::receiver_kinds());
    ASSERT_TRUE(c.has_value()) << c.error()[0].to_string();
    config_ = std::make_unique<config::AlertmanagerConfig>(std::move(*c));
    root_ = Route::build(config_->route);
    inhibitor_ = std::make_shared<Inhibitor>(config_->inhibit_rules);
  }

  Pipeline pipeline(std::vector<std::shared_ptr<ScriptedNotifier>> notifiers,
                    std::unordered_map<const Route*, TimeMute> time_mutes = {}) {
    return Pipeline(parts(std::move(notifiers), std::move(time_mutes)));
  }

  Pipeline::Parts parts(std::vector<std::shared_ptr<ScriptedNotifier>> notifiers,
                        std::unordered_map<const Route*, TimeMute> time_mutes = {}) {
    Pipeline::Parts parts;
    std::vector<ReceiverIntegration> integrations;
    std::uint32_t index = 0;
    for (auto& n : notifiers) {
      integrations.push_back({NotificationTarget{"team", std::string(n->kind()), index++}, n});
    }
    parts.receivers.emplace("team", std::move(integrations));
    parts.time_mutes = std::move(time_mutes);
    parts.inhibitor = inhibitor_;
    parts.silences = silences_;
    parts.acknowledgements = acks_;
    parts.nflog = nflog_;
    parts.external_url = "http://tocsin.example:9095";
    parts.backoff.initial = 1ms;
    parts.backoff.max_interval = 5ms;
    return parts;
  }

  notify::Alert alert(Labels labels, bool resolved = false) {
    return test::AlertBuilder(std::move(labels))
        .starts(t0_ - 10min)
        .ends(resolved ? t0_ - 1min : Timestamp{})
        .updated(t0_);
  }

  Flush flush(std::vector<notify::Alert> alerts, Timestamp now) {
    Flush f;
    f.route = root_.get();
    f.group_labels = Labels{{"alertname", "HighErrorRate"}};
    f.group_key = group_key(*root_, f.group_labels);
    f.alerts = std::move(alerts);
    f.now = now;
    f.deadline = wall_now() + 10s;
    return f;
  }

  Timestamp t0_ = at("2024-05-01T12:00:00Z");
  std::unique_ptr<config::AlertmanagerConfig> config_;
  std::unique_ptr<Route> root_;
  std::shared_ptr<Inhibitor> inhibitor_;
  std::shared_ptr<Silences> silences_ = std::make_shared<Silences>();
  std::shared_ptr<NotificationLog> nflog_ = std::make_shared<NotificationLog>();
  std::shared_ptr<Acknowledgements> acks_ =
      std::make_shared<Acknowledgements>(Acknowledgements::Options{});
  std::shared_ptr<Escalations> escalations_ = std::make_shared<Escalations>();
};

using test::kPolicy;
using test::kWorkflow;

// A store that notes, at each commit, whether the flush had already
// returned.
class FlushWatchingStore final : public test::StubStore {
 public:
  explicit FlushWatchingStore(const std::atomic<bool>& flushed)
      : StubStore("watching.db"), flushed_(flushed) {}
  Status write(const store::Batch& batch) override {
    std::lock_guard lock(mu_);
    for (const store::Change& c : batch) {
      if (const auto* put = std::get_if<store::PutNotification>(&c)) {
        commits_.push_back({put->row.receiver, flushed_.load()});
      }
    }
    return {};
  }
  std::vector<std::pair<std::string, bool>> commits() const {
    std::lock_guard lock(mu_);
    return commits_;
  }

 private:
  const std::atomic<bool>& flushed_;
  mutable std::mutex mu_;
  std::vector<std::pair<std::string, bool>> commits_;  // receiver, flush returned by then
};

TEST_F(PipelineTest, AFlushIsDoneOnlyOnceItsLogEntryIsStored) {
  std::atomic<bool> flushed{false};
  auto watching = std::make_unique<FlushWatchingStore>(flushed);
  FlushWatchingStore* store = watching.get();
  auto journal = std::make_shared<store::Writer>(std::move(watching), store::Writer::Options{});
  nflog_ = std::make_shared<NotificationLog>(std::chrono::hours(120), journal);
  auto n = std::make_shared<ScriptedNotifier>();
  ASSERT_TRUE(pipeline({n}).flush(flush({alert(kPolicy)}, t0_), {}));
  flushed = true;
  EXPECT_EQ(store->commits(), (std::vector<std::pair<std::string, bool>>{{"team", false}}));
}

TEST_F(PipelineTest, SendsTheGroupWithItsContext) {
  auto n = std::make_shared<ScriptedNotifier>();
  EXPECT_TRUE(pipeline({n}).flush(flush({alert(kPolicy), alert(kWorkflow)}, t0_), {}));
  auto calls = n->calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].alerts.size(), 2u);
  EXPECT_EQ(calls[0].context.receiver, "team");
  EXPECT_EQ(calls[0].context.group_key, "{}:{alertname=\"HighErrorRate\"}");
  EXPECT_EQ(calls[0].context.now, t0_);
  EXPECT_EQ(calls[0].context.repeat_interval, 4h);
  EXPECT_EQ(calls[0].context.external_url, "http://tocsin.example:9095");
}

TEST_F(PipelineTest, SameAlertsAgainAreNotResentUntilTheRepeatInterval) {
  auto n = std::make_shared<ScriptedNotifier>();
  Pipeline p = pipeline({n});
  ASSERT_TRUE(p.flush(flush({alert(kPolicy)}, t0_), {}));
  ASSERT_TRUE(p.flush(flush({alert(kPolicy)}, t0_ + 5min), {}));
  EXPECT_EQ(n->calls().size(), 1u);
  // A new firing alert is news at once.
  ASSERT_TRUE(p.flush(flush({alert(kPolicy), alert(kWorkflow)}, t0_ + 6min), {}));
  EXPECT_EQ(n->calls().size(), 2u);
  // Nothing new: only once repeat_interval has passed since the last send.
  ASSERT_TRUE(p.flush(flush({alert(kPolicy), alert(kWorkflow)}, t0_ + 6min + 4h), {}));
  EXPECT_EQ(n->calls().size(), 2u);
  ASSERT_TRUE(p.flush(flush({alert(kPolicy), alert(kWorkflow)}, t0_ + 6min + 4h + 1ms), {}));
  EXPECT_EQ(n->calls().size(), 3u);
}

TEST_F(PipelineTest, ResolvedAlertsGoOnlyWhereSendResolvedIsSet) {
  auto with = std::make_shared<ScriptedNotifier>(true, "webhook");
  auto without = std::make_shared<ScriptedNotifier>(false, "slack");
  Pipeline p = pipeline({with, without});
  ASSERT_TRUE(p.flush(flush({alert(kPolicy), alert(kWorkflow)}, t0_), {}));
  ASSERT_TRUE(p.flush(flush({alert(kPolicy), alert(kWorkflow, true)}, t0_ + 5min), {}));
  // send_resolved: told of the resolve. Without: a firing set that only
  // shrank is no news (Alertmanager's DedupStage), so nothing is sent.
  ASSERT_EQ(with->calls().size(), 2u);
  EXPECT_EQ(with->calls()[1].alerts.size(), 2u);
  EXPECT_EQ(without->calls().size(), 1u);

  // All resolved: the one without send_resolved hears nothing, yet its log
  // learns that nothing fires any more.
  ASSERT_TRUE(p.flush(flush({alert(kPolicy, true), alert(kWorkflow, true)}, t0_ + 10min), {}));
  EXPECT_EQ(with->calls().size(), 3u);
  EXPECT_EQ(without->calls().size(), 1u);
  auto entry = nflog_->query({"team", "slack", 1},
                             group_key(*root_, Labels{{"alertname", "HighErrorRate"}}));
  ASSERT_TRUE(entry.has_value());
  EXPECT_TRUE(entry->firing_alerts.empty());
  EXPECT_EQ(entry->resolved_alerts.size(), 2u);
}

TEST_F(PipelineTest, SilencedAlertsAreLeftOut) {
  PostableSilence s;
  s.matchers = {SilenceMatcher{MatchType::kEqual, "service", "workflow"}};
  s.starts_at = t0_ - 1h;
  s.ends_at = t0_ + 1h;
  s.created_by = "test";
  s.comment = "maintenance";
  ASSERT_TRUE(silences_->set(s, t0_ - 1h).has_value());
  auto n = std::make_shared<ScriptedNotifier>();
  ASSERT_TRUE(pipeline({n}).flush(flush({alert(kPolicy), alert(kWorkflow)}, t0_), {}));
  ASSERT_EQ(n->calls().size(), 1u);
  ASSERT_EQ(n->calls()[0].alerts.size(), 1u);
  EXPECT_EQ(n->calls()[0].alerts[0].labels, kPolicy);

  // Everything silenced: no notification at all, and nothing logged.
  auto m = std::make_shared<ScriptedNotifier>();
  ASSERT_TRUE(pipeline({m}).flush(flush({alert(kWorkflow)}, t0_), {}));
  EXPECT_TRUE(m->calls().empty());
}

TEST_F(PipelineTest, InhibitedAlertsAreLeftOut) {
  notify::Alert critical =
      alert({{"alertname", "ServiceDown"}, {"service", "policy"}, {"severity", "critical"}});
  notify::Alert warning =
      alert({{"alertname", "HighErrorRate"}, {"service", "policy"}, {"severity", "warning"}});
  notify::Alert other =
      alert({{"alertname", "HighErrorRate"}, {"service", "workflow"}, {"severity", "warning"}});
  inhibitor_->observe(critical);
  auto n = std::make_shared<ScriptedNotifier>();
  ASSERT_TRUE(pipeline({n}).flush(flush({warning, other}, t0_), {}));
  ASSERT_EQ(n->calls().size(), 1u);
  ASSERT_EQ(n->calls()[0].alerts.size(), 1u);
  EXPECT_EQ(n->calls()[0].alerts[0].labels, other.labels);
}

TEST_F(PipelineTest, RetriesARetryableFailureAndLogsOnlyTheSuccess) {
  auto n = std::make_shared<ScriptedNotifier>();
  n->fail_next({"unexpected status code 500", true});
  n->fail_next({"unexpected status code 500", true});
  Pipeline p = pipeline({n});
  EXPECT_TRUE(p.flush(flush({alert(kPolicy)}, t0_), {}));
  EXPECT_EQ(n->calls().size(), 3u);
  EXPECT_TRUE(
      nflog_->query({"team", "webhook", 0}, "{}:{alertname=\"HighErrorRate\"}").has_value());
}

// Each attempt is a history event: who, about which alerts, and what the
// receiver said; the retried one is numbered.
TEST_F(PipelineTest, RecordsEveryAttemptInTheHistory) {
  auto recording = std::make_unique<test::RecordingStore>();
  test::RecordingStore& store = *recording;
  auto journal = std::make_shared<store::Writer>(std::move(recording), store::Writer::Options{});
  auto n = std::make_shared<ScriptedNotifier>();
  n->fail_next({"unexpected status code 503", true});
  Pipeline::Parts with_history = parts({n});
  with_history.history = journal;
  Pipeline p(std::move(with_history));
  ASSERT_TRUE(p.flush(flush({alert(kPolicy), alert(kWorkflow, true)}, t0_), {}));
  ASSERT_TRUE(test::wait_until([&] { return journal->pending_changes() == 0; }, 10s));
  std::vector<store::HistoryRow> events;
  for (const store::Change& c : store.take()) {
    if (const auto* e = std::get_if<store::AppendHistory>(&c)) events.push_back(e->row);
  }
  ASSERT_EQ(events.size(), 2u);
  for (const store::HistoryRow& e : events) {
    EXPECT_EQ(e.kind, "notification");
    EXPECT_EQ(e.receiver, "team");
    EXPECT_EQ(e.integration, "webhook");
    EXPECT_EQ(e.group_key, "{}:{alertname=\"HighErrorRate\"}");
    EXPECT_EQ(e.labels, (Labels{{"alertname", "HighErrorRate"}}));
  }
  EXPECT_EQ(events[0].state, "failed");
  EXPECT_EQ(events[1].state, "sent");
  auto failed = nlohmann::json::parse(events[0].details);
  EXPECT_EQ(failed["attempt"], 1);
  EXPECT_EQ(failed["error"], "unexpected status code 503");
  EXPECT_EQ(failed["firing"], 1);
  EXPECT_EQ(failed["resolved"], 1);
  EXPECT_EQ(failed["alerts"],
            nlohmann::json::array({notify::fingerprint_string(kPolicy.fingerprint()),
                                   notify::fingerprint_string(kWorkflow.fingerprint())}));
  auto sent = nlohmann::json::parse(events[1].details);
  EXPECT_EQ(sent["attempt"], 2);
  EXPECT_FALSE(sent.contains("error"));
  EXPECT_EQ(sent["reply"], "HTTP 200");
  EXPECT_TRUE(sent["durationSeconds"].is_number());
}

TEST_F(PipelineTest, AFailureNotWorthRetryingEndsTheFlushUnlogged) {
  auto n = std::make_shared<ScriptedNotifier>();
  n->fail_next({"unexpected status code 400", false});
  Pipeline p = pipeline({n});
  EXPECT_FALSE(p.flush(flush({alert(kPolicy)}, t0_), {}));
  EXPECT_EQ(n->calls().size(), 1u);
  EXPECT_FALSE(
      nflog_->query({"team", "webhook", 0}, "{}:{alertname=\"HighErrorRate\"}").has_value());
  // Unlogged, so the next flush tries again.
  EXPECT_TRUE(p.flush(flush({alert(kPolicy)}, t0_ + 1min), {}));
  EXPECT_EQ(n->calls().size(), 2u);
}

TEST_F(PipelineTest, RetriesStopAtTheDeadline) {
  auto n = std::make_shared<ScriptedNotifier>();
  for (int i = 0; i < 100000; ++i) n->fail_next({"connection refused", true});
  Pipeline p = pipeline({n});
  Flush f = flush({alert(kPolicy)}, t0_);
  f.deadline = wall_now() + 100ms;
  EXPECT_FALSE(p.flush(f, {}));
  EXPECT_GE(n->calls().size(), 2u);
  EXPECT_LT(n->calls().size(), 100000u);
}

// The retry tests below run on a FakeClock with Alertmanager's backoff: the
// flush runs on a thread of its own, and the test moves the clock to each
// retry once the flush is asleep until it.

TEST_F(PipelineTest, RetriesWaitAlertmanagersBackoffOnTheClock) {
  FakeClock clock(t0_);
  auto n = std::make_shared<ScriptedNotifier>();
  for (int i = 0; i < 3; ++i) n->fail_next({"unexpected status code 503", true});
  Pipeline::Parts p = parts({n});
  p.backoff = Backoff{};
  p.clock = &clock;
  Pipeline pipeline(std::move(p));
  Flush f = flush({alert(kPolicy)}, t0_);
  f.deadline = t0_ + 5min;
  auto flushed = std::async(std::launch::async, [&] { return pipeline.flush(f, {}); });

  // 500ms growing by 1.5x, each randomised by +-50%.
  Duration base = 500ms;
  for (std::size_t attempt = 1; attempt <= 3; ++attempt) {
    std::optional<Timestamp> retry_at = clock.await_any_sleeper();
    ASSERT_TRUE(retry_at.has_value()) << "attempt " << attempt;
    Duration wait = *retry_at - clock.now();
    EXPECT_GE(wait, base / 2) << "attempt " << attempt;
    EXPECT_LE(wait, base * 3 / 2) << "attempt " << attempt;
    EXPECT_EQ(n->calls().size(), attempt);
    // Not a moment early.
    clock.set(*retry_at - 1ms);
    ASSERT_TRUE(clock.await_sleeper(*retry_at));
    EXPECT_EQ(n->calls().size(), attempt);
    clock.set(*retry_at);
    base = base * 3 / 2;
  }
  ASSERT_EQ(flushed.wait_for(10s), std::future_status::ready);
  EXPECT_TRUE(flushed.get());
  ASSERT_EQ(n->calls().size(), 4u);
  EXPECT_EQ(n->calls()[0].context.clock, &clock);
  EXPECT_TRUE(
      nflog_->query({"team", "webhook", 0}, "{}:{alertname=\"HighErrorRate\"}").has_value());
}

TEST_F(PipelineTest, RetriesGiveUpRatherThanWaitPastTheDeadline) {
  FakeClock clock(t0_);
  auto n = std::make_shared<ScriptedNotifier>();
  for (int i = 0; i < 10; ++i) n->fail_next({"connection refused", true});
  Pipeline::Parts p = parts({n});
  p.backoff = Backoff{.randomization = 0};  // waits of exactly 500ms, 750ms, 1125ms
  p.clock = &clock;
  Pipeline pipeline(std::move(p));
  Flush f = flush({alert(kPolicy)}, t0_);
  f.deadline = t0_ + 2s;
  auto flushed = std::async(std::launch::async, [&] { return pipeline.flush(f, {}); });

  ASSERT_TRUE(clock.await_sleeper(t0_ + 500ms));
  clock.advance(500ms);
  ASSERT_TRUE(clock.await_sleeper(t0_ + 1250ms));
  clock.advance(750ms);
  // The next wait would end at 2375ms, past the deadline: no third wait.
  ASSERT_EQ(flushed.wait_for(10s), std::future_status::ready);
  EXPECT_FALSE(flushed.get());
  EXPECT_EQ(n->calls().size(), 3u);
  EXPECT_FALSE(clock.await_any_sleeper(0ms).has_value());
}

TEST_F(PipelineTest, StopEndsARetryWait) {
  FakeClock clock(t0_);
  auto n = std::make_shared<ScriptedNotifier>();
  n->fail_next({"connection refused", true});
  Pipeline::Parts p = parts({n});
  p.backoff = Backoff{};
  p.clock = &clock;
  Pipeline pipeline(std::move(p));
  Flush f = flush({alert(kPolicy)}, t0_);
  f.deadline = t0_ + 5min;
  std::stop_source stop;
  auto flushed =
      std::async(std::launch::async, [&] { return pipeline.flush(f, stop.get_token()); });
  ASSERT_TRUE(clock.await_any_sleeper().has_value());
  stop.request_stop();  // the clock stands still
  ASSERT_EQ(flushed.wait_for(10s), std::future_status::ready);
  EXPECT_FALSE(flushed.get());
  EXPECT_EQ(n->calls().size(), 1u);
}

TEST_F(PipelineTest, AHangingIntegrationDelaysNoOther) {
  auto hanging = std::make_shared<ScriptedNotifier>(true, "webhook");
  auto fine = std::make_shared<ScriptedNotifier>(true, "slack");
  hanging->hang();
  Pipeline p = pipeline({hanging, fine});
  std::atomic<bool> done{false};
  std::jthread flushing([&] {
    p.flush(flush({alert(kPolicy)}, t0_), {});
    done = true;
  });
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (fine->calls().empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(1ms);
  }
  EXPECT_EQ(fine->calls().size(), 1u);
  EXPECT_FALSE(done.load());
  hanging->release();
}

TEST_F(PipelineTest, MuteTimeIntervalsHoldNotificationsBack) {
  load(R"(route:
  receiver: team
  routes:
    - matchers: [alertname=HighErrorRate]
      mute_time_intervals: [weekends]
receivers: [{name: team}]
time_intervals:
  - name: weekends
    time_intervals: [{weekdays: [saturday, sunday]}]
)");
  const Route* child = root_->routes().at(0).get();
  auto mute = TimeMute::create(child->mute_time_intervals(), child->active_time_intervals(),
                               config_->time_intervals);
  ASSERT_TRUE(mute.has_value());
  std::unordered_map<const Route*, TimeMute> mutes;
  mutes.emplace(child, std::move(*mute));
  auto n = std::make_shared<ScriptedNotifier>();
  Pipeline p = pipeline({n}, std::move(mutes));
  auto on_child = [&](Timestamp now) {
    Flush f = flush({alert(kPolicy)}, now);
    f.route = child;
    return f;
  };
  // 2024-05-04 is a Saturday; 2024-05-01 a Wednesday.
  EXPECT_TRUE(p.flush(on_child(at("2024-05-04T10:00:00Z")), {}));
  EXPECT_TRUE(n->calls().empty());
  EXPECT_TRUE(p.flush(on_child(at("2024-05-01T10:00:00Z")), {}));
  EXPECT_EQ(n->calls().size(), 1u);
}

TEST_F(PipelineTest, AReceiverWithoutIntegrationsSucceeds) {
  Pipeline::Parts parts;
  parts.silences = silences_;
  parts.nflog = nflog_;
  EXPECT_TRUE(Pipeline(std::move(parts)).flush(flush({alert(kPolicy)}, t0_), {}));
}

// An acknowledged group is not repeated at repeat_interval; a new alert
// joining it is notified at once and, being unacknowledged, brings the
// repeats back; a resolve is notified; the acknowledgement ends once what it
// covered has resolved.
TEST_F(PipelineTest, AnAcknowledgedGroupIsNotRepeatedButNewsStillGoesOut) {
  auto n = std::make_shared<ScriptedNotifier>();
  Pipeline p = pipeline({n});
  ASSERT_TRUE(p.flush(flush({alert(kPolicy)}, t0_), {}));
  ASSERT_EQ(n->calls().size(), 1u);
  Flush first = flush({alert(kPolicy)}, t0_);
  auto ack = acks_->add(Acknowledgement{.id = "",
                                        .fingerprint = 0,
                                        .group_key = first.group_key,
                                        .covered = {kPolicy.fingerprint()},
                                        .labels = first.group_labels,
                                        .by = "alice",
                                        .comment = "on it"},
                        t0_ + 1min);
  ASSERT_TRUE(ack) << ack.error().message;

  // Well past repeat_interval: no repeat while all that fires is acknowledged.
  ASSERT_TRUE(p.flush(flush({alert(kPolicy)}, t0_ + 5h), {}));
  EXPECT_EQ(n->calls().size(), 1u);

  // A new alert is news; the notification tells who acknowledged the other.
  ASSERT_TRUE(p.flush(flush({alert(kPolicy), alert(kWorkflow)}, t0_ + 5h + 1min), {}));
  auto calls = n->calls();
  ASSERT_EQ(calls.size(), 2u);
  ASSERT_EQ(calls[1].context.acknowledged.size(), 1u);
  EXPECT_EQ(calls[1].context.acknowledged.at(kPolicy.fingerprint()).by, "alice");
  EXPECT_EQ(calls[1].context.acknowledged.at(kPolicy.fingerprint()).comment, "on it");
  // ... and, not acknowledged, it repeats again.
  ASSERT_TRUE(p.flush(flush({alert(kPolicy), alert(kWorkflow)}, t0_ + 9h + 2min), {}));
  EXPECT_EQ(n->calls().size(), 3u);

  // The acknowledged alert resolves: notified, and the acknowledgement ends.
  ASSERT_TRUE(p.flush(flush({alert(kPolicy, true), alert(kWorkflow)}, t0_ + 9h + 3min), {}));
  EXPECT_EQ(n->calls().size(), 4u);
  EXPECT_TRUE(acks_->list(t0_ + 9h + 3min).empty());
}

TEST_F(PipelineTest, AnAcknowledgementOfEveryFiringAlertStopsRepeatsUntilItExpires) {
  auto n = std::make_shared<ScriptedNotifier>();
  Pipeline p = pipeline({n});
  ASSERT_TRUE(p.flush(flush({alert(kPolicy), alert(kWorkflow)}, t0_), {}));
  for (const Labels& l : {kPolicy, kWorkflow}) {
    ASSERT_TRUE(acks_->add(Acknowledgement{.id = "",
                                           .fingerprint = l.fingerprint(),
                                           .group_key = "",
                                           .covered = {l.fingerprint()},
                                           .labels = l,
                                           .by = "bob",
                                           .comment = "",
                                           .created_at = {},
                                           .expires_at = t0_ + 6h},
                           t0_));
  }
  ASSERT_TRUE(p.flush(flush({alert(kPolicy), alert(kWorkflow)}, t0_ + 5h), {}));
  EXPECT_EQ(n->calls().size(), 1u);
  // Expired: the repeat is due at once.
  ASSERT_TRUE(p.flush(flush({alert(kPolicy), alert(kWorkflow)}, t0_ + 6h), {}));
  EXPECT_EQ(n->calls().size(), 2u);
}

TEST_F(PipelineTest, AcknowledgingTellsOnlyIntegrationsWithAnOpenIncident) {
  auto pager = std::make_shared<ScriptedNotifier>(true, "pagerduty");
  auto hook = std::make_shared<ScriptedNotifier>(true, "webhook");
  Pipeline p = pipeline({pager, hook});
  // Never told: nothing to acknowledge there.
  EXPECT_TRUE(p.acknowledge(flush({alert(kPolicy)}, t0_), {}));
  EXPECT_TRUE(pager->acknowledged().empty());

  ASSERT_TRUE(p.flush(flush({alert(kPolicy)}, t0_), {}));
  EXPECT_TRUE(p.acknowledge(flush({alert(kPolicy), alert(kWorkflow, true)}, t0_ + 1min), {}));
  auto acked = pager->acknowledged();
  ASSERT_EQ(acked.size(), 1u);
  EXPECT_EQ(acked[0].context.group_key, "{}:{alertname=\"HighErrorRate\"}");
  ASSERT_EQ(acked[0].alerts.size(), 1u);  // the firing ones
  EXPECT_EQ(acked[0].alerts[0].labels, kPolicy);
  EXPECT_TRUE(hook->acknowledged().empty());  // a webhook has no such notion

  // Told that all resolved: the incident is closed; nothing to acknowledge.
  ASSERT_TRUE(p.flush(flush({alert(kPolicy, true)}, t0_ + 2min), {}));
  EXPECT_TRUE(p.acknowledge(flush({alert(kPolicy)}, t0_ + 3min), {}));
  EXPECT_EQ(pager->acknowledged().size(), 1u);
}

class EscalationTest : public PipelineTest {
 protected:
  void SetUp() override {
    load(R"(route:
  receiver: team
  group_by: [alertname]
  repeat_interval: 4h
  escalation:
    - {after: 15m, receiver: lead}
    - {after: 45m, receiver: manager, repeat: 30m}
receivers: [{name: team}, {name: lead}, {name: manager}]
)");
  }

  Pipeline escalating() {
    Pipeline::Parts p = parts({team_});
    p.receivers.emplace("lead", std::vector<ReceiverIntegration>{
                                    {NotificationTarget{"lead", "webhook", 0}, lead_}});
    p.receivers.emplace("manager", std::vector<ReceiverIntegration>{
                                       {NotificationTarget{"manager", "webhook", 0}, manager_}});
    p.escalations = escalations_;
    return Pipeline(std::move(p));
  }

  // How many notifications team, lead and manager have had.
  std::vector<std::size_t> told() const {
    return {team_->calls().size(), lead_->calls().size(), manager_->calls().size()};
  }
  using Told = std::vector<std::size_t>;

  std::shared_ptr<ScriptedNotifier> team_ = std::make_shared<ScriptedNotifier>();
  std::shared_ptr<ScriptedNotifier> lead_ = std::make_shared<ScriptedNotifier>();
  std::shared_ptr<ScriptedNotifier> manager_ = std::make_shared<ScriptedNotifier>();
};

// Each step once its delay has passed since the group first fired (at the
// next flush), once unless it has a repeat; every step told hears the
// resolve; the next firing starts the count again.
TEST_F(EscalationTest, EachStepIsNotifiedWhenDueAndHearsTheResolve) {
  Pipeline p = escalating();
  auto at_minute = [&](int minutes, bool resolved = false) {
    return p.flush(flush({alert(kPolicy, resolved)}, t0_ + std::chrono::minutes(minutes)), {});
  };
  ASSERT_TRUE(at_minute(0));
  EXPECT_EQ(told(), (Told{1, 0, 0}));
  ASSERT_TRUE(at_minute(10));
  EXPECT_EQ(told(), (Told{1, 0, 0}));
  ASSERT_TRUE(at_minute(15));
  EXPECT_EQ(told(), (Told{1, 1, 0}));
  EXPECT_EQ(lead_->calls()[0].context.receiver, "lead");
  ASSERT_TRUE(at_minute(40));
  EXPECT_EQ(told(), (Told{1, 1, 0}));
  ASSERT_TRUE(at_minute(45));
  EXPECT_EQ(told(), (Told{1, 1, 1}));
  ASSERT_TRUE(at_minute(74));
  EXPECT_EQ(told(), (Told{1, 1, 1}));
  ASSERT_TRUE(at_minute(76));  // the manager's step repeats every 30m
  EXPECT_EQ(told(), (Told{1, 1, 2}));

  ASSERT_TRUE(at_minute(80, true));
  EXPECT_EQ(told(), (Told{2, 2, 3}));
  EXPECT_FALSE(escalations_->first_fired(flush({}, t0_).group_key));

  // A new episode: the steps wait their delays again.
  Timestamp again = t0_ + 2h;
  ASSERT_TRUE(p.flush(flush({alert(kPolicy)}, again), {}));
  EXPECT_EQ(told(), (Told{3, 2, 3}));
  ASSERT_TRUE(p.flush(flush({alert(kPolicy)}, again + 14min), {}));
  EXPECT_EQ(told(), (Told{3, 2, 3}));
  ASSERT_TRUE(p.flush(flush({alert(kPolicy)}, again + 15min), {}));
  EXPECT_EQ(told(), (Told{3, 3, 3}));
}

TEST_F(EscalationTest, AnAcknowledgementHoldsTheNextStepBack) {
  Pipeline p = escalating();
  Flush first = flush({alert(kPolicy)}, t0_);
  ASSERT_TRUE(p.flush(first, {}));
  auto ack = acks_->add(Acknowledgement{.id = "",
                                        .fingerprint = 0,
                                        .group_key = first.group_key,
                                        .covered = {kPolicy.fingerprint()},
                                        .labels = first.group_labels,
                                        .by = "alice",
                                        .comment = "",
                                        .created_at = {},
                                        .expires_at = {}},
                        t0_ + 5min);
  ASSERT_TRUE(ack);
  ASSERT_TRUE(p.flush(flush({alert(kPolicy)}, t0_ + 20min), {}));
  EXPECT_EQ(told(), (Told{1, 0, 0}));
  ASSERT_TRUE(acks_->remove(ack->id, "alice", t0_ + 25min));
  // Overdue: taken at the next flush.
  ASSERT_TRUE(p.flush(flush({alert(kPolicy)}, t0_ + 26min), {}));
  EXPECT_EQ(told(), (Told{1, 1, 0}));
}

// What a restart keeps (the episode and the notification log) is enough:
// a step already taken is not taken again, the next one comes on time.
TEST_F(EscalationTest, ARestartBetweenStepsNeitherRepeatsNorSkipsOne) {
  {
    Pipeline before = escalating();
    ASSERT_TRUE(before.flush(flush({alert(kPolicy)}, t0_), {}));
    ASSERT_TRUE(before.flush(flush({alert(kPolicy)}, t0_ + 15min), {}));
  }
  ASSERT_EQ(told(), (Told{1, 1, 0}));
  auto started = escalations_->first_fired(flush({}, t0_).group_key);
  ASSERT_TRUE(started);
  escalations_ = std::make_shared<Escalations>();
  escalations_->restore({{flush({}, t0_).group_key, *started}});
  Pipeline after = escalating();
  ASSERT_TRUE(after.flush(flush({alert(kPolicy)}, t0_ + 30min), {}));
  EXPECT_EQ(told(), (Told{1, 1, 0}));
  ASSERT_TRUE(after.flush(flush({alert(kPolicy)}, t0_ + 45min), {}));
  EXPECT_EQ(told(), (Told{1, 1, 1}));
}

}  // namespace
}  // namespace tocsin::dispatch
