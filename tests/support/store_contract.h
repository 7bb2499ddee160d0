// What every Store backend must do alike (store/store.h): read back what
// it wrote, after a reopen too; replace and delete by key; purge what
// expired; read the history newest first with every filter, page it with a
// cursor, purge it in chunks without ever giving an id twice.
//
// The tests are value-parameterised on a factory of fresh, empty stores:
// tests/unit/store instantiates them for SQLite, tests/integration/store
// for PostgreSQL. The rows below are what they write; the backends' own
// tests use them too.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include <gtest/gtest.h>

#include <tocsin/alert.h>
#include <tocsin/labels.h>
#include <tocsin/time.h>

#include "store/store.h"
#include "support/fake_clock.h"

namespace tocsin::test {

// One empty database of the backend under test, opened as often as a test
// asks (the previous store is destroyed first).
class StoreUnderTest {
 public:
  virtual ~StoreUnderTest() = default;
  virtual std::unique_ptr<store::Store> open() = 0;
};

// A backend: its name (the tests' suffix) and how to make a fresh database.
struct StoreBackend {
  std::string name;
  std::function<std::unique_ptr<StoreUnderTest>()> make;

  friend void PrintTo(const StoreBackend& backend, std::ostream* out) { *out << backend.name; }
};

class StoreContractTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override { database_ = GetParam().make(); }
  std::unique_ptr<store::Store> open() {
    auto store = database_->open();
    EXPECT_TRUE(store != nullptr);
    return store;
  }

 private:
  std::unique_ptr<StoreUnderTest> database_;
};

namespace store_rows {

using namespace tocsin::store;

inline SilenceRow silence(std::string id) {
  return SilenceRow{.id = std::move(id),
                    .matchers = {{"=", "alertname", "ServiceDown"}, {"=~", "env", "prod|stage"}},
                    .starts_at = test::at("2024-05-01T12:00:00Z"),
                    .ends_at = test::at("2024-05-01T14:00:00.250Z"),
                    .updated_at = test::at("2024-05-01T12:00:00Z"),
                    .created_by = "ops",
                    .comment = "maintenance \"window\" ünïcode",
                    .expires_at = test::at("2024-05-06T14:00:00.250Z")};
}

inline NotificationRow notification(std::string group_key) {
  return NotificationRow{.group_key = std::move(group_key),
                         .receiver = "team",
                         .integration = "webhook",
                         .index = 1,
                         .timestamp = test::at("2024-05-01T12:00:30Z"),
                         .firing_alerts = {0x0123456789abcdefULL, 0xffffffffffffffffULL},
                         .resolved_alerts = {42},
                         .expires_at = test::at("2024-05-06T12:00:30Z")};
}

inline RuleAlertRow rule_alert(std::string rule_key, std::uint64_t fingerprint, AlertState state) {
  return RuleAlertRow{
      .group_key = "rules/api.yml;api",
      .rule_key = std::move(rule_key),
      .fingerprint = fingerprint,
      .rule = "HighErrors",
      .labels = Labels{{"alertname", "HighErrors"}, {"service", "api \"x\""}},
      .annotations = Labels{{"summary", "api has 10 errors"}},
      .state = state,
      .active_at = test::at("2024-05-01T12:00:00Z"),
      .fired_at = state == AlertState::kFiring ? test::at("2024-05-01T12:05:00Z") : Timestamp{},
      .resolved_at = {},
      .keep_firing_since = {},
      .value = 10.5};
}

inline AlertRow posted_alert(std::uint64_t fingerprint, Timestamp ends_at) {
  return AlertRow{.fingerprint = fingerprint,
                  .labels = Labels{{"alertname", "Down"}, {"instance", "a:9100"}},
                  .annotations = Labels{{"summary", "a:9100 is down"}},
                  .starts_at = test::at("2024-05-01T12:00:00Z"),
                  .ends_at = ends_at,
                  .updated_at = test::at("2024-05-01T12:01:00Z"),
                  .generator_url = "http://prometheus:9090/graph?g0.expr=up",
                  .timeout = true,
                  .source = "api"};
}

inline HistoryRow event(Timestamp when, std::string kind, std::string state, Labels labels = {}) {
  HistoryRow row;
  row.at = when;
  row.kind = std::move(kind);
  row.state = std::move(state);
  row.labels = std::move(labels);
  row.details = R"({"k":1})";
  return row;
}

}  // namespace store_rows
}  // namespace tocsin::test
