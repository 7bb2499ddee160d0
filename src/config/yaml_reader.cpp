#include "config/yaml_reader.h"

#include <charconv>

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>

#include "core/files.h"

namespace tocsin::yaml {

void Diagnostics::error(const YAML::Node& at, std::string message) {
  errors_.emplace_back(position(at), std::move(message));
}

void Diagnostics::error(SourcePosition at, std::string message) {
  if (at.file.empty()) at.file = file_;
  errors_.emplace_back(std::move(at), std::move(message));
}

SourcePosition Diagnostics::position(const YAML::Node& node) const {
  SourcePosition pos{file_, 0, 0};
  if (!node.IsDefined()) return pos;
  YAML::Mark mark = node.Mark();
  if (mark.is_null()) return pos;
  pos.line = mark.line + 1;
  pos.column = mark.column + 1;
  return pos;
}

Result<YAML::Node> parse(const std::string& text, const std::string& file) {
  auto at = [&](const YAML::Mark& mark) {
    SourcePosition pos{file, 0, 0};
    if (!mark.is_null()) {
      pos.line = mark.line + 1;
      pos.column = mark.column + 1;
    }
    return pos;
  };
  try {
    return YAML::Load(text);
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp bounds its recursive parser; it words this "bad file".
    return fail(at(e.mark),
                fmt::format("YAML syntax error: nested deeper than {} levels", e.depth() - 1));
  } catch (const YAML::Exception& e) {
    return fail(at(e.mark), fmt::format("YAML syntax error: {}", e.msg));
  }
}

Result<YAML::Node> parse_file(const std::string& path) {
  auto text = files::read(path);
  if (!text) return std::unexpected(text.error());
  return parse(*text, path);
}

std::string_view kind_name(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a sequence";
    case YAML::NodeType::Scalar:
      return "a scalar";
    case YAML::NodeType::Null:
      return "null";
    default:
      return "nothing";
  }
}

std::optional<std::string> as_string(const YAML::Node& node, Diagnostics& d,
                                     std::string_view what) {
  if (!node.IsScalar()) {
    d.error(node, fmt::format("{}: expected a string, got {}", what, kind_name(node)));
    return std::nullopt;
  }
  return node.Scalar();
}

std::optional<Duration> as_duration(const YAML::Node& node, Diagnostics& d, std::string_view what) {
  auto text = as_string(node, d, what);
  if (!text) return std::nullopt;
  auto parsed = parse_duration(*text);
  if (!parsed) {
    d.error(node, fmt::format("{}: {}", what, parsed.error().message()));
    return std::nullopt;
  }
  return *parsed;
}

MapReader::MapReader(const YAML::Node& node, Diagnostics& diagnostics, std::string what)
    : node_(node), diagnostics_(diagnostics), what_(std::move(what)) {
  if (!node.IsDefined() || node.IsNull()) {
    is_map_ = true;  // an empty section
    node_ = YAML::Node(YAML::NodeType::Map);
    return;
  }
  if (!node.IsMap()) {
    diagnostics_.error(node, fmt::format("{}: expected a mapping, got {}", what_, kind_name(node)));
    finished_ = true;
    return;
  }
  is_map_ = true;
  std::set<std::string, std::less<>> seen;
  for (const auto& entry : node_) {
    if (!entry.first.IsScalar()) {
      diagnostics_.error(entry.first, fmt::format("{}: keys must be strings", what_));
      continue;
    }
    const std::string& key = entry.first.Scalar();
    if (!seen.insert(key).second) {
      diagnostics_.error(entry.first,
                         fmt::format("{}: mapping key \"{}\" already defined", what_, key));
    }
  }
}

bool MapReader::has(std::string_view key) const {
  if (!is_map_) return false;
  for (const auto& entry : node_) {
    if (entry.first.IsScalar() && entry.first.Scalar() == key) return !entry.second.IsNull();
  }
  return false;
}

