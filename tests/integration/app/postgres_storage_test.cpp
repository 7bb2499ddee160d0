// The tocsin binary with --storage.url on a real PostgreSQL 15: what the
// API accepted survives a SIGKILL as on SQLite; the database going away
// under a running tocsin takes nothing down (it serves, evaluates and
// holds its changes) and, once it is back, everything queued is written;
// a URL it cannot use is refused at start, without the password.
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/command.h"
#include "support/http.h"
#include "support/ports.h"
#include "support/postgres_server.h"
#include "support/tocsin_server.h"
#include "support/wait.h"

namespace tocsin::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kConfig = R"(datasource: {url: 'http://127.0.0.1:1'}
alerting:
  route: {receiver: hook, group_by: [alertname], group_wait: 1s, group_interval: 1s}
  receivers:
    - name: hook
      webhook_configs: [{url: 'http://127.0.0.1:1/hook'}]
)";

std::string silence_body(const std::string& alertname) {
  return fmt::format(
      R"({{"matchers": [{{"name": "alertname", "value": "{}", "isRegex": false}}],
  "startsAt": "2020-01-01T00:00:00Z", "endsAt": "2100-01-01T00:00:00Z",
  "createdBy": "ops", "comment": "maintenance"}})",
      alertname);
}

std::string alert_body(const std::string& alertname) {
  return fmt::format(R"([{{"labels":{{"alertname":"{}"}},"startsAt":"2024-05-01T12:00:00Z"}}])",
                     alertname);
}

std::set<std::string> names(const std::optional<json>& list, const char* field) {
  std::set<std::string> out;
  if (!list) return out;
  for (const json& item : *list) {
    if (field == std::string("silence")) {
      out.insert(item["matchers"][0]["value"].get<std::string>() + ":" +
                 item["status"]["state"].get<std::string>());
    } else {
      out.insert(item["labels"]["alertname"].get<std::string>());
    }
  }
  return out;
}

class PostgresStorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Status started = postgres_.start();
    ASSERT_TRUE(started) << started.error().message();
    auto url = postgres_.create_database("tocsin");
    ASSERT_TRUE(url) << url.error().message();
    url_ = *url;
    tocsin_.write("tocsin.yml", kConfig);
  }

  void start() {
    Status started = tocsin_.start("tocsin.yml", {"--storage.url", url_});
    ASSERT_TRUE(started) << started.error().message();
  }

  PostgresServer postgres_;
  std::string url_;
  TocsinServer tocsin_;
};

TEST_F(PostgresStorageTest, WhatTheApiAcceptedSurvivesSigkill) {
  start();
  EXPECT_NE(tocsin_.log().find(fmt::format(
                "msg=\"Opened the store\" database=postgres://tocsin@127.0.0.1:{}/tocsin",
                postgres_.port())),
            std::string::npos)
      << tocsin_.log();
  ASSERT_EQ(http_post(tocsin_.url() + "/api/v2/silences", silence_body("Quiet")).status, 200);
  ASSERT_EQ(http_post(tocsin_.url() + "/api/v2/alerts", alert_body("DiskFull")).status, 200);
  ASSERT_TRUE(wait_until([&] { return tocsin_.store_is_idle(); }, kStepTimeout));

  tocsin_.kill();
  start();
  EXPECT_EQ(names(tocsin_.get_json("/api/v2/silences"), "silence"),
            (std::set<std::string>{"Quiet:active"}));
  EXPECT_EQ(names(tocsin_.get_json("/api/v2/alerts"), "alert"),
            (std::set<std::string>{"DiskFull"}));
  // Its rows are where a PostgreSQL user looks for them.
  auto held = postgres_.query("tocsin", "SELECT count(*) FROM alerts");
  ASSERT_TRUE(held) << held.error().message();
  EXPECT_EQ(*held, "1");
}

