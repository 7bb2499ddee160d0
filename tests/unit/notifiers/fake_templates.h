// A stand-in for tmpl::NotificationTemplates until the real one lands: a
// tiny template language enough to tell fields apart in payload tests.
//
// Text outside {{ }} is copied. Actions understood:
//   .Status .Receiver .ExternalURL
//   .GroupLabels.NAME .CommonLabels.NAME .CommonAnnotations.NAME
//   len .Alerts   .Alerts.Firing | len   .Alerts.Resolved | len
//   template "NAME" ...     -> the text set with define(NAME), else "[NAME]"
//   fail                    -> an error, as a failing template gives
// plus Alertmanager's default Slack color template as a whole. html()
// escapes what actions produce, as html/template would.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "template/notification_templates.h"

namespace tocsin::notifiers::testutil {

class FakeTemplates final : public tmpl::NotificationTemplates {
 public:
  static std::shared_ptr<FakeTemplates> make() { return std::make_shared<FakeTemplates>(); }

  // What {{ template "name" . }} renders to (itself a fake template).
  void define(std::string name, std::string text) { defined_[std::move(name)] = std::move(text); }

  std::shared_ptr<const tmpl::NotificationData> data(
      const notify::Context& context, std::span<const notify::Alert> alerts) const override;
  Result<std::string> text(std::string_view text,
                           const tmpl::NotificationData& data) const override;
  Result<std::string> html(std::string_view text,
                           const tmpl::NotificationData& data) const override;

 private:
  Result<std::string> render(std::string_view text, const tmpl::NotificationData& data,
                             bool html) const;
  std::map<std::string, std::string> defined_;
};

}  // namespace tocsin::notifiers::testutil
