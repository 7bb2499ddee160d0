#include "template/notification_data.h"

#include <algorithm>

#include "template/arena.h"
#include "template/call_context.h"

namespace tocsin::tmpl {
namespace {

using Args = std::span<const Value>;
using StringPairs = std::vector<std::pair<std::string, std::string>>;

constexpr std::string_view kAlertNameLabel = "alertname";
const Param kStringSliceParam = Param::of(Kind::kList, kStringSliceType);

Callable make_method(std::vector<Param> params, CallBody body) {
  Callable c;
  c.params = std::move(params);
  c.body = std::move(body);
  return c;
}

// A []string, template.Pairs or []template.Alert built in the arena.
class ResultList final : public List {
 public:
  ResultList(Arena& arena, std::string_view type) : items_(arena.resource()), type_(type) {}
  std::pmr::vector<Value>& items() { return items_; }
  std::size_t size() const override { return items_.size(); }
  Value at(std::size_t i) const override { return items_[i]; }
  std::string_view type_name() const override { return type_; }
  const Callable* method(std::string_view name) const override;

 private:
  std::pmr::vector<Value> items_;
  std::string_view type_;
};

// template.Pair{Name, Value}.
class PairStruct final : public Struct {
 public:
  explicit PairStruct(KVPair pair) : pair_(pair) {}
  std::optional<Value> field(std::string_view name) const override {
    if (name == "Name") return Value::string(pair_.first);
    if (name == "Value") return Value::string(pair_.second);
    return std::nullopt;
  }
  std::size_t field_count() const override { return 2; }
  std::string_view field_name(std::size_t i) const override { return i == 0 ? "Name" : "Value"; }
  Value field_at(std::size_t i) const override {
    return Value::string(i == 0 ? pair_.first : pair_.second);
  }
  std::string_view type_name() const override { return kPairType; }
  KVPair pair() const { return pair_; }

 private:
  KVPair pair_;
};

// Pairs.Names / Pairs.Values over a template.Pairs list.
Value pairs_column(Arena& arena, const List& pairs, bool names) {
  auto* out = arena.make<ResultList>(arena, kStringSliceType);
  out->items().reserve(pairs.size());
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const auto& pair = static_cast<const PairStruct&>(pairs.at(i).as_struct());
    out->items().push_back(Value::string(names ? pair.pair().first : pair.pair().second));
  }
  return Value::list(out);
}

const KVMap& kv_of(const Value& self) {
  return static_cast<const KVMap&>(self.as_map());
}

// KV.SortedPairs: "alertname" first, then the rest by name.
Value sorted_pairs(Arena& arena, const KVMap& kv) {
  auto* out = arena.make<ResultList>(arena, kPairsType);
  out->items().reserve(kv.size());
  for (const KVPair& p : kv.entries()) {
    if (p.first == kAlertNameLabel)
      out->items().push_back(Value::structure(arena.make<PairStruct>(p)));
  }
  for (const KVPair& p : kv.entries()) {
    if (p.first != kAlertNameLabel)
      out->items().push_back(Value::structure(arena.make<PairStruct>(p)));
  }
  return Value::list(out);
}

class AlertStruct;

// template.Alerts, with Firing and Resolved.
class AlertsList final : public List {
 public:
  explicit AlertsList(std::vector<const AlertStruct*> alerts) : alerts_(std::move(alerts)) {}
  std::size_t size() const override { return alerts_.size(); }
  Value at(std::size_t i) const override;
  std::string_view type_name() const override { return kAlertsType; }
  const Callable* method(std::string_view name) const override;

