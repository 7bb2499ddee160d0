// The client against a real Prometheus 2.42 started on loopback, with
// history loaded through promtool blocks: what a rule evaluation sees.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "integration/query/query_test_support.h"
#include "support/assertions.h"
#include "support/prometheus_server.h"
#include "support/promtool.h"

namespace tocsin::query {
namespace {

using namespace std::chrono_literals;
using test::ok;
using test::PrometheusServer;

// Ten samples a minute apart for two series, starting two hours ago (inside
// the retention window, outside the head), on a whole minute.
class PrometheusQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    start_ = std::chrono::floor<std::chrono::minutes>(now()) - 2h;
    std::string openmetrics = "# TYPE http_requests counter\n";
    for (int i = 0; i < 10; ++i) {
      std::int64_t t = start_.time_since_epoch().count() / 1000 + i * 60;
      openmetrics +=
          fmt::format("http_requests_total{{code=\"200\",job=\"api\"}} {} {}\n", 10.5 * i, t);
      openmetrics += fmt::format("http_requests_total{{code=\"500\",job=\"api\"}} {} {}\n", i, t);
    }
    ASSERT_TRUE(ok(test::create_blocks_from_openmetrics(openmetrics, prometheus_.data_dir())));
    ASSERT_TRUE(ok(prometheus_.start()));
    client_ = make_client(prometheus_.url());
    ASSERT_NE(client_, nullptr);
  }

  Timestamp minute(int i, Duration extra = 0ms) const { return start_ + i * 1min + extra; }

  PrometheusServer prometheus_;
  Timestamp start_;
  std::unique_ptr<PrometheusClient> client_;
};

TEST_F(PrometheusQueryTest, InstantQueryAtAPastTimeReturnsTheValuesLoaded) {
  Timestamp at = minute(2, 30s);  // between the 3rd and the 4th sample
  auto result = client_->instant_query("http_requests_total", at);
  ASSERT_TRUE(result.has_value()) << result.error().to_string();
  ASSERT_EQ(result->size(), 2u);
  std::sort(result->begin(), result->end(),
            [](const Sample& a, const Sample& b) { return a.metric < b.metric; });
  EXPECT_EQ((*result)[0].metric,
            Labels({{"__name__", "http_requests_total"}, {"code", "200"}, {"job", "api"}}));
  EXPECT_EQ((*result)[0].value, 21.0);
  EXPECT_EQ((*result)[0].timestamp, at);  // an instant vector is stamped with the query time
  EXPECT_EQ((*result)[1].metric,
            Labels({{"__name__", "http_requests_total"}, {"code", "500"}, {"job", "api"}}));
  EXPECT_EQ((*result)[1].value, 2.0);

  // The time argument, not the clock, decides what is read.
  auto earlier = client_->instant_query("http_requests_total{code=\"200\"}", minute(7, 123ms));
  ASSERT_TRUE(earlier.has_value()) << earlier.error().to_string();
  ASSERT_EQ(earlier->size(), 1u);
  EXPECT_EQ((*earlier)[0].value, 73.5);
  EXPECT_EQ((*earlier)[0].timestamp, minute(7, 123ms));
}

TEST_F(PrometheusQueryTest, AlertExpressionReturnsOnlyTheMatchingSeries) {
  auto result = client_->instant_query("http_requests_total > 50", minute(9));
  ASSERT_TRUE(result.has_value()) << result.error().to_string();
  ASSERT_EQ(result->size(), 1u);
  // A filtering comparison keeps the metric name (only arithmetic drops it).
  EXPECT_EQ((*result)[0].metric,
            Labels({{"__name__", "http_requests_total"}, {"code", "200"}, {"job", "api"}}));
  EXPECT_EQ((*result)[0].value, 94.5);
}

TEST_F(PrometheusQueryTest, ScalarQueryIsOneSampleWithEmptyLabels) {
  auto result = client_->instant_query("scalar(sum(http_requests_total))", minute(4));
  ASSERT_TRUE(result.has_value()) << result.error().to_string();
  ASSERT_EQ(result->size(), 1u);
  EXPECT_TRUE((*result)[0].metric.empty());
  EXPECT_EQ((*result)[0].value, 46.0);  // 42 + 4
  EXPECT_EQ((*result)[0].timestamp, minute(4));
}

