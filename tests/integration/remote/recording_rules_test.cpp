// The user's story: a team moves its recording rules, and the ALERTS series
// its dashboards read, from Prometheus's rule manager to tocsin. Two real
// Prometheus 2.42 servers hold the same raw data, pushed at timestamps the
// test chooses (so every evaluation sees all of it, whenever it runs): one
// evaluates the rule file itself, the other is tocsin's datasource and
// receives what tocsin writes over remote write. Both evaluate at the same
// slots (the same file and group, so the same offset), so the series tocsin
// wrote must equal Prometheus's own, series for series, timestamp for
// timestamp, value for value; a recording rule that reads another one's
// result may see it one evaluation late (remote write is asynchronous, as
// vmalert's is), and is compared allowing exactly that. Stale markers are
// proven by instant queries: a series that disappeared is absent at once,
// where without a marker Prometheus would look back five minutes.
#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "support/http.h"
#include "support/prometheus_server.h"
#include "support/remote_write.h"
#include "support/temp_dir.h"
#include "support/tocsin_server.h"
#include "support/wait.h"

namespace tocsin::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// When the data changes, from T0 (the time the data was made): the room
// heats up at kHot and cools down at kCool. Both servers and tocsin
// evaluate well before kHot, so every alert starts at the same slot in all.
constexpr auto kHot = 25s;
constexpr auto kCool = 40s;
constexpr auto kDataEnd = 150s;

const char* const kRules = R"(groups:
  - name: slo
    interval: 1s
    rules:
      - record: job:requests:rate30s
        expr: sum by (job) (rate(requests_total[30s]))
      - record: job:errors:ratio30s
        expr: sum by (job) (rate(errors_total[30s])) / sum by (job) (rate(requests_total[30s]))
        labels:
          team: sre
      - record: room:temperature:hot
        expr: temperature > 50
        labels:
          room: overridden-{{ not a template }}
      - record: total_temperature
        expr: scalar(sum(temperature))
      - record: job:requests:rate30s:doubled
        expr: job:requests:rate30s * 2
      - alert: Hot
        expr: temperature > 50
        for: 3s
        labels:
          severity: page
          where: "{{ $labels.room }}-room"
        annotations:
          summary: "{{ $labels.room }} is at {{ $value }}"
      - alert: Warm
        expr: temperature > 50
        for: 1h
)";

// Raw data from T0 - 5m to T0 + kDataEnd, one sample a second.
std::vector<SeriesSample> raw_data(Timestamp t0) {
  std::vector<SeriesSample> out;
  auto add = [&](Labels labels, auto value_at) {
    for (auto t = t0 - 5min; t <= t0 + kDataEnd; t += 1s) {
      double seconds = std::chrono::duration<double>(t - (t0 - 5min)).count();
      out.push_back(SeriesSample{labels, t, value_at(t, seconds)});
    }
  };
  auto counter = [](double rate) {
    return [rate](Timestamp, double seconds) { return 1000 + rate * seconds; };
  };
  add(Labels{{"__name__", "requests_total"}, {"job", "api"}, {"instance", "a"}}, counter(10));
  add(Labels{{"__name__", "requests_total"}, {"job", "api"}, {"instance", "b"}}, counter(5));
  add(Labels{{"__name__", "requests_total"}, {"job", "db"}, {"instance", "c"}}, counter(2));
  add(Labels{{"__name__", "errors_total"}, {"job", "api"}, {"instance", "a"}}, counter(0.5));
  add(Labels{{"__name__", "errors_total"}, {"job", "db"}, {"instance", "c"}}, counter(0.25));
  add(Labels{{"__name__", "temperature"}, {"room", "x"}},
      [&](Timestamp t, double) { return t >= t0 + kHot && t < t0 + kCool ? 80.0 : 20.0; });
  add(Labels{{"__name__", "temperature"}, {"room", "y"}}, [](Timestamp, double) { return 30.0; });
  return out;
}

std::string encode(std::string_view text) {
  return httplib::detail::encode_query_param(std::string(text));
}

std::string unix_seconds(Timestamp t) {
  return fmt::format("{:.3f}", to_unix_seconds(t));
}

Timestamp from_unix_seconds(const json& value) {
  return Timestamp(std::chrono::milliseconds(std::llround(value.get<double>() * 1000)));
}

