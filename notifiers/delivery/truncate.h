// Alertmanager's notify.TruncateInRunes: the limits Slack and PagerDuty put
// on titles and summaries are counted in characters (runes), and a cut text
// ends with "…".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tocsin::notifiers {

struct Truncated {
  std::string text;
  bool truncated = false;
};

// `text` unchanged when it has at most `max_runes` runes; otherwise its
// first max_runes-1 runes and "…" (only the first max_runes when
// max_runes <= 3). Invalid UTF-8 counts one rune per byte and, in a cut
// text, becomes U+FFFD, as Go's []rune conversion does.
Truncated truncate_in_runes(std::string_view text, std::size_t max_runes);

}  // namespace tocsin::notifiers
