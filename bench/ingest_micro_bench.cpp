// tocsin_ingest_micro_bench: the in-process parts of POST /api/v2/alerts,
// without HTTP, so tocsin_notification_bench's CPU per alert can be split
// into decoding and storing. The bodies are that bench's own (alert_batches).
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "alert_batches.h"
#include "api/plain_alerts.h"
#include "api/postable_alerts.h"
#include "config/alertmanager_config.h"
#include "dispatch/notification_service.h"
#include "notifiers/notifier_registry.h"

namespace tocsin::bench {
namespace {

using namespace std::chrono_literals;

constexpr int kBatch = 64;  // Prometheus's most alerts per request
const Timestamp kNow = Timestamp(1'796'526'000'000ms);

// Bodies of kBatch distinct alerts each; `count` alerts in all.
std::vector<std::string> bodies(int count) {
  return alert_batches(count, kBatch, "2026-12-06T03:00:00Z");
}

void BM_DecodePlainAlerts(benchmark::State& state) {
  std::string body = bodies(kBatch).front();
  for (auto _ : state) {
    auto alerts = api::decode_plain_alerts(body);
    if (!alerts || alerts->size() != kBatch) state.SkipWithError("not read");
    benchmark::DoNotOptimize(alerts);
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(BM_DecodePlainAlerts);

// The full decoder, as every body took it before the plain path: Go's
// scanner, nlohmann's DOM, the posted items, then the alerts.
void BM_DecodePostedAlerts(benchmark::State& state) {
  std::string body = bodies(kBatch).front();
  for (auto _ : state) {
    auto items = api::decode_posted_alerts(body, api::AlertsApi::kV2);
    if (!items) state.SkipWithError("not decoded");
    std::vector<notify::Alert> alerts;
    for (const auto& item : *items) alerts.push_back(api::to_alert(*item));
    benchmark::DoNotOptimize(alerts);
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(BM_DecodePostedAlerts);

// The notification bench's routing: everything to a receiver without
// integrations, grouped by alert name, waiting long enough that nothing
// flushes while this runs.
std::unique_ptr<dispatch::NotificationService> service() {
  dispatch::NotificationService::Options options;
  options.integrations = [](const config::Receiver&,
                            const std::shared_ptr<const tmpl::NotificationTemplates>&)
      -> std::expected<std::vector<dispatch::ReceiverIntegration>, std::vector<Error>> {
    return std::vector<dispatch::ReceiverIntegration>{};
  };
  auto created = dispatch::NotificationService::create(std::move(options));
  auto config = config::parse_alertmanager_config(R"(route:
  receiver: blackhole
  group_by: [alertname]
  group_wait: 1h
receivers:
  - name: blackhole
)",
                                                  "alertmanager.yml", notifiers::receiver_kinds());
  if (!created || !config ||
      !(*created)->apply(std::make_shared<const config::AlertmanagerConfig>(std::move(*config)),
                         "http://tocsin.bench")) {
    fmt::print(stderr, "the bench's notification service does not start\n");
    std::abort();
  }
  return std::move(*created);
}

// Storing decoded batches of new alerts: the store, inhibition (no rules)
// and the dispatcher's aggregation groups. Every 100,000 alerts the service
// starts afresh (outside the clock), so the store's size stays realistic.
void BM_PutNewAlerts(benchmark::State& state) {
  constexpr int kAlerts = 100'000;
  std::vector<std::vector<notify::Alert>> decoded;
  for (const std::string& body : bodies(kAlerts)) {
    decoded.push_back(*api::decode_plain_alerts(body));
    for (notify::Alert& a : decoded.back()) a.ends_at = kNow + 5min;
  }
  std::unique_ptr<dispatch::NotificationService> svc;
  std::vector<std::vector<notify::Alert>> batches;  // put consumes them
  std::size_t next = 0;
  for (auto _ : state) {
    if (next == batches.size()) {
      state.PauseTiming();
      svc = service();
      batches = decoded;
      next = 0;
      state.ResumeTiming();
    }
    svc->put(std::move(batches[next++]));
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(BM_PutNewAlerts);

}  // namespace
}  // namespace tocsin::bench

BENCHMARK_MAIN();
