#include "api/plain_alerts.h"

#include <random>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "api/postable_alerts.h"

namespace tocsin::api {
namespace {

using namespace std::chrono_literals;

// What Prometheus's notifier posts (its JSON encoder escapes <, > and &).
constexpr std::string_view kPrometheusBody =
    R"([{"labels":{"alertname":"PolicyLatencyHigh","instance":"policy:8080","severity":"warning"},)"
    R"("annotations":{"description":"p99 \u003e 250ms for \"policy\"\n","summary":"Policy slow"},)"
    R"("startsAt":"2026-12-06T03:00:00.123456789Z","endsAt":"2026-12-06T03:04:00.123Z",)"
    R"("generatorURL":"http://prometheus:9090/graph?g0.expr=latency%3E0.25\u0026g0.tab=1"}])";

TEST(PlainAlertsTest, ReadsWhatPrometheusSends) {
  // \u003e is outside the plain subset; the same body with the characters
  // themselves is inside it.
  std::string body(kPrometheusBody);
  EXPECT_FALSE(decode_plain_alerts(body));
  for (auto [escape, c] : {std::pair{"\\u003e", ">"}, {"\\u0026", "&"}}) {
    body.replace(body.find(escape), 6, c);
  }
  auto alerts = decode_plain_alerts(body);
  ASSERT_TRUE(alerts);
  ASSERT_EQ(alerts->size(), 1u);
  const notify::Alert& a = alerts->front();
  EXPECT_EQ(a.labels, (Labels{{"alertname", "PolicyLatencyHigh"},
                              {"instance", "policy:8080"},
                              {"severity", "warning"}}));
  EXPECT_EQ(a.annotations.value_of("description"), "p99 > 250ms for \"policy\"\n");
  EXPECT_EQ(a.starts_at, Timestamp(1'796'526'000'123ms));
  EXPECT_EQ(a.ends_at, Timestamp(1'796'526'240'123ms));
  EXPECT_EQ(a.generator_url, "http://prometheus:9090/graph?g0.expr=latency%3E0.25&g0.tab=1");
}

