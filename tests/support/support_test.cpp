// The harness's promises, tested on their own: children are stopped and
// reaped, waits keep their deadlines, servers record what they receive.
#include <filesystem>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>

#include "support/assertions.h"
#include "support/http.h"
#include "support/ports.h"
#include "support/process.h"
#include "support/prometheus_server.h"
#include "support/promtool.h"
#include "support/recording_server.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace tocsin::test {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

Duration since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now() - start);
}

bool pid_exists(pid_t pid) {
  return ::kill(pid, 0) == 0;
}

TEST(Process, CapturesOutputExitCodeEnvironmentAndDirectory) {
  TempDir dir;
  auto process =
      Process::start({.argv = {"sh", "-c", "echo \"$GREETING\"; pwd; echo oops >&2; exit 3"},
                      .env = {{"GREETING", "hello"}},
                      .cwd = dir.path()});
  ASSERT_TRUE(ok(process));
  auto status = process->wait(10s);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->code, 3);
  EXPECT_TRUE(status->exited());
  EXPECT_EQ(process->stdout_text(), "hello\n" + fs::canonical(dir.path()).string() + "\n");
  EXPECT_EQ(process->stderr_text(), "oops\n");
}

TEST(Process, StopSendsSigtermFirst) {
  auto process = Process::start({.argv = {"sleep", "60"}});
  ASSERT_TRUE(ok(process));
  EXPECT_TRUE(process->alive());
  ExitStatus status = process->stop();
  EXPECT_EQ(status.signal, SIGTERM);
  EXPECT_FALSE(process->alive());
}

TEST(Process, StopEscalatesToSigkillAfterTheGracePeriod) {
  auto process = Process::start(
      {.argv = {"sh", "-c", "trap '' TERM; echo ready; while :; do sleep 0.05; done"}});
  ASSERT_TRUE(ok(process));
  ASSERT_TRUE(wait_until([&] { return process->stdout_text() == "ready\n"; }, 10s));
  auto start = std::chrono::steady_clock::now();
  ExitStatus status = process->stop(300ms);
  EXPECT_EQ(status.signal, SIGKILL);
  EXPECT_GE(since(start), 300ms);
  EXPECT_LT(since(start), 5s);
}

TEST(Process, DestructorStopsAndReapsTheChild) {
  pid_t pid = 0;
  {
    auto process = Process::start({.argv = {"sleep", "60"}});
    ASSERT_TRUE(ok(process));
    pid = process->pid();
    EXPECT_TRUE(pid_exists(pid));
  }
  EXPECT_FALSE(pid_exists(pid));  // not even a zombie
}

TEST(Process, StartFailsForAMissingProgram) {
  auto process = Process::start({.argv = {"/nonexistent/tocsin-no-such-program"}});
  ASSERT_FALSE(process.has_value());
  EXPECT_NE(process.error().message().find("/nonexistent/tocsin-no-such-program"),
            std::string::npos);
}

TEST(Process, ChildInheritsNoDescriptorsBeyondStdio) {
  SilentListener listener;  // an open socket in the test process
  ASSERT_GT(listener.port(), 0);
  // The shell lists its own descriptors; ls adds one for the directory it reads.
  auto result = run_command({"sh", "-c", "ls /proc/$$/fd"});
  ASSERT_TRUE(ok(result));
  EXPECT_EQ(result.stdout_text, "0\n1\n2\n");
}

TEST(RunCommand, ReportsATimeout) {
  auto start = std::chrono::steady_clock::now();
  CommandResult result = run_command({"sleep", "60"}, 200ms);
  EXPECT_TRUE(result.timed_out);
  EXPECT_EQ(result.exit_code, -1);
  EXPECT_LT(since(start), 5s);
}

TEST(WaitUntil, ReturnsAsSoonAsThePredicateHolds) {
  auto start = std::chrono::steady_clock::now();
  int calls = 0;
  EXPECT_TRUE(wait_until([&] { return ++calls == 3; }, 10s, 1ms));
  EXPECT_LT(since(start), 1s);
}

