#include "dispatch/silences.h"

#include <atomic>
#include <filesystem>
#include <regex>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "dispatch/silence_id.h"
#include "store/sqlite_store.h"
#include "support/fake_clock.h"
#include "support/recording_store.h"
#include "support/temp_dir.h"

namespace tocsin::dispatch {
namespace {

using namespace std::chrono_literals;
using test::at;
using test::FakeClock;

// Ids 00000000-0000-4000-8000-000000000001, ...002, ... in order.
SilenceIdGenerator counting_ids() {
  auto n = std::make_shared<std::atomic<int>>(0);
  return [n] { return fmt::format("00000000-0000-4000-8000-{:012}", ++*n); };
}

SilenceQuery by_ids(std::vector<std::string> ids) {
  SilenceQuery q;
  q.ids = std::move(ids);
  return q;
}
SilenceQuery in_states(std::vector<SilenceState> states) {
  SilenceQuery q;
  q.states = std::move(states);
  return q;
}
SilenceQuery matching(Labels labels) {
  SilenceQuery q;
  q.matching = std::move(labels);
  return q;
}
SilenceQuery filtered(std::string_view matchers) {
  SilenceQuery q;
  q.filter = parse_matchers(matchers).value();
  return q;
}

std::string id_no(int n) {
  return fmt::format("00000000-0000-4000-8000-{:012}", n);
}

SilenceMatcher eq(std::string name, std::string value) {
  return {MatchType::kEqual, std::move(name), std::move(value)};
}
SilenceMatcher re(std::string name, std::string value) {
  return {MatchType::kRegexp, std::move(name), std::move(value)};
}

PostableSilence silence(std::vector<SilenceMatcher> matchers, Timestamp starts, Timestamp ends,
                        std::string id = "") {
  return PostableSilence{.id = std::move(id),
                         .matchers = std::move(matchers),
                         .starts_at = starts,
                         .ends_at = ends,
                         .created_by = "alice",
                         .comment = "maintenance"};
}

class SilencesTest : public ::testing::Test {
 protected:
  Silences::Options options() {
    return {.retention = 120h, .new_id = counting_ids(), .journal = nullptr};
  }

  // Adds a silence and expects success.
  std::string add(const PostableSilence& s) {
    auto id = silences_.set(s, clock_.now());
    EXPECT_TRUE(id.has_value()) << (id ? "" : id.error().message);
    return id.value_or("");
  }
  std::string error_of(const PostableSilence& s) {
    auto id = silences_.set(s, clock_.now());
    return id ? "accepted" : id.error().message;
  }
  Silence held(const std::string& id) {
    auto s = silences_.get(id);
    EXPECT_TRUE(s.has_value()) << id;
    return s.value_or(Silence{});
  }
  SilenceState state(const std::string& id) { return held(id).state_at(clock_.now()); }

