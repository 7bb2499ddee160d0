#include "alert_batches.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace tocsin::bench {
namespace {

using nlohmann::json;

json bench_alert(int i, const std::string& starts_at) {
  return {{"labels",
           {{"alertname", fmt::format("BenchAlert{}", i % 100)},
            {"instance", fmt::format("host-{}.example.test:9100", i)},
            {"job", "node"},
            {"severity", i % 10 == 0 ? "critical" : "warning"},
            {"service", fmt::format("service-{}", i % 37)}}},
          {"annotations",
           {{"summary", fmt::format("Instance host-{} is over its budget", i)},
            {"description", "The synthetic load of tocsin_notification_bench."}}},
          {"startsAt", starts_at},
          {"generatorURL", "http://prometheus.example.test/graph?g0.expr=up&g0.tab=1"}};
}

}  // namespace

std::vector<std::string> alert_batches(int alerts, int batch, const std::string& starts_at) {
  std::vector<std::string> out;
  for (int first = 0; first < alerts; first += batch) {
    json items = json::array();
    for (int i = first; i < std::min(alerts, first + batch); ++i) {
      items.push_back(bench_alert(i, starts_at));
    }
    out.push_back(items.dump());
  }
  return out;
}

}  // namespace tocsin::bench
