#include "dispatch/snapshot_store.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

namespace tocsin::dispatch {
namespace {

std::string errno_text() {
  return std::strerror(errno);
}

// Writes all of `data` to `fd`, retrying short writes.
bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

Status FileSnapshotStore::save(const std::vector<std::string>& records) {
  std::string data;
  for (const std::string& record : records) {
    if (record.find('\n') != std::string::npos) {
      return fail(fmt::format("snapshot {}: a record holds a newline", path_));
    }
    data += record;
    data += '\n';
  }

  std::lock_guard lock(mu_);
  const std::string tmp = fmt::format("{}.{}.tmp", path_, ::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return fail(fmt::format("cannot create {}: {}", tmp, errno_text()));
  bool ok = write_all(fd, data) && ::fsync(fd) == 0;
  std::string why = ok ? "" : errno_text();
  if (::close(fd) != 0 && ok) {
    ok = false;
    why = errno_text();
  }
  if (!ok) {
    ::unlink(tmp.c_str());
    return fail(fmt::format("cannot write {}: {}", tmp, why));
  }
  if (std::rename(tmp.c_str(), path_.c_str()) != 0) {
    why = errno_text();
    ::unlink(tmp.c_str());
    return fail(fmt::format("cannot replace {}: {}", path_, why));
  }
  return {};
}

Result<std::vector<std::string>> FileSnapshotStore::load() const {
  std::lock_guard lock(mu_);
  std::ifstream in(path_, std::ios::binary);
  std::vector<std::string> records;
  if (!in) {
    if (errno == ENOENT) return records;  // nothing saved yet
    return fail(fmt::format("cannot read {}: {}", path_, errno_text()));
  }
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) records.push_back(std::move(line));
  }
  if (in.bad()) return fail(fmt::format("cannot read {}: {}", path_, errno_text()));
  return records;
}

Status MemorySnapshotStore::save(const std::vector<std::string>& records) {
  std::lock_guard lock(mu_);
  records_ = records;
  return {};
}

Result<std::vector<std::string>> MemorySnapshotStore::load() const {
  std::lock_guard lock(mu_);
  return records_;
}

}  // namespace tocsin::dispatch
