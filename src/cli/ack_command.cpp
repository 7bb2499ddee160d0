// `tocsin ack`, `tocsin ack list` and `tocsin unack`: acknowledgements of a
// running tocsin (POST, GET and DELETE /api/v1/acknowledgements), with the
// alerts named as amtool names them, by label matchers.
#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <ostream>
#include <set>

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

std::string labels_text(const Json& labels) {
  std::string out;
  for (const auto& [key, value] : labels.items()) {
    if (!value.is_string()) continue;
    if (!out.empty()) out += ", ";
    out += fmt::format("{}=\"{}\"", key, value.get<std::string>());
  }
  return "{" + out + "}";
}

void print_acks(const std::vector<Json>& acks, const std::string& output, std::ostream& out) {
  if (output == "json") {
    out << Json(acks).dump(2) << "\n";
    return;
  }
  std::vector<std::array<std::string, 6>> rows;
  rows.push_back({"ID", "OF", "LABELS", "BY", "EXPIRES", "COMMENT"});
  for (const Json& a : acks) {
    std::string of = a.contains("groupKey") ? fmt::format("group ({} alerts)",
                                                          a.value("covered", Json::array()).size())
                                            : "alert " + string_at(a, "fingerprint");
    std::string expires = string_at(a, "expiresAt");
    rows.push_back({string_at(a, "id"), std::move(of),
                    labels_text(a.value("labels", Json::object())), string_at(a, "by"),
                    expires.empty() ? "when resolved" : expires, string_at(a, "comment")});
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

bool valid_output(const std::string& output, std::ostream& err) {
  if (output == "table" || output == "json") return true;
  err << "-o: \"" << output << "\" is not table or json\n";
  return false;
}

// The fingerprints of the firing alerts the matchers select, as
// GET /api/v2/alerts filters them (silenced and inhibited ones included).
Result<std::vector<std::string>> firing_matching(const ApiTarget& target,
                                                 const std::vector<std::string>& matchers) {
  std::string query = "?active=true&silenced=true&inhibited=true";
  for (const std::string& m : matchers) {
    query += "&filter=";
    gocompat::append_query_escaped(query, m);
  }
  auto alerts = api_get(target, "/api/v2/alerts" + query);
  if (!alerts) return std::unexpected(alerts.error());
  std::vector<std::string> out;
  if (!alerts->is_array()) return out;
  for (const Json& a : *alerts) {
    if (std::string fp = string_at(a, "fingerprint"); !fp.empty()) out.push_back(fp);
  }
  return out;
}

}  // namespace

std::string default_user() {
  for (const char* name : {"USER", "LOGNAME"}) {
    if (const char* v = std::getenv(name); v != nullptr && *v != '\0') return v;
  }
  return {};
}

int ack(const AckOptions& options, std::ostream& out, std::ostream& err) {
  if (!valid_output(options.output, err)) return 2;
  ApiTarget target{.url = options.url};
  if (options.list) {
    auto answer = api_get(target, "/api/v1/acknowledgements");
    if (!answer) {
      err << answer.error().message() << "\n";
      return 1;
    }
    print_acks(answer->value("data", Json::array()).get<std::vector<Json>>(), options.output, out);
    return 0;
  }
  if (options.matchers.empty() && options.fingerprints.empty()) {
    err << "name the alerts to acknowledge: label matchers (alertname=X) or --fingerprint\n";
    return 2;
  }
  std::vector<std::string> fingerprints = options.fingerprints;
  if (!options.matchers.empty()) {
    auto matching = firing_matching(target, options.matchers);
    if (!matching) {
      err << matching.error().message() << "\n";
      return 1;
    }
    fingerprints.insert(fingerprints.end(), matching->begin(), matching->end());
  }
  if (fingerprints.empty()) {
    err << "no firing alert matches\n";
    return 1;
  }
  std::string expires = options.expires;
  if (auto d = parse_duration(expires); !expires.empty() && d) {
    expires = format_rfc3339(Clock::system().now() + *d);
  }
  std::vector<Json> made;
  std::set<std::string> covered;  // by a group acknowledged in this run
  for (const std::string& fp : fingerprints) {
    if (covered.contains(fp)) continue;
    Json body{{"by", options.by}, {"comment", options.comment}};
    if (options.group) {
      body["groupOf"] = fp;
      if (!options.receiver.empty()) body["receiver"] = options.receiver;
    } else {
      body["fingerprint"] = fp;
    }
    if (!expires.empty()) body["expiresAt"] = expires;
    auto answer = api_post(target, "/api/v1/acknowledgements", body);
    if (!answer) {
      err << fp << ": " << answer.error().message() << "\n";
      print_acks(made, options.output, out);
      return 1;
    }
    for (const Json& a : answer->value("data", Json::array())) {
      if (a.contains("groupKey")) {
        for (const Json& c : a.value("covered", Json::array())) {
          if (c.is_string()) covered.insert(c.get<std::string>());
        }
      }
      made.push_back(a);
    }
  }
  print_acks(made, options.output, out);
  return 0;
}

int unack(const UnackOptions& options, std::ostream& out, std::ostream& err) {
  if (options.ids.empty()) {
    err << "name the acknowledgements to end by id (tocsin ack list shows them)\n";
    return 2;
  }
  ApiTarget target{.url = options.url};
  int status = 0;
  for (const std::string& id : options.ids) {
    if (id.empty() || !std::ranges::all_of(id, [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-';
        })) {
      err << id << ": not an acknowledgement id\n";
      status = 1;
      continue;
    }
    std::string path = "/api/v1/acknowledgements/" + id;
    if (!options.by.empty()) {
      path += "?by=";
      gocompat::append_query_escaped(path, options.by);
    }
    auto answer = api_delete(target, path);
    if (!answer) {
      err << id << ": " << answer.error().message() << "\n";
      status = 1;
      continue;
    }
    out << id << "\n";
  }
  return status;
}

}  // namespace tocsin::cli
