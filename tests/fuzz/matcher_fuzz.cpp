// Matchers as the API's filters, silences, routes and inhibit rules write
// them: `{a="b", c=~"d.*"}` and single `a!="b"`.
#include "fuzz_target.h"
#include "tocsin/matcher.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = tocsin::fuzz::as_text(data, size);
  static const tocsin::Labels labels{{"alertname", "Fuzz"}, {"severity", "critical"}};
  if (auto matchers = tocsin::parse_matchers(text)) {
    (void)tocsin::matches_all(*matchers, labels);
    (void)tocsin::to_string(*matchers);
  }
  if (auto matcher = tocsin::parse_matcher(text)) (void)matcher->to_string();
  return 0;
}
