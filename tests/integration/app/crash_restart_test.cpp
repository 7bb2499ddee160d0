// The tocsin binary killed with SIGKILL, as a crash or the OOM killer ends
// it, and started again on the same directory: a silence the API accepted
// is still there, and a group a receiver was told about is not told again
// before its repeat_interval; posted alerts are still held, so an alert
// inhibited before the restart stays inhibited after it; the history of
// the incident (GET /api/v1/history, `tocsin history`) is kept. Also: the
// store is refused with the file's name when it cannot be used, the
// JSON-lines snapshots of an older tocsin are imported, and
// --storage.memory forgets everything on restart; a notification being
// retried when the crash came is delivered exactly once after it.
#include <filesystem>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/command.h"
#include "support/http.h"
#include "support/recording_server.h"
#include "support/tocsin_server.h"
#include "support/wait.h"

namespace tocsin::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// The line the pipeline logs (at debug, which TocsinServer runs at) when a
// flush finds the receiver already told: the flush happened, and sent
// nothing.
constexpr std::string_view kAlreadyTold = "Notification not needed: the receiver was already told";

std::size_t count(std::string_view text, std::string_view what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string_view::npos;
       at = text.find(what, at + what.size())) {
    ++n;
  }
  return n;
}

class CrashRestartTest : public ::testing::Test {
 protected:
  void write_config(const std::string& receiver_url = "http://127.0.0.1:1",
                    const std::string& repeat_interval = "10s") {
    tocsin_.write("tocsin.yml", fmt::format(R"(datasource: {{url: 'http://127.0.0.1:1'}}
alerting:
  route:
    receiver: hook
    group_by: [alertname]
    group_wait: 1s
    group_interval: 1s
    repeat_interval: {}
  receivers:
    - name: hook
      webhook_configs: [{{url: '{}/hook', send_resolved: true}}]
  inhibit_rules:
    - source_matchers: [severity="critical"]
      target_matchers: [severity="warning"]
      equal: [service]
)",
                                            repeat_interval, receiver_url));
  }

  void start(std::vector<std::string> flags = {}) {
    Status started = tocsin_.start("tocsin.yml", std::move(flags));
    ASSERT_TRUE(started) << started.error().message();
  }

  HttpResponse post_silence(const std::string& body) {
    return http_post(tocsin_.url() + "/api/v2/silences", body);
  }

  json silence(const std::string& id) {
    return tocsin_.get_json("/api/v2/silence/" + id).value_or(json());
  }

  // Before tocsin_, so that it outlives it: a receiver stopped while
  // tocsin still holds a keep-alive connection to it waits for that
  // connection's timeout.
  RecordingServer receiver_;
  TocsinServer tocsin_;
};

const char* const kSilence = R"({
  "matchers": [{"name": "alertname", "value": "ServiceDown", "isRegex": false, "isEqual": true}],
  "startsAt": "2020-01-01T00:00:00Z", "endsAt": "2100-01-01T00:00:00Z",
  "createdBy": "ops", "comment": "planned maintenance"})";

TEST_F(CrashRestartTest, ASilenceTheApiAcceptedSurvivesSigkill) {
  write_config();
  start();
  HttpResponse created = post_silence(kSilence);
  ASSERT_EQ(created.status, 200) << created.body;
  std::string id = json::parse(created.body)["silenceID"].get<std::string>();

  // No clean stop: the answer above is all the promise there is.
  tocsin_.kill();
  start();
  json kept = silence(id);
  EXPECT_EQ(kept["status"]["state"], "active") << kept.dump();
  EXPECT_EQ(kept["comment"], "planned maintenance");
  EXPECT_EQ(kept["createdBy"], "ops");
  EXPECT_EQ(kept["matchers"][0]["value"], "ServiceDown");

  // Expiring it is kept the same way.
  ASSERT_EQ(http_request("DELETE", tocsin_.url() + "/api/v2/silence/" + id).status, 200);
  tocsin_.kill();
  start();
  EXPECT_EQ(silence(id)["status"]["state"], "expired");
}

