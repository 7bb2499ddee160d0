// Acknowledgements: what each covers, how each ends (removed, resolved,
// expired), that every change is stored with its history event before the
// caller hears of it, and that a restore brings them back.
#include "dispatch/acknowledgements.h"

#include <gtest/gtest.h>

#include "support/alerts.h"
#include "support/fake_clock.h"
#include "support/recording_store.h"
#include "support/wait.h"
#include "two_services.h"

namespace tocsin::dispatch {
namespace {

using namespace std::chrono_literals;
using test::at;

using test::kPolicy;
using test::kWorkflow;
constexpr std::string_view kAcknowledgedGroup = "{}:{alertname=\"HighErrorRate\"}";

class AcknowledgementsTest : public ::testing::Test {
 protected:
  Acknowledgements::Options options() {
    int next = 0;
    return Acknowledgements::Options{
        .journal = journal_,
        .new_id = [next]() mutable { return "ack-" + std::to_string(++next); },
        .max_acknowledgements = 3,
        .durable_timeout = 10s};
  }
  // "kind state by" of each history event and "put ID"/"delete ID" of each
  // row written since the last call.
  std::vector<std::string> written() {
    EXPECT_TRUE(test::wait_until([&] { return journal_->pending_changes() == 0; }, 10s));
    std::vector<std::string> out;
    for (const store::Change& c : recording_->take()) {
      if (const auto* e = std::get_if<store::AppendHistory>(&c)) {
        out.push_back(e->row.kind + " " + e->row.state + " " + e->row.by);
      } else if (const auto* put = std::get_if<store::PutAcknowledgement>(&c)) {
        out.push_back("put " + put->row.id);
      } else if (const auto* del = std::get_if<store::DeleteAcknowledgement>(&c)) {
        out.push_back("delete " + del->id);
      }
    }
    return out;
  }

  static Acknowledgement of_group(std::vector<std::uint64_t> covered, std::string by = "alice") {
    Acknowledgement a;
    a.group_key = std::string(kAcknowledgedGroup);
    a.covered = std::move(covered);
    a.labels = Labels{{"alertname", "HighErrorRate"}};
    a.by = std::move(by);
    a.comment = "on it";
    return a;
  }
  static Acknowledgement of_alert(const Labels& labels, Timestamp expires = {}) {
    Acknowledgement a;
    a.fingerprint = labels.fingerprint();
    a.covered = {labels.fingerprint()};
    a.labels = labels;
    a.by = "bob";
    a.expires_at = expires;
    return a;
  }
  notify::Alert alert(const Labels& labels, bool resolved = false) {
    return test::AlertBuilder(labels).starts(t0_ - 10min).ends(resolved ? t0_ : Timestamp{});
  }

