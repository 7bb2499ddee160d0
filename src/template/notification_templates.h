// Alertmanager's notification templates: its data model (template.Data:
// .Receiver .Status .Alerts .GroupLabels .CommonLabels .CommonAnnotations
// .ExternalURL, with .Alerts.Firing/.Resolved and KV's .SortedPairs/.Names/
// .Values/.Remove), its function map (toUpper toLower title join match
// safeHtml reReplaceAll stringSlice date tz since humanizeDuration
// trimSpace), its default templates (slack.default.*, pagerduty.default.*,
// email.default.*, ...) and the user's template files on top.
//
// Loaded once per configuration; immutable and thread-safe afterwards.
// Integrations render their config fields with text()/html() against the
// data of one notification, built once with data().
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <tocsin/error.h>
#include <tocsin/notify.h>

namespace tocsin::tmpl {

// Alertmanager's template.Data for one notification. Opaque: built by
// NotificationTemplates::data(), read only through text()/html().
class NotificationData;

class NotificationTemplates {
 public:
  // Alertmanager's default templates, then each file in order (a later
  // {{define}} replaces an earlier one of the same name). A file that does
  // not parse is an error naming the file and line.
  static Result<std::shared_ptr<const NotificationTemplates>> load(
      const std::vector<std::string>& files, std::string external_url);

  virtual ~NotificationTemplates() = default;

  // The data of one notification: `alerts` in the order given, statuses as
  // of context.now, common labels/annotations, the group labels.
  virtual std::shared_ptr<const NotificationData> data(
      const notify::Context& context, std::span<const notify::Alert> alerts) const = 0;

  // Renders `text` (template text, e.g. `{{ template "slack.default.title" . }}`)
  // as text/template does; the error reads as Alertmanager's.
  virtual Result<std::string> text(std::string_view text, const NotificationData& data) const = 0;
  // As html/template does: values are escaped for where they land.
  virtual Result<std::string> html(std::string_view text, const NotificationData& data) const = 0;
};

}  // namespace tocsin::tmpl
