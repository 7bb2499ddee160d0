// POST /api/v2/alerts and /api/v1/alerts bodies through both decoders: the
// fast path for what Prometheus sends and the full Go-compatible one. Where
// the fast path answers, it must agree with the full decoder.
#include <cstdlib>

#include "api/plain_alerts.h"
#include "api/postable_alerts.h"
#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view body = tocsin::fuzz::as_text(data, size);
  auto plain = tocsin::api::decode_plain_alerts(body);
  auto full = tocsin::api::decode_posted_alerts(body, tocsin::api::AlertsApi::kV2);
  (void)tocsin::api::decode_posted_alerts(body, tocsin::api::AlertsApi::kV1);
  if (plain) {
    // The fast path only takes bodies the full decoder takes too.
    if (!full || full->size() != plain->size()) std::abort();
  }
  return 0;
}