TEST(WaitUntil, GivesUpAtTheDeadline) {
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(wait_until([] { return false; }, 100ms, 10ms));
  EXPECT_GE(since(start), 100ms);
  EXPECT_LT(since(start), 2s);
}

TEST(TempDir, IsRemovedWithItsContent) {
  std::string path;
  {
    TempDir dir("selftest");
    path = dir.path();
    std::string file = dir.write("a/b.txt", "content");
    EXPECT_TRUE(fs::exists(file));
  }
  EXPECT_FALSE(fs::exists(path));
}

TEST(FreePort, CanBeBoundOnLoopback) {
  int port = free_port();
  ASSERT_GT(port, 0);
  httplib::Server server;
  EXPECT_TRUE(server.bind_to_port("127.0.0.1", port));
}

TEST(RecordingServer, RecordsRequestsAndAnswersWithCannedResponses) {
  RecordingServer server;
  ASSERT_TRUE(server.listening());
  server.respond("/hook", {.status = 202, .body = R"({"ok":true})"});
  HttpResponse hook =
      http_post(server.url() + "/hook?x=1", "payload", "text/plain", {{"X-Custom", "value"}});
  EXPECT_EQ(hook.status, 202);
  EXPECT_EQ(hook.body, R"({"ok":true})");
  EXPECT_EQ(http_get(server.url() + "/other").status, 200);

  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].path, "/hook");
  EXPECT_EQ(requests[0].target, "/hook?x=1");
  EXPECT_EQ(requests[0].body, "payload");
  EXPECT_EQ(requests[0].header("x-custom"), "value");
  EXPECT_EQ(requests[0].header("Content-Type"), "text/plain");
  EXPECT_EQ(requests[1].method, "GET");
}

TEST(RecordingServer, StoppingCutsADelayedResponseShort) {
  auto server = std::make_unique<RecordingServer>();
  server->respond_default({.delay = 60s});
  std::thread client([url = server->url()] { http_get(url + "/slow", {}, 120s); });
  ASSERT_TRUE(server->wait_for_requests(1, 10s));
  auto start = std::chrono::steady_clock::now();
  server.reset();
  client.join();
  EXPECT_LT(since(start), 10s);
}

TEST(SilentListener, NeverAnswers) {
  SilentListener listener;
  ASSERT_GT(listener.port(), 0);
  HttpResponse response = http_get(listener.url() + "/", {}, 200ms);
  EXPECT_EQ(response.status, 0);
  EXPECT_FALSE(response.error.empty());
}

TEST(Promtool, CheckRulesReportsWhatPrometheusRejects) {
  TempDir dir;
  std::string good =
      dir.write("good.yml", "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n");
  std::string bad =
      dir.write("bad.yml", "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up ==\n");
  EXPECT_TRUE(ok(promtool_check_rules({good})));
  CommandResult rejected = promtool_check_rules({bad});
  EXPECT_EQ(rejected.exit_code, 1);
  EXPECT_NE(rejected.output.find("bad.yml"), std::string::npos) << rejected.output;
}

TEST(PrometheusServer, RestartsOnTheSamePortWithTheSameData) {
  PrometheusServer prometheus;
  auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  long t = now.time_since_epoch().count() - 3600;
  ASSERT_TRUE(ok(create_blocks_from_openmetrics(
      fmt::format("# TYPE selftest gauge\nselftest 42 {}\n", t), prometheus.data_dir())));
  ASSERT_TRUE(ok(prometheus.start()));
  std::string query = fmt::format("{}/api/v1/query?query=selftest&time={}", prometheus.url(), t);
  EXPECT_NE(http_get(query).body.find(R"("42")"), std::string::npos);

  int port = prometheus.port();
  prometheus.stop();
  EXPECT_FALSE(prometheus.running());
  EXPECT_EQ(http_get(prometheus.url() + "/-/ready", {}, 1s).status, 0);

  ASSERT_TRUE(ok(prometheus.start()));
  EXPECT_EQ(prometheus.port(), port);
  EXPECT_NE(http_get(query).body.find(R"("42")"), std::string::npos);
}

}  // namespace
}  // namespace tocsin::test
