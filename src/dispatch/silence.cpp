#include "dispatch/silence.h"

#include <algorithm>

#include <fmt/format.h>

#include "gocompat/regexp.h"
#include "gocompat/strconv.h"

namespace tocsin::dispatch {
namespace {

// silence.ValidateMatcher: the name, then the value or the expression.
Status validate_matcher(const SilenceMatcher& m) {
  if (!is_valid_label_name(m.name)) {
    return fail(fmt::format("invalid label name {}", gocompat::quote(m.name)));
  }
  switch (m.type) {
    case MatchType::kEqual:
    case MatchType::kNotEqual:
      if (!is_valid_utf8(m.pattern)) {
        return fail(fmt::format("invalid label value {}", gocompat::quote(m.pattern)));
      }
      break;
    case MatchType::kRegexp:
    case MatchType::kNotRegexp:
      if (auto re = gocompat::compile_regexp(m.pattern); !re) {
        return fail(fmt::format("invalid regular expression {}: {}", gocompat::quote(m.pattern),
                                re.error().message()));
      }
      break;
  }
  return {};
}

// silence.matchesEmpty: only the positive types count; `a!="x"` matches the
// empty string too, but Alertmanager does not look at it.
bool matches_empty(const Matcher& m) {
  switch (m.type()) {
    case MatchType::kEqual:
    case MatchType::kRegexp:
      return m.matches(std::string_view());
    case MatchType::kNotEqual:
    case MatchType::kNotRegexp:
      return false;
  }
  return false;
}

}  // namespace

std::string_view to_string(SilenceState state) {
  switch (state) {
    case SilenceState::kExpired:
      return "expired";
    case SilenceState::kActive:
      return "active";
    case SilenceState::kPending:
      return "pending";
  }
  return "expired";
}

SilenceState Silence::state_at(Timestamp now) const {
  if (now < starts_at) return SilenceState::kPending;
  if (now < ends_at) return SilenceState::kActive;
  return SilenceState::kExpired;
}

Result<Matchers> compile_silence_matchers(const std::vector<SilenceMatcher>& matchers) {
  if (matchers.empty()) return fail("at least one matcher required");
  Matchers out;
  out.reserve(matchers.size());
  bool all_match_empty = true;
  for (std::size_t i = 0; i < matchers.size(); ++i) {
    const SilenceMatcher& m = matchers[i];
    auto invalid = [&](const std::string& why) {
      return fail(fmt::format("invalid label matcher {}: {}", i, why));
    };
    if (auto ok = validate_matcher(m); !ok) return invalid(ok.error().message());
    auto compiled = Matcher::create(m.type, m.name, m.pattern);
    if (!compiled) return invalid(compiled.error().message());
    all_match_empty = all_match_empty && matches_empty(*compiled);
    out.push_back(std::move(*compiled));
  }
  if (all_match_empty) return fail("at least one matcher must not match the empty string");
  return out;
}

Status validate_silence_times(Timestamp starts_at, Timestamp ends_at) {
  if (starts_at == Timestamp{}) return fail("invalid zero start timestamp");
  if (ends_at == Timestamp{}) return fail("invalid zero end timestamp");
  if (ends_at < starts_at) return fail("end time must not be before start time");
  return {};
}

SilenceMatcher to_silence_matcher(const Matcher& matcher) {
  return SilenceMatcher{matcher.type(), matcher.name(), matcher.value()};
}

Result<Schedule> compile_schedule(const std::string& schedule) {
  if (schedule.empty()) return Schedule{};
  auto intervals = config::parse_time_intervals(schedule, "timeIntervals");
  if (!intervals) {
    return fail(fmt::format("invalid timeIntervals: {}", intervals.error().to_string()));
  }
  return std::make_shared<const std::vector<config::TimeInterval>>(std::move(*intervals));
}

bool Silence::mutes_at(Timestamp now) const {
  if (state_at(now) != SilenceState::kActive) return false;
  if (!schedule_intervals) return true;
  return std::ranges::any_of(*schedule_intervals,
                             [&](const config::TimeInterval& ti) { return ti.contains(now); });
}

bool Silence::operator==(const Silence& other) const {
  return id == other.id && matchers == other.matchers && starts_at == other.starts_at &&
         ends_at == other.ends_at && updated_at == other.updated_at &&
         created_by == other.created_by && comment == other.comment &&
         ends_when_resolved == other.ends_when_resolved && matched == other.matched &&
         schedule == other.schedule;
}

}  // namespace tocsin::dispatch
