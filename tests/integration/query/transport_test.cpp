// The client's behaviour on the network itself: deadlines, refused
// connections, and keep-alive reuse as the server sees it.
#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "integration/query/query_test_support.h"
#include "support/ports.h"
#include "support/recording_server.h"

namespace tocsin::query {
namespace {

using namespace std::chrono_literals;
using test::RecordedRequest;
using test::RecordingServer;
using test::SilentListener;

Duration elapsed_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now() - start);
}

TEST(Transport, ServerThatNeverAnswersTimesOutWithinTheConfiguredTimeout) {
  SilentListener silent;
  ASSERT_GT(silent.port(), 0);
  auto client = make_client(silent.url(), 500ms);
  ASSERT_TRUE(client);
  auto start = std::chrono::steady_clock::now();
  auto result = client->instant_query("up", now());
  Duration took = elapsed_since(start);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().type, "timeout");
  EXPECT_EQ(result.error().http_status, 0);
  EXPECT_NE(result.error().message.find("within 500ms"), std::string::npos)
      << result.error().message;
  EXPECT_GE(took, 450ms);
  EXPECT_LT(took, 2s);
}

TEST(Transport, SlowServerTimesOutAndTheNextQuerySucceeds) {
  RecordingServer server;
  ASSERT_TRUE(server.listening());
  server.respond("/api/v1/query", {.body = std::string(kEmptyVector), .delay = 30s});
  auto client = make_client(server.url(), 300ms);
  ASSERT_TRUE(client);
  auto start = std::chrono::steady_clock::now();
  auto slow = client->instant_query("up", now());
  EXPECT_LT(elapsed_since(start), 2s);
  ASSERT_FALSE(slow.has_value());
  EXPECT_EQ(slow.error().type, "timeout");

  server.respond("/api/v1/query", {.body = std::string(kEmptyVector)});
  auto fast = client->instant_query("up", now());
  EXPECT_TRUE(fast.has_value()) << fast.error().to_string();
}

TEST(Transport, NothingListeningIsAConnectionError) {
  int port = test::free_port();
  ASSERT_GT(port, 0);
  auto client = make_client("http://127.0.0.1:" + std::to_string(port), 10s);
  ASSERT_TRUE(client);
  auto start = std::chrono::steady_clock::now();
  auto result = client->instant_query("up", now());
  EXPECT_LT(elapsed_since(start), 2s);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().type, "connection");
  EXPECT_NE(
      result.error().message.find("http://127.0.0.1:" + std::to_string(port) + "/api/v1/query"),
      std::string::npos)
      << result.error().message;
}

TEST(Transport, ServerSeesOneConnectionForSequentialQueries) {
  RecordingServer server;
  ASSERT_TRUE(server.listening());
  server.respond("/api/v1/query", {.body = std::string(kEmptyVector)});
  auto client = make_client(server.url());
  ASSERT_TRUE(client);
  for (int i = 0; i < 20; ++i) {
    auto result = client->instant_query("up", now());
    ASSERT_TRUE(result.has_value()) << result.error().to_string();
  }
  std::set<int> ports;
  for (const RecordedRequest& r : server.requests()) ports.insert(r.remote_port);
  EXPECT_EQ(ports.size(), 1u);
  EXPECT_EQ(client->connections_opened(), 1u);
}

TEST(Transport, ConnectionsAreReusedAcrossThreads) {
  RecordingServer server;
  ASSERT_TRUE(server.listening());
  server.respond("/api/v1/query", {.body = std::string(kEmptyVector)});
  auto client = make_client(server.url());
  ASSERT_TRUE(client);
  constexpr int kThreads = 4;
  std::atomic<int> failures{0};
  // Each round starts fresh threads, so a later round can only reuse a
  // connection if handles really move between threads.
  for (int round = 0; round < 3; ++round) {
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < 10; ++i) {
          if (!client->instant_query("up", now())) ++failures;
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
  }
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(server.request_count(), 3u * kThreads * 10);
  EXPECT_LE(client->connections_opened(), static_cast<std::uint64_t>(kThreads));
  std::set<int> ports;
  for (const RecordedRequest& r : server.requests()) ports.insert(r.remote_port);
  EXPECT_EQ(ports.size(), client->connections_opened());
}

TEST(Transport, NonPrometheusAnswerNamesTheStatusAndQuotesTheBody) {
  RecordingServer server;
  ASSERT_TRUE(server.listening());
  server.respond("/api/v1/query",
                 {.status = 502, .body = "<html>Bad Gateway</html>", .content_type = "text/html"});
  auto client = make_client(server.url());
  ASSERT_TRUE(client);
  auto result = client->instant_query("up", now());
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().type, "http");
  EXPECT_EQ(result.error().http_status, 502);
  EXPECT_EQ(result.error().message,
            R"(server returned HTTP 502 (not JSON); body: "<html>Bad Gateway</html>")");
}

}  // namespace
}  // namespace tocsin::query
