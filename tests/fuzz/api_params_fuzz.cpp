// tocsin's own /api/v1 requests: the first line is a query string (as
// GET /api/v1/history and POST /api/v1/heartbeats/NAME read theirs), the
// rest a body (as the heartbeat and acknowledgement POSTs read theirs).
#include "api/acknowledgements_endpoint.h"
#include "api/heartbeats_endpoint.h"
#include "api/history_endpoint.h"
#include "fuzz_target.h"
#include "gocompat/url.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = tocsin::fuzz::as_text(data, size);
  std::size_t newline = text.find('\n');
  tocsin::web::Request req;
  req.raw_query = std::string(text.substr(0, newline));
  req.params = tocsin::gocompat::parse_query(req.raw_query);
  if (newline != std::string_view::npos) req.body = std::string(text.substr(newline + 1));
  (void)tocsin::api::history_query(req);
  (void)tocsin::api::parse_heartbeat_post(req);
  (void)tocsin::api::parse_acknowledgement_post(req.body);
  return 0;
}
