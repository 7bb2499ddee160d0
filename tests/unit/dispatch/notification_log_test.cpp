#include "dispatch/notification_log.h"

#include <filesystem>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "store/sqlite_store.h"
#include "support/fake_clock.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace tocsin::dispatch {
namespace {

using namespace std::chrono_literals;
using test::at;
using test::FakeClock;

const NotificationTarget kSlack{"team-x", "slack", 0};
const NotificationTarget kSlack2{"team-x", "slack", 1};
const NotificationTarget kWebhook{"team-x", "webhook", 0};
constexpr std::string_view kGroup = R"({}/{team="x"}:{alertname="Down"})";

class NotificationLogTest : public ::testing::Test {
 protected:
  FakeClock clock_;
  NotificationLog log_{120h};
};

TEST_F(NotificationLogTest, NotificationLog_RemembersTheLastNotificationPerIntegrationAndGroup) {
  EXPECT_FALSE(log_.query(kSlack, kGroup).has_value());
  log_.log(kSlack, kGroup, {1, 2}, {3}, 0ms, clock_.now());

  auto entry = log_.query(kSlack, kGroup);
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(entry->group_key, kGroup);
  EXPECT_EQ(entry->target, kSlack);
  EXPECT_EQ(entry->timestamp, clock_.now());
  EXPECT_EQ(entry->firing_alerts, (std::vector<std::uint64_t>{1, 2}));
  EXPECT_EQ(entry->resolved_alerts, (std::vector<std::uint64_t>{3}));
  EXPECT_EQ(entry->expires_at, clock_.now() + 120h);

  // Another index, integration or group is another entry.
  EXPECT_FALSE(log_.query(kSlack2, kGroup).has_value());
  EXPECT_FALSE(log_.query(kWebhook, kGroup).has_value());
  EXPECT_FALSE(log_.query(kSlack, "{}:{}").has_value());
  EXPECT_FALSE(log_.query({"team-y", "slack", 0}, kGroup).has_value());
}

TEST_F(NotificationLogTest, NotificationLog_ANewerLogReplacesTheEntry) {
  log_.log(kSlack, kGroup, {1, 2}, {}, 0ms, clock_.now());
  clock_.advance(5min);
  log_.log(kSlack, kGroup, {2}, {1}, 0ms, clock_.now());
  auto entry = log_.query(kSlack, kGroup);
  EXPECT_EQ(entry->timestamp, clock_.now());
  EXPECT_EQ(entry->firing_alerts, std::vector<std::uint64_t>{2});
  EXPECT_EQ(entry->resolved_alerts, std::vector<std::uint64_t>{1});
  EXPECT_EQ(log_.size(), 1u);
}

TEST_F(NotificationLogTest, NotificationLog_ALogInTheSameMillisecondStillWins) {
  log_.log(kSlack, kGroup, {1}, {}, 0ms, clock_.now());
  log_.log(kSlack, kGroup, {}, {1}, 0ms, clock_.now());
  EXPECT_EQ(log_.query(kSlack, kGroup)->resolved_alerts, std::vector<std::uint64_t>{1});
}

TEST_F(NotificationLogTest, NotificationLog_AnOlderLogIsIgnored) {
  log_.log(kSlack, kGroup, {1}, {}, 0ms, clock_.now());
  log_.log(kSlack, kGroup, {2}, {}, 0ms, clock_.now() - 1s);
  EXPECT_EQ(log_.query(kSlack, kGroup)->firing_alerts, std::vector<std::uint64_t>{1});
}

TEST_F(NotificationLogTest, NotificationLog_ExpiryShorterThanRetentionWins) {
  // The pipeline asks for twice the repeat interval.
  log_.log(kSlack, kGroup, {1}, {}, 8h, clock_.now());
  EXPECT_EQ(log_.query(kSlack, kGroup)->expires_at, clock_.now() + 8h);
  log_.log(kWebhook, kGroup, {1}, {}, 200h, clock_.now());
  EXPECT_EQ(log_.query(kWebhook, kGroup)->expires_at, clock_.now() + 120h);
}

TEST_F(NotificationLogTest, NotificationLog_GarbageCollectionDropsExpiredEntries) {
  log_.log(kSlack, kGroup, {1}, {}, 8h, clock_.now());
  log_.log(kWebhook, kGroup, {1}, {}, 0ms, clock_.now());
  EXPECT_EQ(log_.collect_garbage(clock_.now() + 8h - 1ms), 0u);
  EXPECT_EQ(log_.collect_garbage(clock_.now() + 8h), 1u);
  EXPECT_FALSE(log_.query(kSlack, kGroup).has_value());
  EXPECT_TRUE(log_.query(kWebhook, kGroup).has_value());
  EXPECT_EQ(log_.collect_garbage(clock_.now() + 120h), 1u);
  EXPECT_EQ(log_.size(), 0u);
}

TEST(NotificationLogEntry, SubsetsAreAsNflogpbComputesThem) {
  NotificationLogEntry e{.group_key = "g",
                         .target = kSlack,
                         .timestamp = {},
                         .firing_alerts = {1, 2, 3},
                         .resolved_alerts = {4},
                         .expires_at = {}};
  EXPECT_TRUE(e.is_firing_subset({}));
  EXPECT_TRUE(e.is_firing_subset({1, 3}));
  EXPECT_TRUE(e.is_firing_subset({1, 2, 3}));
  EXPECT_FALSE(e.is_firing_subset({1, 4}));
  EXPECT_TRUE(e.is_resolved_subset({4}));
  EXPECT_TRUE(e.is_resolved_subset({}));
  EXPECT_FALSE(e.is_resolved_subset({1}));
}

TEST_F(NotificationLogTest, NotificationLog_RestoreFromStoredRowsKeepsEveryEntry) {
  log_.log(kSlack, kGroup, {1, 0xffffffffffffffffULL}, {3}, 8h, clock_.now());
  log_.log(kWebhook, "{}:{}", {}, {}, 0ms, clock_.now() + 1s);
  std::vector<store::NotificationRow> rows;
  for (const auto& [target, group] :
       {std::pair{kSlack, std::string(kGroup)}, std::pair{kWebhook, std::string("{}:{}")}}) {
    rows.push_back(notification_row(*log_.query(target, group)));
  }
  NotificationLog restored(120h);
  restored.restore(rows);
  EXPECT_EQ(restored.size(), 2u);
  EXPECT_EQ(restored.query(kSlack, kGroup), log_.query(kSlack, kGroup));
  EXPECT_EQ(restored.query(kWebhook, "{}:{}"), log_.query(kWebhook, "{}:{}"));
}

TEST_F(NotificationLogTest, NotificationLog_EveryEntryIsWrittenAndCanBeWaitedFor) {
  test::TempDir dir("nflog");
  std::string path = dir.file("tocsin.db");
  {
    auto opened = store::open_sqlite_store(path);
    ASSERT_TRUE(opened) << opened.error().message();
    auto journal = std::make_shared<store::Writer>(std::move(*opened), store::Writer::Options{});
    NotificationLog log(120h, journal);
    store::Writer::Sequence first = log.log(kSlack, kGroup, {1, 2}, {3}, 0ms, clock_.now());
    EXPECT_GT(first, 0u);
    EXPECT_TRUE(log.wait_written(first, 10s));
    store::Writer::Sequence second = log.log(kWebhook, kGroup, {1}, {}, 0ms, clock_.now() + 1min);
    EXPECT_GT(second, first);
    // Older than what is held (clock skew): nothing changes, nothing to wait for.
    EXPECT_EQ(log.log(kSlack, kGroup, {9}, {}, 0ms, clock_.now() - 1min), 0u);
    EXPECT_TRUE(log.wait_written(0, 0ms));
    // Garbage collection is written too, without anyone waiting.
    EXPECT_EQ(log.collect_garbage(clock_.now() + 120h), 1u);
    ASSERT_TRUE(test::wait_until([&] { return journal->pending_changes() == 0; }, 10s));
  }
  auto reopened = store::open_sqlite_store(path);
  ASSERT_TRUE(reopened) << reopened.error().message();
  auto state = (*reopened)->load();
  ASSERT_TRUE(state);
  ASSERT_EQ(state->notifications.size(), 1u);
  EXPECT_EQ(notification_from_row(state->notifications[0]).target, kWebhook);
}

}  // namespace
}  // namespace tocsin::dispatch