TEST_F(PostgresStorageTest, ServesThroughADatabaseOutageAndWritesEverythingOnceItIsBack) {
  start();
  ASSERT_EQ(http_post(tocsin_.url() + "/api/v2/alerts", alert_body("Before")).status, 200);
  ASSERT_TRUE(wait_until([&] { return tocsin_.store_is_idle(); }, kStepTimeout));

  postgres_.stop();
  EXPECT_EQ(http_get(tocsin_.url() + "/-/healthy").status, 200);
  ASSERT_EQ(http_post(tocsin_.url() + "/api/v2/alerts", alert_body("During")).status, 200);
  // The silence is in force at once, but the API says it is not stored yet
  // (as on a full disk).
  HttpResponse silenced =
      http_post(tocsin_.url() + "/api/v2/silences", silence_body("DuringOutage"));
  EXPECT_EQ(silenced.status, 500) << silenced.body;
  EXPECT_NE(silenced.body.find("not yet stored"), std::string::npos) << silenced.body;
  EXPECT_EQ(names(tocsin_.get_json("/api/v2/alerts"), "alert"),
            (std::set<std::string>{"Before", "During"}));
  EXPECT_FALSE(tocsin_.store_is_idle());
  HttpResponse history = http_get(tocsin_.url() + "/api/v1/history");  // an error, not a hang
  EXPECT_EQ(history.status, 500) << history.body;
  EXPECT_NE(history.body.find("cannot connect"), std::string::npos) << history.body;

  ASSERT_TRUE(postgres_.start());
  ASSERT_TRUE(wait_until([&] { return tocsin_.store_is_idle(); }, kStepTimeout)) << tocsin_.log();
  EXPECT_NE(tocsin_.log().find("Connected to the database again"), std::string::npos);
  tocsin_.kill();
  start();
  EXPECT_EQ(names(tocsin_.get_json("/api/v2/alerts"), "alert"),
            (std::set<std::string>{"Before", "During"}));
  EXPECT_EQ(names(tocsin_.get_json("/api/v2/silences"), "silence"),
            (std::set<std::string>{"DuringOutage:active"}));
}

TEST_F(PostgresStorageTest, RefusesAUrlItCannotUseAndNeverShowsThePassword) {
  const std::string config = tocsin_.dir().file("tocsin.yml");
  CommandResult not_postgres =
      run_command({tocsin_binary(), "run", "--config", config, "--storage.url", "mysql://db/x"});
  EXPECT_NE(not_postgres.exit_code, 0) << not_postgres.output;
  EXPECT_NE(not_postgres.output.find("--storage.url: must start with postgres:// or postgresql://"),
            std::string::npos)
      << not_postgres.output;
  CommandResult both = run_command({tocsin_binary(), "run", "--config", config, "--storage.url",
                                    url_, "--storage.path", "data"});
  EXPECT_NE(both.exit_code, 0) << both.output;
  EXPECT_NE(both.output.find("--storage.path excludes --storage.url"), std::string::npos)
      << both.output;

  // A replica's name: only with --storage.url, and only a plain one.
  CommandResult alone =
      run_command({tocsin_binary(), "run", "--config", config, "--cluster.replica", "r1"});
  EXPECT_NE(alone.exit_code, 0) << alone.output;
  EXPECT_NE(alone.output.find("--cluster.replica requires --storage.url"), std::string::npos)
      << alone.output;
  CommandResult odd = run_command({tocsin_binary(), "run", "--config", config, "--storage.url",
                                   url_, "--cluster.replica", "r 1"});
  EXPECT_NE(odd.exit_code, 0) << odd.output;
  EXPECT_NE(odd.output.find("may hold only letters, digits and - _ . :"), std::string::npos)
      << odd.output;

  const int closed = free_port();
  CommandResult unreachable = run_command(
      {tocsin_binary(), "run", "--config", config, "--web.listen-address", "127.0.0.1:0",
       "--storage.url",
       fmt::format("postgres://ops:s3cret@127.0.0.1:{}/tocsin?connect_timeout=2", closed)},
      kStepTimeout, {}, tocsin_.dir().path());
  EXPECT_NE(unreachable.exit_code, 0) << unreachable.output;
  EXPECT_NE(unreachable.output.find(
                fmt::format("postgres://ops@127.0.0.1:{}/tocsin: cannot connect: ", closed)),
            std::string::npos)
      << unreachable.output;
  EXPECT_EQ(unreachable.output.find("s3cret"), std::string::npos) << unreachable.output;
}

}  // namespace
}  // namespace tocsin::test
