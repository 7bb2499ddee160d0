// What a restart keeps of a rule's alerts: firing and resolved ones as they
// were, pending ones with Prometheus's `for` rules (outage tolerance, grace
// period, the outage not counting towards `for`).
#include "rules/restore.h"

#include <cmath>

#include <gtest/gtest.h>

#include "rule_times.h"

namespace tocsin::rules {
namespace {

using namespace std::chrono_literals;

using test::kT0;
const RestorePolicy kPolicy{.outage_tolerance = 1h, .grace_period = 10min};

Alert alert(AlertState state, Timestamp active_at) {
  Alert a;
  a.labels = Labels{{"alertname", "HighErrors"}, {"job", "api"}};
  a.annotations = Labels{{"summary", "api is failing"}};
  a.state = state;
  a.active_at = active_at;
  a.value = 12;
  if (state == AlertState::kFiring) a.fired_at = active_at + 30min;
  return a;
}

TEST(Restore, Restore_AFiringAlertStaysFiringWhateverTheOutage) {
  Alert firing = alert(AlertState::kFiring, kT0);
  firing.keep_firing_since = kT0 + 40min;
  // Down for a day, longer than the tolerance, `for` shorter than the grace
  // period: still firing, times unchanged.
  auto kept = restore_alert(firing, 1min, kT0 + 45min, kT0 + 24h, kPolicy);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->state, AlertState::kFiring);
  EXPECT_EQ(kept->active_at, kT0);
  EXPECT_EQ(kept->fired_at, kT0 + 30min);
  EXPECT_EQ(kept->keep_firing_since, kT0 + 40min);
  EXPECT_TRUE(restore_alert(firing, 1h, std::nullopt, kT0 + 2h, kPolicy));
}

TEST(Restore, Restore_AResolvedAlertIsKeptSoItsResolveIsSent) {
  Alert resolved = alert(AlertState::kInactive, kT0);
  resolved.resolved_at = kT0 + 50min;
  auto kept = restore_alert(resolved, 30min, std::nullopt, kT0 + 55min, kPolicy);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->resolved_at, kT0 + 50min);
}

TEST(Restore, Restore_APendingAlertKeepsTheTimeItSpentPendingButNotTheOutage) {
  // for: 1h; pending 20 minutes at the last evaluation; down 5 minutes.
  auto kept =
      restore_alert(alert(AlertState::kPending, kT0), 1h, kT0 + 20min, kT0 + 25min, kPolicy);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->state, AlertState::kPending);
  EXPECT_EQ(kept->active_at, kT0 + 5min);
  // So it fires 40 minutes after the first evaluation, as it would have 40
  // minutes after the last one.
  EXPECT_EQ(kept->active_at + 1h, kT0 + 25min + 40min);
}

TEST(Restore, Restore_APendingAlertNearlyDueWaitsTheGracePeriod) {
  // for: 30m; pending 25 minutes: 5 left, less than the 10 minute grace.
  auto kept =
      restore_alert(alert(AlertState::kPending, kT0), 30min, kT0 + 25min, kT0 + 26min, kPolicy);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->active_at + 30min, kT0 + 26min + 10min);  // fires one grace period on
}

TEST(Restore, Restore_APendingAlertAlreadyDueFiresAtTheFirstEvaluation) {
  auto kept =
      restore_alert(alert(AlertState::kPending, kT0), 30min, kT0 + 30min, kT0 + 31min, kPolicy);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->active_at, kT0);
}

TEST(Restore, Restore_APendingAlertStartsOverAfterALongOutageOrAShortFor) {
  Alert pending = alert(AlertState::kPending, kT0);
  // Down longer than the tolerance.
  EXPECT_FALSE(restore_alert(pending, 2h, kT0 + 20min, kT0 + 20min + 1h + 1ms, kPolicy));
  EXPECT_TRUE(restore_alert(pending, 2h, kT0 + 20min, kT0 + 20min + 1h, kPolicy));
  // `for` shorter than the grace period: waiting it anew is quicker.
  EXPECT_FALSE(restore_alert(pending, 9min, kT0 + 5min, kT0 + 6min, kPolicy));
  // No evaluation time stored: nothing to measure the outage from.
  EXPECT_FALSE(restore_alert(pending, 2h, std::nullopt, kT0 + 6min, kPolicy));
}

TEST(Restore, Restore_AlertRowRoundTripsWhatIsStored) {
  Alert a = alert(AlertState::kFiring, kT0);
  a.value = std::nan("");
  a.last_sent_at = kT0 + 31min;  // not stored: sent again after a restart
  a.valid_until = kT0 + 35min;
  store::RuleAlertRow row = alert_row("rules.yml;api", "HighErrors{}#0", "HighErrors", a);
  EXPECT_EQ(row.fingerprint, a.labels.fingerprint());
  EXPECT_EQ(row.rule, "HighErrors");
  Alert back = alert_from_row(row);
  EXPECT_EQ(back.labels, a.labels);
  EXPECT_EQ(back.annotations, a.annotations);
  EXPECT_EQ(back.state, a.state);
  EXPECT_EQ(back.active_at, a.active_at);
  EXPECT_EQ(back.fired_at, a.fired_at);
  EXPECT_TRUE(std::isnan(back.value));
  EXPECT_EQ(back.last_sent_at, Timestamp{});
  EXPECT_EQ(back.valid_until, Timestamp{});
}

}  // namespace
}  // namespace tocsin::rules