 private:
  std::vector<const AlertStruct*> alerts_;
};

class AlertStruct final : public Struct {
 public:
  explicit AlertStruct(const AlertData& alert) : alert_(alert) {}
  std::optional<Value> field(std::string_view name) const override {
    if (name == "Acknowledged") return Value::boolean(alert_.acknowledged);
    if (name == "AcknowledgedBy") return Value::string(alert_.acknowledged_by);
    if (name == "AcknowledgeComment") return Value::string(alert_.acknowledge_comment);
    return Struct::field(name);
  }
  std::size_t field_count() const override { return 7; }
  std::string_view field_name(std::size_t i) const override {
    static constexpr std::string_view kNames[] = {
        "Status", "Labels", "Annotations", "StartsAt", "EndsAt", "GeneratorURL", "Fingerprint"};
    return kNames[i];
  }
  Value field_at(std::size_t i) const override {
    switch (i) {
      case 0:
        return Value::string(alert_.status);
      case 1:
        return alert_.labels.value();
      case 2:
        return alert_.annotations.value();
      case 3:
        return Value::time(alert_.starts_at_seconds, alert_.starts_at_nanos);
      case 4:
        return Value::time(alert_.ends_at_seconds, alert_.ends_at_nanos);
      case 5:
        return Value::string(alert_.generator_url);
      default:
        return Value::string(alert_.fingerprint);
    }
  }
  std::string_view json_name(std::size_t i) const override {
    static constexpr std::string_view kNames[] = {
        "status", "labels", "annotations", "startsAt", "endsAt", "generatorURL", "fingerprint"};
    return kNames[i];
  }
  std::string_view type_name() const override { return kAlertType; }
  const AlertData& alert() const { return alert_; }

 private:
  const AlertData& alert_;
};

Value AlertsList::at(std::size_t i) const {
  return Value::structure(alerts_[i]);
}

// Alerts.Firing / Alerts.Resolved: a []template.Alert, never nil.
Value alerts_with_status(Arena& arena, const List& alerts, std::string_view status) {
  auto* out = arena.make<ResultList>(arena, kAlertSliceType);
  for (std::size_t i = 0; i < alerts.size(); ++i) {
    Value a = alerts.at(i);
    if (static_cast<const AlertStruct&>(a.as_struct()).alert().status == status) {
      out->items().push_back(a);
    }
  }
  return Value::list(out);
}

const Callable* ResultList::method(std::string_view name) const {
  if (type_ != kPairsType) return nullptr;
  static const Callable kNames =
      make_method({}, [](CallContext& ctx, const Value& self, Args) -> Result<Value> {
        return pairs_column(ctx.arena(), self.as_list(), true);
      });
  static const Callable kValues =
      make_method({}, [](CallContext& ctx, const Value& self, Args) -> Result<Value> {
        return pairs_column(ctx.arena(), self.as_list(), false);
      });
  if (name == "Names") return &kNames;
  if (name == "Values") return &kValues;
  return nullptr;
}

const Callable* AlertsList::method(std::string_view name) const {
  static const Callable kFiring =
      make_method({}, [](CallContext& ctx, const Value& self, Args) -> Result<Value> {
        return alerts_with_status(ctx.arena(), self.as_list(), "firing");
      });
  static const Callable kResolved =
      make_method({}, [](CallContext& ctx, const Value& self, Args) -> Result<Value> {
        return alerts_with_status(ctx.arena(), self.as_list(), "resolved");
      });
  if (name == "Firing") return &kFiring;
  if (name == "Resolved") return &kResolved;
  return nullptr;
}

StringPairs to_pairs(const Labels& labels) {
  StringPairs out;
  for (Label l : labels) out.emplace_back(std::string(l.name), std::string(l.value));
  return out;
}

// The pairs of `first` that every other set has with the same value.
StringPairs common(std::span<const notify::Alert> alerts, Labels notify::Alert::*member) {
  if (alerts.empty()) return {};
  StringPairs out;
  for (Label l : alerts.front().*member) {
    bool everywhere = std::all_of(alerts.begin() + 1, alerts.end(), [&](const notify::Alert& a) {
      auto v = (a.*member).get(l.name);
      return v && *v == l.value;
    });
    if (everywhere) out.emplace_back(std::string(l.name), std::string(l.value));
  }
  return out;
}

// Go's zero time.Time for an unset timestamp (a firing alert's EndsAt).
std::pair<std::int64_t, std::int32_t> go_time(Timestamp t) {
  if (t == Timestamp{}) return {-62135596800, 0};
  auto ms = t.time_since_epoch().count();
  std::int64_t seconds = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
  return {seconds, static_cast<std::int32_t>((ms - seconds * 1000) * 1'000'000)};
}

}  // namespace

