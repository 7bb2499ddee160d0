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

// `s` with ASCII letters in lower case (header names, auth schemes).
std::string ascii_lower(std::string_view s);

// yaml.v2 (YAML 1.1) booleans: unquoted true/false, yes/no, on/off, y/n, in
// lower, Title or UPPER case. A quoted "true" is a string, and an error, as
// in Alertmanager.
std::optional<bool> read_bool(yaml::MapReader& r, std::string_view key);

// An unquoted non-negative decimal integer.
std::optional<std::uint64_t> read_uint(yaml::MapReader& r, std::string_view key);

// An unquoted decimal integer that fits an int64, with an optional sign.
std::optional<std::int64_t> read_int(yaml::MapReader& r, std::string_view key);

Secret read_secret(yaml::MapReader& r, std::string_view key);

// A secret given inline under `key` or in the file named under `<key>_file`,
// as prometheus/common pairs them; the file is resolved against `base_dir`.
void read_secret_and_file(yaml::MapReader& r, std::string_view key, Secret& secret,
                          std::string& file, const std::string& base_dir);

// Alertmanager's "at most one of <key> & <key>_file must be configured", at
// the file's key in `mapping`, when both are set.
void check_secret_or_file(const YAML::Node& mapping, std::string_view key, const Secret& secret,
                          const std::string& file, yaml::Diagnostics& diag);

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

// A string field that keeps `out` (its default) when absent.
void read_string(yaml::MapReader& r, std::string_view key, std::string& out);

// One string field of T under its YAML key. A table of them names a type's
// string fields once, in the format's order, for its reader (read_strings),
// its writer (YamlWriter::strings) and whoever else walks them.
template <typename T>
struct StringField {
  std::string_view key;
  std::string T::*member;
};

// Reads each of `fields` (StringField<T>s) into `out`; an absent one keeps
// its default.
template <typename T, typename Fields>
void read_strings(yaml::MapReader& r, const Fields& fields, T& out) {
  for (const StringField<T>& field : fields) read_string(r, field.key, out.*field.member);
}

// A T read from a mapping of `fields` only; `what` names it in errors.
template <typename T, typename Fields>
T read_text_mapping(const YAML::Node& node, std::string what, const Fields& fields,
                    yaml::Diagnostics& diag) {
  yaml::MapReader r(node, diag, std::move(what));
  T out;
  read_strings(r, fields, out);
  r.finish();
  return out;
}

// The node of `key` itself in mapping `node` (for errors about a key), or
// `node` when absent.
YAML::Node key_node(const YAML::Node& node, std::string_view key);

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
