// The JSON-lines snapshots an older tocsin left in its storage directory
// are imported into the store once, on the first start with it; a record
// that does not read stops the start with FILE:LINE, before anything is
// written.
#include "dispatch/snapshot_import.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "dispatch/notification_log.h"
#include "dispatch/silences.h"
#include "store/sqlite_store.h"
#include "support/fake_clock.h"
#include "support/temp_dir.h"

namespace tocsin::dispatch {
namespace {

using test::at;

// Lines as tocsin's FileSnapshotStore wrote them.
const char* const kSilences =
    R"({"comment":"maintenance","createdBy":"alice","endsAt":"2024-05-01T13:00:00.5Z",)"
    R"("expiresAt":"2024-05-06T13:00:00.5Z","id":"00000000-0000-4000-8000-000000000001",)"
    R"("matchers":[{"name":"job","pattern":"api\nx","type":"="},{"name":"env","pattern":"prod|st\"age","type":"=~"}],)"
    R"("startsAt":"2024-05-01T12:00:00.5Z","updatedAt":"2024-05-01T12:00:00.5Z"})"
    "\n"
    R"({"comment":"","createdBy":"bob","endsAt":"2024-05-01T14:00:00Z",)"
    R"("expiresAt":"2024-05-06T14:00:00Z","id":"00000000-0000-4000-8000-000000000002",)"
    R"("matchers":[{"name":"team","pattern":"x","type":"!="}],)"
    R"("startsAt":"2024-05-01T13:00:00Z","updatedAt":"2024-05-01T12:00:00Z"})"
    "\n";
const char* const kNflog =
    R"({"expiresAt":"2024-05-01T20:00:00.25Z","firingAlerts":["0000000000001a2b","ffffffffffffffff"],)"
    R"("groupKey":"{}/{team=\"x\"}:{alertname=\"Down\"}","index":1,"integration":"slack",)"
    R"("receiver":"team-x","resolvedAlerts":[],"timestamp":"2024-05-01T12:00:00.25Z"})"
    "\n";

class SnapshotImportTest : public ::testing::Test {
 protected:
  std::unique_ptr<store::Store> open() {
    auto store = store::open_sqlite_store(dir_.file("tocsin.db"));
    EXPECT_TRUE(store) << store.error().message();
    return store ? std::move(*store) : nullptr;
  }

  test::TempDir dir_{"import"};
};

TEST_F(SnapshotImportTest, SnapshotImport_WritesBothSnapshotsIntoTheStoreOnce) {
  dir_.write("silences.jsonl", kSilences);
  dir_.write("nflog.jsonl", kNflog);
  auto store = open();
  ASSERT_TRUE(store);
  auto imported = import_snapshots(dir_.path(), *store);
  ASSERT_TRUE(imported) << imported.error().to_string();
  EXPECT_EQ(*imported, 3u);
  EXPECT_FALSE(std::filesystem::exists(dir_.file("silences.jsonl")));
  EXPECT_TRUE(std::filesystem::exists(dir_.file("silences.jsonl.imported")));
  EXPECT_TRUE(std::filesystem::exists(dir_.file("nflog.jsonl.imported")));

  auto state = store->load();
  ASSERT_TRUE(state);
  Silences silences;
  ASSERT_TRUE(silences.restore(state->silences));
  auto first = silences.get("00000000-0000-4000-8000-000000000001");
  ASSERT_TRUE(first);
  EXPECT_EQ(to_string(first->matchers), R"({job="api\nx",env=~"prod|st\"age"})");
  EXPECT_EQ(first->ends_at, at("2024-05-01T13:00:00.5Z"));
  EXPECT_EQ(silences.counts(at("2024-05-01T12:30:00Z")).pending, 1u);
  EXPECT_EQ(silences.collect_garbage(at("2024-05-06T13:00:00.5Z")), 1u);  // expiresAt kept

  NotificationLog log;
  log.restore(state->notifications);
  auto entry = log.query({"team-x", "slack", 1}, R"({}/{team="x"}:{alertname="Down"})");
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->firing_alerts, (std::vector<std::uint64_t>{0x1a2b, 0xffffffffffffffffULL}));
  EXPECT_EQ(entry->timestamp, at("2024-05-01T12:00:00.25Z"));
  EXPECT_EQ(entry->expires_at, at("2024-05-01T20:00:00.25Z"));

  // The next start finds nothing to import.
  auto again = import_snapshots(dir_.path(), *store);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0u);
}

TEST_F(SnapshotImportTest, SnapshotImport_NothingToImportWithoutSnapshots) {
  auto store = open();
  ASSERT_TRUE(store);
  auto imported = import_snapshots(dir_.path(), *store);
  ASSERT_TRUE(imported);
  EXPECT_EQ(*imported, 0u);
}

TEST_F(SnapshotImportTest, SnapshotImport_ARecordThatDoesNotReadStopsTheStartAtItsLine) {
  dir_.write("silences.jsonl", kSilences);
  dir_.write("nflog.jsonl",
             std::string(kNflog) +
                 R"({"groupKey":"g","receiver":"r","integration":"slack","index":0,)"
                 R"("timestamp":"2024-05-01T12:00:00Z","expiresAt":"2024-05-01T12:00:00Z",)"
                 R"("firingAlerts":["xyz"],"resolvedAlerts":[]})"
                 "\n");
  auto store = open();
  ASSERT_TRUE(store);
  auto imported = import_snapshots(dir_.path(), *store);
  ASSERT_FALSE(imported);
  EXPECT_EQ(imported.error().to_string(),
            dir_.file("nflog.jsonl") + R"(:2:1: firingAlerts: bad hash "xyz")");
  // Nothing written, nothing renamed: fix the file and start again.
  EXPECT_TRUE(store->load()->silences.empty());
  EXPECT_TRUE(std::filesystem::exists(dir_.file("silences.jsonl")));

  dir_.write("silences.jsonl", R"({"id":"x","matchers":[{"type":"=~","name":"a","pattern":"("}]})"
                               "\n");
  EXPECT_EQ(import_snapshots(dir_.path(), *store).error().to_string(),
            dir_.file("silences.jsonl") + ":1:1: createdBy missing");
}

}  // namespace
}  // namespace tocsin::dispatch
