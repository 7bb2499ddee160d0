#include "store/row_codec.h"

#include <charconv>
#include <cmath>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <simdjson.h>

namespace tocsin::store {
namespace {

using Json = nlohmann::json;

Value time_of(Timestamp t) {
  return std::int64_t{t.time_since_epoch().count()};
}

// An empty string as NULL: the optional columns hold NULL, so that partial
// indexes hold only rows with a value.
Value text_or_null(std::string_view v) {
  if (v.empty()) return std::monostate{};
  return std::string(v);
}

std::string matchers_json(const std::vector<SilenceMatcherRow>& matchers) {
  Json out = Json::array();
  for (const SilenceMatcherRow& m : matchers) {
    out.push_back({{"type", m.type}, {"name", m.name}, {"pattern", m.pattern}});
  }
  return out.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Result<std::vector<SilenceMatcherRow>> matchers_from(std::string_view text) {
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_array()) return fail("matchers: not a JSON array");
  std::vector<SilenceMatcherRow> out;
  auto string_at = [](const Json& m, const char* key) -> const std::string* {
    auto it = m.find(key);
    return it == m.end() ? nullptr : it->get_ptr<const std::string*>();
  };
  for (const Json& m : j) {
    const std::string* type = m.is_object() ? string_at(m, "type") : nullptr;
    const std::string* name = m.is_object() ? string_at(m, "name") : nullptr;
    const std::string* pattern = m.is_object() ? string_at(m, "pattern") : nullptr;
    if (type == nullptr || name == nullptr || pattern == nullptr) {
      return fail("matchers: a matcher lacks type, name or pattern");
    }
    out.push_back({*type, *name, *pattern});
  }
  return out;
}

std::string hashes_json(const std::vector<std::uint64_t>& hashes) {
  Json out = Json::array();
  for (std::uint64_t h : hashes) out.push_back(fmt::format("{:016x}", h));
  return out.dump();
}

Result<std::vector<std::uint64_t>> hashes_from(std::string_view text) {
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_array()) return fail("not a JSON array");
  std::vector<std::uint64_t> out;
  for (const Json& h : j) {
    const std::string* s = h.get_ptr<const std::string*>();
    std::uint64_t v = 0;
    if (s == nullptr || s->empty() ||
        std::from_chars(s->data(), s->data() + s->size(), v, 16).ptr != s->data() + s->size()) {
      return fail(fmt::format("bad hash {}", h.dump()));
    }
    out.push_back(v);
  }
  return out;
}

std::string labels_json(const Labels& labels) {
  Json out = Json::object();
  for (Label l : labels) out[std::string(l.name)] = std::string(l.value);
  return out.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// A row's labels or annotations: the flat JSON object of strings
// labels_json wrote. Read with simdjson's On-Demand parser, which decodes
// them in place: a restart reads hundreds of thousands of these, and the
// history reads one per examined event.
Result<Labels> labels_from(std::string_view text) {
  thread_local simdjson::ondemand::parser parser;
  thread_local std::string padded;
  thread_local std::vector<Label> pairs;
  padded.assign(text);
  padded.resize(text.size() + simdjson::SIMDJSON_PADDING);
  simdjson::ondemand::document doc;
  simdjson::ondemand::object object;
  if (parser.iterate(padded.data(), text.size(), padded.size()).get(doc) ||
      doc.get_object().get(object)) {
    return fail("not a JSON object");
  }
  pairs.clear();
  for (auto field : object) {
    std::string_view name;
    std::string_view value;
    if (field.unescaped_key().get(name)) return fail("not a JSON object");
    if (field.value().get_string().get(value)) {
      return fail(fmt::format("label {} is not a string", name));
    }
    pairs.push_back(Label{name, value});
  }
  return Labels::from_pairs(pairs);
}

std::optional<AlertState> alert_state_from(std::string_view text) {
  for (AlertState s : {AlertState::kInactive, AlertState::kPending, AlertState::kFiring}) {
    if (to_string(s) == text) return s;
  }
  return std::nullopt;
}

std::optional<std::uint64_t> fingerprint_from(std::string_view text) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v, 16);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

std::string_view label_value(const Labels& labels, std::string_view name) {
  for (Label l : labels) {
    if (l.name == name) return l.value;
  }
  return {};
}

}  // namespace

std::string fingerprint_text(std::uint64_t fingerprint) {
  return fmt::format("{:016x}", fingerprint);
}

Values silence_values(const SilenceRow& r) {
  return {r.id,
          matchers_json(r.matchers),
          time_of(r.starts_at),
          time_of(r.ends_at),
          time_of(r.updated_at),
          r.created_by,
          r.comment,
          time_of(r.expires_at),
          std::int64_t{r.ends_when_resolved ? 1 : 0},
          std::int64_t{r.matched ? 1 : 0},
          r.schedule};
}