std::optional<Value> KVMap::find(std::string_view key) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), key,
                             [](const KVPair& e, std::string_view k) { return e.first < k; });
  if (it == entries_.end() || it->first != key) return std::nullopt;
  return Value::string(it->second);
}

void KVMap::for_each(FunctionRef<bool(std::string_view, const Value&)> visit) const {
  for (const auto& [k, v] : entries_) {
    if (!visit(k, Value::string(v))) return;
  }
}

const Callable* KVMap::method(std::string_view name) const {
  static const Callable kSortedPairs =
      make_method({}, [](CallContext& ctx, const Value& self, Args) -> Result<Value> {
        return sorted_pairs(ctx.arena(), kv_of(self));
      });
  static const Callable kNames =
      make_method({}, [](CallContext& ctx, const Value& self, Args) -> Result<Value> {
        Value pairs = sorted_pairs(ctx.arena(), kv_of(self));
        return pairs_column(ctx.arena(), pairs.as_list(), true);
      });
  static const Callable kValues =
      make_method({}, [](CallContext& ctx, const Value& self, Args) -> Result<Value> {
        Value pairs = sorted_pairs(ctx.arena(), kv_of(self));
        return pairs_column(ctx.arena(), pairs.as_list(), false);
      });
  static const Callable kRemove = make_method(
      {kStringSliceParam}, [](CallContext& ctx, const Value& self, Args a) -> Result<Value> {
        Arena& arena = ctx.arena();
        const KVMap& kv = kv_of(self);
        auto* kept = arena.make<std::pmr::vector<KVPair>>(arena.resource());
        for (const KVPair& p : kv.entries()) {
          bool removed = false;
          if (a[0].valid()) {
            const List& keys = a[0].as_list();
            for (std::size_t i = 0; i < keys.size() && !removed; ++i) {
              removed = keys.at(i).as_string() == p.first;
            }
          }
          if (!removed) kept->push_back(p);
        }
        return Value::map(arena.make<KVMap>(std::span<const KVPair>(*kept)));
      });
  if (name == "SortedPairs") return &kSortedPairs;
  if (name == "Names") return &kNames;
  if (name == "Values") return &kValues;
  if (name == "Remove") return &kRemove;
  return nullptr;
}

