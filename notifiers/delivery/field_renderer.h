// Renders the templated fields of one notification against its data, as
// Alertmanager's TmplText/TmplHTML do: after the first failure every later
// field renders as "" and the failure is kept. A template that fails is not
// worth retrying; the failure names the field ("title", "fields[1].value").
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include <tocsin/notify.h>

#include "template/notification_templates.h"

namespace tocsin::notifiers {

class FieldRenderer {
 public:
  FieldRenderer(const tmpl::NotificationTemplates& templates, const tmpl::NotificationData& data)
      : templates_(templates), data_(data) {}

  // `field` names the config field in the failure; `text` is its template.
  std::string text(std::string_view field, std::string_view text);
  std::string html(std::string_view field, std::string_view text);
  // Renders the text fields `fields` (config::StringField<T>s) of `item` in
  // place, in their order, each named "<prefix>.<key>".
  template <typename T, typename Fields>
  void texts(std::string_view prefix, const Fields& fields, T& item) {
    for (const auto& field : fields) {
      item.*field.member = text(fmt::format("{}.{}", prefix, field.key), item.*field.member);
    }
  }

  bool failed() const { return failure_.has_value(); }
  // "<context>: <field>: <error>", not retryable. Only when failed().
  notify::Failure failure(std::string_view context) const;

 private:
  template <typename Render>
  std::string render(std::string_view field, Render render);

  const tmpl::NotificationTemplates& templates_;
  const tmpl::NotificationData& data_;
  std::optional<std::string> failure_;  // "<field>: <error>"
};

}  // namespace tocsin::notifiers
