#include "dispatch/history.h"

#include <nlohmann/json.hpp>

namespace tocsin::dispatch {
namespace {

using Json = nlohmann::json;

std::string dump(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

store::HistoryRow alert_event(const notify::Alert& alert, std::string_view state, Timestamp at,
                              std::string_view source) {
  store::HistoryRow row;
  row.at = at;
  row.kind = "alert";
  row.state = std::string(state);
  row.fingerprint = alert.fingerprint();
  row.labels = alert.labels;
  Json details = {{"source", source},
                  {"startsAt", format_rfc3339(alert.starts_at)},
                  {"endsAt", format_rfc3339(alert.ends_at)}};
  if (!alert.generator_url.empty()) details["generatorURL"] = alert.generator_url;
  row.details = dump(details);
  return row;
}

store::HistoryRow notification_event(const NotificationTarget& target,
                                     const notify::Context& context,
                                     std::span<const notify::Alert> alerts, const Attempt& attempt,
                                     Timestamp at) {
  store::HistoryRow row;
  row.at = at;
  row.kind = "notification";
  row.state = attempt.sent ? "sent" : "failed";
  row.labels = context.group_labels;
  row.receiver = target.receiver;
  row.integration = target.integration;
  row.group_key = context.group_key;
  Json fingerprints = Json::array();
  std::size_t firing = 0;
  for (const notify::Alert& a : alerts) {
    fingerprints.push_back(notify::fingerprint_string(a.fingerprint()));
    if (!a.resolved_at(context.now)) ++firing;
  }
  Json details = {{"attempt", attempt.number},
                  {"alerts", std::move(fingerprints)},
                  {"firing", firing},
                  {"resolved", alerts.size() - firing},
                  {"durationSeconds", attempt.seconds}};
  if (target.index > 0) details["index"] = target.index;
  if (!attempt.error.empty()) details["error"] = attempt.error;
  if (attempt.acknowledge) details["action"] = "acknowledge";
  if (!attempt.reply.empty()) details["reply"] = attempt.reply;
  row.details = dump(details);
  return row;
}

store::HistoryRow silence_event(const Silence& silence, std::string_view state, Timestamp at,
                                std::string_view by) {
  store::HistoryRow row;
  row.at = at;
  row.kind = "silence";
  row.state = std::string(state);
  row.by = std::string(by);
  Json matchers = Json::array();
  for (const Matcher& m : silence.matchers) matchers.push_back(m.to_string());
  row.details = dump({{"id", silence.id},
                      {"matchers", std::move(matchers)},
                      {"startsAt", format_rfc3339(silence.starts_at)},
                      {"endsAt", format_rfc3339(silence.ends_at)},
                      {"comment", silence.comment}});
  return row;
}

}  // namespace tocsin::dispatch