  FakeClock clock_;
  Silences silences_{options()};
};

TEST_F(SilencesTest, Silences_AddGivesANewIdAndStartsNoEarlierThanNow) {
  Timestamp now = clock_.now();
  std::string id = add(silence({eq("job", "api")}, now - 1h, now + 1h));
  EXPECT_EQ(id, id_no(1));
  Silence s = held(id);
  EXPECT_EQ(s.starts_at, now);  // a start in the past becomes now
  EXPECT_EQ(s.ends_at, now + 1h);
  EXPECT_EQ(s.updated_at, now);
  EXPECT_EQ(s.created_by, "alice");
  EXPECT_EQ(s.comment, "maintenance");
  EXPECT_EQ(to_string(s.matchers), R"({job="api"})");
  EXPECT_EQ(state(id), SilenceState::kActive);
}

TEST_F(SilencesTest, Silences_AddWithAFutureStartIsPendingUntilItStarts) {
  Timestamp now = clock_.now();
  std::string id = add(silence({eq("job", "api")}, now + 10min, now + 1h));
  EXPECT_EQ(held(id).starts_at, now + 10min);
  EXPECT_EQ(state(id), SilenceState::kPending);
  clock_.advance(10min - 1ms);
  EXPECT_EQ(state(id), SilenceState::kPending);
  clock_.advance(1ms);
  EXPECT_EQ(state(id), SilenceState::kActive);
}

TEST_F(SilencesTest, Silences_StateIsExpiredFromItsEndOn) {
  Timestamp now = clock_.now();
  std::string id = add(silence({eq("job", "api")}, now, now + 1h));
  clock_.advance(1h - 1ms);
  EXPECT_EQ(state(id), SilenceState::kActive);
  clock_.advance(1ms);
  EXPECT_EQ(state(id), SilenceState::kExpired);
  EXPECT_EQ(to_string(SilenceState::kExpired), "expired");
  EXPECT_EQ(to_string(SilenceState::kActive), "active");
  EXPECT_EQ(to_string(SilenceState::kPending), "pending");
}

TEST_F(SilencesTest, Silences_RandomIdsAreVersion4Uuids) {
  Silences store;  // default options: random ids
  Timestamp now = clock_.now();
  std::set<std::string> ids;
  for (int i = 0; i < 50; ++i) {
    auto id = store.set(silence({eq("job", "api")}, now, now + 1h), now);
    ASSERT_TRUE(id.has_value());
    EXPECT_TRUE(std::regex_match(
        *id, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
        << *id;
    EXPECT_TRUE(is_uuid(*id));
    ids.insert(*id);
  }
  EXPECT_EQ(ids.size(), 50u);
}

TEST(SilenceId, IsUuidAcceptsWhatStrfmtAccepts) {
  EXPECT_TRUE(is_uuid("1b4e28ba-2fa1-41d2-883f-0016d3cca427"));
  EXPECT_TRUE(is_uuid("1B4E28BA-2FA1-41D2-883F-0016D3CCA427"));
  EXPECT_TRUE(is_uuid("1b4e28ba2fa141d2883f0016d3cca427"));  // dashes are optional
  EXPECT_TRUE(is_uuid("00000000-0000-0000-0000-000000000000"));
  EXPECT_FALSE(is_uuid("abc"));
  EXPECT_FALSE(is_uuid(""));
  EXPECT_FALSE(is_uuid("1b4e28ba-2fa1-41d2-883f-0016d3cca42"));
  EXPECT_FALSE(is_uuid("1b4e28ba-2fa1-41d2-883f-0016d3cca4270"));
  EXPECT_FALSE(is_uuid("0000000000000000000000000000000G"));
}

TEST_F(SilencesTest, Silences_UpdateOfActiveSilenceWithSameMatchersChangesItInPlace) {
  Timestamp start = clock_.now();
  std::string id = add(silence({eq("job", "api")}, start, start + 1h));
  clock_.advance(5min);
  PostableSilence change = silence({eq("job", "api")}, start, start + 2h, id);
  change.comment = "longer";
  EXPECT_EQ(add(change), id);
  Silence s = held(id);
  EXPECT_EQ(s.ends_at, start + 2h);
  EXPECT_EQ(s.comment, "longer");
  EXPECT_EQ(s.updated_at, clock_.now());
  EXPECT_EQ(silences_.size(), 1u);
}

TEST_F(SilencesTest, Silences_UpdateOfActiveSilenceMayMoveItsStartWithinTheSameSecond) {
  // Alertmanager compares starts at whole seconds (Time.Unix()).
  Timestamp start = at("2024-05-01T12:00:00.250Z");
  clock_.set(start);
  std::string id = add(silence({eq("job", "api")}, start, start + 1h));
  clock_.advance(1min);
  EXPECT_EQ(add(silence({eq("job", "api")}, at("2024-05-01T12:00:00.900Z"), start + 1h, id)), id);
  EXPECT_EQ(held(id).starts_at, at("2024-05-01T12:00:00.900Z"));
}

TEST_F(SilencesTest, Silences_UpdateOfActiveSilenceWithNewMatchersExpiresTheOld) {
  Timestamp start = clock_.now();
  std::string old_id = add(silence({eq("job", "api")}, start, start + 1h));
  clock_.advance(5min);
  std::string new_id = add(silence({eq("job", "web")}, start, start + 1h, old_id));
  EXPECT_NE(new_id, old_id);
  EXPECT_EQ(new_id, id_no(2));

  Silence old_silence = held(old_id);
  EXPECT_EQ(old_silence.ends_at, clock_.now());
  EXPECT_EQ(to_string(old_silence.matchers), R"({job="api"})");
  EXPECT_EQ(state(old_id), SilenceState::kExpired);

  Silence replacement = held(new_id);
  EXPECT_EQ(to_string(replacement.matchers), R"({job="web"})");
  EXPECT_EQ(replacement.starts_at, clock_.now());  // the new one starts now, not in the past
  EXPECT_EQ(state(new_id), SilenceState::kActive);
}

TEST_F(SilencesTest, Silences_UpdateOfActiveSilenceWithReorderedMatchersIsANewSilence) {
  Timestamp start = clock_.now();
  std::string id = add(silence({eq("a", "1"), eq("b", "2")}, start, start + 1h));
  EXPECT_NE(add(silence({eq("b", "2"), eq("a", "1")}, start, start + 1h, id)), id);
  EXPECT_EQ(state(id), SilenceState::kExpired);
}

TEST_F(SilencesTest, Silences_UpdateOfActiveSilenceWithNewStartExpiresTheOld) {
  Timestamp start = clock_.now();
  std::string old_id = add(silence({eq("job", "api")}, start, start + 1h));
  clock_.advance(5min);
  std::string new_id = add(silence({eq("job", "api")}, start + 10min, start + 1h, old_id));
  EXPECT_NE(new_id, old_id);
  EXPECT_EQ(state(old_id), SilenceState::kExpired);
  EXPECT_EQ(state(new_id), SilenceState::kPending);
  EXPECT_EQ(held(new_id).starts_at, start + 10min);
}

TEST_F(SilencesTest, Silences_UpdateOfActiveSilenceEndingInThePastIsRefusedAndKeepsTheOld) {
  Timestamp start = clock_.now();
  std::string id = add(silence({eq("job", "api")}, start, start + 1h));
  clock_.advance(30min);
  // Not an in-place change (it would end in the past), so a new silence
  // starting now would have to end before it starts.
  EXPECT_EQ(error_of(silence({eq("job", "api")}, start, start + 10min, id)),
            "silence invalid: end time must not be before start time");
  EXPECT_EQ(state(id), SilenceState::kActive);  // Alertmanager would have expired it
  EXPECT_EQ(silences_.size(), 1u);
}

TEST_F(SilencesTest, Silences_UpdateOfPendingSilenceStartingLaterChangesItInPlace) {
  Timestamp now = clock_.now();
  std::string id = add(silence({eq("job", "api")}, now + 1h, now + 2h));
  EXPECT_EQ(add(silence({eq("job", "api")}, now + 90min, now + 3h, id)), id);
  EXPECT_EQ(held(id).starts_at, now + 90min);
  EXPECT_EQ(held(id).ends_at, now + 3h);
}

TEST_F(SilencesTest, Silences_UpdateOfPendingSilenceStartingInThePastReplacesIt) {
  Timestamp now = clock_.now();
  std::string old_id = add(silence({eq("job", "api")}, now + 1h, now + 2h));
  clock_.advance(10min);
  std::string new_id = add(silence({eq("job", "api")}, now, now + 2h, old_id));
  EXPECT_NE(new_id, old_id);
  // The pending one never silenced anything: it starts and ends now.
  EXPECT_EQ(held(old_id).starts_at, clock_.now());
  EXPECT_EQ(held(old_id).ends_at, clock_.now());
  EXPECT_EQ(state(old_id), SilenceState::kExpired);
  EXPECT_EQ(held(new_id).starts_at, clock_.now());
  EXPECT_EQ(state(new_id), SilenceState::kActive);
}

TEST_F(SilencesTest, Silences_UpdateOfExpiredSilenceAddsANewOneAndLeavesTheOld) {
  Timestamp start = clock_.now();
  std::string old_id = add(silence({eq("job", "api")}, start, start + 1h));
  clock_.advance(2h);
  Silence before = held(old_id);
  std::string new_id = add(silence({eq("job", "api")}, clock_.now(), clock_.now() + 1h, old_id));
  EXPECT_NE(new_id, old_id);
  EXPECT_EQ(held(old_id), before);
  EXPECT_EQ(state(new_id), SilenceState::kActive);
}

TEST_F(SilencesTest, Silences_UpdateOfUnknownIdIsNotFound) {
  Timestamp now = clock_.now();
  auto result = silences_.set(silence({eq("job", "api")}, now, now + 1h, "nope"), now);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, SilenceError::Kind::kNotFound);
  EXPECT_EQ(result.error().message, "silence not found");
  EXPECT_EQ(silences_.size(), 0u);
}

TEST_F(SilencesTest, Silences_RefusedChangeLeavesTheOldSilenceAlone) {
  Timestamp now = clock_.now();
  std::string id = add(silence({eq("job", "api")}, now, now + 1h));
  EXPECT_EQ(error_of(silence({eq("job-name", "api")}, now, now + 1h, id)),
            "silence invalid: invalid label matcher 0: invalid label name \"job-name\"");
  EXPECT_EQ(state(id), SilenceState::kActive);
}

TEST_F(SilencesTest, Silences_RejectsWhatAlertmanagerRejectsWithItsMessages) {
  Timestamp now = clock_.now();
  auto with = [&](std::vector<SilenceMatcher> m) { return silence(std::move(m), now, now + 1h); };
  EXPECT_EQ(error_of(with({})), "silence invalid: at least one matcher required");
  EXPECT_EQ(error_of(with({eq("a-b", "x")})),
            R"(silence invalid: invalid label matcher 0: invalid label name "a-b")");
  EXPECT_EQ(error_of(with({eq("", "x")})),
            R"(silence invalid: invalid label matcher 0: invalid label name "")");
  EXPECT_EQ(error_of(with({eq("a", "x"), eq("b", "\xff")})),
            R"(silence invalid: invalid label matcher 1: invalid label value "\xff")");
  EXPECT_EQ(error_of(with({re("a", "(")})),
            "silence invalid: invalid label matcher 0: invalid regular expression \"(\": "
            "error parsing regexp: missing closing ): `(`");
  EXPECT_EQ(error_of(with({eq("a", "x"), re("b", "a**")})),
            "silence invalid: invalid label matcher 1: invalid regular expression \"a**\": "
            "error parsing regexp: invalid nested repetition operator: `**`");
  EXPECT_EQ(error_of(with({eq("a", "")})),
            "silence invalid: at least one matcher must not match the empty string");
  EXPECT_EQ(error_of(with({re("a", ".*")})),
            "silence invalid: at least one matcher must not match the empty string");
  EXPECT_EQ(error_of(with({eq("a", ""), re("b", "x|")})),
            "silence invalid: at least one matcher must not match the empty string");
  EXPECT_EQ(error_of(silence({eq("a", "x")}, now + 2h, now + 1h)),
            "silence invalid: end time must not be before start time");
  EXPECT_EQ(error_of(silence({eq("a", "x")}, now, Timestamp{})),
            "silence invalid: invalid zero end timestamp");
  EXPECT_EQ(silences_.size(), 0u);
}

TEST_F(SilencesTest, Silences_NegativeMatchersCountAsNotMatchingTheEmptyString) {
  // Alertmanager's matchesEmpty only looks at = and =~; `a!="x"` passes.
  Timestamp now = clock_.now();
  EXPECT_EQ(error_of(silence({{MatchType::kNotEqual, "a", "x"}}, now, now + 1h)), "accepted");
  EXPECT_EQ(error_of(silence({{MatchType::kNotRegexp, "a", ".+"}}, now, now + 1h)), "accepted");
  EXPECT_EQ(error_of(silence({eq("a", ""), re("b", ".+")}, now, now + 1h)), "accepted");
}

TEST_F(SilencesTest, Silences_ExpireOfActiveSilenceEndsItNow) {
  Timestamp start = clock_.now();
  std::string id = add(silence({eq("job", "api")}, start, start + 1h));
  clock_.advance(10min);
  ASSERT_TRUE(silences_.expire(id, clock_.now()).has_value());
  EXPECT_EQ(held(id).starts_at, start);
  EXPECT_EQ(held(id).ends_at, clock_.now());
  EXPECT_EQ(held(id).updated_at, clock_.now());
  EXPECT_EQ(state(id), SilenceState::kExpired);  // at once, not a millisecond later
  EXPECT_TRUE(silences_.mutes({{"job", "api"}}, clock_.now()).empty());
}

TEST_F(SilencesTest, Silences_ExpireOfPendingSilenceStartsAndEndsItNow) {
  Timestamp now = clock_.now();
  std::string id = add(silence({eq("job", "api")}, now + 1h, now + 2h));
  ASSERT_TRUE(silences_.expire(id, now).has_value());
  EXPECT_EQ(held(id).starts_at, now);
  EXPECT_EQ(held(id).ends_at, now);
  EXPECT_EQ(state(id), SilenceState::kExpired);
}

TEST_F(SilencesTest, Silences_ExpireOfExpiredSilenceSucceedsAndChangesNothing) {
  // Alertmanager 0.25 made this idempotent (#2817): DELETE twice answers 200.
  Timestamp start = clock_.now();
  std::string id = add(silence({eq("job", "api")}, start, start + 1h));
  ASSERT_TRUE(silences_.expire(id, clock_.now()).has_value());
  Silence expired = held(id);
  std::uint64_t version = silences_.version();
  clock_.advance(1h);
  EXPECT_TRUE(silences_.expire(id, clock_.now()).has_value());
  EXPECT_EQ(held(id), expired);
  EXPECT_EQ(silences_.version(), version);
}

TEST_F(SilencesTest, Silences_ExpireOfUnknownIdIsNotFound) {
  auto result = silences_.expire("nope", clock_.now());
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, SilenceError::Kind::kNotFound);
  EXPECT_EQ(result.error().message, "silence not found");
}

TEST_F(SilencesTest, Silences_MutesNamesTheActiveSilencesThatMatchSorted) {
  Timestamp now = clock_.now();
  std::string a = add(silence({eq("job", "api")}, now, now + 1h));
  std::string b = add(silence({re("job", "api|web")}, now, now + 1h));
  add(silence({eq("job", "web")}, now, now + 1h));  // does not match
  std::string pending = add(silence({eq("job", "api")}, now + 1h, now + 2h));
  std::string ending = add(silence({eq("job", "api")}, now, now + 30min));

  Labels api{{"job", "api"}, {"instance", "a:1"}};
  EXPECT_EQ(silences_.mutes(api, now), (std::vector<std::string>{a, b, ending}));
  EXPECT_TRUE(silences_.mutes({{"job", "db"}}, now).empty());
  EXPECT_EQ(silences_.mutes(api, now + 30min), (std::vector<std::string>{a, b}));
  EXPECT_EQ(silences_.mutes(api, now + 1h), (std::vector<std::string>{pending}));
}

TEST_F(SilencesTest, Silences_MissingLabelMatchesAsEmpty) {
  Timestamp now = clock_.now();
  std::string id =
      add(silence({eq("job", "api"), {MatchType::kNotEqual, "env", "prod"}}, now, now + 1h));
  EXPECT_EQ(silences_.mutes({{"job", "api"}}, now), std::vector<std::string>{id});
  EXPECT_TRUE(silences_.mutes({{"job", "api"}, {"env", "prod"}}, now).empty());
}

TEST_F(SilencesTest, Silences_QueryFiltersByIdsStatesLabelsAndMatchers) {
  Timestamp now = clock_.now();
  std::string active = add(silence({eq("job", "api"), re("env", "prod|stage")}, now, now + 1h));
  std::string pending = add(silence({eq("job", "api")}, now + 1h, now + 2h));
  std::string expired = add(silence({eq("job", "web")}, now, now + 2h));
  ASSERT_TRUE(silences_.expire(expired, now).has_value());

  auto ids = [](const std::vector<Silence>& silences) {
    std::vector<std::string> out;
    for (const Silence& s : silences) out.push_back(s.id);
    return out;
  };
  using Ids = std::vector<std::string>;
  EXPECT_EQ(ids(silences_.query({}, now)), (Ids{active, pending, expired}));
  EXPECT_EQ(ids(silences_.query(by_ids({expired, "nope", active, active}), now)),
            (Ids{active, expired}));
  EXPECT_EQ(ids(silences_.query(by_ids({}), now)), Ids{});
  EXPECT_EQ(ids(silences_.query(in_states({SilenceState::kActive, SilenceState::kPending}), now)),
            (Ids{active, pending}));
  EXPECT_EQ(ids(silences_.query(in_states({SilenceState::kExpired}), now)), Ids{expired});
  EXPECT_EQ(ids(silences_.query(matching({{"job", "api"}, {"env", "prod"}}), now)),
            (Ids{active, pending}));
  EXPECT_EQ(ids(silences_.query(matching({{"job", "api"}}), now)), Ids{pending});

  // API v2's filter: equal matchers, not matching labels.
  EXPECT_EQ(ids(silences_.query(filtered(R"({job="api"})"), now)), (Ids{active, pending}));
  EXPECT_EQ(ids(silences_.query(filtered(R"({job="api", env=~"prod|stage"})"), now)), Ids{active});
  EXPECT_EQ(ids(silences_.query(filtered(R"({env="prod"})"), now)), Ids{});
  EXPECT_EQ(ids(silences_.query(filtered(R"({job=~"api"})"), now)), Ids{});
}

// tocsin's extension: a silence that ends when what it silenced resolved.
TEST_F(SilencesTest, Silences_ASilenceEndingWithItsAlertsExpiresOnceTheyResolved) {
  Timestamp now = clock_.now();
  PostableSilence posted = silence({eq("alertname", "Down")}, now, now + 2h);
  posted.ends_when_resolved = true;
  std::string id = add(posted);
  std::string plain = add(silence({eq("alertname", "Down")}, now, now + 2h));
  const Labels down{{"alertname", "Down"}, {"job", "api"}};
  const Labels other{{"alertname", "Slow"}};

  // Nothing it matches has fired yet: it waits (a silence made before the
  // alerts it is for).
  EXPECT_TRUE(silences_.has_resolve_ending(now));
  EXPECT_EQ(silences_.end_resolved({other}, now + 1min), 0u);
  EXPECT_EQ(state(id), SilenceState::kActive);
  // It matches a firing alert, then that alert resolves.
  EXPECT_EQ(silences_.end_resolved({down, other}, now + 2min), 0u);
  EXPECT_TRUE(held(id).matched);
  EXPECT_EQ(silences_.end_resolved({other}, now + 3min), 1u);
  EXPECT_EQ(held(id).state_at(now + 3min), SilenceState::kExpired);
  EXPECT_EQ(held(id).ends_at, now + 3min);
  // A plain silence is left alone.
  EXPECT_EQ(held(plain).state_at(now + 3min), SilenceState::kActive);
  EXPECT_FALSE(silences_.has_resolve_ending(now + 3min));
}

TEST_F(SilencesTest, Silences_AnUpdateKeepsWhatTheSilenceHasMatched) {
  Timestamp now = clock_.now();
  PostableSilence posted = silence({eq("alertname", "Down")}, now, now + 2h);
  posted.ends_when_resolved = true;
  std::string id = add(posted);
  silences_.end_resolved({Labels{{"alertname", "Down"}}}, now);
  posted.id = id;
  posted.comment = "still on it";
  ASSERT_EQ(add(posted), id);  // changed in place
  EXPECT_TRUE(held(id).matched);
  // Stored and read back as it is.
  auto row = silence_row(held(id), now + 5h);
  EXPECT_TRUE(row.ends_when_resolved);
  EXPECT_TRUE(row.matched);
  auto back = silence_from_row(row);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, held(id));
}

// tocsin's extension: a recurring window in Alertmanager's time_interval
// syntax; the silence mutes only within it.
TEST_F(SilencesTest, Silences_ARecurringSilenceMutesOnlyWithinItsWindow) {
  Timestamp now = clock_.now();  // 2024-05-01, a Wednesday, 12:00 UTC
  PostableSilence posted = silence({eq("job", "batch")}, now, now + 30 * 24h);
  posted.schedule =
      R"([{"weekdays":["saturday","sunday"],"times":[{"start_time":"02:00","end_time":"04:00"}]}])";
  std::string id = add(posted);
  const Labels batch{{"job", "batch"}};
  EXPECT_TRUE(silences_.mutes(batch, now).empty());  // a Wednesday noon
  Timestamp saturday_3am = test::at("2024-05-04T03:00:00Z");
  EXPECT_EQ(silences_.mutes(batch, saturday_3am), std::vector<std::string>{id});
  EXPECT_TRUE(silences_.mutes(batch, saturday_3am + 1h).empty());
  // In force all along, as Alertmanager's API says of any silence.
  EXPECT_EQ(state(id), SilenceState::kActive);
  // Stored and read back with its schedule.
  auto back = silence_from_row(silence_row(held(id), now + 60 * 24h));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, held(id));
  EXPECT_EQ(back->mutes_at(saturday_3am), true);
}

