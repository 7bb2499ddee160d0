// tocsin_store_bench: the SQLite store (src/store/) at the sizes issue 11
// names, on real files with synchronous=FULL, as the daemon runs it:
//
//  - BM_WriteFloor, BM_WriteChanges/PERCENT: what one evaluation's batch costs
//    against a store holding 100,000 rule alerts and the 100,000 alerts they
//    sent. Nothing changed still writes one PutRuleGroup (tocsin never
//    submits an empty batch): that is the floor. Then 1 %, 10 % and 100 % of
//    the alerts change state, a PutRuleAlert and an AppendHistory each, as
//    AlertingRule::collect_changes writes them. Only Store::write is timed;
//    the bytes it read and wrote are counted too.
//  - BM_Restore: open_sqlite_store + load() of such a file, as a restart
//    does, with the open and the load apart; BM_RestoreWithHistory: the same
//    alerts in a file that also holds the 10,000,000 history events below.
//  - With --postgres_url=URL (an empty database, or one a previous run of
//    this bench filled): BM_WriteFloor, BM_WriteChanges and BM_Restore again
//    on the PostgreSQL store (postgres_store.h), named .../postgres, beside
//    SQLite's .../sqlite.
//  - BM_History/FILTER, BM_HistoryPaging/FILTER: Store::history() over
//    10,000,000 events spread over 30 days (70 % alert, 25 % notification,
//    5 % silence events; 2,000 alert names, 20 receivers, 100,000 alerts):
//    one page of 100 for each filter, or ten pages by the cursor.
//
// The alert files live in a fresh directory under /tmp, removed at exit.
// Filling the history takes minutes, so its file is kept between runs at
// --history_db and rebuilt only when missing or with --rebuild_history.
// Files are read warm (from the page cache) once written.
//
//   build/bench/tocsin_store_bench [--history_db=PATH] [--rebuild_history]
//       [--postgres_url=postgres://USER@HOST:PORT/DB] [--benchmark_filter=REGEX]
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <stdlib.h>  // mkdtemp

#include <tocsin/labels.h>
#include <tocsin/matcher.h>
#include <tocsin/time.h>

#include "core/log.h"
#include "store/postgres_store.h"
#include "store/sqlite_store.h"