TEST_F(PrometheusQueryTest, SpecialValuesSurviveTheTrip) {
  auto inf = client_->instant_query("1/0", minute(1));
  ASSERT_TRUE(inf.has_value()) << inf.error().to_string();
  EXPECT_EQ((*inf)[0].value, std::numeric_limits<double>::infinity());
  auto ninf = client_->instant_query("-1/0", minute(1));
  ASSERT_TRUE(ninf.has_value());
  EXPECT_EQ((*ninf)[0].value, -std::numeric_limits<double>::infinity());
  auto nan = client_->instant_query("vector(0/0)", minute(1));
  ASSERT_TRUE(nan.has_value());
  EXPECT_TRUE(std::isnan((*nan)[0].value));
}

TEST_F(PrometheusQueryTest, BadExpressionIsBadDataWithPrometheusParseError) {
  auto result = client_->instant_query("sum(rate(http_requests_total[5m])", minute(5));
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().type, "bad_data");
  EXPECT_EQ(result.error().http_status, 400);
  EXPECT_EQ(result.error().message,
            "invalid parameter \"query\": 1:34: parse error: unclosed left parenthesis");
}

TEST_F(PrometheusQueryTest, ExecutionErrorKeepsPrometheusType) {
  auto result =
      client_->instant_query(R"(label_replace(vector(1), "a", "b", "c", "("))", minute(5));
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().type, "execution");
  EXPECT_EQ(result.error().http_status, 422);
  EXPECT_EQ(result.error().message, "invalid regular expression in label_replace(): (");
}

TEST_F(PrometheusQueryTest, RangeVectorResultIsRejectedAsPrometheusRulesDo) {
  auto result = client_->instant_query("http_requests_total[5m]", minute(5));
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().message, "rule result is not a vector or scalar");
}

TEST_F(PrometheusQueryTest, StoppedPrometheusIsAQuickConnectionErrorAndRestartRecovers) {
  ASSERT_TRUE(client_->instant_query("up", minute(1)).has_value());
  int port = prometheus_.port();
  prometheus_.stop();

  auto begin = std::chrono::steady_clock::now();
  auto down = client_->instant_query("http_requests_total", minute(1));
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 2s);  // refused, not timed out (10s)
  ASSERT_FALSE(down.has_value());
  EXPECT_EQ(down.error().type, "connection");
  EXPECT_NE(down.error().message.find(fmt::format("127.0.0.1:{}", port)), std::string::npos)
      << down.error().message;

  ASSERT_TRUE(ok(prometheus_.start()));
  EXPECT_EQ(prometheus_.port(), port);
  auto back = client_->instant_query("http_requests_total", minute(1));
  ASSERT_TRUE(back.has_value()) << back.error().to_string();
  EXPECT_EQ(back->size(), 2u);
}

TEST_F(PrometheusQueryTest, SequentialQueriesReuseOneConnection) {
  for (int i = 0; i < 50; ++i) {
    auto result = client_->instant_query("http_requests_total", minute(i % 10));
    ASSERT_TRUE(result.has_value()) << result.error().to_string();
  }
  EXPECT_EQ(client_->connections_opened(), 1u);
}

TEST_F(PrometheusQueryTest, ConcurrentCallersShareThePoolOfConnections) {
  constexpr int kThreads = 8;
  constexpr int kQueriesEach = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kQueriesEach; ++i) {
        auto result = client_->instant_query("sum(http_requests_total)", minute((t + i) % 10));
        if (!result || result->size() != 1) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  // At most one connection per caller in flight, then reused.
  EXPECT_LE(client_->connections_opened(), static_cast<std::uint64_t>(kThreads));
  EXPECT_GE(client_->connections_opened(), 1u);
}

}  // namespace
}  // namespace tocsin::query