YAML::Node MapReader::take(std::string_view key) {
  taken_.emplace(key);
  if (!is_map_) return YAML::Node(YAML::NodeType::Undefined);
  for (const auto& entry : node_) {
    if (entry.first.IsScalar() && entry.first.Scalar() == key) {
      if (entry.second.IsNull()) return YAML::Node(YAML::NodeType::Undefined);
      return entry.second;
    }
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

std::optional<std::string> MapReader::string(std::string_view key) {
  YAML::Node n = take(key);
  if (!n.IsDefined()) return std::nullopt;
  return as_string(n, diagnostics_, key);
}

std::optional<Duration> MapReader::duration(std::string_view key) {
  YAML::Node n = take(key);
  if (!n.IsDefined()) return std::nullopt;
  return as_duration(n, diagnostics_, key);
}

std::optional<std::int64_t> MapReader::integer(std::string_view key) {
  YAML::Node n = take(key);
  if (!n.IsDefined()) return std::nullopt;
  auto text = as_string(n, diagnostics_, key);
  if (!text) return std::nullopt;
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || ptr != text->data() + text->size()) {
    diagnostics_.error(n, fmt::format("{}: expected an integer, got \"{}\"", key, *text));
    return std::nullopt;
  }
  return value;
}

std::optional<bool> MapReader::boolean(std::string_view key) {
  YAML::Node n = take(key);
  if (!n.IsDefined()) return std::nullopt;
  auto text = as_string(n, diagnostics_, key);
  if (!text) return std::nullopt;
  if (*text == "true" || *text == "True" || *text == "TRUE") return true;
  if (*text == "false" || *text == "False" || *text == "FALSE") return false;
  diagnostics_.error(n, fmt::format("{}: expected true or false, got \"{}\"", key, *text));
  return std::nullopt;
}

std::optional<std::vector<std::string>> MapReader::string_list(std::string_view key) {
  YAML::Node n = take(key);
  if (!n.IsDefined()) return std::nullopt;
  if (!n.IsSequence()) {
    diagnostics_.error(n, fmt::format("{}: expected a sequence, got {}", key, kind_name(n)));
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& item : n) {
    if (auto s = as_string(item, diagnostics_, key)) out.push_back(std::move(*s));
  }
  return out;
}

std::optional<std::vector<StringEntry>> MapReader::string_entries(std::string_view key) {
  YAML::Node n = take(key);
  if (!n.IsDefined()) return std::nullopt;
  MapReader entries(n, diagnostics_, std::string(key));
  if (!entries.is_map()) return std::nullopt;
  std::vector<StringEntry> out;
  for (const auto& entry : n) {
    if (!entry.first.IsScalar()) continue;  // reported by the reader above
    entries.taken_.insert(entry.first.Scalar());
    auto value = entry.second.IsNull() ? std::optional<std::string>("")
                                       : as_string(entry.second, diagnostics_,
                                                   fmt::format("{}.{}", key, entry.first.Scalar()));
    if (!value) continue;
    out.push_back(StringEntry{entry.first.Scalar(), std::move(*value),
                              diagnostics_.position(entry.first),
                              diagnostics_.position(entry.second)});
  }
  return out;
}

std::optional<std::map<std::string, std::string>> MapReader::string_map(std::string_view key) {
  auto entries = string_entries(key);
  if (!entries) return std::nullopt;
  std::map<std::string, std::string> out;
  for (auto& e : *entries) out[e.key] = std::move(e.value);
  return out;
}

void MapReader::finish() {
  if (finished_ || !is_map_) return;
  finished_ = true;
  for (const auto& entry : node_) {
    if (!entry.first.IsScalar()) continue;
    if (!taken_.contains(entry.first.Scalar())) {
      diagnostics_.error(entry.first,
                         fmt::format("field {} not found in {}", entry.first.Scalar(), what_));
    }
  }
}

}  // namespace tocsin::yaml
