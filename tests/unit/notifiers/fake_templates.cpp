#include "fake_templates.h"

#include <fmt/format.h>

#include "config/receiver_config.h"

namespace tocsin::notifiers::testutil {
namespace {

struct FakeData {
  std::string status;
  std::string receiver;
  std::string external_url;
  std::map<std::string, std::string> group_labels;
  std::map<std::string, std::string> common_labels;
  std::map<std::string, std::string> common_annotations;
  std::size_t firing = 0;
  std::size_t resolved = 0;
};

// NotificationData is opaque to everyone but its implementation; the fake
// hands out its own type behind that name and converts back.
const FakeData& unwrap(const tmpl::NotificationData& data) {
  return *reinterpret_cast<const FakeData*>(&data);
}

std::map<std::string, std::string> common(std::span<const notify::Alert> alerts,
                                          const Labels notify::Alert::*field) {
  if (alerts.empty()) return {};
  auto out = (alerts.front().*field).to_map();
  for (const auto& alert : alerts) {
    std::erase_if(out,
                  [&](const auto& kv) { return (alert.*field).value_of(kv.first) != kv.second; });
  }
  return out;
}

std::string trim(std::string_view s) {
  auto first = s.find_first_not_of(' ');
  if (first == std::string_view::npos) return {};
  return std::string(s.substr(first, s.find_last_not_of(' ') - first + 1));
}

std::string escape_html(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&#34;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string lookup(const std::map<std::string, std::string>& map, std::string_view key) {
  auto it = map.find(std::string(key));
  return it == map.end() ? "" : it->second;
}

}  // namespace

std::shared_ptr<const tmpl::NotificationData> FakeTemplates::data(
    const notify::Context& context, std::span<const notify::Alert> alerts) const {
  auto d = std::make_shared<FakeData>();
  d->receiver = context.receiver;
  d->external_url = context.external_url;
  d->group_labels = context.group_labels.to_map();
  d->common_labels = common(alerts, &notify::Alert::labels);
  d->common_annotations = common(alerts, &notify::Alert::annotations);
  for (const auto& alert : alerts) (alert.resolved_at(context.now) ? d->resolved : d->firing)++;
  d->status = d->firing > 0 ? "firing" : "resolved";
  return std::shared_ptr<const tmpl::NotificationData>(
      d, reinterpret_cast<const tmpl::NotificationData*>(d.get()));
}

Result<std::string> FakeTemplates::text(std::string_view text,
                                        const tmpl::NotificationData& data) const {
  return render(text, data, false);
}

Result<std::string> FakeTemplates::html(std::string_view text,
                                        const tmpl::NotificationData& data) const {
  return render(text, data, true);
}

Result<std::string> FakeTemplates::render(std::string_view text, const tmpl::NotificationData& data,
                                          bool html) const {
  const FakeData& d = unwrap(data);
  if (text == config::default_template::kSlackColor) {
    return std::string(d.status == "firing" ? "danger" : "good");
  }
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto open = text.find("{{", pos);
    if (open == std::string_view::npos) {
      out.append(text.substr(pos));
      break;
    }
    out.append(text.substr(pos, open - pos));
    auto close = text.find("}}", open);
    if (close == std::string_view::npos) return fail("template: fake:1: unclosed action");
    std::string action = trim(text.substr(open + 2, close - open - 2));
    pos = close + 2;

    std::string value;
    auto starts = [&](std::string_view prefix) { return action.starts_with(prefix); };
    if (action == ".Status") {
      value = d.status;
    } else if (action == ".Receiver") {
      value = d.receiver;
    } else if (action == ".ExternalURL") {
      value = d.external_url;
    } else if (starts(".GroupLabels.")) {
      value = lookup(d.group_labels, std::string_view(action).substr(13));
    } else if (starts(".CommonLabels.")) {
      value = lookup(d.common_labels, std::string_view(action).substr(14));
    } else if (starts(".CommonAnnotations.")) {
      value = lookup(d.common_annotations, std::string_view(action).substr(19));
    } else if (action == "len .Alerts") {
      value = std::to_string(d.firing + d.resolved);
    } else if (action == ".Alerts.Firing | len") {
      value = std::to_string(d.firing);
    } else if (action == ".Alerts.Resolved | len") {
      value = std::to_string(d.resolved);
    } else if (starts("template \"")) {
      auto end = action.find('"', 10);
      std::string name = action.substr(10, end - 10);
      auto it = defined_.find(name);
      if (it == defined_.end()) {
        value = "[" + name + "]";
      } else {
        auto nested = render(it->second, data, html);
        if (!nested) return nested;
        out += *nested;  // already escaped where needed
        continue;
      }
    } else if (action == "fail") {
      return fail("template: fake:1:3: executing \"fake\" at <fail>: error calling fail");
    } else {
      return fail(fmt::format("template: fake:1: function \"{}\" not defined", action));
    }
    out += html ? escape_html(value) : value;
  }
  return out;
}

}  // namespace tocsin::notifiers::testutil