TEST_F(SilencesTest, Silences_AScheduleThatDoesNotReadIsRefusedNamingWhere) {
  Timestamp now = clock_.now();
  PostableSilence posted = silence({eq("job", "batch")}, now, now + 1h);
  posted.schedule = R"([{"weekdays":["someday"]}])";
  EXPECT_EQ(error_of(posted),
            "silence invalid: invalid timeIntervals: timeIntervals:1:15: weekdays: someday is not "
            "a valid weekday");
  posted.schedule = R"({"weekdays":["monday"]})";
  EXPECT_EQ(error_of(posted),
            "silence invalid: invalid timeIntervals: timeIntervals:1:1: expected a sequence of "
            "time intervals, got a mapping");
}

TEST_F(SilencesTest, Silences_CountsByState) {
  Timestamp now = clock_.now();
  add(silence({eq("a", "1")}, now, now + 1h));
  add(silence({eq("a", "2")}, now, now + 1h));
  add(silence({eq("a", "3")}, now + 1h, now + 2h));
  SilenceCounts counts = silences_.counts(now + 1h);
  EXPECT_EQ(counts.active, 1u);
  EXPECT_EQ(counts.pending, 0u);
  EXPECT_EQ(counts.expired, 2u);
}

TEST_F(SilencesTest, Silences_GarbageCollectionDropsSilencesEndedLongerThanRetention) {
  Timestamp now = clock_.now();
  std::string short_one = add(silence({eq("a", "1")}, now, now + 1h));
  std::string long_one = add(silence({eq("a", "2")}, now, now + 10h));
  EXPECT_EQ(silences_.collect_garbage(now + 1h + 120h - 1ms), 0u);
  std::uint64_t version = silences_.version();
  EXPECT_EQ(silences_.collect_garbage(now + 1h + 120h), 1u);
  EXPECT_GT(silences_.version(), version);
  EXPECT_FALSE(silences_.get(short_one).has_value());
  EXPECT_TRUE(silences_.get(long_one).has_value());
}

