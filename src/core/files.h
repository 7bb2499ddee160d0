// Reading files and expanding globs, with errors that name the path.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <tocsin/error.h>

namespace tocsin::files {

// Rule, configuration, template and secret files are read whole; none is
// near this size, and a path such as /dev/zero must not exhaust memory.
inline constexpr std::size_t kMaxFileSize = 64 * 1024 * 1024;

// The whole file, or an error naming `path` when it cannot be read or holds
// more than `max_bytes`.
Result<std::string> read(const std::string& path, std::size_t max_bytes = kMaxFileSize);

// Paths matching `pattern` (POSIX glob, like Go's filepath.Glob), sorted.
// A pattern without wildcards yields itself only if the file exists.
Result<std::vector<std::string>> glob(const std::string& pattern);

// The files every pattern names, in pattern order, each file once (rule_files
// and the notification templates are given as lists of globs).
Result<std::vector<std::string>> glob_all(const std::vector<std::string>& patterns);

// `path` unchanged if absolute or empty, else joined to `base_dir` (with
// "." and ".." segments folded: "conf/../rules/a.yml" is "rules/a.yml").
std::string resolve(const std::string& base_dir, const std::string& path);

// The directory part of `path` ("." when there is none).
std::string dir_of(const std::string& path);

}  // namespace tocsin::files
