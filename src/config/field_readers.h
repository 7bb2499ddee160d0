// Readers for the value types of Alertmanager's configuration on top of
// yaml::MapReader: Go yaml.v2's booleans and unsigned integers, secrets,
// URLs, file paths, label names and matchers. Each reports a problem at the
// value's position and returns nothing (or an empty value) for it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include <tocsin/matcher.h>

#include "config/secret.h"
#include "config/yaml_reader.h"
#include "http/host_port.h"

namespace tocsin::config {

// yaml.v2 (YAML 1.1) booleans: unquoted true/false, yes/no, on/off, y/n, in
// lower, Title or UPPER case. A quoted "true" is a string, and an error, as
// in Alertmanager.
std::optional<bool> read_bool(yaml::MapReader& r, std::string_view key);

// An unquoted non-negative decimal integer.
std::optional<std::uint64_t> read_uint(yaml::MapReader& r, std::string_view key);

Secret read_secret(yaml::MapReader& r, std::string_view key);

// A string field that names a file: resolved against `base_dir`.
std::string read_path(yaml::MapReader& r, std::string_view key, const std::string& base_dir);

// An http(s) URL with a host (Alertmanager's URL type).
std::optional<std::string> read_http_url(yaml::MapReader& r, std::string_view key);

// Alertmanager's SecretURL: an http(s) URL, or "<secret>" as its own status
// output writes it.
std::optional<Secret> read_secret_url(yaml::MapReader& r, std::string_view key);

std::optional<http::HostPort> read_host_port(yaml::MapReader& r, std::string_view key);

// A list of label names, each checked (`"x" is not a valid label name`).
std::vector<std::string> read_label_names(yaml::MapReader& r, std::string_view key);

// `match` / `source_match` (kEqual) or `match_re` / `source_match_re`
// (kRegexp, anchored) maps, appended to `out` in the file's order.
void read_legacy_matchers(yaml::MapReader& r, std::string_view key, MatchType type, Matchers& out);

// `matchers` lists in Alertmanager's matcher syntax; each string may hold
// several comma-separated matchers. Appended to `out`.
void read_matcher_lists(yaml::MapReader& r, std::string_view key, Matchers& out);

// Calls `read(item)` for each item of the sequence under `key`.
template <typename Read>
void for_each_item(yaml::MapReader& r, std::string_view key, Read read) {
  YAML::Node n = r.take(key);
  if (!n.IsDefined()) return;
  if (!n.IsSequence()) {
    r.diagnostics().error(n,
                          fmt::format("{}: expected a sequence, got {}", key, yaml::kind_name(n)));
    return;
  }
  for (const auto& item : n) read(item);
}

// Sorts as Alertmanager's labels.Matchers does: by name, value, then type.
void sort_matchers(Matchers& matchers);

}  // namespace tocsin::config
