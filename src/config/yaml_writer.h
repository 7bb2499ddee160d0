// Writes configuration back as YAML the way Alertmanager's config.String()
// marshals it with yaml.v2: keys in the Go struct's order, `omitempty`
// fields left out when empty, secrets as "<secret>". to_redacted_yaml()
// writes the file's sections with it, and each integration its own section
// (IntegrationConfig::write_redacted).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include <tocsin/matcher.h>
#include <tocsin/time.h>

#include "config/secret.h"
#include "http/client_config.h"

namespace tocsin::config {

class YamlWriter {
 public:
  // A document that is one mapping.
  YamlWriter() { out_ << YAML::BeginMap; }
  // The document, ending in a newline.
  std::string finish();

  YAML::Emitter& out() { return out_; }

  // `key: value`; left out when empty and `omit_empty`.
  void str(std::string_view key, std::string_view value, bool omit_empty = true);
  void secret(std::string_view key, const Secret& value) { str(key, value.redacted()); }
  // A secret and the file it may be read from instead, as `key` and `<key>_file`.
  void secret_and_file(std::string_view key, const Secret& value, const std::string& file);
  void boolean(std::string_view key, bool value);
  void duration(std::string_view key, Duration value) { str(key, format_duration(value)); }
  void uint(std::string_view key, std::uint64_t value);
  void integer(std::string_view key, std::int64_t value);
  void list(std::string_view key, const std::vector<std::string>& values, bool omit_empty = true,
            bool flow = false);
  // Left out when empty.
  void map(std::string_view key, const std::map<std::string, std::string>& values);
  void matchers(std::string_view key, const Matchers& values);
  // Each of `fields` (config::StringField<T>s) of `in`, left out when empty.
  template <typename T, typename Fields>
  void strings(const Fields& fields, const T& in) {
    for (const auto& field : fields) str(field.key, in.*field.member);
  }

  // `key:` followed by a mapping or a sequence, closed by end_map()/end_seq().
  void begin_map(std::string_view key);
  void begin_seq(std::string_view key);
  // A mapping as an item of the open sequence.
  void begin_map() { out_ << YAML::BeginMap; }
  void end_map() { out_ << YAML::EndMap; }
  void end_seq() { out_ << YAML::EndSeq; }

  // `key:` and one mapping per item, written by write(*this, item); left
  // out when there are none.
  template <typename T, typename Write>
  void seq_of_maps(std::string_view key, const std::vector<T>& items, Write write) {
    if (items.empty()) return;
    begin_seq(key);
    for (const T& item : items) {
      begin_map();
      write(*this, item);
      end_map();
    }
    end_seq();
  }

 private:
  YAML::Emitter out_;
};

// prometheus/common's HTTPClientConfig as `http_config:`, always written.
void write_http_config(YamlWriter& w, const http::HttpClientConfig& http);
// Its TLSConfig under `key`, left out when it is all defaults.
void write_tls_config(YamlWriter& w, std::string_view key, const http::TlsConfig& tls);

}  // namespace tocsin::config