// /api/v1/query at `at`; the "result" array (empty on any failure, which
// the assertions then show).
json query(const std::string& base, std::string_view expr, Timestamp at) {
  HttpResponse r =
      http_get(base + "/api/v1/query?query=" + encode(expr) + "&time=" + unix_seconds(at));
  if (r.status != 200) {
    ADD_FAILURE() << base << " " << expr << ": " << r.status << " " << r.body << r.error;
    return json::array();
  }
  return json::parse(r.body)["data"]["result"];
}

// "labels" -> (timestamp in ms -> value as Prometheus prints it).
using Samples = std::map<std::string, std::map<std::int64_t, std::string>>;

std::string labels_key(const json& metric) {
  std::string out;
  for (const auto& [name, value] : metric.items()) {
    out += fmt::format("{}=\"{}\",", name, value.get<std::string>());
  }
  return "{" + out + "}";
}

// Every raw sample of the series `selector` picks, with timestamps in
// [from, to]: a range selector at `to` (stale markers are not returned).
Samples samples(const std::string& base, const std::string& selector, Timestamp from,
                Timestamp to) {
  auto window = std::chrono::duration_cast<std::chrono::milliseconds>(to - from) + 1ms;
  json result = query(base, fmt::format("{}[{}ms]", selector, window.count()), to);
  Samples out;
  for (const auto& series : result) {
    auto& points = out[labels_key(series["metric"])];
    for (const auto& v : series["values"]) {
      Timestamp t = from_unix_seconds(v[0]);
      if (t >= from && t <= to) points[t.time_since_epoch().count()] = v[1].get<std::string>();
    }
  }
  return out;
}

std::vector<Timestamp> timestamps(const Samples& s) {
  std::set<Timestamp> out;
  for (const auto& [labels, points] : s) {
    for (const auto& [t, v] : points) out.insert(Timestamp(std::chrono::milliseconds(t)));
  }
  return {out.begin(), out.end()};
}

std::string describe(const Samples& s) {
  std::string out;
  for (const auto& [labels, points] : s) {
    out += labels + ":";
    for (const auto& [t, v] : points) out += fmt::format(" {}={}", t % 100000, v);
    out += "\n";
  }
  return out;
}

class RecordingRulesOverRemoteWrite : public ::testing::Test {
 protected:
  void SetUp() override {
    rules_path_ = rules_dir_.file("rules.yml");
    PrometheusOptions reference;
    reference.rule_files = {rules_path_};  // written later, after the data
    reference.extra_args = {"--web.enable-remote-write-receiver"};
    reference_ = std::make_unique<PrometheusServer>(reference);
    PrometheusOptions receiver;
    receiver.extra_args = {"--web.enable-remote-write-receiver"};
    receiver_ = std::make_unique<PrometheusServer>(receiver);
    ASSERT_TRUE(reference_->start()) << reference_->log();
    ASSERT_TRUE(receiver_->start()) << receiver_->log();

    t0_ = std::chrono::floor<std::chrono::seconds>(Clock::system().now());
    std::vector<SeriesSample> data = raw_data(t0_);
    for (PrometheusServer* p : {reference_.get(), receiver_.get()}) {
      Status pushed = push_remote_write(p->url() + "/api/v1/write", data);
      ASSERT_TRUE(pushed) << pushed.error().message();
    }

    // Prometheus evaluates the rules itself...
    rules_dir_.write("rules.yml", kRules);
    ASSERT_EQ(http_post(reference_->url() + "/-/reload", "").status, 200);
    ASSERT_TRUE(wait_until(
        [&] {
          HttpResponse r = http_get(reference_->url() + "/api/v1/rules");
          return r.status == 200 && json::parse(r.body)["data"]["groups"].size() == 1;
        },
        30s))
        << reference_->log();
    // ...and tocsin evaluates the same file, writing into the other.
    tocsin_.write("tocsin.yml", fmt::format(R"(global:
  evaluation_interval: 1s
datasource:
  url: {}
rule_files: ["{}"]
remote_write:
  - url: {}/api/v1/write
    name: receiver
)",
                                            receiver_->url(), rules_path_, receiver_->url()));
    Status started = tocsin_.start();
    ASSERT_TRUE(started) << started.error().message();
  }

  TempDir rules_dir_{"rules"};
  std::string rules_path_;
  std::unique_ptr<PrometheusServer> reference_;
  std::unique_ptr<PrometheusServer> receiver_;
  TocsinServer tocsin_;
  Timestamp t0_;
};