Result<SilenceRow> silence_from(const Columns& c) {
  SilenceRow row;
  row.id = c.text(0);
  auto matchers = matchers_from(c.text(1));
  if (!matchers) return fail(fmt::format("silence {}: {}", row.id, matchers.error().message()));
  row.matchers = std::move(*matchers);
  row.starts_at = c.time(2);
  row.ends_at = c.time(3);
  row.updated_at = c.time(4);
  row.created_by = c.text(5);
  row.comment = c.text(6);
  row.expires_at = c.time(7);
  row.ends_when_resolved = c.integer(8) != 0;
  row.matched = c.integer(9) != 0;
  row.schedule = c.text(10);
  return row;
}

Values notification_values(const NotificationRow& r) {
  return {r.group_key,
          r.receiver,
          r.integration,
          std::int64_t{r.index},
          time_of(r.timestamp),
          hashes_json(r.firing_alerts),
          hashes_json(r.resolved_alerts),
          time_of(r.expires_at)};
}

Result<NotificationRow> notification_from(const Columns& c) {
  NotificationRow row;
  row.group_key = c.text(0);
  row.receiver = c.text(1);
  row.integration = c.text(2);
  std::int64_t index = c.integer(3);
  row.timestamp = c.time(4);
  auto firing = hashes_from(c.text(5));
  auto resolved = hashes_from(c.text(6));
  if (!firing || !resolved || index < 0 || index > UINT32_MAX) {
    std::string why = !firing     ? "firing_alerts: " + firing.error().message()
                      : !resolved ? "resolved_alerts: " + resolved.error().message()
                                  : fmt::format("idx {} out of range", index);
    return fail(fmt::format("notification log entry {}:{}/{}: {}", row.group_key, row.receiver,
                            row.integration, why));
  }
  row.index = static_cast<std::uint32_t>(index);
  row.firing_alerts = std::move(*firing);
  row.resolved_alerts = std::move(*resolved);
  row.expires_at = c.time(7);
  return row;
}

Values rule_alert_values(const RuleAlertRow& r) {
  return {r.group_key,
          r.rule_key,
          fingerprint_text(r.fingerprint),
          r.rule,
          labels_json(r.labels),
          labels_json(r.annotations),
          std::string(to_string(r.state)),
          time_of(r.active_at),
          time_of(r.fired_at),
          time_of(r.resolved_at),
          time_of(r.keep_firing_since),
          std::isnan(r.value) ? Value(std::monostate{}) : Value(r.value)};
}

Result<RuleAlertRow> rule_alert_from(const Columns& c) {
  RuleAlertRow row;
  row.group_key = c.text(0);
  row.rule_key = c.text(1);
  std::string fingerprint = c.text(2);
  row.rule = c.text(3);
  auto labels = labels_from(c.text(4));
  auto annotations = labels_from(c.text(5));
  std::string state_text = c.text(6);
  auto alert_state = alert_state_from(state_text);
  auto parsed = fingerprint_from(fingerprint);
  if (!labels || !annotations || !alert_state || !parsed) {
    std::string why = !labels        ? "labels: " + labels.error().message()
                      : !annotations ? "annotations: " + annotations.error().message()
                      : !alert_state ? fmt::format("unknown state \"{}\"", state_text)
                                     : fmt::format("bad fingerprint \"{}\"", fingerprint);
    return fail(
        fmt::format("rule alert {} {} {}: {}", row.group_key, row.rule_key, fingerprint, why));
  }
  row.fingerprint = *parsed;
  row.labels = std::move(*labels);
  row.annotations = std::move(*annotations);
  row.state = *alert_state;
  row.active_at = c.time(7);
  row.fired_at = c.time(8);
  row.resolved_at = c.time(9);
  row.keep_firing_since = c.time(10);
  row.value = c.real(11);
  return row;
}

Values rule_group_values(const RuleGroupRow& r) {
  return {r.group_key, time_of(r.last_evaluation)};
}

RuleGroupRow rule_group_from(const Columns& c) {
  return {c.text(0), c.time(1)};
}

Values alert_values(const AlertRow& r) {
  return {fingerprint_text(r.fingerprint),
          labels_json(r.labels),
          labels_json(r.annotations),
          time_of(r.starts_at),
          time_of(r.ends_at),
          time_of(r.updated_at),
          r.generator_url,
          std::int64_t{r.timeout ? 1 : 0},
          r.source};
}