TEST(PlainAlertsTest, LeavesEverythingElseToTheFullDecoder) {
  for (std::string_view body : {
           "", "null", "{}", R"([null])",
           R"([{"annotations":{"a":"b"}}])",                // no labels: a 422
           R"([{"labels":{"a":"b"},"Labels":{"c":"d"}}])",  // Go matches keys ignoring case
           R"([{"labels":{"a":"b"},"labels":{"c":"d"}}])",  // Go merges both maps
           R"([{"labels":{"a":"b"},"extra":1}])",           // skipped by Go, not read here
           R"([{"labels":{"a":null}}])",                    // null reads as ""
           R"([{"labels":{"a":1}}])",                       // a type error
           R"([{"labels":{"a-b":"c"}}])",                   // an invalid name: a 400
           R"([{"labels":{"a":"b"},"annotations":{"1x":""}}])",
           R"([{"labels":{"a":"\ud800"}}])",   // Go substitutes U+FFFD
           "[{\"labels\":{\"a\":\"\xff\"}}]",  // invalid UTF-8
           R"([{"labels":{"a":"b"},"startsAt":"yesterday"}])",
           R"([{"labels":{"a":"b"},"generatorURL":"not a uri"}])",
           R"([{"labels":{"a":"b"}}] [])",  // trailing data
       }) {
    EXPECT_FALSE(decode_plain_alerts(body)) << body;
  }
  auto empty = decode_plain_alerts(" [ ] ");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

// ---- the plain path against the full decoder, on generated bodies ----------

class BodyGenerator {
 public:
  explicit BodyGenerator(unsigned seed) : rng_(seed) {}

  std::string body() {
    if (chance(0.03)) return pick({"null", "{}", "", "[1]", "[", "[]"});
    std::string out = space() + "[";
    int items = uniform(0, 3);
    for (int i = 0; i < items; ++i) {
      if (i > 0) out += space() + "," + space();
      out += chance(0.03) ? "null" : item();
    }
    out += space() + "]" + space();
    if (chance(0.02)) out += "x";
    return out;
  }

 private:
  std::string item() {
    std::vector<std::string> members;
    if (chance(0.95)) members.push_back(member("labels", string_map()));
    if (chance(0.7)) members.push_back(member("annotations", string_map()));
    if (chance(0.6)) members.push_back(member("startsAt", time()));
    if (chance(0.4)) members.push_back(member("endsAt", time()));
    if (chance(0.6)) members.push_back(member("generatorURL", url()));
    if (chance(0.05)) {
      members.push_back(member(pick({"Labels", "startsat", "extra", "labels"}), string_map()));
    }
    std::shuffle(members.begin(), members.end(), rng_);
    std::string out = "{";
    for (std::size_t i = 0; i < members.size(); ++i) {
      if (i > 0) out += "," + space();
      out += members[i];
    }
    return out + space() + "}";
  }

  std::string member(std::string_view key, const std::string& value) {
    return fmt::format("\"{}\"{}:{}{}", key, space(), space(), value);
  }

  std::string string_map() {
    if (chance(0.03)) return pick({"null", "[]", "\"x\"", "1"});
    std::string out = "{";
    int pairs = uniform(0, 4);
    for (int i = 0; i < pairs; ++i) {
      if (i > 0) out += ",";
      out += quoted(name()) + space() + ":" + space() + value();
    }
    return out + "}";
  }

  // Each part is mostly what Prometheus sends, sometimes something odd.
  std::string name() {
    if (chance(0.85)) return pick({"alertname", "severity", "instance", "job", "summary", "_x9"});
    return pick({"a-b", "9lives", "", "\\u0061", "n\\\"q", "caf\xc3\xa9", "alertname"});
  }

  std::string value() {
    if (chance(0.04)) return pick({"null", "1", "true", "{}"});
    if (chance(0.75)) return quoted(pick({"Down", "critical", "", "host:9100", "<&>"}));
    return quoted(
        pick({"tab\\there", "quote \\\" and \\\\", "slash \\/", "\\n", "\\u00e9t\\u00e9",
              "\\ud83d\\ude00", "\\ud800", "\xf0\x9f\x94\xa5 fire", "bad \xff byte", "ctl \x01"}));
  }

  std::string time() {
    if (chance(0.05)) return pick({"null", "5"});
    if (chance(0.8)) {
      return quoted(pick({"2024-05-01T12:00:00Z", "2024-05-01T12:00:00.5+01:00",
                          "2024-05-01T13:00:00.123456789Z", "0001-01-01T00:00:00Z", ""}));
    }
    return quoted(
        pick({"2024-05-01 12:00:00", "2024-05-01T12:00", "nope", "2024-13-01T00:00:00Z"}));
  }

  std::string url() {
    if (chance(0.05)) return pick({"null", "1"});
    return quoted(pick({"http://prom:9090/graph?g0.expr=up&g0.tab=1", "", "not a uri", ":bad",
                        "/relative", "http://[::1]:9090/x", "http://h/%zz", "https://h/\\u00e9"}));
  }

  static std::string quoted(std::string_view text) { return fmt::format("\"{}\"", text); }

  std::string space() { return chance(0.2) ? pick({" ", "\n  ", "\t", "\r\n"}) : ""; }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  std::string pick(std::initializer_list<const char*> options) {
    return *(options.begin() + uniform(0, static_cast<int>(options.size()) - 1));
  }

  std::mt19937 rng_;
};

// Whenever the plain path reads a body, the full decoder reads it too,
// without error, to the same alerts, and Validate says the same of them.
TEST(PlainAlertsTest, AgreesWithTheFullDecoderOnGeneratedBodies) {
  BodyGenerator generate(20261206);
  int read = 0, left = 0, with_alerts = 0;
  for (int n = 0; n < 20000; ++n) {
    std::string body = generate.body();
    auto plain = decode_plain_alerts(body);
    if (!plain) {
      ++left;
      continue;
    }
    ++read;
    if (!plain->empty()) ++with_alerts;
    auto full = decode_posted_alerts(body, AlertsApi::kV2);
    ASSERT_TRUE(full) << body << "\n -> " << full.error().message;
    ASSERT_EQ(full->size(), plain->size()) << body;
    for (std::size_t i = 0; i < plain->size(); ++i) {
      ASSERT_TRUE((*full)[i].has_value()) << body;
      const PostedAlert& posted = *(*full)[i];
      notify::Alert alert = to_alert(posted);
      ASSERT_EQ(alert, (*plain)[i]) << body;
      EXPECT_EQ(check_alert(posted, alert), check_alert(alert)) << body;
      alert.ends_at = alert.starts_at - 1ms;
      EXPECT_EQ(check_alert(posted, alert), check_alert(alert)) << body;
    }
  }
  // Both paths are exercised, and plenty of bodies hold alerts.
  EXPECT_GT(read, 2000) << read << " read, " << left << " left";
  EXPECT_GT(with_alerts, 1000) << with_alerts << " with alerts";
  EXPECT_GT(left, 2000);
}

}  // namespace
}  // namespace tocsin::api
