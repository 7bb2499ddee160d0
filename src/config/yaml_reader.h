// Strict, positioned reading of YAML configuration.
//
// yaml-cpp parses; this layer turns every problem (a syntax error, a wrong
// type, an unknown or repeated key, a bad duration) into an Error that names
// FILE:LINE:COL, and keeps reading so that one run reports every problem.
// Nothing here throws: yaml-cpp's exceptions stop at this boundary.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include <tocsin/error.h>
#include <tocsin/time.h>

namespace tocsin::yaml {

// The errors found in one file, in the order they were found.
class Diagnostics {
 public:
  explicit Diagnostics(std::string file) : file_(std::move(file)) {}

  void error(const YAML::Node& at, std::string message);
  void error(SourcePosition at, std::string message);

  // The 1-based position of `node` in this file (line 0 when unknown).
  SourcePosition position(const YAML::Node& node) const;

  const std::string& file() const { return file_; }
  const std::vector<Error>& errors() const { return errors_; }
  bool ok() const { return errors_.empty(); }

 private:
  std::string file_;
  std::vector<Error> errors_;
};

// Parses the first YAML document of `text`. A syntax error comes back with
// its position; an empty document is a Null node.
Result<YAML::Node> parse(const std::string& text, const std::string& file);
Result<YAML::Node> parse_file(const std::string& path);

// A string entry of a mapping, with where its key and value stand.
struct StringEntry {
  std::string key;
  std::string value;
  SourcePosition key_position;
  SourcePosition value_position;
};

// Reads one mapping: each known field is taken by name, then `finish()`
// reports every key that no one took. Repeated keys are reported when the
// reader is made. A Null node reads as an empty mapping (an empty section is
// no error).
class MapReader {
 public:
  MapReader(const YAML::Node& node, Diagnostics& diagnostics, std::string what);
  MapReader(const MapReader&) = delete;
  MapReader& operator=(const MapReader&) = delete;

  bool is_map() const { return is_map_; }
  const YAML::Node& node() const { return node_; }
  Diagnostics& diagnostics() { return diagnostics_; }

  // The value under `key`, or an undefined node when absent or null.
  YAML::Node take(std::string_view key);
  bool has(std::string_view key) const;

  std::optional<std::string> string(std::string_view key);
  std::optional<Duration> duration(std::string_view key);
  std::optional<std::int64_t> integer(std::string_view key);
  std::optional<bool> boolean(std::string_view key);
  std::optional<std::vector<std::string>> string_list(std::string_view key);
  std::optional<std::vector<StringEntry>> string_entries(std::string_view key);
  std::optional<std::map<std::string, std::string>> string_map(std::string_view key);

  // Reports keys no one took ("field X not found in <what>"). Idempotent.
  void finish();

 private:
  YAML::Node node_;
  Diagnostics& diagnostics_;
  std::string what_;
  bool is_map_ = false;
  bool finished_ = false;
  std::set<std::string, std::less<>> taken_;
};

// Scalar conversions shared by MapReader and by readers of sequences.
std::optional<std::string> as_string(const YAML::Node& node, Diagnostics& d, std::string_view what);
std::optional<Duration> as_duration(const YAML::Node& node, Diagnostics& d, std::string_view what);

// "a mapping", "a sequence", "a scalar": for messages.
std::string_view kind_name(const YAML::Node& node);

}  // namespace tocsin::yaml