namespace tocsin::bench {
namespace {

using namespace std::chrono_literals;
using store::Store;

constexpr int kSeries = 100'000;  // alerts
constexpr int kAlertnames = 2'000;
constexpr int kSeriesPerName = kSeries / kAlertnames;
// 95 % of the events carry a namespace, so one of 95 namespaces is 1 % of
// the events: the label matcher's share.
constexpr int kNamespaces = 95;
constexpr int kTeams = 10;  // two receivers each
constexpr std::int64_t kHistoryEvents = 10'000'000;
constexpr std::int64_t kFillBatch = 100'000;
constexpr Duration kHistorySpan = 30 * 24h;
constexpr Duration kEvaluationInterval = 15s;
constexpr int kRepetitions = 5;
const Timestamp kNow = Timestamp(1'796'526'000'000ms);
constexpr std::string_view kCluster = "eu-west-1-prod";  // the external label

struct Settings {
  std::string history_db = "/tmp/tocsin-store-bench/history.db";
  bool rebuild_history = false;
  std::string postgres_url;       // "": no PostgreSQL benchmarks
  std::filesystem::path scratch;  // the alert files' directory, once made
};

enum class Backend { kSqlite, kPostgres };

Settings& settings() {
  static Settings s;
  return s;
}

[[noreturn]] void die(std::string_view what) {
  fmt::print(stderr, "tocsin_store_bench: {}\n", what);
  std::exit(1);
}

template <typename T>
T must(Result<T> r) {
  if (!r) die(r.error().message());
  return std::move(*r);
}

void must(const Status& s) {
  if (!s) die(s.error().message());
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// splitmix64: the same events on every run.
class Random {
 public:
  explicit Random(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    return z ^ (z >> 31);
  }
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t s_;
};

constexpr std::string_view kAlertKinds[] = {
    "HostHighCpuLoad",     "HostOutOfMemory",   "NodeFilesystemAlmostOutOfSpace",
    "KubePodCrashLooping", "KubePodNotReady",   "KubeDeploymentReplicasMismatch",
    "TargetDown",          "HttpErrorRateHigh", "HttpLatencyHigh",
    "PostgresReplicaLag",  "RedisDown",         "KafkaConsumerLag",
    "CertificateExpiring", "DiskIOSaturation",  "NetworkReceiveErrors",
    "ContainerOOMKilled",  "CronJobFailed",     "QueueBacklogGrowing",
    "ApiErrorBudgetBurn",  "BackupTooOld"};
constexpr std::string_view kJobs[] = {
    "node",  "kubelet", "kube-state-metrics", "api",     "postgres", "redis",
    "kafka", "ingress", "blackbox",           "cadvisor"};
constexpr std::string_view kSeverities[] = {"critical", "warning", "warning", "info"};

// One alert of the synthetic rules: 2,000 rules (one alert name each) in
// 20 groups, 50 alerts per rule.
struct Series {
  std::string alertname;
  std::string team;
  std::string ns;
  std::string group_key;
  std::string rule_key;
  Labels labels;       // as the rule gives them: 6 labels
  Labels annotations;  // summary, description
  Labels sent_labels;  // with the external label: what dispatch and the history see
  std::uint64_t rule_fingerprint = 0;
  std::uint64_t fingerprint = 0;  // of sent_labels
};

const std::vector<Series>& all_series() {
  static const std::vector<Series> series = [] {
    std::vector<Series> out(kSeries);
    for (int s = 0; s < kSeries; ++s) {
      const int a = s / kSeriesPerName;
      std::string_view kind = kAlertKinds[a % std::size(kAlertKinds)];
      Series& x = out[s];
      x.alertname = fmt::format("{}{}", kind, a / std::size(kAlertKinds));
      x.team = fmt::format("team-{:02}", a % kTeams);
      x.ns = fmt::format("ns-{:03}", s % kNamespaces);
      x.group_key = fmt::format("/etc/tocsin/rules/{}.yml;{}", x.team, kind);
      std::string_view severity = kSeverities[a % std::size(kSeverities)];
      x.rule_key = fmt::format("{}{{severity=\"{}\"}}#0", x.alertname, severity);
      std::string instance =
          fmt::format("10.{}.{}.{}:9100", 16 + s / 65536, s / 256 % 256, s % 256);
      std::string_view job = kJobs[a % std::size(kJobs)];
      x.labels = Labels{{"alertname", x.alertname}, {"instance", instance}, {"job", job},
                        {"namespace", x.ns},        {"severity", severity}, {"team", x.team}};
      x.annotations = Labels{
          {"summary", fmt::format("{} on {}", x.alertname, instance)},
          {"description",
           fmt::format("{} of job {} has been over its threshold for 5 minutes (value 97.3). "
                       "Runbook: https://runbooks.example.com/{}",
                       instance, job, kind)}};
      x.sent_labels = LabelsBuilder(x.labels).set("cluster", kCluster).labels();
      x.rule_fingerprint = x.labels.fingerprint();
      x.fingerprint = x.sent_labels.fingerprint();
    }
    return out;
  }();
  return series;
}

store::RuleAlertRow rule_alert_row(const Series& x, bool firing, Timestamp now) {
  store::RuleAlertRow row;
  row.group_key = x.group_key;
  row.rule_key = x.rule_key;
  row.fingerprint = x.rule_fingerprint;
  row.rule = x.alertname;
  row.labels = x.labels;
  row.annotations = x.annotations;
  row.state = firing ? AlertState::kFiring : AlertState::kInactive;
  row.active_at = kNow - 2h;
  row.fired_at = kNow - 2h + 5min;
  if (!firing) row.resolved_at = now;
  row.value = 97.3;
  return row;
}

store::AlertRow alert_row(const Series& x) {
  store::AlertRow row;
  row.fingerprint = x.fingerprint;
  row.labels = x.sent_labels;
  row.annotations = x.annotations;
  row.starts_at = kNow - 2h + 5min;
  row.ends_at = kNow + 4min;
  row.updated_at = kNow;
  row.generator_url = fmt::format(
      "http://tocsin.example.com:9090/graph?g0.expr=ALERTS%7Balertname%3D%22{}%22%7D", x.alertname);
  row.source = "rule";
  return row;
}

// As AlertingRule::history_event records a state change.
store::HistoryRow alert_event(const Series& x, std::string_view state, Timestamp at) {
  store::HistoryRow row;
  row.at = at;
  row.kind = "alert";
  row.state = std::string(state);
  row.labels = x.sent_labels;
  row.fingerprint = x.fingerprint;
  row.details =
      fmt::format(R"({{"source":"rule","rule":"{}","group":"{}","activeAt":"{}","value":97.3}})",
                  x.alertname, x.group_key, format_rfc3339(at - 5min));
  return row;
}

// As dispatch::notification_event records an attempt: the group's labels
// (grouped by alertname and namespace), the receiver, the alerts sent.
store::HistoryRow notification_event(const Series& x, Random& random, Timestamp at) {
  store::HistoryRow row;
  row.at = at;
  row.kind = "notification";
  const bool sent = random.below(100) >= 3;
  row.state = sent ? "sent" : "failed";
  row.labels = Labels{{"alertname", x.alertname}, {"namespace", x.ns}};
  const bool pager = random.below(2) == 0;
  row.receiver = fmt::format("{}-{}", x.team, pager ? "pager" : "chat");
  row.integration = pager ? "pagerduty" : "slack";
  row.group_key = fmt::format(R"({{}}/{{team="{}"}}:{{alertname="{}", namespace="{}"}})", x.team,
                              x.alertname, x.ns);
  const int alerts = 1 + static_cast<int>(random.below(3));
  std::string fingerprints;
  for (int i = 0; i < alerts; ++i) {
    if (i > 0) fingerprints += ',';
    fingerprints += fmt::format("\"{:016x}\"", x.fingerprint + static_cast<std::uint64_t>(i));
  }
  row.details = fmt::format(
      R"({{"attempt":1,"alerts":[{}],"firing":{},"resolved":0,"durationSeconds":0.042{}}})",
      fingerprints, alerts, sent ? "" : R"(,"error":"unexpected status code 503")");
  return row;
}

// As dispatch::silence_event records one: no labels, who did it.
store::HistoryRow silence_event(const Series& x, Random& random, Timestamp at) {
  static constexpr std::string_view kStates[] = {"created", "created", "updated", "expired"};
  store::HistoryRow row;
  row.at = at;
  row.kind = "silence";
  row.state = std::string(kStates[random.below(std::size(kStates))]);
  row.by = fmt::format("oncall-{:02}@example.com", random.below(40));
  row.details = fmt::format(
      R"({{"id":"{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}","matchers":["alertname=\"{}\"",)"
      R"("namespace=\"{}\""],"startsAt":"{}","endsAt":"{}","comment":"maintenance window"}})",
      random.next() >> 32, random.below(0x10000), random.below(0x1000), random.below(0x1000),
      random.next() >> 16, x.alertname, x.ns, format_rfc3339(at), format_rfc3339(at + 2h));
  return row;
}

