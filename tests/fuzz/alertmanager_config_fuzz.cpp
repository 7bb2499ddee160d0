// alertmanager.yml, and what /api/v2/status writes back from it.
#include <string>

#include "config/alertmanager_config.h"
#include "fuzz_target.h"
#include "notifiers/notifier_registry.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(tocsin::fuzz::as_text(data, size));
  auto config = tocsin::config::parse_alertmanager_config(text, "/nonexistent/alertmanager.yml",
                                                          tocsin::notifiers::receiver_kinds());
  if (config) (void)tocsin::config::to_redacted_yaml(*config);
  return 0;
}
