// A silence: matchers that mute every alert they match between two instants
// (Alertmanager's silencepb.Silence), its states, and the checks Alertmanager
// 0.25 makes before it stores one (silence.validateSilence), with its
// messages.
//
// Values only; the store that owns silences is silences.h.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <tocsin/error.h>
#include <tocsin/labels.h>
#include <tocsin/matcher.h>
#include <tocsin/time.h>

#include "config/time_interval.h"

namespace tocsin::dispatch {

enum class SilenceState { kExpired, kActive, kPending };

// "expired", "active", "pending": the API's status.state.
std::string_view to_string(SilenceState state);

// A matcher as a client writes it into a silence (silencepb.Matcher), before
// it is checked and compiled.
struct SilenceMatcher {
  MatchType type = MatchType::kEqual;
  std::string name;
  std::string pattern;

  bool operator==(const SilenceMatcher&) const = default;
};

// What a client posts: a new silence (empty id) or a change to the silence
// with that id (API v2's postableSilence).
struct PostableSilence {
  std::string id;
  std::vector<SilenceMatcher> matchers;
  Timestamp starts_at{};
  Timestamp ends_at{};
  std::string created_by;
  std::string comment;
  // tocsin's extension: expire once the alerts it matched have resolved.
  bool ends_when_resolved = false;
  // tocsin's extension: a JSON array of time intervals in Alertmanager's
  // syntax; the silence mutes only within them. Empty: always.
  std::string schedule{};
};

// A silence's schedule compiled; the error names the field, in
// validateSilence's words: "invalid timeIntervals: ...".
using Schedule = std::shared_ptr<const std::vector<config::TimeInterval>>;
Result<Schedule> compile_schedule(const std::string& schedule);

struct Silence {
  std::string id;
  Matchers matchers;  // compiled, in the order the client gave them
  Timestamp starts_at{};
  Timestamp ends_at{};
  Timestamp updated_at{};
  std::string created_by;
  std::string comment;
  // tocsin's extension: the silence expires once it has matched a firing
  // alert (`matched`) and none it matches fires any more.
  bool ends_when_resolved = false;
  bool matched = false;
  // tocsin's extension: a recurring window (the JSON the client gave, and
  // compiled); the silence mutes only at instants one of them contains.
  std::string schedule{};
  Schedule schedule_intervals{};

  // Pending before starts_at, active from starts_at until ends_at, expired
  // from ends_at on (types.CalcSilenceState). Alertmanager's internal
  // getState also counts the instant ends_at itself as active; at
  // nanoseconds that never shows, at tocsin's milliseconds it would keep an
  // expired silence muting for the rest of the millisecond it was expired in.
  SilenceState state_at(Timestamp now) const;

  bool matches(const Labels& labels) const { return matches_all(matchers, labels); }
  // Whether it mutes what it matches at `now`: active, and within its
  // schedule if it has one.
  bool mutes_at(Timestamp now) const;

  // The compiled schedule follows from the text; it is not compared.
  bool operator==(const Silence& other) const;
};

// The matchers compiled, after Alertmanager's checks in its order and words:
// "at least one matcher required", "invalid label matcher 0: invalid label
// name \"a-b\"", "invalid label matcher 1: invalid regular expression ...",
// "at least one matcher must not match the empty string".
Result<Matchers> compile_silence_matchers(const std::vector<SilenceMatcher>& matchers);

// The time checks of validateSilence: "invalid zero start timestamp" (the
// Unix epoch stands for Go's zero time), "invalid zero end timestamp",
// "end time must not be before start time".
Status validate_silence_times(Timestamp starts_at, Timestamp ends_at);

// The matcher as a silence stores it (the inverse of compiling).
SilenceMatcher to_silence_matcher(const Matcher& matcher);

}  // namespace tocsin::dispatch