// The n-th of the kHistoryEvents, in time order over the last 30 days.
store::HistoryRow history_event(std::int64_t n, Random& random) {
  static constexpr std::string_view kAlertStates[] = {"firing",   "firing",  "resolved", "resolved",
                                                      "pending",  "firing",  "resolved", "pending",
                                                      "inactive", "resolved"};
  const Timestamp at = kNow - kHistorySpan + kHistorySpan * n / kHistoryEvents;
  const Series& x = all_series()[random.below(kSeries)];
  const double kind = random.unit();
  if (kind < 0.70) {
    return alert_event(x, kAlertStates[random.below(std::size(kAlertStates))], at);
  }
  if (kind < 0.95) return notification_event(x, random, at);
  return silence_event(x, random, at);
}

// Every rule alert, firing, and every alert it sent, in one transaction.
void put_alerts(Store& store) {
  store::Batch batch;
  batch.reserve(2 * kSeries);
  for (const Series& x : all_series()) {
    batch.push_back(store::PutRuleAlert{rule_alert_row(x, true, kNow)});
    batch.push_back(store::PutAlert{alert_row(x)});
  }
  must(store.write(batch));
}

const std::filesystem::path& scratch_dir() {
  Settings& s = settings();
  if (s.scratch.empty()) {
    std::string dir =
        (std::filesystem::temp_directory_path() / "tocsin-store-bench-XXXXXX").string();
    if (::mkdtemp(dir.data()) == nullptr) die(fmt::format("cannot make {}", dir));
    s.scratch = dir;
  }
  return s.scratch;
}

