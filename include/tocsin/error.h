// Errors are values. Every fallible call on a normal path returns
// `Result<T>` (std::expected<T, Error>); exceptions from third-party parsers
// are caught at the boundary that calls them and turned into an Error that
// names where the problem is.
#pragma once

#include <expected>
#include <string>
#include <utility>

namespace tocsin {

// A place in an input file. Line and column are 1-based; 0 means unknown.
struct SourcePosition {
  std::string file;
  int line = 0;
  int column = 0;

  bool known() const { return line > 0; }
};

class Error {
 public:
  explicit Error(std::string message) : message_(std::move(message)) {}
  Error(SourcePosition position, std::string message)
      : position_(std::move(position)), message_(std::move(message)) {}

  const std::string& message() const { return message_; }
  const SourcePosition& position() const { return position_; }

  // "FILE:LINE:COL: message", leaving out the parts that are unknown.
  std::string to_string() const;

  // A copy whose message reads "context: message"; the position is kept.
  Error wrap(std::string_view context) const;

  // A copy that points at `file` when no file was known yet.
  Error in_file(const std::string& file) const;

 private:
  SourcePosition position_;
  std::string message_;
};

template <typename T>
using Result = std::expected<T, Error>;
using Status = std::expected<void, Error>;

inline std::unexpected<Error> fail(std::string message) {
  return std::unexpected<Error>(Error(std::move(message)));
}
inline std::unexpected<Error> fail(SourcePosition position, std::string message) {
  return std::unexpected<Error>(Error(std::move(position), std::move(message)));
}

}  // namespace tocsin