// Prometheus re-sends a firing alert every minute, so after a restart the
// alert comes back at once; the notification log says the receiver was
// told, so the first flush sends nothing. Only after repeat_interval (10s
// here) since the first notification does the receiver hear of it again.
TEST_F(CrashRestartTest, ANotifiedGroupIsNotNotifiedAgainBeforeRepeatIntervalAfterSigkill) {
  RecordingServer& receiver = receiver_;
  ASSERT_TRUE(receiver.listening());
  write_config(receiver.url());
  start();
  const std::string alert =
      R"([{"labels":{"alertname":"ServiceDown","service":"api"},"startsAt":"2024-05-01T12:00:00Z"}])";
  ASSERT_EQ(http_post(tocsin_.url() + "/api/v2/alerts", alert).status, 200);
  ASSERT_TRUE(receiver.wait_for_requests(1, kStepTimeout)) << tocsin_.log();
  // A later flush found it already told: the first flush, which writes
  // the notification log before it ends, is over.
  ASSERT_TRUE(wait_until([&] { return count(tocsin_.log(), kAlreadyTold) > 0; }, kStepTimeout))
      << tocsin_.log();

  tocsin_.kill();
  std::size_t before_restart = tocsin_.log().size();
  start();
  ASSERT_EQ(http_post(tocsin_.url() + "/api/v2/alerts", alert).status, 200);
  auto since_restart = [&] { return tocsin_.log().substr(before_restart); };
  ASSERT_TRUE(wait_until([&] { return count(since_restart(), kAlreadyTold) > 0; }, kStepTimeout))
      << since_restart();
  EXPECT_EQ(receiver.request_count(), 1u);

  // repeat_interval still holds after the restart: the reminder comes.
  ASSERT_TRUE(receiver.wait_for_requests(2, kStepTimeout)) << since_restart();
  json reminder = json::parse(receiver.requests()[1].body);
  EXPECT_EQ(reminder["status"], "firing");
  EXPECT_EQ(reminder["alerts"][0]["labels"]["alertname"], "ServiceDown");
}

// No sender re-posts anything after the restart: the alert is there with
// the start it was posted with, as the store held it.
TEST_F(CrashRestartTest, APostedAlertSurvivesSigkill) {
  write_config();
  start();
  const std::string alert =
      R"([{"labels":{"alertname":"DiskFull","service":"db"},"startsAt":"2024-05-01T12:00:00Z",)"
      R"("annotations":{"summary":"disk full"},"generatorURL":"http://prometheus/graph"}])";
  ASSERT_EQ(http_post(tocsin_.url() + "/api/v2/alerts", alert).status, 200);
  ASSERT_TRUE(wait_until([&] { return tocsin_.store_is_idle(); }, kStepTimeout));
  tocsin_.kill();
  start();
  auto alerts = tocsin_.get_json("/api/v2/alerts");
  ASSERT_TRUE(alerts && alerts->size() == 1) << (alerts ? alerts->dump() : tocsin_.log());
  const json& a = (*alerts)[0];
  EXPECT_EQ(a["labels"]["alertname"], "DiskFull");
  EXPECT_EQ(a["startsAt"], "2024-05-01T12:00:00.000Z");
  EXPECT_EQ(a["annotations"]["summary"], "disk full");
  EXPECT_EQ(a["generatorURL"], "http://prometheus/graph");
  EXPECT_EQ(a["status"]["state"], "active");
}

// The critical alert inhibits the warning one of the same service. After
// the restart the warning is re-posted alone (its sender came back before
// the critical one's): the restored critical alert still inhibits it, so
// the receiver never hears of it. A canary alert posted after it shows
// that flushes have happened since.
TEST_F(CrashRestartTest, AnAlertInhibitedBeforeTheRestartIsNotNotifiedAfterIt) {
  RecordingServer& receiver = receiver_;
  ASSERT_TRUE(receiver.listening());
  write_config(receiver.url(), "1h");
  start();
  const std::string critical =
      R"([{"labels":{"alertname":"ServiceDown","service":"api","severity":"critical"}}])";
  const std::string warning =
      R"([{"labels":{"alertname":"HighLatency","service":"api","severity":"warning"}}])";
  ASSERT_EQ(http_post(tocsin_.url() + "/api/v2/alerts", critical).status, 200);
  ASSERT_TRUE(receiver.wait_for_requests(1, kStepTimeout)) << tocsin_.log();
  ASSERT_EQ(http_post(tocsin_.url() + "/api/v2/alerts", warning).status, 200);
  auto warning_state = [&]() -> json {
    auto alerts = tocsin_.get_json("/api/v2/alerts?filter=alertname%3DHighLatency");
    return alerts && alerts->size() == 1 ? (*alerts)[0]["status"] : json();
  };
  ASSERT_TRUE(wait_until([&] { return warning_state()["state"] == "suppressed"; }, kStepTimeout));
  // Committed: a kill before that loses the put (its sender sends it again).
  ASSERT_TRUE(wait_until([&] { return tocsin_.store_is_idle(); }, kStepTimeout));

  tocsin_.kill();
  start();
  // Inhibited from the start, before anything is posted again.
  json restored = warning_state();
  EXPECT_EQ(restored["state"], "suppressed") << restored.dump();
  EXPECT_EQ(restored["inhibitedBy"].size(), 1u) << restored.dump();

  ASSERT_EQ(http_post(tocsin_.url() + "/api/v2/alerts", warning).status, 200);
  const std::string canary = R"([{"labels":{"alertname":"Canary","service":"web"}}])";
  ASSERT_EQ(http_post(tocsin_.url() + "/api/v2/alerts", canary).status, 200);
  ASSERT_TRUE(wait_until(
      [&] {
        for (const RecordedRequest& r : receiver.requests()) {
          if (json::parse(r.body)["groupLabels"]["alertname"] == "Canary") return true;
        }
        return false;
      },
      kStepTimeout))
      << tocsin_.log();
  for (const RecordedRequest& r : receiver.requests()) {
    json body = json::parse(r.body);
    EXPECT_NE(body["groupLabels"]["alertname"], "HighLatency") << r.body;
  }
}

