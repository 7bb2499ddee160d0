// Label matchers as Alertmanager defines them (pkg/labels): `name=value`,
// `!=`, `=~` and `!~`, where regular expressions are RE2 (Go's regexp
// syntax) and fully anchored. Used by routes, inhibition rules, silences and
// the API's filters.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <tocsin/error.h>
#include <tocsin/labels.h>

namespace re2 {
class RE2;
}

namespace tocsin {

enum class MatchType { kEqual, kNotEqual, kRegexp, kNotRegexp };

// "=", "!=", "=~", "!~".
std::string_view to_string(MatchType type);

class Matcher {
 public:
  // Fails when a regular expression does not compile.
  static Result<Matcher> create(MatchType type, std::string name, std::string value);

  MatchType type() const { return type_; }
  const std::string& name() const { return name_; }
  const std::string& value() const { return value_; }

  bool matches(std::string_view value) const;
  // A missing label matches as the empty string, as in Alertmanager.
  bool matches(const Labels& labels) const { return matches(labels.value_of(name_)); }

  // name="value" with OpenMetrics escaping, as Alertmanager prints it.
  std::string to_string() const;

  bool operator==(const Matcher& other) const {
    return type_ == other.type_ && name_ == other.name_ && value_ == other.value_;
  }

 private:
  Matcher(MatchType type, std::string name, std::string value, std::shared_ptr<const re2::RE2> re)
      : type_(type), name_(std::move(name)), value_(std::move(value)), re_(std::move(re)) {}

  MatchType type_;
  std::string name_;
  std::string value_;
  std::shared_ptr<const re2::RE2> re_;  // for the regexp types; immutable and thread-safe
};

using Matchers = std::vector<Matcher>;

// True when every matcher matches.
bool matches_all(const Matchers& matchers, const Labels& labels);

// {a="b",c=~"d"}
std::string to_string(const Matchers& matchers);

// Alertmanager's matcher syntax: `name OP value`, the value optionally in
// double quotes with OpenMetrics escapes (\" \n \\).
Result<Matcher> parse_matcher(std::string_view text);
// A comma-separated list, optionally in braces: `{a="b", c=~"d.*"}`.
Result<Matchers> parse_matchers(std::string_view text);

}  // namespace tocsin
