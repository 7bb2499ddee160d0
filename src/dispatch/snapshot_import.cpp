#include "dispatch/snapshot_import.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/log.h"
#include "dispatch/silences.h"

namespace tocsin::dispatch {
namespace {

using Json = nlohmann::json;

Result<std::string> string_field(const Json& record, std::string_view key) {
  auto it = record.find(key);
  if (it == record.end() || !it->is_string()) return fail(fmt::format("{} missing", key));
  return it->get<std::string>();
}

Result<Timestamp> time_field(const Json& record, std::string_view key) {
  auto text = string_field(record, key);
  if (!text) return std::unexpected(text.error());
  auto t = parse_time(*text);
  if (!t) return fail(fmt::format("{}: {}", key, t.error().message()));
  return *t;
}

Result<std::vector<std::uint64_t>> hashes_field(const Json& record, const char* key) {
  auto it = record.find(key);
  if (it == record.end() || !it->is_array()) return fail(fmt::format("{} missing", key));
  std::vector<std::uint64_t> out;
  for (const Json& h : *it) {
    std::uint64_t v = 0;
    const std::string* s = h.get_ptr<const std::string*>();
    if (s == nullptr || s->empty() ||
        std::from_chars(s->data(), s->data() + s->size(), v, 16).ptr != s->data() + s->size()) {
      return fail(fmt::format("{}: bad hash {}", key, h.dump()));
    }
    out.push_back(v);
  }
  return out;
}

Result<store::SilenceRow> silence_record(const Json& j) {
  auto id = string_field(j, "id");
  auto created_by = string_field(j, "createdBy");
  auto comment = string_field(j, "comment");
  for (auto* r : {&id, &created_by, &comment}) {
    if (!*r) return std::unexpected(r->error());
  }
  auto starts_at = time_field(j, "startsAt");
  auto ends_at = time_field(j, "endsAt");
  auto updated_at = time_field(j, "updatedAt");
  auto expires_at = time_field(j, "expiresAt");
  for (auto* r : {&starts_at, &ends_at, &updated_at, &expires_at}) {
    if (!*r) return std::unexpected(r->error());
  }
  store::SilenceRow row{.id = *id,
                        .matchers = {},
                        .starts_at = *starts_at,
                        .ends_at = *ends_at,
                        .updated_at = *updated_at,
                        .created_by = *created_by,
                        .comment = *comment,
                        .expires_at = *expires_at};
  auto matchers = j.find("matchers");
  if (matchers == j.end() || !matchers->is_array()) return fail("matchers missing");
  for (const Json& m : *matchers) {
    if (!m.is_object()) return fail("bad matcher");
    auto type = string_field(m, "type");
    auto name = string_field(m, "name");
    auto pattern = string_field(m, "pattern");
    for (auto* r : {&type, &name, &pattern}) {
      if (!*r) return std::unexpected(r->error());
    }
    row.matchers.push_back({*type, *name, *pattern});
  }
  // What restore will do with it at every start: refuse it now, by line.
  if (auto compiled = silence_from_row(row); !compiled) {
    return std::unexpected(compiled.error());
  }
  return row;
}

Result<store::NotificationRow> notification_record(const Json& j) {
  auto group_key = string_field(j, "groupKey");
  auto receiver = string_field(j, "receiver");
  auto integration = string_field(j, "integration");
  for (auto* r : {&group_key, &receiver, &integration}) {
    if (!*r) return std::unexpected(r->error());
  }
  auto timestamp = time_field(j, "timestamp");
  auto expires_at = time_field(j, "expiresAt");
  for (auto* r : {&timestamp, &expires_at}) {
    if (!*r) return std::unexpected(r->error());
  }
  auto firing = hashes_field(j, "firingAlerts");
  if (!firing) return std::unexpected(firing.error());
  auto resolved = hashes_field(j, "resolvedAlerts");
  if (!resolved) return std::unexpected(resolved.error());
  auto index = j.find("index");
  if (index == j.end() || !index->is_number_unsigned() ||
      index->get<std::uint64_t>() > UINT32_MAX) {
    return fail("index missing");
  }
  return store::NotificationRow{.group_key = std::move(*group_key),
                                .receiver = std::move(*receiver),
                                .integration = std::move(*integration),
                                .index = index->get<std::uint32_t>(),
                                .timestamp = *timestamp,
                                .firing_alerts = std::move(*firing),
                                .resolved_alerts = std::move(*resolved),
                                .expires_at = *expires_at};
}

// Appends one change per line of `path` to `batch`; false when there is no
// such file.
template <typename Decode>
Result<bool> read_snapshot(const std::filesystem::path& path, Decode decode, store::Batch& batch) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) return false;
    return fail(fmt::format("cannot read {}: {}", path.string(), std::strerror(errno)));
  }
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    Json j = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) {
      return fail(SourcePosition{path.string(), number, 1}, "not a JSON object");
    }
    auto change = decode(j);
    if (!change) return fail(SourcePosition{path.string(), number, 1}, change.error().message());
    batch.push_back(std::move(*change));
  }
  if (in.bad()) return fail(fmt::format("cannot read {}: {}", path.string(), std::strerror(errno)));
  return true;
}

}  // namespace

Result<std::size_t> import_snapshots(const std::string& dir, store::Store& store) {
  const std::filesystem::path silences = std::filesystem::path(dir) / "silences.jsonl";
  const std::filesystem::path nflog = std::filesystem::path(dir) / "nflog.jsonl";
  store::Batch batch;
  auto had_silences = read_snapshot(
      silences,
      [](const Json& j) -> Result<store::Change> {
        auto row = silence_record(j);
        if (!row) return std::unexpected(row.error());
        return store::PutSilence{std::move(*row)};
      },
      batch);
  if (!had_silences) return std::unexpected(had_silences.error());
  auto had_nflog = read_snapshot(
      nflog,
      [](const Json& j) -> Result<store::Change> {
        auto row = notification_record(j);
        if (!row) return std::unexpected(row.error());
        return store::PutNotification{std::move(*row)};
      },
      batch);
  if (!had_nflog) return std::unexpected(had_nflog.error());
  if (!*had_silences && !*had_nflog) return 0;

  // One transaction: a crash keeps all of the old snapshots or none, and
  // the files stay until the commit is done.
  if (Status written = store.write(batch); !written) return std::unexpected(written.error());
  for (const auto& [path, had] : {std::pair{silences, *had_silences}, {nflog, *had_nflog}}) {
    if (!had) continue;
    std::error_code ec;
    std::filesystem::rename(path, path.string() + ".imported", ec);
    if (ec) {
      return fail(fmt::format("imported {} into {}, but cannot rename it: {}", path.string(),
                              store.name(), ec.message()));
    }
  }
  log::info("Imported the JSON-lines snapshots into the store",
            {{"dir", dir}, {"file", store.name()}, {"records", batch.size()}});
  return batch.size();
}

}  // namespace tocsin::dispatch
