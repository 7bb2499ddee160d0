// `tocsin history`: GET /api/v1/history of a running tocsin, as a table or
// as the API's JSON events.
#include <algorithm>
#include <ostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/api_client.h"
#include "cli/commands.h"
#include "gocompat/url.h"

namespace tocsin::cli {
namespace {

using Json = nlohmann::json;

std::string string_at(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// `{a="b", c="d"}` with alertname in front as the alert's name.
std::string alert_subject(const Json& labels) {
  std::string name = string_at(labels, "alertname");
  std::string rest;
  for (const auto& [key, value] : labels.items()) {
    if (key == "alertname" || !value.is_string()) continue;
    if (!rest.empty()) rest += ", ";
    rest += fmt::format("{}=\"{}\"", key, value.get<std::string>());
  }
  return rest.empty() ? name : fmt::format("{}{{{}}}", name, rest);
}

// The event's subject and a short account of its details.
std::pair<std::string, std::string> describe(const Json& e) {
  const std::string kind = string_at(e, "kind");
  const Json& details = e.contains("details") ? e["details"] : Json::object();
  const Json& labels = e.contains("labels") ? e["labels"] : Json::object();
  if (kind == "alert") {
    std::string source = string_at(details, "source");
    std::string what = source == "rule"  ? fmt::format("rule {}", string_at(details, "rule"))
                       : source == "api" ? std::string("posted")
                                         : source;
    if (details.contains("value") && details["value"].is_number()) {
      what += fmt::format(", value {}", details["value"].dump());
    }
    return {alert_subject(labels), what};
  }
  if (kind == "notification") {
    std::string subject =
        fmt::format("{}/{}", string_at(e, "receiver"), string_at(e, "integration"));
    std::string what =
        fmt::format("attempt {}, {} firing, {} resolved, {:.3f}s", details.value("attempt", 0),
                    details.value("firing", 0), details.value("resolved", 0),
                    details.value("durationSeconds", 0.0));
    if (string_at(details, "action") == "acknowledge") what = "acknowledge, " + what;
    if (std::string reply = string_at(details, "reply"); !reply.empty()) what += ", " + reply;
    if (std::string error = string_at(details, "error"); !error.empty()) what += ": " + error;
    return {subject, what};
  }
  if (kind == "acknowledgement") {
    std::size_t covered = details.value("covered", Json::array()).size();
    std::string what = fmt::format("{} alert{}", covered, covered == 1 ? "" : "s");
    if (std::string until = string_at(details, "expiresAt"); !until.empty()) {
      what += " until " + until;
    }
    if (std::string comment = string_at(details, "comment"); !comment.empty()) {
      what += "; " + comment;
    }
    return {fmt::format("{} {}", e.contains("groupKey") ? "group" : "alert", alert_subject(labels)),
            what};
  }
  if (kind == "silence") {
    std::string matchers;
    if (details.contains("matchers") && details["matchers"].is_array()) {
      for (const Json& m : details["matchers"]) {
        if (!matchers.empty()) matchers += ", ";
        matchers += m.is_string() ? m.get<std::string>() : m.dump();
      }
    }
    return {fmt::format("silence {}", string_at(details, "id")),
            fmt::format("{{{}}} until {}; {}", matchers, string_at(details, "endsAt"),
                        string_at(details, "comment"))};
  }
  if (kind == "reload") return {string_at(details, "file"), string_at(details, "error")};
  if (kind == "heartbeat") {
    return {fmt::format("heartbeat {}", string_at(details, "name")),
            fmt::format("timeout {}, due {}", string_at(details, "timeout"),
                        string_at(details, "dueAt"))};
  }
  return {alert_subject(labels), details.empty() ? std::string() : details.dump()};
}

void print_table(const std::vector<Json>& events, std::ostream& out) {
  std::vector<std::array<std::string, 6>> rows;
  rows.push_back({"TIME", "KIND", "STATE", "SUBJECT", "BY", "DETAILS"});
  for (const Json& e : events) {
    auto [subject, what] = describe(e);
    rows.push_back({string_at(e, "time"), string_at(e, "kind"), string_at(e, "state"),
                    std::move(subject), string_at(e, "by"), std::move(what)});
  }
  std::array<std::size_t, 6> width{};
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += i + 1 == row.size() ? row[i] : fmt::format("{:<{}}  ", row[i], width[i]);
    }
    while (line.ends_with(' ')) line.pop_back();
    out << line << "\n";
  }
}

}  // namespace

int history(const HistoryOptions& options, std::ostream& out, std::ostream& err) {
  if (options.output != "table" && options.output != "json") {
    err << "-o: \"" << options.output << "\" is not table or json\n";
    return 2;
  }
  std::string query;
  auto add = [&](std::string_view name, std::string_view value) {
    if (value.empty()) return;
    query += query.empty() ? '?' : '&';
    query += name;
    query += '=';
    gocompat::append_query_escaped(query, value);
  };
  for (const std::string& m : options.matchers) add("filter", m);
  add("kind", options.kind);
  add("state", options.state);
  add("receiver", options.receiver);
  add("fingerprint", options.fingerprint);
  for (auto [name, text] : {std::pair{"from", &options.from}, std::pair{"to", &options.to}}) {
    if (text->empty()) continue;
    // "2h": that long ago; anything else goes to the server as it is.
    if (auto ago = parse_duration(*text)) {
      add(name, format_rfc3339(Clock::system().now() - *ago));
    } else {
      add(name, *text);
    }
  }

  std::vector<Json> events;
  std::string cursor;
  while (events.size() < options.limit) {
    std::string page = query;
    page += page.empty() ? '?' : '&';
    page += fmt::format("limit={}", std::min<std::size_t>(1000, options.limit - events.size()));
    if (!cursor.empty()) page += "&cursor=" + cursor;
    auto answer = api_get(ApiTarget{.url = options.url}, "/api/v1/history" + page);
    if (!answer) {
      err << "tocsin history: " << answer.error().to_string() << "\n";
      return 1;
    }
    const Json& data = (*answer)["data"];
    if (!data.is_object() || !data.contains("events") || !data["events"].is_array()) {
      err << "tocsin history: the answer has no data.events\n";
      return 1;
    }
    for (const Json& e : data["events"]) events.push_back(e);
    cursor = string_at(data, "next");
    if (cursor.empty()) break;
  }
  if (events.size() > options.limit) events.resize(options.limit);

  if (options.output == "json") {
    out << Json(events).dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
  } else {
    print_table(events, out);
  }
  return 0;
}

}  // namespace tocsin::cli
