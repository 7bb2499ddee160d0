#include "query/query_response.h"

#include <charconv>
#include <cmath>
#include <limits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gocompat/strconv.h"

namespace tocsin::query {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kNotVectorOrScalar = "rule result is not a vector or scalar";

bool is_success(int http_status) {
  return http_status >= 200 && http_status < 300;
}

// Why a well-formed HTTP answer could not be used. Non-2xx answers are the
// server's (or a proxy's) doing: "http"; a 2xx body we cannot read: "decode".
std::unexpected<QueryError> unexpected_body(int http_status, std::string_view body,
                                            std::string_view why) {
  if (is_success(http_status)) {
    return std::unexpected(
        QueryError{std::string(error_type::kDecode),
                   fmt::format("cannot decode Prometheus's response (HTTP {}): {}; body: {}",
                               http_status, why, body_snippet(body)),
                   http_status});
  }
  return std::unexpected(QueryError{
      std::string(error_type::kHttp),
      fmt::format("server returned HTTP {} ({}); body: {}", http_status, why, body_snippet(body)),
      http_status});
}

// [<unix seconds>, "<value>"] as Prometheus writes a point.
std::optional<std::string> decode_point(const Json& point, double& value, Timestamp& timestamp) {
  if (!point.is_array() || point.size() != 2 || !point[0].is_number() || !point[1].is_string()) {
    return "a sample value is not [<time>, \"<value>\"]";
  }
  auto parsed = parse_sample_value(point[1].get_ref<const std::string&>());
  if (!parsed) return fmt::format("sample value {} is not a number", point[1].dump());
  double seconds = point[0].get<double>();
  if (!std::isfinite(seconds)) return "a sample time is not finite";
  value = *parsed;
  timestamp = Timestamp(Duration(std::llround(seconds * 1000.0)));
  return std::nullopt;
}

std::optional<std::string> decode_vector(const Json& result, Vector& out) {
  if (!result.is_array()) return "vector result is not an array";
  out.reserve(result.size());
  for (const Json& element : result) {
    if (!element.is_object()) return "a vector element is not an object";
    auto metric = element.find("metric");
    if (metric == element.end() || !metric->is_object()) return "a vector element has no metric";
    auto value = element.find("value");
    if (value == element.end()) {
      if (element.contains("histogram")) return "native histogram samples are not supported";
      return "a vector element has no value";
    }
    LabelsBuilder labels;
    for (const auto& [name, label_value] : metric->items()) {
      if (!label_value.is_string()) return fmt::format("label {} is not a string", name);
      labels.set(name, label_value.get_ref<const std::string&>());
    }
    Sample sample;
    sample.metric = labels.labels();
    if (auto why = decode_point(*value, sample.value, sample.timestamp)) return why;
    out.push_back(std::move(sample));
  }
  return std::nullopt;
}

QueryResult decode_success(int http_status, std::string_view body, const Json& envelope) {
  auto data = envelope.find("data");
  if (data == envelope.end() || !data->is_object()) {
    return unexpected_body(http_status, body, "no \"data\" object");
  }
  auto type = data->find("resultType");
  auto result = data->find("result");
  if (type == data->end() || !type->is_string() || result == data->end()) {
    return unexpected_body(http_status, body, "no \"resultType\" or \"result\"");
  }
  const std::string& result_type = type->get_ref<const std::string&>();
  Vector out;
  if (result_type == "vector") {
    if (auto why = decode_vector(*result, out)) return unexpected_body(http_status, body, *why);
    return out;
  }
  if (result_type == "scalar") {
    Sample sample;
    if (auto why = decode_point(*result, sample.value, sample.timestamp)) {
      return unexpected_body(http_status, body, *why);
    }
    out.push_back(std::move(sample));
    return out;
  }
  return std::unexpected(QueryError{std::string(error_type::kUnsupportedResult),
                                    std::string(kNotVectorOrScalar), http_status});
}

QueryResult decode_envelope(int http_status, std::string_view body) {
  Json envelope = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (envelope.is_discarded()) return unexpected_body(http_status, body, "not JSON");
  if (!envelope.is_object()) return unexpected_body(http_status, body, "not a JSON object");
  auto status = envelope.find("status");
  if (status == envelope.end() || !status->is_string()) {
    return unexpected_body(http_status, body, "no \"status\"");
  }
  if (*status == "error") {
    auto type = envelope.find("errorType");
    auto error = envelope.find("error");
    QueryError out;
    out.type = type != envelope.end() && type->is_string() ? type->get<std::string>() : "unknown";
    out.message = error != envelope.end() && error->is_string() ? error->get<std::string>()
                                                                : "no error message";
    out.http_status = http_status;
    return std::unexpected(std::move(out));
  }
  if (*status != "success") {
    return unexpected_body(http_status, body, fmt::format("status is {}", status->dump()));
  }
  return decode_success(http_status, body, envelope);
}

}  // namespace

QueryResult decode_query_response(int http_status, std::string_view body) {
  try {
    return decode_envelope(http_status, body);
  } catch (const std::exception& e) {  // nlohmann's exceptions stop here
    return unexpected_body(http_status, body, e.what());
  }
}

std::optional<double> parse_sample_value(std::string_view text) {
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (text == "+Inf") return std::numeric_limits<double>::infinity();
  if (text == "-Inf") return -std::numeric_limits<double>::infinity();
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  // from_chars also reads "inf" and "nan"; Prometheus never writes them.
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::string body_snippet(std::string_view body, std::size_t max_bytes) {
  bool cut = body.size() > max_bytes;
  if (cut) {
    std::size_t end = max_bytes;
    // Back off over UTF-8 continuation bytes so a character is not split.
    while (end > 0 && (static_cast<unsigned char>(body[end]) & 0xC0) == 0x80) --end;
    body = body.substr(0, end);
  }
  return gocompat::quote(body) + (cut ? "..." : "");
}

}  // namespace tocsin::query
