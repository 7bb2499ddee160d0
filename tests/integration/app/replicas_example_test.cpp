// examples/replicas/ runs as its README says: run-three.sh starts three
// replicas of the tocsin binary on one real PostgreSQL 15, they form one
// cluster (each lists all three), share the shipped rules' groups out (each
// group held by exactly one), and all stop with the script.
#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/command.h"
#include "support/http.h"
#include "support/paths.h"
#include "support/ports.h"
#include "support/postgres_server.h"
#include "support/process.h"
#include "support/tocsin_server.h"
#include "support/wait.h"

namespace tocsin::test {
namespace {

using namespace std::chrono_literals;

TEST(ReplicasExample, RunThreeStartsOneClusterThatSharesTheRuleGroups) {
  const std::string example = source_dir() + "/examples/replicas";
  CommandResult checked =
      run_command({tocsin_binary(), "check", "config", example + "/tocsin.yml"});
  ASSERT_EQ(checked.exit_code, 0) << checked.output;

  PostgresServer postgres;
  Status pg = postgres.start();
  ASSERT_TRUE(pg) << pg.error().message();
  auto url = postgres.create_database("tocsin");
  ASSERT_TRUE(url) << url.error().message();
  std::vector<int> ports;
  for (int i = 0; i < 3; ++i) {
    int port = 0;
    // Three different ones: nothing listens on any of them yet.
    do port = free_port();
    while (std::ranges::find(ports, port) != ports.end());
    ports.push_back(port);
  }
  auto script = Process::start(
      ProcessOptions{.argv = {"bash", example + "/run-three.sh", *url, std::to_string(ports[0]),
                              std::to_string(ports[1]), std::to_string(ports[2])},
                     .env = {{"TOCSIN", tocsin_binary()}}});
  ASSERT_TRUE(script) << script.error().message();

  auto base = [&](int i) { return fmt::format("http://127.0.0.1:{}", ports[i]); };
  auto peers = [&](int i) {
    std::set<std::string> names;
    HttpResponse r = http_get(base(i) + "/api/v2/status");
    if (r.status != 200) return names;
    auto status = nlohmann::json::parse(r.body, nullptr, false);
    if (status.is_discarded()) return names;
    for (const auto& p : status["cluster"]["peers"]) names.insert(p.value("name", ""));
    return names;
  };
  const std::set<std::string> all = {"replica-1", "replica-2", "replica-3"};
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(wait_until([&] { return peers(i) == all; }, 60s))
        << "replica " << i + 1 << " sees " << fmt::format("{}", fmt::join(peers(i), ", ")) << "\n"
        << script->stderr_text();
  }

  // Each of the shipped rules' groups is evaluated by exactly one replica.
  auto holders = [&] {
    std::map<std::string, int> held;  // group -> replicas holding it
    for (int i = 0; i < 3; ++i) {
      HttpResponse page = http_get(base(i) + "/metrics");
      std::istringstream lines(page.body);
      for (std::string line; std::getline(lines, line);) {
        constexpr std::string_view kHeld = "tocsin_cluster_rule_group_held{rule_group=\"";
        if (!line.starts_with(kHeld)) continue;
        std::string group = line.substr(kHeld.size(), line.find('"', kHeld.size()) - kHeld.size());
        held[group] += line.ends_with(" 1") ? 1 : 0;
      }
    }
    return held;
  };
  std::map<std::string, int> held;
  ASSERT_TRUE(wait_until(
      [&] {
        held = holders();
        return !held.empty() &&
               std::ranges::all_of(held, [](const auto& g) { return g.second == 1; });
      },
      60s))
      << fmt::format("{}", fmt::join(held, ", "));
  EXPECT_GE(held.size(), 3u) << "the shipped rules have several groups";

  ExitStatus stopped = script->stop();
  EXPECT_FALSE(stopped.signal == 9) << "the script stopped on SIGTERM";
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(wait_until([&] { return http_get(base(i) + "/-/healthy").status == 0; }, 30s))
        << "replica " << i + 1 << " still answers";
  }
}

}  // namespace
}  // namespace tocsin::test
