// Prometheus 2.42's template function library (template/template.go):
// query, first, label, value, strvalue, sortByLabel, args, reReplaceAll,
// safeHtml, match, title, toUpper, toLower, graphLink, tableLink, stripPort,
// stripDomain, humanize, humanize1024, humanizeDuration, humanizePercentage,
// humanizeTimestamp, toTime, pathPrefix, externalURL, parseDuration; and
// tmpl, which Prometheus offers only to its HTML console templates.
//
// The functions that need the caller's state (query, externalURL,
// pathPrefix) read a PrometheusContext that the caller passes as the Host of
// the execution: set.execute(out, name, data, Host::of(context)).
#pragma once

#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include <tocsin/labels.h>
#include <tocsin/time.h>

#include "template/callable.h"

namespace tocsin::tmpl {

// One element of an instant vector, as the query function returns it.
struct QuerySample {
  Labels metric;
  double value = 0;
};

// Runs an instant query at `ts`. Its error message is what the template
// reports after "error calling query: ".
using QueryFunc =
    std::function<Result<std::vector<QuerySample>>(std::string_view expr, Timestamp ts)>;

struct PrometheusContext {
  const QueryFunc* query = nullptr;  // null: query fails
  Timestamp time{};                  // evaluation time: the time queries run at
  std::string_view external_url;     // the server's external URL
};

// The text-mode function map (what alerting rules get). Shared and immutable.
// Prometheus's convertToFloat: float64, string (strconv.ParseFloat), int,
// uint, int64 and uint64; anything else is refused.
Result<double> convert_to_float(const Value& v);

std::shared_ptr<const FuncMap> prometheus_functions();
// The HTML-mode function map: the text-mode one plus tmpl.
std::shared_ptr<const FuncMap> prometheus_html_functions();

}  // namespace tocsin::tmpl