// A file of the scratch directory holding the alerts only, made once.
std::string alerts_file(std::string_view name) {
  std::string path = (scratch_dir() / name).string();
  if (!std::filesystem::exists(path)) {
    auto store = must(store::open_sqlite_store(path));
    put_alerts(*store);
  }
  return path;
}

std::string file_size_text(Store& store) {
  return fmt::format("{:.1f} MiB", static_cast<double>(must(store.size_bytes())) / (1 << 20));
}

// --- 1. Write cost per evaluation ------------------------------------------

// The store the write benchmarks share, and which alerts it holds firing.
struct WriteFixture {
  std::unique_ptr<Store> store;
  std::vector<bool> firing = std::vector<bool>(kSeries, true);
  int next = 0;  // the first alert the next batch changes
  Timestamp now = kNow;
};

std::unique_ptr<WriteFixture>& write_fixture_slot(Backend backend) {
  static std::unique_ptr<WriteFixture> fixtures[2];
  return fixtures[backend == Backend::kSqlite ? 0 : 1];
}

// The PostgreSQL database, filled with the alerts if it does not hold them.
std::unique_ptr<Store> postgres_alerts() {
  auto store = must(store::open_postgres_store(settings().postgres_url));
  auto held = must(store->load());
  if (held.alerts.size() != kSeries || held.rule_alerts.size() != kSeries) put_alerts(*store);
  return store;
}

WriteFixture& write_fixture(Backend backend) {
  auto& fixture = write_fixture_slot(backend);
  if (!fixture) {
    fixture = std::make_unique<WriteFixture>();
    fixture->store = backend == Backend::kSqlite
                         ? must(store::open_sqlite_store(alerts_file("alerts.db")))
                         : postgres_alerts();
  }
  return *fixture;
}

// The next `count` alerts flip between firing and resolved: one event and
// one row each, in collect_changes' order.
store::Batch state_changes(WriteFixture& f, int count) {
  store::Batch batch;
  batch.reserve(2 * static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    const int s = (f.next + i) % kSeries;
    const Series& x = all_series()[s];
    const bool firing = !f.firing[s];
    f.firing[s] = firing;
    batch.push_back(store::AppendHistory{alert_event(x, firing ? "firing" : "resolved", f.now)});
    batch.push_back(store::PutRuleAlert{rule_alert_row(x, firing, f.now)});
  }
  f.next = (f.next + count) % kSeries;
  return batch;
}

// What this process has read and written through read(2)/write(2) and
// their kin (/proc/self/io's rchar and wchar), page cache hits included: how
// many pages SQLite moved between its own cache and the file or the log.
struct IoBytes {
  double read = 0;
  double written = 0;
};

IoBytes io_bytes() {
  IoBytes io;
  std::FILE* f = std::fopen("/proc/self/io", "r");
  if (f == nullptr) return io;
  char name[32];
  unsigned long long value = 0;
  while (std::fscanf(f, "%31s %llu", name, &value) == 2) {
    if (std::string_view(name) == "rchar:") io.read = static_cast<double>(value);
    if (std::string_view(name) == "wchar:") io.written = static_cast<double>(value);
  }
  std::fclose(f);
  return io;
}

// Times one write; adds the bytes it moved to `io`.
void timed_write(benchmark::State& state, Store& store, const store::Batch& batch, IoBytes& io) {
  IoBytes before = io_bytes();
  auto start = std::chrono::steady_clock::now();
  Status written = store.write(batch);
  state.SetIterationTime(seconds_since(start));
  IoBytes after = io_bytes();
  io.read += after.read - before.read;
  io.written += after.written - before.written;
  if (!written) state.SkipWithError(written.error().message().c_str());
}