OwnedKV::OwnedKV(StringPairs pairs) : pairs_(std::move(pairs)) {
  std::stable_sort(pairs_.begin(), pairs_.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  // A later duplicate wins, as Go's map assignment does.
  auto last = std::unique(pairs_.rbegin(), pairs_.rend(),
                          [](const auto& a, const auto& b) { return a.first == b.first; });
  pairs_.erase(pairs_.begin(), last.base());
  views_.reserve(pairs_.size());
  for (const auto& [k, v] : pairs_) views_.emplace_back(k, v);
  map_ = KVMap(views_);
}

class NotificationData::Impl final : public Struct {
 public:
  explicit Impl(Fields fields)
      : receiver_(std::move(fields.receiver)),
        status_(std::move(fields.status)),
        alerts_(std::move(fields.alerts)),
        group_labels_(std::move(fields.group_labels)),
        common_labels_(std::move(fields.common_labels)),
        common_annotations_(std::move(fields.common_annotations)),
        external_url_(std::move(fields.external_url)) {
    structs_.reserve(alerts_.size());
    for (const AlertData& a : alerts_) structs_.emplace_back(a);
    std::vector<const AlertStruct*> pointers;
    pointers.reserve(structs_.size());
    for (const AlertStruct& s : structs_) pointers.push_back(&s);
    list_ = std::make_unique<AlertsList>(std::move(pointers));
  }

  std::size_t field_count() const override { return 7; }
  std::string_view field_name(std::size_t i) const override {
    static constexpr std::string_view kNames[] = {
        "Receiver",          "Status",     "Alerts", "GroupLabels", "CommonLabels",
        "CommonAnnotations", "ExternalURL"};
    return kNames[i];
  }
  Value field_at(std::size_t i) const override {
    switch (i) {
      case 0:
        return Value::string(receiver_);
      case 1:
        return Value::string(status_);
      case 2:
        return Value::list(list_.get());
      case 3:
        return group_labels_.value();
      case 4:
        return common_labels_.value();
      case 5:
        return common_annotations_.value();
      default:
        return Value::string(external_url_);
    }
  }
  std::string_view json_name(std::size_t i) const override {
    static constexpr std::string_view kNames[] = {
        "receiver",          "status",     "alerts", "groupLabels", "commonLabels",
        "commonAnnotations", "externalURL"};
    return kNames[i];
  }
  bool is_pointer() const override { return true; }
  std::string_view type_name() const override { return kDataType; }

 private:
  std::string receiver_;
  std::string status_;
  std::vector<AlertData> alerts_;
  std::vector<AlertStruct> structs_;
  std::unique_ptr<AlertsList> list_;
  OwnedKV group_labels_;
  OwnedKV common_labels_;
  OwnedKV common_annotations_;
  std::string external_url_;
};

NotificationData::~NotificationData() = default;

Value NotificationData::root() const {
  return Value::structure(impl_.get());
}

std::shared_ptr<const NotificationData> NotificationData::from_fields(Fields fields) {
  std::shared_ptr<NotificationData> data(new NotificationData());
  data->now_ = fields.now;
  data->impl_ = std::make_unique<Impl>(std::move(fields));
  return data;
}

std::shared_ptr<const NotificationData> NotificationData::build(
    const notify::Context& context, std::span<const notify::Alert> alerts,
    std::string_view external_url) {
  Fields f;
  f.receiver = quote_meta(context.receiver);
  f.status = "resolved";
  f.alerts.reserve(alerts.size());
  for (const notify::Alert& a : alerts) {
    AlertData& d = f.alerts.emplace_back();
    d.status = std::string(a.status_at(context.now));
    if (d.status == "firing") f.status = "firing";
    d.labels = OwnedKV(to_pairs(a.labels));
    d.annotations = OwnedKV(to_pairs(a.annotations));
    std::tie(d.starts_at_seconds, d.starts_at_nanos) = go_time(a.starts_at);
    std::tie(d.ends_at_seconds, d.ends_at_nanos) = go_time(a.ends_at);
    d.generator_url = a.generator_url;
    d.fingerprint = notify::fingerprint_string(a.fingerprint());
    if (auto ack = context.acknowledged.find(a.fingerprint()); ack != context.acknowledged.end()) {
      d.acknowledged = true;
      d.acknowledged_by = ack->second.by;
      d.acknowledge_comment = ack->second.comment;
    }
  }
  f.group_labels = to_pairs(context.group_labels);
  f.common_labels = common(alerts, &notify::Alert::labels);
  f.common_annotations = common(alerts, &notify::Alert::annotations);
  f.external_url = std::string(external_url.empty() ? context.external_url : external_url);
  f.now = context.now;
  return from_fields(std::move(f));
}

Value string_slice(Arena& arena, std::span<const std::string_view> items) {
  auto* out = arena.make<ResultList>(arena, kStringSliceType);
  out->items().reserve(items.size());
  for (std::string_view s : items) out->items().push_back(Value::string(s));
  return Value::list(out);
}

std::string quote_meta(std::string_view s) {
  static constexpr std::string_view kSpecial = "\\.+*?()|[]{}^$";
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (kSpecial.find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

}  // namespace tocsin::tmpl