Result<AlertRow> alert_from(const Columns& c) {
  AlertRow row;
  std::string fingerprint = c.text(0);
  auto parsed = fingerprint_from(fingerprint);
  auto labels = labels_from(c.text(1));
  auto annotations = labels_from(c.text(2));
  if (!parsed || !labels || !annotations) {
    std::string why = !parsed   ? fmt::format("bad fingerprint \"{}\"", fingerprint)
                      : !labels ? "labels: " + labels.error().message()
                                : "annotations: " + annotations.error().message();
    return fail(fmt::format("alert {}: {}", fingerprint, why));
  }
  row.fingerprint = *parsed;
  row.labels = std::move(*labels);
  row.annotations = std::move(*annotations);
  row.starts_at = c.time(3);
  row.ends_at = c.time(4);
  row.updated_at = c.time(5);
  row.generator_url = c.text(6);
  row.timeout = c.integer(7) != 0;
  row.source = c.text(8);
  return row;
}

Values heartbeat_values(const HeartbeatRow& r) {
  return {r.name,
          std::int64_t{r.timeout.count()},
          labels_json(r.labels),
          labels_json(r.annotations),
          time_of(r.created_at),
          time_of(r.renewed_at),
          std::int64_t{r.missing ? 1 : 0},
          r.created_by};
}

Result<HeartbeatRow> heartbeat_from(const Columns& c) {
  HeartbeatRow row;
  row.name = c.text(0);
  row.timeout = Duration(c.integer(1));
  auto labels = labels_from(c.text(2));
  auto annotations = labels_from(c.text(3));
  if (!labels || !annotations) {
    return fail(fmt::format("heartbeat {}: {}", row.name,
                            !labels ? "labels: " + labels.error().message()
                                    : "annotations: " + annotations.error().message()));
  }
  row.labels = std::move(*labels);
  row.annotations = std::move(*annotations);
  row.created_at = c.time(4);
  row.renewed_at = c.time(5);
  row.missing = c.integer(6) != 0;
  row.created_by = c.text(7);
  return row;
}

Values acknowledgement_values(const AcknowledgementRow& r) {
  return {r.id,
          r.group_key.empty() ? Value(fingerprint_text(r.fingerprint)) : Value(std::monostate{}),
          text_or_null(r.group_key),
          hashes_json(r.covered),
          labels_json(r.labels),
          r.by,
          r.comment,
          time_of(r.created_at),
          time_of(r.expires_at)};
}

Result<AcknowledgementRow> acknowledgement_from(const Columns& c) {
  AcknowledgementRow row;
  row.id = c.text(0);
  std::string fingerprint = c.text(1);
  row.group_key = c.text(2);
  auto parsed =
      fingerprint.empty() ? std::optional<std::uint64_t>(0) : fingerprint_from(fingerprint);
  auto covered = hashes_from(c.text(3));
  auto labels = labels_from(c.text(4));
  if (!parsed || !covered || !labels) {
    return fail(fmt::format("acknowledgement {}: {}", row.id,
                            !parsed    ? fmt::format("bad fingerprint \"{}\"", fingerprint)
                            : !covered ? "covered: " + covered.error().message()
                                       : "labels: " + labels.error().message()));
  }
  row.fingerprint = *parsed;
  row.covered = std::move(*covered);
  row.labels = std::move(*labels);
  row.by = c.text(5);
  row.comment = c.text(6);
  row.created_at = c.time(7);
  row.expires_at = c.time(8);
  return row;
}

Values escalation_values(const EscalationRow& r) {
  return {r.group_key, time_of(r.first_fired)};
}

EscalationRow escalation_from(const Columns& c) {
  return {c.text(0), c.time(1)};
}

Values history_values(const HistoryRow& r) {
  return {time_of(r.at),
          r.kind,
          r.state,
          r.fingerprint != 0 ? Value(fingerprint_text(r.fingerprint)) : Value(std::monostate{}),
          text_or_null(label_value(r.labels, "alertname")),
          labels_json(r.labels),
          text_or_null(r.receiver),
          text_or_null(r.integration),
          text_or_null(r.group_key),
          text_or_null(r.by),
          r.details.empty() ? std::string("{}") : r.details};
}

Result<bool> HistoryCollector::add(const Columns& row) {
  const std::int64_t id = row.integer(0);
  // The labels first, alone: the matchers run on them before the rest of
  // an event is decoded.
  auto labels = labels_from(row.text(5));
  if (!labels) {
    return fail(fmt::format("history event {}: labels: {}", id, labels.error().message()));
  }
  if (!query_.matches || query_.matches(*labels)) {
    page_.events.push_back(history_from(row, std::move(*labels)));
    if (page_.events.size() >= query_.limit) {
      page_.next_before_id = id;
      return false;
    }
  }
  if (++examined_ >= query_.max_examined) {
    page_.next_before_id = id;
    return false;
  }
  return true;
}

