// Rule files as `tocsin check rules` and a reload read them: YAML, then the
// rule format, then every label and annotation template.
#include <string>

#include "fuzz_target.h"
#include "rules/group.h"
#include "rules/rule_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(tocsin::fuzz::as_text(data, size));
  tocsin::rules::RuleFileResult read = tocsin::rules::parse_rule_file(text, "fuzz.yml");
  for (const tocsin::rules::RuleGroupSpec& spec : read.file.groups) {
    (void)tocsin::rules::RuleGroup::build(spec, std::chrono::minutes(1));
  }
  return 0;
}