void report_io(benchmark::State& state, const IoBytes& io) {
  state.counters["read_MiB"] =
      benchmark::Counter(io.read / (1 << 20), benchmark::Counter::kAvgIterations);
  state.counters["written_MiB"] =
      benchmark::Counter(io.written / (1 << 20), benchmark::Counter::kAvgIterations);
}

// Nothing changed, but the group has pending alerts: one PutRuleGroup,
// one transaction, one sync.
void BM_WriteFloor(benchmark::State& state, Backend backend) {
  WriteFixture& f = write_fixture(backend);
  IoBytes io;
  for (auto _ : state) {
    f.now += kEvaluationInterval;
    store::Batch batch{store::PutRuleGroup{{all_series().front().group_key, f.now}}};
    timed_write(state, *f.store, batch, io);
  }
  report_io(state, io);
}
BENCHMARK_CAPTURE(BM_WriteFloor, sqlite, Backend::kSqlite)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(kRepetitions)
    ->DisplayAggregatesOnly();

// state.range(0) % of the alerts changed state in one evaluation.
void BM_WriteChanges(benchmark::State& state, Backend backend) {
  WriteFixture& f = write_fixture(backend);
  const int changed = static_cast<int>(kSeries * state.range(0) / 100);
  IoBytes io;
  for (auto _ : state) {
    f.now += kEvaluationInterval;
    store::Batch batch = state_changes(f, changed);
    timed_write(state, *f.store, batch, io);
  }
  report_io(state, io);
  state.counters["changed"] = changed;
  state.counters["per_changed"] = benchmark::Counter(
      changed, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
void write_changes_settings(benchmark::internal::Benchmark* b) {
  b->Arg(1)
      ->Arg(10)
      ->Arg(100)
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond)
      ->Repetitions(kRepetitions)
      ->DisplayAggregatesOnly();
}
BENCHMARK_CAPTURE(BM_WriteChanges, sqlite, Backend::kSqlite)->Apply(write_changes_settings);

// --- 2. Restore -------------------------------------------------------------

// Times open_sqlite_store + load(), and each apart: the open checks the
// whole file (PRAGMA quick_check), the load decodes every row.
void restore(benchmark::State& state, const std::string& path, Backend backend) {
  double open_seconds = 0, load_seconds = 0;
  std::uint64_t bytes = 0;
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    auto opened = backend == Backend::kSqlite ? store::open_sqlite_store(path)
                                              : store::open_postgres_store(path);
    const double open = seconds_since(start);
    auto loaded = opened ? (*opened)->load() : Result<store::StoredState>();
    const double both = seconds_since(start);
    state.SetIterationTime(both);
    open_seconds += open;
    load_seconds += both - open;
    if (!opened || !loaded) {
      state.SkipWithError((opened ? loaded.error() : opened.error()).message().c_str());
      break;
    }
    if (loaded->rule_alerts.size() != kSeries || loaded->alerts.size() != kSeries) {
      state.SkipWithError("the store does not hold the 100,000 + 100,000 alerts");
      break;
    }
    bytes = must((*opened)->size_bytes());
  }
  state.counters["open_ms"] =
      benchmark::Counter(open_seconds * 1e3, benchmark::Counter::kAvgIterations);
  state.counters["load_ms"] =
      benchmark::Counter(load_seconds * 1e3, benchmark::Counter::kAvgIterations);
  state.counters["store_MiB"] = static_cast<double>(bytes) / (1 << 20);
}

void BM_Restore(benchmark::State& state, Backend backend) {
  if (backend == Backend::kSqlite) {
    restore(state, alerts_file("restore.db"), backend);
  } else {
    write_fixture_slot(Backend::kPostgres).reset();  // one tocsin per database
    postgres_alerts().reset();
    restore(state, settings().postgres_url, backend);
  }
}
BENCHMARK_CAPTURE(BM_Restore, sqlite, Backend::kSqlite)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(kRepetitions)
    ->DisplayAggregatesOnly();

// --- 3. History queries -----------------------------------------------------

