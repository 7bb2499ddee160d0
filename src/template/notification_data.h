// Alertmanager's template data model (template/template.go in Alertmanager
// 0.25) as template values: Data, Alert, Alerts, KV, Pairs and Pair, with
// the methods templates call on them (.Alerts.Firing, .SortedPairs,
// .Names, .Values, .Remove, ...).
//
// A NotificationData owns copies of everything it shows, is immutable once
// built and may be read by any number of executions at once; whatever a
// method returns lives in the arena of the execution that called it.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <tocsin/notify.h>
#include <tocsin/time.h>

#include "template/arena.h"
#include "template/value.h"

namespace tocsin::tmpl {

inline constexpr std::string_view kKVType = "template.KV";
inline constexpr std::string_view kPairsType = "template.Pairs";
inline constexpr std::string_view kPairType = "template.Pair";
inline constexpr std::string_view kAlertsType = "template.Alerts";
inline constexpr std::string_view kAlertType = "template.Alert";
inline constexpr std::string_view kAlertSliceType = "[]template.Alert";
inline constexpr std::string_view kDataType = "*template.Data";
inline constexpr std::string_view kStringSliceType = "[]string";

using KVPair = std::pair<std::string_view, std::string_view>;

// template.KV: a map[string]string with SortedPairs, Names, Values and
// Remove. Views `entries`, sorted by name, which must outlive it.
class KVMap final : public Map {
 public:
  explicit KVMap(std::span<const KVPair> entries) : entries_(entries) {}
  std::size_t size() const override { return entries_.size(); }
  std::optional<Value> find(std::string_view key) const override;
  void for_each(FunctionRef<bool(std::string_view, const Value&)> visit) const override;
  Value zero() const override { return Value::string(""); }
  std::string_view type_name() const override { return kKVType; }
  const Callable* method(std::string_view name) const override;

  std::span<const KVPair> entries() const { return entries_; }

 private:
  std::span<const KVPair> entries_;
};

// Owned storage for a KV: string pairs sorted by name, and the map over them.
class OwnedKV {
 public:
  OwnedKV() = default;
  explicit OwnedKV(std::vector<std::pair<std::string, std::string>> pairs);
  OwnedKV(const OwnedKV&) = delete;
  OwnedKV& operator=(const OwnedKV&) = delete;
  // Moving keeps the vectors' buffers, so the views stay valid.
  OwnedKV(OwnedKV&&) noexcept = default;
  OwnedKV& operator=(OwnedKV&&) noexcept = default;

  const KVMap& map() const { return map_; }
  Value value() const { return Value::map(&map_); }

 private:
  std::vector<std::pair<std::string, std::string>> pairs_;
  std::vector<KVPair> views_;
  KVMap map_{{}};
};

// One alert as templates see it (template.Alert).
struct AlertData {
  std::string status;  // "firing" or "resolved"
  OwnedKV labels;
  OwnedKV annotations;
  std::int64_t starts_at_seconds = 0;
  std::int32_t starts_at_nanos = 0;
  std::int64_t ends_at_seconds = 0;
  std::int32_t ends_at_nanos = 0;
  std::string generator_url;
  std::string fingerprint;
  // tocsin's acknowledgement, read as .Acknowledged, .AcknowledgedBy and
  // .AcknowledgeComment; not among the fields Go would print or marshal,
  // so that {{ . }} and JSON show what Alertmanager's do.
  bool acknowledged = false;
  std::string acknowledged_by;
  std::string acknowledge_comment;
};

// What a notification's templates see as `.`: Alertmanager's *template.Data.
class NotificationData {
 public:
  // Alertmanager's Template.Data(receiver, groupLabels, alerts...): the
  // receiver name regexp-quoted, statuses as of context.now, labels and
  // annotations common to every alert. `external_url` wins over the
  // context's when not empty.
  static std::shared_ptr<const NotificationData> build(const notify::Context& context,
                                                       std::span<const notify::Alert> alerts,
                                                       std::string_view external_url);

  struct Fields {
    std::string receiver;
    std::string status;
    std::vector<AlertData> alerts;
    std::vector<std::pair<std::string, std::string>> group_labels;
    std::vector<std::pair<std::string, std::string>> common_labels;
    std::vector<std::pair<std::string, std::string>> common_annotations;
    std::string external_url;
    Timestamp now{};
  };
  // Data exactly as given (what amtool reads from a --template.data file).
  static std::shared_ptr<const NotificationData> from_fields(Fields fields);

  ~NotificationData();
  NotificationData(const NotificationData&) = delete;
  NotificationData& operator=(const NotificationData&) = delete;

  // The value templates get as `.`.
  Value root() const;
  // The time the notification is sent: what `since` measures from.
  Timestamp now() const { return now_; }

 private:
  NotificationData() = default;
  class Impl;
  std::unique_ptr<Impl> impl_;
  Timestamp now_{};
};

// A []string built in an execution's arena.
Value string_slice(Arena& arena, std::span<const std::string_view> items);

// Go's regexp.QuoteMeta.
std::string quote_meta(std::string_view s);

}  // namespace tocsin::tmpl