  Timestamp t0_ = at("2024-05-01T12:00:00Z");
  test::RecordingStore* recording_ = new test::RecordingStore;
  std::shared_ptr<store::Writer> journal_ = std::make_shared<store::Writer>(
      std::unique_ptr<store::Store>(recording_), store::Writer::Options{});
};

TEST_F(AcknowledgementsTest, AGroupsAcknowledgementCoversWhatFiredThenInThatGroupOnly) {
  Acknowledgements acks(options());
  auto made = acks.add(of_group({kPolicy.fingerprint()}), t0_);
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_EQ(made->id, "ack-1");
  EXPECT_EQ(made->created_at, t0_);
  EXPECT_EQ(written(), (std::vector<std::string>{"put ack-1", "acknowledgement created alice"}));

  EXPECT_TRUE(acks.covering(kPolicy.fingerprint(), kAcknowledgedGroup, t0_));
  EXPECT_FALSE(acks.covering(kPolicy.fingerprint(), "{}:{other}", t0_));
  EXPECT_FALSE(acks.covering(kWorkflow.fingerprint(), kAcknowledgedGroup, t0_));
  EXPECT_TRUE(acks.covering_any(kPolicy.fingerprint(), t0_));
  std::vector<std::uint64_t> one{kPolicy.fingerprint()};
  std::vector<std::uint64_t> both{kPolicy.fingerprint(), kWorkflow.fingerprint()};
  EXPECT_TRUE(acks.all_covered(one, kAcknowledgedGroup, t0_));
  EXPECT_FALSE(acks.all_covered(both, kAcknowledgedGroup, t0_));
  EXPECT_FALSE(acks.all_covered({}, kAcknowledgedGroup, t0_));
}

TEST_F(AcknowledgementsTest, AnAlertsAcknowledgementCoversItInEveryGroupAndWinsOverTheGroups) {
  Acknowledgements acks(options());
  ASSERT_TRUE(acks.add(of_group({kPolicy.fingerprint()}), t0_));
  ASSERT_TRUE(acks.add(of_alert(kPolicy), t0_ + 1s));
  auto found = acks.covering(kPolicy.fingerprint(), kAcknowledgedGroup, t0_ + 2s);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->by, "bob");
  EXPECT_TRUE(acks.covering(kPolicy.fingerprint(), "{}:{another}", t0_ + 2s));
}

TEST_F(AcknowledgementsTest, RefusesWhatCannotBeAnAcknowledgement) {
  Acknowledgements acks(options());
  using Kind = AcknowledgementError::Kind;
  EXPECT_EQ(acks.add(of_group({}), t0_).error().kind, Kind::kInvalid);
  Acknowledgement both = of_alert(kPolicy);
  both.group_key = "g";
  EXPECT_EQ(acks.add(both, t0_).error().kind, Kind::kInvalid);
  EXPECT_EQ(acks.add(of_alert(kPolicy, t0_), t0_).error().kind, Kind::kInvalid);  // expired
  Acknowledgement long_comment = of_alert(kPolicy);
  long_comment.comment.assign(5000, 'x');
  EXPECT_EQ(acks.add(long_comment, t0_).error().kind, Kind::kInvalid);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(acks.add(of_alert(kPolicy), t0_));
  EXPECT_EQ(acks.add(of_alert(kPolicy), t0_).error().kind, Kind::kTooMany);
  EXPECT_EQ(acks.remove("nope", "x", t0_).error().kind, Kind::kNotFound);
}

TEST_F(AcknowledgementsTest, RemovingEndsItAndSaysWho) {
  Acknowledgements acks(options());
  ASSERT_TRUE(acks.add(of_alert(kPolicy), t0_));
  written();
  auto removed = acks.remove("ack-1", "carol", t0_ + 1min);
  ASSERT_TRUE(removed);
  EXPECT_EQ(removed->by, "bob");  // who made it
  EXPECT_EQ(written(), (std::vector<std::string>{"delete ack-1", "acknowledgement removed carol"}));
  EXPECT_FALSE(acks.covering_any(kPolicy.fingerprint(), t0_ + 1min));
  EXPECT_EQ(acks.remove("ack-1", "carol", t0_ + 1min).error().kind,
            AcknowledgementError::Kind::kNotFound);
}

TEST_F(AcknowledgementsTest, AFlushEndsThoseWhoseAlertsNoLongerFire) {
  Acknowledgements acks(options());
  ASSERT_TRUE(acks.add(of_group({kPolicy.fingerprint(), kWorkflow.fingerprint()}), t0_));
  ASSERT_TRUE(acks.add(of_alert(kWorkflow), t0_));
  written();
  // One of the group's two resolved: the group's goes on; the alert's ends.
  acks.end_resolved(kAcknowledgedGroup, std::vector{alert(kPolicy), alert(kWorkflow, true)},
                    t0_ + 1min);
  EXPECT_EQ(written(), (std::vector<std::string>{"delete ack-2", "acknowledgement ended "}));
  // Another group's flush ends nothing of this group's.
  acks.end_resolved("{}:{other}", std::vector<notify::Alert>{}, t0_ + 2min);
  EXPECT_EQ(acks.list(t0_ + 2min).size(), 1u);
  // Both gone from the group (the resolved one left after its notification).
  acks.end_resolved(kAcknowledgedGroup, std::vector{alert(kPolicy, true)}, t0_ + 3min);
  EXPECT_EQ(written(), (std::vector<std::string>{"delete ack-1", "acknowledgement ended "}));
  EXPECT_TRUE(acks.list(t0_ + 3min).empty());
}

TEST_F(AcknowledgementsTest, CollectingEndsTheExpiredAndThoseOfAlertsGone) {
  Acknowledgements acks(options());
  ASSERT_TRUE(acks.add(of_alert(kPolicy, t0_ + 1h), t0_));
  ASSERT_TRUE(acks.add(of_alert(kWorkflow), t0_));
  ASSERT_TRUE(acks.add(of_group({kWorkflow.fingerprint()}), t0_));
  written();
  // Expired but not yet collected: no longer in force.
  EXPECT_FALSE(acks.covering_any(kPolicy.fingerprint(), t0_ + 1h));
  auto firing = [&](std::uint64_t fp) { return fp == kWorkflow.fingerprint(); };
  EXPECT_EQ(acks.collect(t0_ + 2h, firing), 1u);
  EXPECT_EQ(written(), (std::vector<std::string>{"delete ack-1", "acknowledgement expired "}));
  EXPECT_EQ(acks.collect(t0_ + 3h, [](std::uint64_t) { return false; }), 2u);
  EXPECT_TRUE(acks.list(t0_ + 3h).empty());
}

TEST_F(AcknowledgementsTest, RestoredOnesAreInForceAgain) {
  Acknowledgements acks(options());
  store::AcknowledgementRow group{"g1",
                                  0,
                                  std::string(kAcknowledgedGroup),
                                  {kWorkflow.fingerprint(), kPolicy.fingerprint()},
                                  Labels{{"alertname", "HighErrorRate"}},
                                  "alice",
                                  "restarted",
                                  t0_,
                                  {}};
  acks.restore({group});
  std::vector<std::uint64_t> both{kPolicy.fingerprint(), kWorkflow.fingerprint()};
  EXPECT_TRUE(acks.all_covered(both, kAcknowledgedGroup, t0_ + 1h));
  auto list = acks.list(t0_ + 1h);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].comment, "restarted");
}

}  // namespace
}  // namespace tocsin::dispatch