// What happened before the crash is in the history after it, and newer
// events follow it: the API's JSON and the command line's table agree.
TEST_F(CrashRestartTest, TheHistoryOfAnIncidentSurvivesSigkill) {
  RecordingServer& receiver = receiver_;
  ASSERT_TRUE(receiver.listening());
  write_config(receiver.url(), "1h");
  start();
  ASSERT_EQ(http_post(tocsin_.url() + "/api/v2/alerts",
                      R"([{"labels":{"alertname":"ServiceDown","service":"api"}}])")
                .status,
            200);
  ASSERT_TRUE(receiver.wait_for_requests(1, kStepTimeout)) << tocsin_.log();
  auto events = [&](const std::string& query) {
    auto page = tocsin_.get_json("/api/v1/history" + query);
    return page ? (*page)["data"]["events"] : json();
  };
  // The notification's event is recorded once the receiver has answered.
  ASSERT_TRUE(wait_until([&] { return events("?kind=notification").size() == 1; }, kStepTimeout));
  ASSERT_EQ(post_silence(kSilence).status, 200);
  ASSERT_TRUE(wait_until([&] { return tocsin_.store_is_idle(); }, kStepTimeout));

  tocsin_.kill();
  start();
  // The restart's reload is written to the history as the others were:
  // through the store's queue, so it may follow readiness by a moment.
  ASSERT_TRUE(wait_until([&] { return events("").size() >= 5; }, kStepTimeout))
      << events("").dump(2);
  json all = events("");
  std::vector<std::string> seen;
  for (const json& e : all)
    seen.push_back(e["kind"].get<std::string>() + " " + e["state"].get<std::string>());
  // Newest first: the restart's reload, then what came before the kill.
  EXPECT_EQ(seen, (std::vector<std::string>{"reload success", "silence created",
                                            "notification sent", "alert firing", "reload success"}))
      << all.dump(2);

  json sent = events("?kind=notification")[0];
  EXPECT_EQ(sent["receiver"], "hook");
  EXPECT_EQ(sent["integration"], "webhook");
  EXPECT_EQ(sent["groupKey"], "{}:{alertname=\"ServiceDown\"}");
  EXPECT_EQ(sent["details"]["attempt"], 1);
  EXPECT_EQ(sent["details"]["firing"], 1);
  json firing = events("?filter=service%3D%22api%22")[0];
  EXPECT_EQ(firing["kind"], "alert");
  EXPECT_EQ(firing["labels"]["alertname"], "ServiceDown");
  EXPECT_EQ(events("?kind=silence")[0]["by"], "ops");

  CommandResult table =
      run_command({tocsin_binary(), "history", "--url", tocsin_.url(), "--kind", "silence"});
  ASSERT_TRUE(table.success()) << table.output;
  EXPECT_NE(table.stdout_text.find("silence  created"), std::string::npos) << table.output;
  EXPECT_NE(table.stdout_text.find("alertname=\"ServiceDown\""), std::string::npos) << table.output;
  CommandResult as_json = run_command({tocsin_binary(), "history", "--url", tocsin_.url(), "-o",
                                       "json", "--kind", "alert", "alertname=ServiceDown"});
  ASSERT_TRUE(as_json.success()) << as_json.output;
  json printed = json::parse(as_json.stdout_text);
  ASSERT_EQ(printed.size(), 1u) << as_json.stdout_text;
  EXPECT_EQ(printed[0]["kind"], "alert");
  CommandResult bad = run_command(
      {tocsin_binary(), "history", "--url", tocsin_.url(), "--limit", "5", "--from", "yesterday"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.stderr_text.find("400: invalid parameter \"from\""), std::string::npos)
      << bad.output;
}

// The receiver is down (503) and tocsin keeps retrying; SIGKILL in the
// middle of it. Nothing is re-posted: the restored alert is flushed again
// after the restart, and once the receiver is back it gets the
// notification exactly once (a later flush finds it already told).
TEST_F(CrashRestartTest, ANotificationBeingRetriedIsDeliveredExactlyOnceAfterSigkill) {
  RecordingServer& receiver = receiver_;
  ASSERT_TRUE(receiver.listening());
  receiver.respond("/hook", CannedResponse{.status = 503, .body = "down"});
  write_config(receiver.url(), "1h");
  start();
  ASSERT_EQ(http_post(tocsin_.url() + "/api/v2/alerts",
                      R"([{"labels":{"alertname":"ServiceDown","service":"api"}}])")
                .status,
            200);
  ASSERT_TRUE(receiver.wait_for_requests(2, kStepTimeout)) << tocsin_.log();  // retrying
  ASSERT_TRUE(wait_until([&] { return tocsin_.store_is_idle(); }, kStepTimeout));
  tocsin_.kill();

  receiver.clear();
  receiver.respond("/hook", CannedResponse{.status = 200});
  std::size_t before_restart = tocsin_.log().size();
  start();
  auto since_restart = [&] { return tocsin_.log().substr(before_restart); };
  ASSERT_TRUE(receiver.wait_for_requests(1, kStepTimeout)) << since_restart();
  ASSERT_TRUE(wait_until([&] { return count(since_restart(), kAlreadyTold) > 0; }, kStepTimeout))
      << since_restart();
  EXPECT_EQ(receiver.request_count(), 1u);
  json sent = json::parse(receiver.requests()[0].body);
  EXPECT_EQ(sent["status"], "firing");
  EXPECT_EQ(sent["alerts"][0]["labels"]["alertname"], "ServiceDown");

  // The history holds the failed attempts before the crash and the one
  // that got through after it.
  auto history = tocsin_.get_json("/api/v1/history?kind=notification&limit=1000");
  ASSERT_TRUE(history);
  const json& events = (*history)["data"]["events"];
  // (the attempt under way at the kill may not have been recorded)
  ASSERT_GE(events.size(), 2u) << history->dump();
  EXPECT_EQ(events[0]["state"], "sent");
  EXPECT_EQ(events[events.size() - 1]["state"], "failed");
  const json& first = events[events.size() - 1];
  EXPECT_NE(first["details"]["error"].get<std::string>().find("503"), std::string::npos)
      << first.dump();
}

TEST_F(CrashRestartTest, StartsFromTheSnapshotsAnOlderTocsinLeft) {
  write_config();
  tocsin_.write(
      "data/silences.jsonl",
      R"({"comment":"from the old snapshot","createdBy":"ops","endsAt":"2100-01-01T00:00:00Z",)"
      R"("expiresAt":"2100-01-06T00:00:00Z","id":"6b1a5b8e-5a2f-4a4c-9f51-0c1c8a7d2e11",)"
      R"("matchers":[{"name":"alertname","pattern":"ServiceDown","type":"="}],)"
      R"("startsAt":"2020-01-01T00:00:00Z","updatedAt":"2020-01-01T00:00:00Z"})"
      "\n");
  start();
  json imported = silence("6b1a5b8e-5a2f-4a4c-9f51-0c1c8a7d2e11");
  EXPECT_EQ(imported["comment"], "from the old snapshot") << imported.dump();
  EXPECT_TRUE(std::filesystem::exists(tocsin_.dir().file("data/silences.jsonl.imported")));
  EXPECT_FALSE(std::filesystem::exists(tocsin_.dir().file("data/silences.jsonl")));
}

TEST_F(CrashRestartTest, RefusesToStartOnAStoreItCannotUseAndSaysWhichAndWhy) {
  write_config();
  tocsin_.write("data/tocsin.db", std::string(4096, 'x'));
  Status started = tocsin_.start();
  ASSERT_FALSE(started);
  EXPECT_NE(tocsin_.log().find(
                "data/tocsin.db: not a tocsin database, or corrupt: file is not a database"),
            std::string::npos)
      << tocsin_.log();
  EXPECT_TRUE(tocsin_.wait_for_exit(kStepTimeout).has_value());
}

TEST_F(CrashRestartTest, StorageMemoryWritesNothingAndForgetsOnRestart) {
  write_config();
  start({"--storage.memory"});
  HttpResponse created = post_silence(kSilence);
  ASSERT_EQ(created.status, 200) << created.body;
  std::string id = json::parse(created.body)["silenceID"].get<std::string>();
  EXPECT_TRUE(tocsin_.stop().success());
  start({"--storage.memory"});
  EXPECT_EQ(http_get(tocsin_.url() + "/api/v2/silence/" + id).status, 404);
  EXPECT_FALSE(std::filesystem::exists(tocsin_.dir().file("data")));
}

}  // namespace
}  // namespace tocsin::test
