#include "api/alert_filter.h"

#include <fmt/format.h>

#include "gocompat/regexp.h"

namespace tocsin::api {

std::expected<AlertFilter, ApiError> AlertFilter::from(const AlertsParams& params) {
  AlertFilter f;
  f.silenced_ = params.silenced;
  f.inhibited_ = params.inhibited;
  f.active_ = params.active;
  auto matchers = parse_filter(params.filter);
  if (!matchers) return std::unexpected(matchers.error());
  f.matchers_ = std::move(*matchers);
  if (!params.receiver.empty()) {
    auto re = gocompat::compile_regexp("^(?:" + params.receiver + ")$");
    if (!re) {
      return std::unexpected(handler_error(
          400, fmt::format("failed to parse receiver param: {}", re.error().message())));
    }
    f.receiver_ = std::move(*re);
  }
  return f;
}

bool AlertFilter::receiver_matches(std::string_view name) const {
  return !receiver_ || gocompat::match_string(*receiver_, name);
}

bool AlertFilter::passes(const notify::Alert& alert, const dispatch::AlertStatus& status,
                         Timestamp now) const {
  if (alert.ends_at != Timestamp{} && alert.ends_at < now) return false;
  if (!active_ && !status.suppressed()) return false;
  if (!silenced_ && !status.silenced_by.empty()) return false;
  if (!inhibited_ && !status.inhibited_by.empty()) return false;
  for (const Matcher& m : matchers_) {
    auto value = alert.labels.get(m.name());
    bool negative = m.type() == MatchType::kNotEqual || m.type() == MatchType::kNotRegexp;
    if (m.value().empty() && (negative ? value.has_value() : !value.has_value())) continue;
    if (!m.matches(value.value_or(""))) return false;
  }
  return true;
}

}  // namespace tocsin::api
