#include "core/files.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

#include <fmt/format.h>
#include <glob.h>

namespace tocsin::files {

Result<std::string> read(const std::string& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return fail(SourcePosition{path, 0, 0},
                fmt::format("cannot read file: {}", std::strerror(errno)));
  std::string out;
  char chunk[64 * 1024];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    if (out.size() + static_cast<std::size_t>(in.gcount()) > max_bytes) {
      return fail(SourcePosition{path, 0, 0},
                  fmt::format("file is larger than the limit of {} bytes", max_bytes));
    }
    out.append(chunk, static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) {
    return fail(SourcePosition{path, 0, 0},
                fmt::format("cannot read file: {}", std::strerror(errno)));
  }
  return out;
}

Result<std::vector<std::string>> glob(const std::string& pattern) {
  glob_t g{};
  // Like Go's filepath.Glob, unreadable or missing directories match nothing.
  int rc = ::glob(pattern.c_str(), 0, nullptr, &g);
  std::vector<std::string> out;
  if (rc == 0) {
    for (std::size_t i = 0; i < g.gl_pathc; ++i) out.emplace_back(g.gl_pathv[i]);
  }
  globfree(&g);
  if (rc != 0 && rc != GLOB_NOMATCH) {
    return fail(fmt::format("cannot expand pattern \"{}\": {}", pattern,
                            rc == GLOB_ABORTED ? "read error" : "out of memory"));
  }
  return out;  // glob(3) sorts its results
}

Result<std::vector<std::string>> glob_all(const std::vector<std::string>& patterns) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const std::string& pattern : patterns) {
    auto matches = glob(pattern);
    if (!matches) return std::unexpected(matches.error());
    for (auto& m : *matches) {
      if (seen.insert(m).second) out.push_back(std::move(m));
    }
  }
  return out;
}

std::string resolve(const std::string& base_dir, const std::string& path) {
  if (path.empty() || path.front() == '/' || base_dir.empty() || base_dir == ".") return path;
  return (std::filesystem::path(base_dir) / path).lexically_normal().string();
}

std::string dir_of(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace tocsin::files