TEST_F(SilencesTest, Silences_GarbageCollectionCountsFromTheExpiry) {
  Timestamp now = clock_.now();
  std::string id = add(silence({eq("a", "1")}, now, now + 100h));
  clock_.advance(1h);
  ASSERT_TRUE(silences_.expire(id, clock_.now()).has_value());
  EXPECT_EQ(silences_.collect_garbage(clock_.now() + 120h - 1ms), 0u);
  EXPECT_EQ(silences_.collect_garbage(clock_.now() + 120h), 1u);
}

TEST_F(SilencesTest, Silences_VersionGrowsWithEveryChange) {
  Timestamp now = clock_.now();
  std::uint64_t v0 = silences_.version();
  std::string id = add(silence({eq("a", "1")}, now, now + 1h));
  std::uint64_t v1 = silences_.version();
  EXPECT_GT(v1, v0);
  silences_.mutes({{"a", "1"}}, now);
  silences_.query({}, now);
  EXPECT_EQ(silences_.version(), v1);
  ASSERT_TRUE(silences_.expire(id, now).has_value());
  EXPECT_GT(silences_.version(), v1);
}

// Rows in the store's table, read by a connection of the test's own while
// the writer holds the file: what a crash at this moment would leave.
int stored_silences(const std::string& path) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  int n = -1;
  if (sqlite3_prepare_v2(db, "SELECT count(*) FROM silences", -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    n = sqlite3_column_int(st, 0);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return n;
}

// Fails every write, as a full disk does.
class FullDisk final : public test::StubStore {
 public:
  FullDisk() : StubStore("full.db") {}
  Status write(const store::Batch&) override {
    return fail("full.db: committing: database or disk is full");
  }
};

TEST_F(SilencesTest, Silences_EveryChangeIsCommittedWhenSetOrExpireReturns) {
  test::TempDir dir("silences");
  std::string path = dir.file("tocsin.db");
  Timestamp now = clock_.now();
  std::vector<Silence> held;
  {
    auto opened = store::open_sqlite_store(path);
    ASSERT_TRUE(opened) << opened.error().message();
    Silences::Options with_journal = options();
    with_journal.journal =
        std::make_shared<store::Writer>(std::move(*opened), store::Writer::Options{});
    Silences silences(with_journal);

    auto id = silences.set(silence({eq("job", "api")}, now, now + 1h), now);
    ASSERT_TRUE(id) << id.error().message;
    EXPECT_EQ(stored_silences(path), 1);
    // A change that replaces the silence ends the old one and adds the new
    // one in one commit.
    auto replaced = silences.set(silence({eq("job", "web")}, now, now + 1h, *id), now + 1min);
    ASSERT_TRUE(replaced) << replaced.error().message;
    EXPECT_EQ(stored_silences(path), 2);
    ASSERT_TRUE(silences.expire(*replaced, now + 2min));
    held = silences.query({}, now + 2min);
  }  // the writer closes the file

  // What a restart reads: every silence as memory had it, expired ones too.
  auto reopened = store::open_sqlite_store(path);
  ASSERT_TRUE(reopened) << reopened.error().message();
  auto state = (*reopened)->load();
  ASSERT_TRUE(state);
  Silences restarted(options());
  ASSERT_TRUE(restarted.restore(state->silences));
  EXPECT_EQ(restarted.query({}, now + 2min), held);
  EXPECT_EQ(restarted.counts(now + 2min).expired, 2u);
}

TEST_F(SilencesTest, Silences_RestoreFromStoredRowsKeepsEverySilence) {
  Timestamp now = clock_.now();
  add(silence({eq("job", "api"),
               re("env", "prod|st\"age"),
               {MatchType::kNotEqual, "team", "x\ny"},
               {MatchType::kNotRegexp, "a", "b.*"}},
              now, now + 1h));
  std::string pending = add(silence({eq("job", "web")}, now + 1h, now + 2h));
  std::string expired = add(silence({eq("job", "db")}, now, now + 2h));
  ASSERT_TRUE(silences_.expire(expired, now + 1min).has_value());

  std::vector<store::SilenceRow> rows;
  for (const Silence& s : silences_.query({}, now)) {
    rows.push_back(silence_row(s, s.ends_at + 120h));
  }
  Silences restored(options());
  ASSERT_TRUE(restored.restore(rows).has_value());
  EXPECT_EQ(restored.query({}, now), silences_.query({}, now));
  EXPECT_EQ(restored.mutes({{"job", "api"}, {"env", "st\"age"}}, now),
            silences_.mutes({{"job", "api"}, {"env", "st\"age"}}, now));
  // Retention deadlines survive too.
  EXPECT_EQ(restored.collect_garbage(now + 1min + 120h), 1u);
  EXPECT_FALSE(restored.get(expired).has_value());
  EXPECT_TRUE(restored.get(pending).has_value());
}

TEST_F(SilencesTest, Silences_RestoreOfABadRowChangesNothing) {
  Timestamp now = clock_.now();
  std::string id = add(silence({eq("job", "web")}, now, now + 1h));
  std::vector<Silence> before = silences_.query({}, now);
  store::SilenceRow bad = silence_row(before.front(), now + 121h);
  bad.id = "x";
  bad.matchers = {{"=~", "a", "("}};
  auto restored = silences_.restore({bad});
  ASSERT_FALSE(restored.has_value());
  EXPECT_TRUE(restored.error().message().starts_with("silence x: ")) << restored.error().message();
  EXPECT_EQ(silences_.query({}, now), before);
  bad.matchers = {{"~~", "a", "b"}};
  EXPECT_EQ(silences_.restore({bad}).error().message(), R"(silence x: unknown matcher type "~~")");
  EXPECT_EQ(to_string(silences_.get(id)->matchers), R"({job="web"})");
}

TEST_F(SilencesTest, Silences_AChangeTheStoreDoesNotConfirmIsInForceButReported) {
  FakeClock store_clock;  // never advanced: the writer waits on it between retries
  Silences::Options with_journal = options();
  with_journal.journal = std::make_shared<store::Writer>(
      std::make_unique<FullDisk>(), store::Writer::Options{.clock = &store_clock});
  with_journal.durable_timeout = Duration::zero();
  Silences silences(with_journal);
  Timestamp now = clock_.now();
  auto id = silences.set(silence({eq("job", "api")}, now, now + 1h), now);
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().kind, SilenceError::Kind::kNotDurable);
  EXPECT_TRUE(id.error().message.starts_with("silence " + id_no(1) +
                                             " is in force but not yet stored, so a restart would "
                                             "lose it: "))
      << id.error().message;
  // In force all the same: memory is the truth while the disk refuses.
  EXPECT_EQ(silences.mutes({{"job", "api"}}, now), std::vector<std::string>{id_no(1)});
}