// The history file, filled when missing (under another name, renamed once
// complete, so an interrupted fill is never taken for a full one).
const std::string& history_file() {
  static bool checked = false;
  const std::string& path = settings().history_db;
  if (checked) return path;
  checked = true;
  if (std::filesystem::exists(path) && !settings().rebuild_history) return path;

  const std::string filling = path + ".filling";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(filling + suffix);
  for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(path + suffix);
  fmt::print(stderr, "Filling {} with {} history events (a few minutes)\n", path, kHistoryEvents);
  auto start = std::chrono::steady_clock::now();
  {
    auto store = must(store::open_sqlite_store(filling));
    put_alerts(*store);
    Random random(11);
    store::Batch batch;
    for (std::int64_t n = 0; n < kHistoryEvents; n += kFillBatch) {
      batch.clear();
      for (std::int64_t i = n; i < n + kFillBatch; ++i) {
        batch.push_back(store::AppendHistory{history_event(i, random)});
      }
      must(store->write(batch));
      if ((n + kFillBatch) % 1'000'000 == 0) {
        fmt::print(stderr, "  {:>10} events, {:.0f} s, {}\n", n + kFillBatch, seconds_since(start),
                   file_size_text(*store));
      }
    }
  }
  std::filesystem::rename(filling, path);
  fmt::print(stderr, "Filled in {:.0f} s: {:.2f} GiB\n", seconds_since(start),
             static_cast<double>(std::filesystem::file_size(path)) / (1 << 30));
  return path;
}

std::unique_ptr<Store>& history_store_slot() {
  static std::unique_ptr<Store> store;
  return store;
}

Store& history_store() {
  auto& store = history_store_slot();
  if (!store) store = must(store::open_sqlite_store(history_file()));
  return *store;
}

enum class Filter {
  kNone,
  kAlertname,
  kReceiverNotifications,
  kFingerprint,
  kHourWindow,
  kMatcher,         // namespace="ns-042": 1 % of the events
  kMatcherNothing,  // namespace="ns-999": none, so a read stops at max_examined
};

