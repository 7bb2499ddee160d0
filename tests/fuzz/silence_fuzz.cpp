// POST /api/v2/silences bodies.
#include "api/silence_json.h"
#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)tocsin::api::parse_postable_silence(tocsin::fuzz::as_text(data, size));
  return 0;
}
