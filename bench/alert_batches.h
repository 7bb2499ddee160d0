// The alerts the notification benchmarks post: Prometheus-shaped items of
// POST /api/v2/alerts (5 labels, 2 annotations, startsAt, generatorURL, about
// 380 bytes of JSON each), serialised per batch ahead of time so that a clock
// measures the server, not the JSON writer.
#pragma once

#include <string>
#include <vector>

namespace tocsin::bench {

// `alerts` distinct alerts (100 alert names, 37 services, one in ten
// critical), `batch` per body, all starting at `starts_at` (RFC 3339).
std::vector<std::string> alert_batches(int alerts, int batch, const std::string& starts_at);

}  // namespace tocsin::bench
