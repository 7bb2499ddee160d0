// The tocsin binary as an operator runs it, and its web server as clients
// (good and bad) use it: reloads by HTTP (off unless --web.enable-lifecycle,
// as in Prometheus) and by SIGHUP, /-/quit, a body over the size limit, and
// hundreds of idle and slow connections that must not starve the probes or
// Prometheus's alerts. Its Prometheus is a port where nothing listens.
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/http.h"
#include "support/raw_connection.h"
#include "support/tocsin_server.h"
#include "support/wait.h"

namespace tocsin::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

std::string rules(std::string_view group) {
  return fmt::format(
      "groups:\n  - name: {}\n    rules:\n      - alert: Down\n        expr: up == 0\n", group);
}

class WebLifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tocsin_.write("tocsin.yml",
                  "datasource: {url: 'http://127.0.0.1:1'}\nrule_files: [rules.yml]\n"
                  "alerting:\n  route: {receiver: team}\n  receivers: [{name: team}]\n");
    tocsin_.write("rules.yml", rules("first"));
  }

  void start(std::vector<std::string> flags = {}) {
    Status started = tocsin_.start("tocsin.yml", std::move(flags));
    ASSERT_TRUE(started) << started.error().message();
  }

  std::string group() {
    auto doc = tocsin_.get_json("/api/v1/rules");
    if (!doc || (*doc)["data"]["groups"].empty()) return "";
    return (*doc)["data"]["groups"][0]["name"].get<std::string>();
  }

  // A request as curl -X POST sends it: no body, no Content-Length.
  HttpResponse bodyless(const std::string& method, const std::string& path) {
    return http_raw(tocsin_.port(),
                    fmt::format("{} {} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: curl/7.88.1\r\n"
                                "Accept: */*\r\nConnection: close\r\n\r\n",
                                method, path));
  }

  TocsinServer tocsin_;
};

TEST_F(WebLifecycleTest, ABodylessPostReloads) {
  start({"--web.enable-lifecycle"});
  tocsin_.write("rules.yml", rules("second"));
  // cpp-httplib answered this 400 and did not reload.
  HttpResponse reload = bodyless("POST", "/-/reload");
  EXPECT_EQ(reload.status, 200) << reload.body;
  EXPECT_EQ(reload.body, "");
  EXPECT_EQ(group(), "second");
  tocsin_.write("rules.yml", rules("third"));
  EXPECT_EQ(bodyless("PUT", "/-/reload").status, 200);
  EXPECT_EQ(group(), "third");
}

TEST_F(WebLifecycleTest, LifecycleEndpointsAreOffUnlessEnabledButSighupReloads) {
  start();
  tocsin_.write("rules.yml", rules("second"));
  for (const char* method : {"POST", "PUT"}) {
    for (const char* path : {"/-/reload", "/-/quit"}) {
      HttpResponse refused = bodyless(method, path);
      EXPECT_EQ(refused.status, 403) << method << " " << path;
      EXPECT_EQ(refused.body, "Lifecycle API is not enabled.");
      EXPECT_EQ(refused.header("Content-Type"), "text/plain; charset=utf-8");
    }
  }
  EXPECT_EQ(group(), "first");
  EXPECT_EQ(http_get(tocsin_.url() + "/-/healthy").status, 200);  // and still running
  HttpResponse get = http_get(tocsin_.url() + "/-/reload");
  EXPECT_EQ(get.status, 405);
  EXPECT_EQ(get.body, "Only POST or PUT requests allowed");

  tocsin_.signal_reload();
  EXPECT_TRUE(wait_until([&] { return group() == "second"; }, 30s)) << tocsin_.log();
}