TEST_F(SilencesTest, Silences_OrderForListingIsActivePendingExpired) {
  Timestamp now = clock_.now();
  std::string active_late = add(silence({eq("a", "1")}, now, now + 2h));
  std::string active_soon = add(silence({eq("a", "2")}, now, now + 1h));
  std::string pending_late = add(silence({eq("a", "3")}, now + 2h, now + 3h));
  std::string pending_soon = add(silence({eq("a", "4")}, now + 1h, now + 3h));
  std::string expired_long_ago = add(silence({eq("a", "5")}, now, now + 3h));
  std::string expired_recently = add(silence({eq("a", "6")}, now, now + 3h));
  ASSERT_TRUE(silences_.expire(expired_long_ago, now).has_value());
  ASSERT_TRUE(silences_.expire(expired_recently, now + 1min).has_value());

  std::vector<Silence> listed = silences_.query({}, now + 2min);
  order_for_listing(listed, now + 2min);
  std::vector<std::string> ids;
  for (const Silence& s : listed) ids.push_back(s.id);
  EXPECT_EQ(ids, (std::vector<std::string>{active_soon, active_late, pending_soon, pending_late,
                                           expired_recently, expired_long_ago}));
}

TEST_F(SilencesTest, Silences_AreSafeToUseFromManyThreads) {
  Silences store;  // random ids
  Timestamp now = clock_.now();
  std::atomic<int> muted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        auto id = store.set(
            silence({eq("t", std::to_string(t)), eq("i", std::to_string(i))}, now, now + 1h), now);
        ASSERT_TRUE(id.has_value());
        if (!store.mutes({{"t", std::to_string(t)}, {"i", std::to_string(i)}}, now).empty()) {
          ++muted;
        }
        if (i % 3 == 0) {
          ASSERT_TRUE(store.expire(*id, now).has_value());
        }
        store.query(in_states({SilenceState::kActive}), now);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(muted.load(), 800);
  EXPECT_EQ(store.size(), 800u);
  EXPECT_EQ(store.counts(now).active, 4u * 133u);
}

}  // namespace
}  // namespace tocsin::dispatch
