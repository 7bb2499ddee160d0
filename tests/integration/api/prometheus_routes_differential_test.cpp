// What tocsin answers outside Alertmanager's API next to what Prometheus
// 2.42 answers for the same requests, with the lifecycle API off and on:
// the probes, /-/reload and /-/quit's words and statuses, the 404 and 405
// of its router (and their Allow lists), OPTIONS, HEAD, and the CORS
// headers of /api/v1. Only the program's name in the probes differs.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "api_test_server.h"
#include "support/http.h"
#include "support/prometheus_server.h"

namespace tocsin::test {
namespace {

const char* const kOneReceiverConfig = "route:\n  receiver: x\nreceivers:\n  - name: x\n";

struct Request {
  std::string method;
  std::string path;
  httplib::Headers headers = {};
};

std::vector<std::string> values(const HttpResponse& r, const std::string& name) {
  std::vector<std::string> out;
  auto [begin, end] = r.headers.equal_range(name);
  for (auto it = begin; it != end; ++it) out.push_back(it->second);
  return out;
}

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

void expect_same(const PrometheusServer& prometheus, const ApiTestServer& tocsin,
                 const Request& r) {
  SCOPED_TRACE(fmt::format("{} {} ({} headers)", r.method, r.path, r.headers.size()));
  HttpResponse theirs = http_request(r.method, prometheus.url() + r.path, "", "", r.headers);
  HttpResponse ours = http_request(r.method, tocsin.url() + r.path, "", "", r.headers);
  ASSERT_NE(theirs.status, 0) << theirs.error;
  EXPECT_EQ(ours.status, theirs.status);
  EXPECT_EQ(ours.body, replace_all(theirs.body, "Prometheus Server", "tocsin"));
  for (const char* name : {"Content-Type", "Allow", "X-Content-Type-Options", "Vary",
                           "Access-Control-Allow-Origin", "Access-Control-Allow-Methods",
                           "Access-Control-Allow-Headers", "Access-Control-Expose-Headers"}) {
    EXPECT_EQ(values(ours, name), values(theirs, name)) << name;
  }
}

const std::vector<Request>& requests() {
  static const std::vector<Request> all = {
      {"GET", "/-/healthy"},
      {"HEAD", "/-/healthy"},
      {"OPTIONS", "/-/healthy"},
      {"POST", "/-/healthy"},
      {"GET", "/-/ready"},
      {"HEAD", "/-/ready"},
      {"GET", "/-/reload"},
      {"GET", "/-/quit"},
      {"DELETE", "/-/reload"},
      {"OPTIONS", "/-/reload"},
      {"POST", "/-/reload"},
      {"PUT", "/-/reload"},
      {"GET", "/nothing"},
      {"OPTIONS", "/nothing"},
      {"DELETE", "/metrics"},
      {"OPTIONS", "/metrics"},
      {"DELETE", "/api/v1/rules"},
      {"POST", "/api/v1/rules"},
      {"GET", "/api/v1/nothing"},
      {"GET", "/api/v1/rules?type=bogus"},
      {"GET", "/api/v1/rules?type=BOGUS", {{"Origin", "http://ui"}}},
      {"GET", "/api/v1/rules", {{"Origin", "http://ui"}}},
      {"GET", "/api/v1/rules?type=ALERT"},
      {"GET", "/api/v1/alerts", {{"Origin", "http://ui"}}},
      {"OPTIONS", "/api/v1/rules"},
      {"OPTIONS",
       "/api/v1/rules",
       {{"Origin", "http://ui"}, {"Access-Control-Request-Method", "GET"}}},
  };
  return all;
}

TEST(PrometheusRoutesDifferentialTest, WithoutTheLifecycleApi) {
  PrometheusOptions options;
  options.enable_lifecycle = false;
  PrometheusServer prometheus(options);
  ASSERT_TRUE(prometheus.start()) << prometheus.log();
  auto tocsin = ApiTestServer::start(kOneReceiverConfig, true, /*lifecycle=*/false);
  ASSERT_TRUE(tocsin) << tocsin.error().to_string();
  for (const Request& r : requests()) expect_same(prometheus, **tocsin, r);
  expect_same(prometheus, **tocsin, {"POST", "/-/quit"});
  expect_same(prometheus, **tocsin, {"PUT", "/-/quit"});
}

TEST(PrometheusRoutesDifferentialTest, WithTheLifecycleApi) {
  PrometheusServer prometheus;  // the harness enables it
  ASSERT_TRUE(prometheus.start()) << prometheus.log();
  auto tocsin = ApiTestServer::start(kOneReceiverConfig, true, /*lifecycle=*/true);
  ASSERT_TRUE(tocsin) << tocsin.error().to_string();
  for (const Request& r : requests()) expect_same(prometheus, **tocsin, r);
}

}  // namespace
}  // namespace tocsin::test
