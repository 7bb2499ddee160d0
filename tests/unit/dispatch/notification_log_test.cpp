#include "dispatch/notification_log.h"

#include <filesystem>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/fake_clock.h"

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

TEST_F(NotificationLogTest, NotificationLog_SnapshotAndRestoreKeepEveryEntry) {
  log_.log(kSlack, kGroup, {1, 0xffffffffffffffffULL}, {3}, 8h, clock_.now());
  log_.log(kWebhook, "{}:{}", {}, {}, 0ms, clock_.now() + 1s);
  MemorySnapshotStore store;
  ASSERT_TRUE(log_.snapshot(store).has_value());

  NotificationLog restored(120h);
  ASSERT_TRUE(restored.restore(store).has_value());
  EXPECT_EQ(restored.size(), 2u);
  EXPECT_EQ(restored.query(kSlack, kGroup), log_.query(kSlack, kGroup));
  EXPECT_EQ(restored.query(kWebhook, "{}:{}"), log_.query(kWebhook, "{}:{}"));
}

TEST_F(NotificationLogTest, NotificationLog_SnapshotRecordIsOneLineOfJson) {
  NotificationLogEntry e{.group_key = std::string(kGroup),
                         .target = kSlack2,
                         .timestamp = at("2024-05-01T12:00:00.25Z"),
                         .firing_alerts = {0x1a2b, 0xffffffffffffffffULL},
                         .resolved_alerts = {},
                         .expires_at = at("2024-05-01T20:00:00.25Z")};
  std::string record = encode_notification_record(e);
  EXPECT_EQ(
      record,
      R"({"expiresAt":"2024-05-01T20:00:00.25Z","firingAlerts":["0000000000001a2b","ffffffffffffffff"],)"
      R"("groupKey":"{}/{team=\"x\"}:{alertname=\"Down\"}","index":1,"integration":"slack",)"
      R"("receiver":"team-x","resolvedAlerts":[],"timestamp":"2024-05-01T12:00:00.25Z"})");
  auto decoded = decode_notification_record(record);
  ASSERT_TRUE(decoded.has_value()) << decoded.error().message();
  EXPECT_EQ(*decoded, e);
}

TEST_F(NotificationLogTest, NotificationLog_RestoreOfABadSnapshotChangesNothing) {
  log_.log(kSlack, kGroup, {1}, {}, 0ms, clock_.now());
  MemorySnapshotStore store;
  ASSERT_TRUE(store
                  .save({R"({"groupKey":"g","receiver":"r","integration":"slack","index":0,)"
                         R"("timestamp":"2024-05-01T12:00:00Z","expiresAt":"2024-05-01T12:00:00Z",)"
                         R"("firingAlerts":["xyz"],"resolvedAlerts":[]})"})
                  .has_value());
  auto restored = log_.restore(store);
  ASSERT_FALSE(restored.has_value());
  EXPECT_EQ(restored.error().message(),
            R"(notification log snapshot record 1: firingAlerts: bad hash "xyz")");
  EXPECT_TRUE(log_.query(kSlack, kGroup).has_value());
  EXPECT_EQ(decode_notification_record("{}").error().message(), "groupKey missing");
}

TEST_F(NotificationLogTest, NotificationLog_SnapshotToAFileSurvivesARestart) {
  auto path =
      std::filesystem::temp_directory_path() /
      fmt::format("tocsin-nflog-{}.jsonl", ::testing::UnitTest::GetInstance()->random_seed());
  log_.log(kSlack, kGroup, {1, 2}, {3}, 0ms, clock_.now());
  FileSnapshotStore file(path.string());
  ASSERT_TRUE(log_.snapshot(file).has_value());
  NotificationLog restarted(120h);
  ASSERT_TRUE(restarted.restore(file).has_value());
  EXPECT_EQ(restarted.query(kSlack, kGroup), log_.query(kSlack, kGroup));
  // Saving again replaces the file as a whole.
  NotificationLog empty(120h);
  ASSERT_TRUE(empty.snapshot(file).has_value());
  EXPECT_TRUE(file.load()->empty());
  std::filesystem::remove(path);
}

TEST(FileSnapshotStore, RefusesRecordsWithNewlinesAndReportsUnwritablePaths) {
  auto path = std::filesystem::temp_directory_path() / "tocsin-snapshot-newline.jsonl";
  FileSnapshotStore file(path.string());
  EXPECT_FALSE(file.save({"a\nb"}).has_value());
  FileSnapshotStore nowhere("/nonexistent-dir/x/snapshot.jsonl");
  auto saved = nowhere.save({"{}"});
  ASSERT_FALSE(saved.has_value());
  EXPECT_TRUE(
      saved.error().message().starts_with("cannot create /nonexistent-dir/x/snapshot.jsonl."))
      << saved.error().message();
  EXPECT_TRUE(nowhere.load()->empty());  // nothing saved yet
}

}  // namespace
}  // namespace tocsin::dispatch
