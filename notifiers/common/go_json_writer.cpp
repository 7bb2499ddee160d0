#include "notifiers/common/go_json_writer.h"

#include <fmt/format.h>

#include "gocompat/utf8.h"

namespace tocsin::notifiers {
namespace {

constexpr std::string_view kHex = "0123456789abcdef";
constexpr std::string_view kGoZeroTime = "0001-01-01T00:00:00Z";

// Go's htmlSafeSet: printable ASCII except '"', '\\', '<', '>' and '&'.
bool html_safe(unsigned char c) {
  return c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&';
}

void append_quoted(std::string& out, std::string_view s) {
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (html_safe(c)) {
        out += static_cast<char>(c);
      } else if (c == '"' || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c == '\t') {
        out += "\\t";
      } else {
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xf];
      }
      ++i;
      continue;
    }
    char32_t rune = 0;
    int size = gocompat::decode_utf8(s, i, rune);
    if (size == 0) {
      out += "\\ufffd";  // one per invalid byte, as Go decodes them
      ++i;
      continue;
    }
    if (rune == 0x2028 || rune == 0x2029) {
      out += rune == 0x2028 ? "\\u2028" : "\\u2029";
    } else {
      out.append(s.substr(i, static_cast<std::size_t>(size)));
    }
    i += static_cast<std::size_t>(size);
  }
  out += '"';
}

}  // namespace

std::string go_json_quote(std::string_view value) {
  std::string out;
  append_quoted(out, value);
  return out;
}

void GoJsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_ += ',';
    first_.back() = false;
  }
}

void GoJsonWriter::begin_object() {
  before_value();
  out_ += '{';
  first_.push_back(true);
}

void GoJsonWriter::end_object() {
  out_ += '}';
  first_.pop_back();
}

void GoJsonWriter::begin_array() {
  before_value();
  out_ += '[';
  first_.push_back(true);
}

void GoJsonWriter::end_array() {
  out_ += ']';
  first_.pop_back();
}

void GoJsonWriter::key(std::string_view name) {
  before_value();
  append_quoted(out_, name);
  out_ += ':';
  after_key_ = true;
}

void GoJsonWriter::string(std::string_view value) {
  before_value();
  append_quoted(out_, value);
}

void GoJsonWriter::boolean(bool value) {
  before_value();
  out_ += value ? "true" : "false";
}

void GoJsonWriter::number(std::uint64_t value) {
  before_value();
  out_ += std::to_string(value);
}

void GoJsonWriter::null() {
  before_value();
  out_ += "null";
}

void GoJsonWriter::time(Timestamp value) {
  string(value == Timestamp{} ? std::string(kGoZeroTime) : format_rfc3339(value));
}

void GoJsonWriter::string_map(const std::map<std::string, std::string>& map) {
  begin_object();
  for (const auto& [name, value] : map) field(name, value);
  end_object();
}

void GoJsonWriter::labels(const Labels& labels) {
  begin_object();
  for (const Label& label : labels) field(label.name, label.value);
  end_object();
}

void GoJsonWriter::string_array(const std::vector<std::string>& values) {
  begin_array();
  for (const std::string& value : values) string(value);
  end_array();
}

std::string GoJsonWriter::finish() && {
  out_ += '\n';
  return std::move(out_);
}

}  // namespace tocsin::notifiers
