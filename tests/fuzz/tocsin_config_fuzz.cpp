// tocsin.yml as `run` and `check config` read it (the alerting section included).
#include <string>

#include "config/tocsin_config.h"
#include "fuzz_target.h"
#include "notifiers/notifier_registry.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(tocsin::fuzz::as_text(data, size));
  (void)tocsin::config::parse_config(text, "/nonexistent/tocsin.yml",
                                     tocsin::notifiers::receiver_kinds());
  return 0;
}