store::HistoryQuery history_query(Filter filter) {
  const Series& x = all_series()[54'321];
  store::HistoryQuery q;
  switch (filter) {
    case Filter::kNone:
      break;
    case Filter::kAlertname:
      q.alertname = x.alertname;
      break;
    case Filter::kReceiverNotifications:
      q.receiver = fmt::format("{}-pager", x.team);
      q.kind = "notification";
      break;
    case Filter::kFingerprint:
      q.fingerprint = x.fingerprint;
      break;
    case Filter::kHourWindow:
      q.from = kNow - kHistorySpan / 2;
      q.to = q.from + 1h;
      break;
    case Filter::kMatcher:
    case Filter::kMatcherNothing: {
      Matchers matchers{must(parse_matcher(filter == Filter::kMatcher ? R"(namespace="ns-042")"
                                                                      : R"(namespace="ns-999")"))};
      q.matches = [matchers = std::move(matchers)](const Labels& labels) {
        return matches_all(matchers, labels);
      };
      break;
    }
  }
  return q;
}

void BM_History(benchmark::State& state, Filter filter) {
  Store& store = history_store();
  const store::HistoryQuery query = history_query(filter);
  std::size_t events = 0;
  std::int64_t next_before_id = 0;
  for (auto _ : state) {
    auto page = store.history(query);
    if (!page) {
      state.SkipWithError(page.error().message().c_str());
      break;
    }
    events = page->events.size();
    next_before_id = page->next_before_id;
  }
  state.counters["events"] = static_cast<double>(events);
  if (filter == Filter::kMatcher || filter == Filter::kMatcherNothing) {
    // Read newest first by id with no other filter: every id from the
    // newest down to the cursor was examined (ids have no gaps here).
    store::HistoryQuery first;
    first.limit = 1;
    auto newest = store.history(first);
    if (newest && !newest->events.empty() && next_before_id > 0) {
      state.counters["examined"] =
          static_cast<double>(newest->events.front().id - next_before_id + 1);
    }
  }
  state.counters["file_GiB"] = static_cast<double>(must(store.size_bytes())) / (1 << 30);
}

// Ten pages of 100, each from the cursor the one before returned.
void BM_HistoryPaging(benchmark::State& state, Filter filter) {
  constexpr int kPages = 10;
  Store& store = history_store();
  store::HistoryQuery query = history_query(filter);
  std::size_t events = 0;
  for (auto _ : state) {
    query.before_id = 0;
    events = 0;
    for (int p = 0; p < kPages; ++p) {
      auto page = store.history(query);
      if (!page) {
        state.SkipWithError(page.error().message().c_str());
        return;
      }
      events += page->events.size();
      query.before_id = page->next_before_id;
      if (query.before_id == 0) break;
    }
  }
  state.counters["events"] = static_cast<double>(events);
  state.counters["per_page"] = benchmark::Counter(
      kPages, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void history_settings(benchmark::internal::Benchmark* b) {
  b->UseRealTime()->Unit(benchmark::kMillisecond)->Repetitions(kRepetitions);
  b->DisplayAggregatesOnly();
}

BENCHMARK_CAPTURE(BM_History, no_filter, Filter::kNone)->Apply(history_settings);
BENCHMARK_CAPTURE(BM_History, alertname, Filter::kAlertname)->Apply(history_settings);
BENCHMARK_CAPTURE(BM_History, receiver_notifications, Filter::kReceiverNotifications)
    ->Apply(history_settings);
BENCHMARK_CAPTURE(BM_History, fingerprint, Filter::kFingerprint)->Apply(history_settings);
BENCHMARK_CAPTURE(BM_History, hour_window, Filter::kHourWindow)->Apply(history_settings);
BENCHMARK_CAPTURE(BM_History, matcher_1pct, Filter::kMatcher)->Apply(history_settings);
BENCHMARK_CAPTURE(BM_History, matcher_none, Filter::kMatcherNothing)->Apply(history_settings);
BENCHMARK_CAPTURE(BM_HistoryPaging, no_filter, Filter::kNone)->Apply(history_settings);
BENCHMARK_CAPTURE(BM_HistoryPaging, alertname, Filter::kAlertname)->Apply(history_settings);

// A restart after 30 days: the alerts as BM_Restore, in the history's file.
void BM_RestoreWithHistory(benchmark::State& state) {
  history_store_slot().reset();  // it holds the file's lock
  restore(state, history_file(), Backend::kSqlite);
}
BENCHMARK(BM_RestoreWithHistory)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->Repetitions(3)
    ->DisplayAggregatesOnly();

}  // namespace
}  // namespace tocsin::bench

int main(int argc, char** argv) {
  using tocsin::bench::settings;
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.starts_with("--history_db=")) {
      settings().history_db = std::string(arg.substr(std::string_view("--history_db=").size()));
    } else if (arg == "--rebuild_history") {
      settings().rebuild_history = true;
    } else if (arg.starts_with("--postgres_url=")) {
      settings().postgres_url = std::string(arg.substr(std::string_view("--postgres_url=").size()));
    } else {
      args.push_back(argv[i]);
    }
  }
  int count = static_cast<int>(args.size());
  args.push_back(nullptr);
  tocsin::log::configure(tocsin::log::Level::kWarn, tocsin::log::Format::kLogfmt);
  benchmark::Initialize(&count, args.data());
  if (benchmark::ReportUnrecognizedArguments(count, args.data())) return 1;
  if (!settings().postgres_url.empty()) {
    using tocsin::bench::Backend;
    benchmark::RegisterBenchmark("BM_WriteFloor/postgres", tocsin::bench::BM_WriteFloor,
                                 Backend::kPostgres)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond)
        ->Repetitions(tocsin::bench::kRepetitions)
        ->DisplayAggregatesOnly();
    benchmark::RegisterBenchmark("BM_WriteChanges/postgres", tocsin::bench::BM_WriteChanges,
                                 Backend::kPostgres)
        ->Apply(tocsin::bench::write_changes_settings);
    benchmark::RegisterBenchmark("BM_Restore/postgres", tocsin::bench::BM_Restore,
                                 Backend::kPostgres)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond)
        ->Repetitions(tocsin::bench::kRepetitions)
        ->DisplayAggregatesOnly();
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();

  tocsin::bench::write_fixture_slot(tocsin::bench::Backend::kSqlite).reset();
  tocsin::bench::write_fixture_slot(tocsin::bench::Backend::kPostgres).reset();
  tocsin::bench::history_store_slot().reset();
  if (!settings().scratch.empty()) std::filesystem::remove_all(settings().scratch);
  return 0;
}