HistoryRow history_from(const Columns& c, Labels labels) {
  HistoryRow row;
  row.id = c.integer(0);
  row.at = c.time(1);
  row.kind = c.text(2);
  row.state = c.text(3);
  row.fingerprint = fingerprint_from(c.text(4)).value_or(0);
  row.labels = std::move(labels);
  row.receiver = c.text(6);
  row.integration = c.text(7);
  row.group_key = c.text(8);
  row.by = c.text(9);
  row.details = c.text(10);
  return row;
}

void steps_of(const Change& change, std::vector<Step>& out) {
  auto at = [](Timestamp t) { return Values{std::int64_t{t.time_since_epoch().count()}}; };
  std::visit(
      [&](const auto& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, PutSilence>) {
          out.push_back({StatementId::kPutSilence, silence_values(c.row),
                         fmt::format("writing silence {}", c.row.id)});
        } else if constexpr (std::is_same_v<T, PurgeSilences>) {
          out.push_back(
              {StatementId::kPurgeSilences, at(c.expired_by), "dropping expired silences"});
        } else if constexpr (std::is_same_v<T, PutNotification>) {
          out.push_back({StatementId::kPutNotification, notification_values(c.row),
                         "writing a notification log entry"});
        } else if constexpr (std::is_same_v<T, PurgeNotifications>) {
          out.push_back({StatementId::kPurgeNotifications, at(c.expired_by),
                         "dropping expired notification log entries"});
        } else if constexpr (std::is_same_v<T, PutRuleAlert>) {
          out.push_back({StatementId::kPutRuleAlert, rule_alert_values(c.row),
                         fmt::format("writing an alert of rule {}", c.row.rule)});
        } else if constexpr (std::is_same_v<T, DeleteRuleAlert>) {
          out.push_back({StatementId::kDeleteRuleAlert,
                         {c.group_key, c.rule_key, fingerprint_text(c.fingerprint)},
                         "deleting a rule alert"});
        } else if constexpr (std::is_same_v<T, PutRuleGroup>) {
          out.push_back(
              {StatementId::kPutRuleGroup, rule_group_values(c.row), "writing a rule group"});
        } else if constexpr (std::is_same_v<T, DeleteRuleGroup>) {
          out.push_back({StatementId::kDeleteRuleGroupAlerts,
                         {c.group_key},
                         "deleting a rule group's alerts"});
          out.push_back({StatementId::kDeleteRuleGroup, {c.group_key}, "deleting a rule group"});
        } else if constexpr (std::is_same_v<T, PutAlert>) {
          out.push_back({StatementId::kPutAlert, alert_values(c.row),
                         fmt::format("writing alert {}", fingerprint_text(c.row.fingerprint))});
        } else if constexpr (std::is_same_v<T, PurgeAlerts>) {
          out.push_back({StatementId::kPurgeAlerts, at(c.ended_by), "dropping resolved alerts"});
        } else if constexpr (std::is_same_v<T, PutHeartbeat>) {
          out.push_back({StatementId::kPutHeartbeat, heartbeat_values(c.row),
                         fmt::format("writing heartbeat {}", c.row.name)});
        } else if constexpr (std::is_same_v<T, DeleteHeartbeat>) {
          out.push_back({StatementId::kDeleteHeartbeat,
                         {c.name},
                         fmt::format("deleting heartbeat {}", c.name)});
        } else if constexpr (std::is_same_v<T, PutAcknowledgement>) {
          out.push_back({StatementId::kPutAcknowledgement, acknowledgement_values(c.row),
                         fmt::format("writing acknowledgement {}", c.row.id)});
        } else if constexpr (std::is_same_v<T, DeleteAcknowledgement>) {
          out.push_back({StatementId::kDeleteAcknowledgement,
                         {c.id},
                         fmt::format("deleting acknowledgement {}", c.id)});
        } else if constexpr (std::is_same_v<T, PutEscalation>) {
          out.push_back(
              {StatementId::kPutEscalation, escalation_values(c.row), "writing an escalation"});
        } else if constexpr (std::is_same_v<T, DeleteEscalation>) {
          out.push_back({StatementId::kDeleteEscalation, {c.group_key}, "deleting an escalation"});
        } else {
          static_assert(std::is_same_v<T, AppendHistory>);
          out.push_back({StatementId::kAppendHistory, history_values(c.row),
                         fmt::format("recording a {} event", c.row.kind)});
        }
      },
      change);
}

}  // namespace tocsin::store
