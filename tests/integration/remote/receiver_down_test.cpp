// The user's story: the remote-write receiver goes down for a while. tocsin
// goes on evaluating on time; its queue stays within its capacity; what it
// cannot keep is dropped, counted and logged now and then, not on every
// evaluation; when the receiver is back, samples flow again; and it stops
// promptly even with a backlog.
#include <atomic>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/prometheus_server.h"
#include "support/recording_server.h"
#include "support/remote_write.h"
#include "support/tocsin_server.h"
#include "support/wait.h"

namespace tocsin::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

const char* const kReceiverDownRules = R"(groups:
  - name: fast
    interval: 200ms
    rules:
      - record: one
        expr: vector(1)
      - record: two
        expr: vector(2)
      - alert: Always
        expr: vector(1) > 0
)";

std::size_t count(const std::string& text, std::string_view needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST(RemoteWriteReceiverDown, EvaluationGoesOnTheQueueStaysBoundedAndTheLossIsCounted) {
  PrometheusServer datasource;
  ASSERT_TRUE(datasource.start()) << datasource.log();
  RecordingServer receiver;
  std::atomic<bool> down{true};
  receiver.respond_with([&](const RecordedRequest&) {
    return down ? CannedResponse{.status = 503, .body = "receiver down"}
                : CannedResponse{.status = 204};
  });

  TocsinServer tocsin;
  tocsin.write("rules.yml", kReceiverDownRules);
  tocsin.write("tocsin.yml", fmt::format(R"(datasource:
  url: {}
rule_files: [rules.yml]
remote_write:
  - url: {}/api/v1/write
    name: flaky
    remote_timeout: 2s
    queue_config:
      capacity: 5
      max_samples_per_send: 2
      min_backoff: 10ms
      max_backoff: 50ms
)",
                                         datasource.url(), receiver.url()));
  auto started_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(tocsin.start()) << tocsin.log();
  const std::string labels =
      fmt::format(R"({{remote_name="flaky",url="{}/api/v1/write"}})", receiver.url());
  auto metric = [&](std::string_view name) {
    return tocsin.metric(std::string(name) + labels).value_or(-1);
  };

  // Down: each evaluation brings 4 samples (two recorded, ALERTS and
  // ALERTS_FOR_STATE); the queue holds 5.
  ASSERT_TRUE(
      wait_until([&] { return metric("tocsin_remote_storage_samples_dropped_total") >= 40; }, 60s))
      << tocsin.log();
  EXPECT_LE(metric("tocsin_remote_storage_samples_pending"), 5);
  EXPECT_GE(metric("tocsin_remote_storage_samples_pending"), 0);
  EXPECT_EQ(metric("tocsin_remote_storage_queue_capacity"), 5);
  EXPECT_GT(metric("tocsin_remote_storage_samples_retried_total"), 0);
  EXPECT_EQ(metric("tocsin_remote_storage_samples_total"), 0);
  EXPECT_EQ(metric("tocsin_remote_storage_samples_failed_total"), 0);
  EXPECT_GT(receiver.request_count(), 1u);

  // Evaluation goes on, on time, and the rules are healthy.
  auto iterations = [&] {
    return tocsin
        .metric(R"(tocsin_rule_group_iterations_total{rule_group=")" +
                tocsin.dir().file("rules.yml") + R"(;fast"})")
        .value_or(-1);
  };
  double before = iterations();
  ASSERT_TRUE(wait_until([&] { return iterations() >= before + 5; }, 30s));
  auto doc = tocsin.get_json("/api/v1/rules");
  ASSERT_TRUE(doc.has_value());
  for (const auto& rule : (*doc)["data"]["groups"][0]["rules"]) {
    EXPECT_EQ(rule["health"], "ok") << rule.dump();
  }
  EXPECT_EQ(tocsin.metric(R"(tocsin_rule_group_last_evaluation_samples{rule_group=")" +
                          tocsin.dir().file("rules.yml") + R"(;fast"})"),
            4);

  // Logged, but not at every evaluation: at most once every 10 s.
  double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_at).count();
  std::string log = tocsin.log();
  std::size_t full_lines = count(log, "Remote write queue full");
  EXPECT_GE(full_lines, 1u);
  EXPECT_LE(full_lines, 1 + static_cast<std::size_t>(elapsed / 10)) << log;
  EXPECT_LE(count(log, "Failed to send batch to remote storage, retrying"),
            1 + static_cast<std::size_t>(elapsed / 10));

  // Back: samples flow again, the receiver decodes them.
  down = false;
  ASSERT_TRUE(wait_until([&] { return metric("tocsin_remote_storage_samples_total") >= 20; }, 30s))
      << tocsin.log();
  bool saw_one = false;
  for (const RecordedRequest& r : receiver.requests()) {
    auto decoded = decode_remote_write(r.body);
    ASSERT_TRUE(decoded.has_value()) << decoded.error().to_string();
    for (const SeriesSample& s : *decoded)
      saw_one = saw_one || s.labels.value_of("__name__") == "one";
  }
  EXPECT_TRUE(saw_one);

  // Down again, with a backlog: stop() flushes for its flush deadline (5 s),
  // then gives up and counts the loss; the grace below would kill a hang.
  down = true;
  ASSERT_TRUE(
      wait_until([&] { return metric("tocsin_remote_storage_samples_pending") >= 4; }, 30s));
  ExitStatus stopped = tocsin.stop(20s);
  EXPECT_TRUE(stopped.success()) << stopped.to_string() << tocsin.log();
  EXPECT_NE(tocsin.log().find("Remote write samples dropped"), std::string::npos);
}

}  // namespace
}  // namespace tocsin::test