TEST_F(WebLifecycleTest, QuitStopsTheDaemonCleanly) {
  start({"--web.enable-lifecycle"});
  HttpResponse quit = bodyless("POST", "/-/quit");
  EXPECT_EQ(quit.status, 200);
  EXPECT_EQ(quit.body, "Requesting termination... Goodbye!");
  auto exit = tocsin_.wait_for_exit(30s);
  ASSERT_TRUE(exit.has_value()) << "tocsin did not stop after /-/quit; its log:\n" << tocsin_.log();
  EXPECT_TRUE(exit->success()) << exit->to_string();
  EXPECT_NE(tocsin_.log().find("requested=/-/quit"), std::string::npos) << tocsin_.log();
  EXPECT_NE(tocsin_.log().find("msg=Stopped"), std::string::npos) << tocsin_.log();
}

TEST_F(WebLifecycleTest, ABodyOverTheLimitGets413AndTocsinKeepsServing) {
  start({"--web.max-request-body-size=1KiB"});
  std::string big =
      R"([{"labels":{"alertname":"Big","padding":")" + std::string(2000, 'x') + R"("}}])";
  HttpResponse refused = http_post(tocsin_.url() + "/api/v2/alerts", big);
  EXPECT_EQ(refused.status, 413);
  EXPECT_EQ(refused.header("Content-Type"), "application/json");
  EXPECT_EQ(refused.body,
            R"({"code":413,"message":"request body is larger than the limit of 1024 bytes"})");
  HttpResponse small =
      http_post(tocsin_.url() + "/api/v2/alerts", R"([{"labels":{"alertname":"Small"}}])");
  EXPECT_EQ(small.status, 200) << small.body;
  auto alerts = tocsin_.get_json("/api/v2/alerts");
  ASSERT_TRUE(alerts.has_value());
  ASSERT_EQ(alerts->size(), 1u);
  EXPECT_EQ((*alerts)[0]["labels"]["alertname"], "Small");
  EXPECT_EQ(http_get(tocsin_.url() + "/-/healthy").status, 200);
}

// With a thread per connection, eight clients trickling header lines held
// every thread. Now 300 idle and 20 slow connections are held while the
// probes and the alert API keep answering (each within its own deadline;
// nothing here is timed).
TEST_F(WebLifecycleTest, IdleAndSlowClientsStarveNobody) {
  start();
  auto began = std::chrono::steady_clock::now();
  std::vector<std::unique_ptr<RawConnection>> idle, slow;
  for (int i = 0; i < 300; ++i) idle.push_back(std::make_unique<RawConnection>(tocsin_.port()));
  for (int i = 0; i < 20; ++i) {
    slow.push_back(std::make_unique<RawConnection>(tocsin_.port()));
    slow.back()->send("POST /api/v2/alerts HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  }
  std::atomic<bool> done{false};
  std::jthread trickle([&] {
    for (int line = 0; !done; ++line) {
      for (auto& s : slow) s->send(fmt::format("X-Slow-{}: 1\r\n", line));
      wait_until([&] { return done.load(); }, 500ms, 50ms);
    }
  });
  for (int i = 0; i < 20; ++i) {
    HttpResponse healthy = http_get(tocsin_.url() + "/-/healthy", {}, 10s);
    EXPECT_EQ(healthy.status, 200) << i << ": " << healthy.error;
    HttpResponse posted =
        http_post(tocsin_.url() + "/api/v2/alerts",
                  fmt::format(R"([{{"labels":{{"alertname":"Busy","n":"{}"}}}}])", i),
                  "application/json", {}, 10s);
    EXPECT_EQ(posted.status, 200) << i << ": " << posted.error << posted.body;
  }
  done = true;
  trickle.join();
  auto alerts = tocsin_.get_json("/api/v2/alerts");
  ASSERT_TRUE(alerts.has_value());
  EXPECT_EQ(alerts->size(), 20u);
  // Until their 30 s header deadline (which a very slow machine may have
  // reached by now), every connection is still held.
  if (std::chrono::steady_clock::now() - began < 25s) {
    int held = 0;
    for (auto& c : idle) held += c->open_and_silent() ? 1 : 0;
    for (auto& c : slow) held += c->open_and_silent() ? 1 : 0;
    EXPECT_EQ(held, 320) << "connections were dropped within their deadlines";
  }
}

}  // namespace
}  // namespace tocsin::test
