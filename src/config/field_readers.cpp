#include "config/field_readers.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <type_traits>

#include <fmt/format.h>

#include <tocsin/labels.h>

#include "core/files.h"
#include "http/url.h"

namespace tocsin::config {

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  std::ranges::transform(out, out.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}
namespace {

// An untagged, unquoted scalar: what yaml.v2 resolves to a bool or a number.
bool is_plain(const YAML::Node& node) {
  return node.IsScalar() && node.Tag() == "?";
}

}  // namespace

std::optional<bool> read_bool(yaml::MapReader& r, std::string_view key) {
  YAML::Node n = r.take(key);
  if (!n.IsDefined()) return std::nullopt;
  static constexpr std::array<std::string_view, 11> kTrue = {
      "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"};
  static constexpr std::array<std::string_view, 11> kFalse = {
      "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"};
  if (is_plain(n)) {
    if (std::find(kTrue.begin(), kTrue.end(), n.Scalar()) != kTrue.end()) return true;
    if (std::find(kFalse.begin(), kFalse.end(), n.Scalar()) != kFalse.end()) return false;
  }
  r.diagnostics().error(n, fmt::format("{}: cannot unmarshal {} into bool", key,
                                       n.IsScalar() ? fmt::format("\"{}\"", n.Scalar())
                                                    : std::string(yaml::kind_name(n))));
  return std::nullopt;
}

namespace {

// A plain decimal T (a leading "+" allowed when T is signed); `what` names
// T in the error.
template <typename T>
std::optional<T> read_integer(yaml::MapReader& r, std::string_view key, std::string_view what) {
  YAML::Node n = r.take(key);
  if (!n.IsDefined()) return std::nullopt;
  if (is_plain(n)) {
    std::string_view s = n.Scalar();
    if (std::is_signed_v<T> && s.starts_with('+')) s.remove_prefix(1);
    T v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (!s.empty() && ec == std::errc() && ptr == s.data() + s.size()) return v;
  }
  r.diagnostics().error(n, fmt::format("{}: cannot unmarshal {} into {}", key,
                                       n.IsScalar() ? fmt::format("\"{}\"", n.Scalar())
                                                    : std::string(yaml::kind_name(n)),
                                       what));
  return std::nullopt;
}

}  // namespace

std::optional<std::uint64_t> read_uint(yaml::MapReader& r, std::string_view key) {
  return read_integer<std::uint64_t>(r, key, "a non-negative integer");
}

std::optional<std::int64_t> read_int(yaml::MapReader& r, std::string_view key) {
  return read_integer<std::int64_t>(r, key, "an integer");
}

Secret read_secret(yaml::MapReader& r, std::string_view key) {
  return Secret(r.string(key).value_or(""));
}

void read_string(yaml::MapReader& r, std::string_view key, std::string& out) {
  if (auto s = r.string(key)) out = std::move(*s);
}

YAML::Node key_node(const YAML::Node& node, std::string_view key) {
  if (node.IsMap()) {
    for (const auto& entry : node) {
      if (entry.first.IsScalar() && entry.first.Scalar() == key) return entry.first;
    }
  }
  return node;
}

void read_secret_and_file(yaml::MapReader& r, std::string_view key, Secret& secret,
                          std::string& file, const std::string& base_dir) {
  secret = read_secret(r, key);
  file = read_path(r, fmt::format("{}_file", key), base_dir);
}

void check_secret_or_file(const YAML::Node& mapping, std::string_view key, const Secret& secret,
                          const std::string& file, yaml::Diagnostics& diag) {
  if (secret.empty() || file.empty()) return;
  diag.error(key_node(mapping, fmt::format("{}_file", key)),
             fmt::format("at most one of {} & {}_file must be configured", key, key));
}

std::string read_path(yaml::MapReader& r, std::string_view key, const std::string& base_dir) {
  return files::resolve(base_dir, r.string(key).value_or(""));
}

std::optional<std::string> read_http_url(yaml::MapReader& r, std::string_view key) {
  YAML::Node n = r.take(key);
  if (!n.IsDefined()) return std::nullopt;
  auto text = yaml::as_string(n, r.diagnostics(), key);
  if (!text) return std::nullopt;
  if (auto ok = http::check_http_url(*text); !ok) {
    r.diagnostics().error(n, fmt::format("{}: {}", key, ok.error().message()));
    return std::nullopt;
  }
  return text;
}

std::optional<Secret> read_secret_url(yaml::MapReader& r, std::string_view key) {
  YAML::Node n = r.take(key);
  if (!n.IsDefined()) return std::nullopt;
  auto text = yaml::as_string(n, r.diagnostics(), key);
  if (!text) return std::nullopt;
  if (*text != kSecretToken) {
    if (auto ok = http::check_http_url(*text); !ok) {
      r.diagnostics().error(n, fmt::format("{}: {}", key, ok.error().message()));
      return std::nullopt;
    }
  }
  return Secret(std::move(*text));
}

std::optional<http::HostPort> read_host_port(yaml::MapReader& r, std::string_view key) {
  YAML::Node n = r.take(key);
  if (!n.IsDefined()) return std::nullopt;
  auto text = yaml::as_string(n, r.diagnostics(), key);
  if (!text) return std::nullopt;
  auto hp = http::parse_host_port(*text);
  if (!hp) {
    r.diagnostics().error(n, fmt::format("{}: {}", key, hp.error().message()));
    return std::nullopt;
  }
  return *hp;
}

std::vector<std::string> read_label_names(yaml::MapReader& r, std::string_view key) {
  YAML::Node n = r.take(key);
  std::vector<std::string> out;
  if (!n.IsDefined()) return out;
  if (!n.IsSequence()) {
    r.diagnostics().error(n,
                          fmt::format("{}: expected a sequence, got {}", key, yaml::kind_name(n)));
    return out;
  }
  for (const auto& item : n) {
    auto name = yaml::as_string(item, r.diagnostics(), key);
    if (!name) continue;
    if (!is_valid_label_name(*name)) {
      r.diagnostics().error(item, fmt::format("{}: \"{}\" is not a valid label name", key, *name));
      continue;
    }
    out.push_back(std::move(*name));
  }
  return out;
}

void read_legacy_matchers(yaml::MapReader& r, std::string_view key, MatchType type, Matchers& out) {
  YAML::Node n = r.take(key);
  if (!n.IsDefined()) return;
  yaml::Diagnostics& diag = r.diagnostics();
  yaml::MapReader entries(n, diag, std::string(key));
  if (!entries.is_map()) return;
  for (const auto& entry : n) {
    if (!entry.first.IsScalar()) continue;  // reported by `entries`
    const std::string& name = entry.first.Scalar();
    entries.take(name);
    if (!is_valid_label_name(name)) {
      diag.error(entry.first, fmt::format("{}: invalid label name \"{}\"", key, name));
      continue;
    }
    std::string value;
    if (entry.second.IsNull()) {
      // A null regexp is an error in Alertmanager; a null string is "".
      if (type == MatchType::kRegexp) {
        diag.error(entry.first, fmt::format("{}: invalid regexp value for \"{}\"", key, name));
        continue;
      }
    } else if (auto text = yaml::as_string(entry.second, diag, fmt::format("{}.{}", key, name))) {
      value = std::move(*text);
    } else {
      continue;
    }
    // Alertmanager anchors a legacy regexp when it reads it and keeps the
    // anchored text as the matcher's value, which shows in route keys (and
    // so group keys) and in amtool's output: ^(?:value)$.
    if (type == MatchType::kRegexp) value = "^(?:" + value + ")$";
    auto matcher = Matcher::create(type, name, value);
    if (!matcher) {
      diag.error(entry.second, fmt::format("{}: {}", key, matcher.error().message()));
      continue;
    }
    out.push_back(std::move(*matcher));
  }
  entries.finish();
}

void read_matcher_lists(yaml::MapReader& r, std::string_view key, Matchers& out) {
  YAML::Node n = r.take(key);
  if (!n.IsDefined()) return;
  yaml::Diagnostics& diag = r.diagnostics();
  if (!n.IsSequence()) {
    diag.error(n, fmt::format("{}: expected a sequence, got {}", key, yaml::kind_name(n)));
    return;
  }
  for (const auto& item : n) {
    auto text = yaml::as_string(item, diag, key);
    if (!text) continue;
    auto parsed = parse_matchers(*text);
    if (!parsed) {
      diag.error(item, fmt::format("{}: {}", key, parsed.error().message()));
      continue;
    }
    for (auto& m : *parsed) out.push_back(std::move(m));
  }
}

void sort_matchers(Matchers& matchers) {
  std::stable_sort(matchers.begin(), matchers.end(), [](const Matcher& a, const Matcher& b) {
    if (a.name() != b.name()) return a.name() < b.name();
    if (a.value() != b.value()) return a.value() < b.value();
    return a.type() < b.type();
  });
}

}  // namespace tocsin::config
