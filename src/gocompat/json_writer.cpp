#include "gocompat/json_writer.h"

#include "gocompat/time_format.h"

namespace tocsin::gocompat {
namespace {

constexpr std::string_view kGoZeroTime = "0001-01-01T00:00:00Z";

}  // namespace

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_ += ',';
    first_.back() = false;
  }
}

void JsonWriter::begin_object() {
  before_value();
  out_ += '{';
  first_.push_back(true);
}

void JsonWriter::end_object() {
  out_ += '}';
  first_.pop_back();
}

void JsonWriter::begin_array() {
  before_value();
  out_ += '[';
  first_.push_back(true);
}

void JsonWriter::end_array() {
  out_ += ']';
  first_.pop_back();
}

void JsonWriter::key(std::string_view name) {
  before_value();
  append_json_string(out_, name, escape_html_);
  out_ += ':';
  after_key_ = true;
}

void JsonWriter::string(std::string_view value) {
  before_value();
  append_json_string(out_, value, escape_html_);
}

void JsonWriter::boolean(bool value) {
  before_value();
  out_ += value ? "true" : "false";
}

void JsonWriter::number(std::uint64_t value) {
  before_value();
  out_ += std::to_string(value);
}

void JsonWriter::integer(std::int64_t value) {
  before_value();
  out_ += std::to_string(value);
}

void JsonWriter::float64(double value) {
  auto text = json_float(value);
  if (!text) return null();
  before_value();
  out_ += *text;
}

void JsonWriter::raw(std::string_view json) {
  before_value();
  out_ += json;
}

void JsonWriter::null() {
  before_value();
  out_ += "null";
}

void JsonWriter::time(Timestamp value) {
  if (value == Timestamp{}) {
    string(kGoZeroTime);
    return;
  }
  auto seconds = std::chrono::floor<std::chrono::seconds>(value);
  auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(value - seconds).count();
  string(format_time(seconds.time_since_epoch().count(), static_cast<std::int32_t>(nanos),
                     kRfc3339Nano));
}

void JsonWriter::string_map(const std::map<std::string, std::string>& map) {
  string_pairs(map);
}

void JsonWriter::string_array(const std::vector<std::string>& values) {
  begin_array();
  for (const std::string& value : values) string(value);
  end_array();
}

std::string JsonWriter::finish() && {
  out_ += '\n';
  return std::move(out_);
}

std::string JsonWriter::marshal() && {
  return std::move(out_);
}

}  // namespace tocsin::gocompat
