// A fresh directory for one test's files, removed with everything in it when
// the TempDir goes away (kept when TOCSIN_KEEP_TEMP is set, for debugging).
#pragma once

#include <string>
#include <string_view>

namespace tocsin::test {

class TempDir {
 public:
  // Under $TMPDIR (or /tmp), named tocsin-<prefix>-XXXXXX. Aborts the test
  // program if the directory cannot be made: nothing could work without it.
  explicit TempDir(std::string_view prefix = "test");
  ~TempDir();
  TempDir(TempDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  TempDir& operator=(TempDir&&) = delete;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path()/name; the file need not exist.
  std::string file(std::string_view name) const;
  // Writes `content` to path()/name (making parent directories) and returns
  // the path. Aborts the test program on I/O failure.
  std::string write(std::string_view name, std::string_view content) const;

 private:
  std::string path_;
};

}  // namespace tocsin::test
