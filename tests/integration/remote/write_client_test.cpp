// One remote_write target's client against a real HTTP server on loopback:
// what it sends (the protocol's headers, the target's own, credentials, a
// body a receiver decodes), and what it makes of each kind of answer.
#include "remote/write_client.h"

#include <gtest/gtest.h>

#include "remote/remote_storage.h"
#include "remote/write_request.h"
#include "support/recording_server.h"
#include "support/remote_write.h"
#include "support/wait.h"

namespace tocsin::remote {
namespace {

using namespace std::chrono_literals;
using test::CannedResponse;
using test::RecordingServer;

const Timestamp kT0 = Timestamp(1'700'000'000'000ms);

config::RemoteWriteConfig target(const std::string& url) {
  config::RemoteWriteConfig c;
  c.url = url;
  c.remote_timeout = 5s;
  return c;
}

std::unique_ptr<WriteClient> client(const config::RemoteWriteConfig& config) {
  auto created = WriteClient::create(config);
  EXPECT_TRUE(created.has_value()) << created.error().to_string();
  return std::move(*created);
}

std::vector<SeriesSample> one_sample() {
  return {SeriesSample{Labels{{"__name__", "job:up:sum"}, {"job", "api"}}, kT0, 3}};
}

TEST(WriteClient, SendsTheProtocolsHeadersTheTargetsAndABodyAReceiverDecodes) {
  RecordingServer server;
  config::RemoteWriteConfig c = target(server.url() + "/api/v1/write");
  c.headers = {{"X-Scope-OrgID", "team-a"}};
  c.http_config.basic_auth = http::BasicAuth{"tocsin", http::Secret("pw"), ""};
  SendOutcome outcome = client(c)->store(encode_write_request(one_sample()));
  EXPECT_EQ(outcome.kind, SendOutcome::Kind::kSent) << outcome.error;
  ASSERT_EQ(server.request_count(), 1u);
  test::RecordedRequest r = server.requests()[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/api/v1/write");
  EXPECT_EQ(r.header("Content-Encoding"), "snappy");
  EXPECT_EQ(r.header("Content-Type"), "application/x-protobuf");
  EXPECT_EQ(r.header("X-Prometheus-Remote-Write-Version"), "0.1.0");
  EXPECT_TRUE(r.header("User-Agent").starts_with("tocsin/")) << r.header("User-Agent");
  EXPECT_EQ(r.header("X-Scope-OrgID"), "team-a");
  EXPECT_EQ(r.header("Authorization"), "Basic dG9jc2luOnB3");
  auto decoded = test::decode_remote_write(r.body);
  ASSERT_TRUE(decoded.has_value()) << decoded.error().to_string();
  ASSERT_EQ(decoded->size(), 1u);
  EXPECT_EQ((*decoded)[0].labels, one_sample()[0].labels);
  EXPECT_EQ((*decoded)[0].timestamp, kT0);
  EXPECT_EQ((*decoded)[0].value, 3);
}

TEST(WriteClient, BearerTokenGoesAsAnAuthorizationHeader) {
  RecordingServer server;
  config::RemoteWriteConfig c = target(server.url() + "/w");
  c.http_config.authorization = http::Authorization{"Bearer", http::Secret("t0k"), ""};
  EXPECT_EQ(client(c)->store(encode_write_request(one_sample())).kind, SendOutcome::Kind::kSent);
  EXPECT_EQ(server.requests().at(0).header("Authorization"), "Bearer t0k");
}

TEST(WriteClient, FiveHundredsAndNoResponseAreWorthARetry) {
  RecordingServer server;
  server.respond_default(CannedResponse{.status = 503, .body = "overloaded\nsecond line"});
  SendOutcome outcome = client(target(server.url() + "/w"))->store("x");
  EXPECT_EQ(outcome.kind, SendOutcome::Kind::kRetry);
  EXPECT_EQ(outcome.error, "server returned HTTP status 503: overloaded");

  test::SilentListener silent;  // accepts, never answers: the timeout
  config::RemoteWriteConfig hanging = target(silent.url() + "/w");
  hanging.remote_timeout = 200ms;
  EXPECT_EQ(client(hanging)->store("x").kind, SendOutcome::Kind::kRetry);

  int closed_port = 0;
  {
    RecordingServer gone;
    closed_port = gone.port();
  }
  outcome = client(target("http://127.0.0.1:" + std::to_string(closed_port) + "/w"))->store("x");
  EXPECT_EQ(outcome.kind, SendOutcome::Kind::kRetry);
  EXPECT_NE(outcome.error.find("127.0.0.1"), std::string::npos) << outcome.error;
}

TEST(WriteClient, FourHundredsAreFinal_429OnlyWithRetryOnHttp429) {
  RecordingServer server;
  server.respond("/bad", CannedResponse{.status = 400, .body = "out of order sample"});
  server.respond("/busy", CannedResponse{.status = 429, .body = "slow down"});
  server.respond("/later",
                 CannedResponse{.status = 429, .body = "", .headers = {{"Retry-After", "3"}}});
  SendOutcome bad = client(target(server.url() + "/bad"))->store("x");
  EXPECT_EQ(bad.kind, SendOutcome::Kind::kFailed);
  EXPECT_EQ(bad.error, "server returned HTTP status 400: out of order sample");
  EXPECT_EQ(client(target(server.url() + "/busy"))->store("x").kind, SendOutcome::Kind::kFailed);

  config::RemoteWriteConfig retrying = target(server.url() + "/busy");
  retrying.queue_config.retry_on_http_429 = true;
  SendOutcome busy = client(retrying)->store("x");
  EXPECT_EQ(busy.kind, SendOutcome::Kind::kRetry);
  EXPECT_EQ(busy.retry_after, Duration(0));  // no Retry-After: the backoff's own
  retrying.url = server.url() + "/later";
  SendOutcome later = client(retrying)->store("x");
  EXPECT_EQ(later.kind, SendOutcome::Kind::kRetry);
  EXPECT_EQ(later.retry_after, 3s);
}

TEST(WriteClient, RetryAfterIsSecondsOrAnHttpDate) {
  Timestamp now = *parse_time("2024-05-01T12:00:00Z");
  EXPECT_EQ(retry_after_delay("120", now), 120s);
  EXPECT_EQ(retry_after_delay("Wed, 01 May 2024 12:00:30 GMT", now), 30s);
  EXPECT_EQ(retry_after_delay("Wed, 01 May 2024 11:00:00 GMT", now), Duration(0));  // past
  EXPECT_EQ(retry_after_delay("soon", now), Duration(0));
  EXPECT_EQ(retry_after_delay("", now), Duration(0));
  EXPECT_EQ(retry_after_delay("-5", now), Duration(0));
}

TEST(WriteClient, Oauth2IsRefusedWhenTheClientIsBuilt) {
  config::RemoteWriteConfig c = target("http://127.0.0.1:1/w");
  c.http_config.oauth2 = http::OAuth2{.client_id = "x"};
  auto created = WriteClient::create(c);
  ASSERT_FALSE(created.has_value());
  EXPECT_NE(created.error().to_string().find("oauth2 is not supported by tocsin"),
            std::string::npos)
      << created.error().to_string();
}

// The storage: each target gets every sample, with the external labels it
// lacks; a reload keeps an unchanged target's queue and replaces the rest.
TEST(RemoteStorage, FansOutToEveryTargetWithExternalLabels) {
  RecordingServer a;
  RecordingServer b;
  prometheus::Registry registry;
  RemoteStorage storage({.registry = &registry});
  auto plan = RemoteStorage::prepare({target(a.url() + "/w"), target(b.url() + "/w")});
  ASSERT_TRUE(plan.has_value());
  storage.apply(std::move(*plan), {{"cluster", "eu1"}, {"job", "not-this"}});
  EXPECT_FALSE(storage.empty());
  storage.append(one_sample());
  ASSERT_TRUE(a.wait_for_requests(1, 10s));
  ASSERT_TRUE(b.wait_for_requests(1, 10s));
  for (RecordingServer* server : {&a, &b}) {
    auto decoded = test::decode_remote_write(server->requests().at(0).body);
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(decoded->at(0).labels,
              (Labels{{"__name__", "job:up:sum"}, {"cluster", "eu1"}, {"job", "api"}}));
  }
  storage.stop();
}

TEST(RemoteStorage, AReloadKeepsUnchangedTargetsAndStopsRemovedOnes) {
  RecordingServer a;
  RecordingServer b;
  prometheus::Registry registry;
  RemoteStorage storage({.registry = &registry});
  storage.apply(*RemoteStorage::prepare({target(a.url() + "/w"), target(b.url() + "/w")}), {});
  storage.append(one_sample());
  ASSERT_TRUE(a.wait_for_requests(1, 10s));
  ASSERT_TRUE(b.wait_for_requests(1, 10s));
  storage.apply(*RemoteStorage::prepare({target(a.url() + "/w")}), {});
  storage.append(one_sample());
  ASSERT_TRUE(a.wait_for_requests(2, 10s));
  EXPECT_EQ(b.request_count(), 1u);
  // b's series are gone from the metrics, a's count on.
  std::string text;
  for (const auto& family : registry.Collect()) {
    for (const auto& metric : family.metric) {
      for (const auto& label : metric.label) {
        if (label.name == "url") text += family.name + " " + label.value + "\n";
      }
    }
  }
  EXPECT_NE(text.find("tocsin_remote_storage_samples_total " + a.url() + "/w"), std::string::npos);
  EXPECT_EQ(text.find(b.url()), std::string::npos) << text;
  storage.apply(*RemoteStorage::prepare({}), {});
  EXPECT_TRUE(storage.empty());
}

}  // namespace
}  // namespace tocsin::remote
