// The template engine: the input parsed as a rule annotation and expanded as
// Prometheus expands it, then parsed, escaped and run as an HTML template.
#include <map>
#include <string>

#include "fuzz_target.h"
#include "template/alert_template.h"
#include "template/html_escape.h"
#include "template/template.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = tocsin::fuzz::as_text(data, size);
  static const tocsin::Labels labels{{"alertname", "Fuzz"}, {"instance", "host:9090"}};
  static const std::map<std::string, std::string> external{{"cluster", "eu1"}};
  static const std::string url = "http://tocsin.example";
  if (auto parsed = tocsin::tmpl::AlertTemplate::parse(text, "Fuzz")) {
    tocsin::tmpl::AlertTemplateData alert{labels, external, url, 12.5};
    (void)parsed->expand(alert, tocsin::Timestamp{std::chrono::seconds(1714564800)});
  }
  tocsin::tmpl::TemplateSet set("fuzz");
  if (set.parse("t", text) && tocsin::tmpl::html::escape_template(set, "t")) {
    std::string out;
    (void)set.execute(out, "t", tocsin::tmpl::Value::string("<b>&'\"</b>"));
  }
  return 0;
}