TEST_F(RecordingRulesOverRemoteWrite, TocsinWritesWhatPrometheusRecords) {
  const std::string ours = receiver_->url();
  const std::string theirs = reference_->url();

  // Until the room has cooled down and a few more evaluations went by.
  ASSERT_TRUE(wait_until(
      [&] {
        return !query(ours, "total_temperature", Clock::system().now()).empty() &&
               Clock::system().now() > t0_ + kCool + 5s;
      },
      120s))
      << tocsin_.log();

  // /api/v1/rules: recording rules have health and last evaluation as in
  // Prometheus.
  auto our_rules = tocsin_.get_json("/api/v1/rules?type=record");
  HttpResponse their_rules = http_get(theirs + "/api/v1/rules?type=record");
  ASSERT_TRUE(our_rules.has_value());
  json ours_list = (*our_rules)["data"]["groups"][0]["rules"];
  json theirs_list = json::parse(their_rules.body)["data"]["groups"][0]["rules"];
  ASSERT_EQ(ours_list.size(), 5u);
  ASSERT_EQ(ours_list.size(), theirs_list.size());
  for (std::size_t i = 0; i < ours_list.size(); ++i) {
    const json& a = ours_list[i];
    const json& b = theirs_list[i];
    EXPECT_EQ(a["name"], b["name"]);
    EXPECT_EQ(a.value("labels", json::object()), b.value("labels", json::object()));
    EXPECT_EQ(a["health"], "ok") << a.dump();
    EXPECT_EQ(a["health"], b["health"]);
    EXPECT_EQ(a["type"], "recording");
    EXPECT_EQ(a.contains("lastError"), b.contains("lastError")) << a.dump() << b.dump();
    EXPECT_TRUE(a["evaluationTime"].is_number());
    EXPECT_TRUE(a["lastEvaluation"].is_string());
    EXPECT_NE(a["lastEvaluation"], "0001-01-01T00:00:00Z");
    std::set<std::string> our_keys, their_keys;
    for (const auto& [k, v] : a.items()) our_keys.insert(k);
    for (const auto& [k, v] : b.items()) their_keys.insert(k);
    EXPECT_EQ(our_keys, their_keys);
  }

  // tocsin stops: what it queued is flushed. The window compared is where
  // both evaluated: from the later first evaluation to tocsin's last.
  ExitStatus stopped = tocsin_.stop();
  EXPECT_TRUE(stopped.success()) << stopped.to_string();
  const Timestamp now = Clock::system().now();
  std::vector<Timestamp> our_slots =
      timestamps(samples(ours, "total_temperature", now - 10min, now));
  ASSERT_FALSE(our_slots.empty());
  const Timestamp hi = our_slots.back();
  ASSERT_TRUE(wait_until(
      [&] {
        auto theirs_now = timestamps(samples(theirs, "total_temperature", hi, hi + 1min));
        return !theirs_now.empty();
      },
      30s));
  std::vector<Timestamp> their_slots =
      timestamps(samples(theirs, "total_temperature", now - 10min, hi));
  ASSERT_FALSE(their_slots.empty());
  const Timestamp lo = std::max(our_slots.front(), their_slots.front());
  ASSERT_LT(our_slots.front(), t0_ + kHot - 5s) << "tocsin started too late for this test";
  ASSERT_LT(their_slots.front(), t0_ + kHot - 5s);
  ASSERT_GE((hi - lo) / 1s, 20) << "too few evaluations in common";

  // Both evaluated at the same slots (the same offset). A slot either
  // missed (a loaded machine) is left out of the comparison; they are rare.
  std::set<Timestamp> common;
  std::set_intersection(our_slots.begin(), our_slots.end(), their_slots.begin(), their_slots.end(),
                        std::inserter(common, common.end()));
  std::erase_if(common, [&](Timestamp t) { return t < lo || t > hi; });
  const auto expected_slots = static_cast<std::size_t>((hi - lo) / 1s + 1);
  EXPECT_GE(common.size() * 10, expected_slots * 9)
      << "the slots differ: tocsin's and Prometheus's offsets disagree";
  auto at_common_slots = [&](Samples s) {
    for (auto& [labels, points] : s) {
      std::erase_if(points, [&](const auto& point) {
        return !common.contains(Timestamp(std::chrono::milliseconds(point.first)));
      });
    }
    std::erase_if(s, [](const auto& series) { return series.second.empty(); });
    return s;
  };

  for (std::string metric : {"job:requests:rate30s", "job:errors:ratio30s", "room:temperature:hot",
                             "total_temperature", "ALERTS", "ALERTS_FOR_STATE"}) {
    Samples a = at_common_slots(samples(ours, metric, lo, hi));
    Samples b = at_common_slots(samples(theirs, metric, lo, hi));
    EXPECT_FALSE(a.empty()) << metric;
    EXPECT_EQ(a, b) << metric << "\ntocsin wrote:\n"
                    << describe(a) << "Prometheus recorded:\n"
                    << describe(b);
  }

  // What the comparison covered: every state the alerts went through.
  Samples alerts = samples(ours, "ALERTS", lo, hi);
  std::set<std::string> series;
  for (const auto& [labels, points] : alerts) series.insert(labels);
  EXPECT_EQ(
      series,
      (std::set<std::string>{
          R"({__name__="ALERTS",alertname="Hot",alertstate="firing",room="x",severity="page",where="x-room",})",
          R"({__name__="ALERTS",alertname="Hot",alertstate="pending",room="x",severity="page",where="x-room",})",
          R"({__name__="ALERTS",alertname="Warm",alertstate="pending",room="x",})"}));

  // A rule reading an earlier one's result sees it at this evaluation or,
  // when remote write has not delivered it yet, at the one before.
  Samples chained_ours = samples(ours, "job:requests:rate30s:doubled", lo + 1s, hi);
  Samples chained_theirs = samples(theirs, "job:requests:rate30s:doubled", lo, hi);
  ASSERT_EQ(chained_ours.size(), 2u) << describe(chained_ours);
  for (const auto& [labels, points] : chained_ours) {
    const auto& reference = chained_theirs[labels];
    for (const auto& [t, v] : points) {
      auto now_it = reference.find(t);
      auto before_it = reference.find(t - 1000);
      bool same = (now_it != reference.end() && now_it->second == v) ||
                  (before_it != reference.end() && before_it->second == v);
      EXPECT_TRUE(same) << labels << " at " << t << ": " << v;
    }
  }

  // Stale markers, in both servers alike. The room cools at kCool: the first
  // slot at or after it finds the series gone.
  Timestamp cooled{};
  for (Timestamp t : our_slots) {
    if (t >= t0_ + kCool) {
      cooled = t;
      break;
    }
  }
  ASSERT_NE(cooled, Timestamp{});
  Timestamp fired{};
  for (const auto& [labels, points] : alerts) {
    if (labels.find("firing") != std::string::npos) {
      fired = Timestamp(std::chrono::milliseconds(points.begin()->first));
    }
  }
  ASSERT_NE(fired, Timestamp{});
  for (const std::string& base : {ours, theirs}) {
    SCOPED_TRACE(base == ours ? "written by tocsin" : "recorded by Prometheus");
    // There just before; absent from the slot on, not five minutes later.
    EXPECT_EQ(query(base, "room:temperature:hot", cooled - 1ms).size(), 1u);
    EXPECT_EQ(query(base, "room:temperature:hot", cooled).size(), 0u);
    EXPECT_EQ(query(base, "room:temperature:hot", cooled + 500ms).size(), 0u);
    EXPECT_EQ(query(base, R"(ALERTS{alertname="Hot"})", cooled - 1ms).size(), 1u);
    EXPECT_EQ(query(base, R"(ALERTS{alertname="Hot"})", cooled).size(), 0u);
    EXPECT_EQ(query(base, R"(ALERTS_FOR_STATE{alertname="Hot"})", cooled).size(), 0u);
    EXPECT_EQ(query(base, R"(ALERTS{alertname="Warm"})", cooled).size(), 0u);
    // Pending until it fired, then only firing.
    EXPECT_EQ(query(base, R"(ALERTS{alertstate="pending",alertname="Hot"})", fired - 1ms).size(),
              1u);
    EXPECT_EQ(query(base, R"(ALERTS{alertstate="pending",alertname="Hot"})", fired).size(), 0u);
    EXPECT_EQ(query(base, R"(ALERTS{alertstate="firing"})", fired).size(), 1u);
  }
}

}  // namespace
}  // namespace tocsin::test
