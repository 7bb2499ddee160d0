#include "template/notification_templates.h"

#include <filesystem>

#include "core/files.h"
#include "template/alertmanager_functions.h"
#include "template/html_escape.h"
#include "template/notification_data.h"
#include "template/template.h"

namespace tocsin::tmpl {

// Generated at build time from alertmanager_default.tmpl (see CMakeLists.txt).
extern const std::string_view kAlertmanagerDefaultTemplates;

namespace {

class Templates final : public NotificationTemplates {
 public:
  Templates(TemplateSet set, std::string external_url)
      : set_(std::move(set)), external_url_(std::move(external_url)) {}

  std::shared_ptr<const NotificationData> data(
      const notify::Context& context, std::span<const notify::Alert> alerts) const override {
    return NotificationData::build(context, alerts, external_url_);
  }

  Result<std::string> text(std::string_view text, const NotificationData& data) const override {
    return render(text, data, false);
  }

  Result<std::string> html(std::string_view text, const NotificationData& data) const override {
    return render(text, data, true);
  }

 private:
  // Alertmanager's ExecuteTextString/ExecuteHTMLString: "" renders as "";
  // otherwise the text becomes a new, unnamed template of a copy of the set
  // and runs with the data as `.`, after html/template's escaping pass when
  // `html` (which escapes the copies of what it reaches, never `set_`).
  Result<std::string> render(std::string_view text, const NotificationData& data, bool html) const {
    if (text.empty()) return std::string();
    TemplateSet set = set_.clone();
    auto tree = set.parse_tree("", text);
    if (!tree) return std::unexpected(tree.error());
    // Go runs the tree it just parsed even when it is empty and the set
    // already had a template "".
    if (*tree != nullptr) set.define("", *tree);
    if (html) {
      if (auto escaped = html::escape_template(set, ""); !escaped) {
        return std::unexpected(escaped.error());
      }
    }
    NotificationClock clock{data.now()};
    std::string out;
    if (auto status = set.execute(out, "", data.root(), Host::of(clock)); !status) {
      return std::unexpected(status.error());
    }
    return out;
  }

  TemplateSet set_;
  std::string external_url_;
};

}  // namespace

Result<std::shared_ptr<const NotificationTemplates>> NotificationTemplates::load(
    const std::vector<std::string>& files, std::string external_url) {
  Options options;
  options.missing_key = MissingKey::kZero;
  TemplateSet set("", alertmanager_functions(), options);
  if (auto parsed = set.parse("", kAlertmanagerDefaultTemplates); !parsed) {
    return std::unexpected(parsed.error().wrap("Alertmanager's default templates"));
  }
  // As Go's ParseGlob/ParseFiles: each file is a template named by its base
  // name, and its {{define}}s replace earlier ones.
  for (const std::string& file : files) {
    auto text = files::read(file);
    if (!text) return std::unexpected(text.error());
    std::string name = std::filesystem::path(file).filename().string();
    if (auto parsed = set.parse(name, *text); !parsed) {
      SourcePosition position = parsed.error().position();
      position.file = file;
      return fail(std::move(position), parsed.error().message());
    }
  }
  return std::make_shared<const Templates>(std::move(set), std::move(external_url));
}

}  // namespace tocsin::tmpl
