// What the query client's integration tests share: a client for a URL and
// the canned answers a stand-in Prometheus gives.
#pragma once

#include <chrono>
#include <memory>
#include <ostream>
#include <string>

#include <gtest/gtest.h>

#include "query/prometheus_client.h"

namespace tocsin::query {

inline constexpr std::string_view kEmptyVector =
    R"({"status":"success","data":{"resultType":"vector","result":[]}})";

inline std::string testdata(std::string_view name) {
  return std::string(TOCSIN_QUERY_TESTDATA) + "/" + std::string(name);
}

// A client for `config`; fails the test (returning null) if it is refused.
inline std::unique_ptr<PrometheusClient> make_client(ClientConfig config) {
  auto client = PrometheusClient::create(std::move(config));
  EXPECT_TRUE(client.has_value()) << client.error().to_string();
  return client ? std::move(*client) : nullptr;
}

inline std::unique_ptr<PrometheusClient> make_client(const std::string& url,
                                                     Duration timeout = std::chrono::seconds(10)) {
  ClientConfig config;
  config.url = url;
  config.timeout = timeout;
  return make_client(std::move(config));
}

inline Timestamp now() {
  return SystemClock().now();
}

}  // namespace tocsin::query
