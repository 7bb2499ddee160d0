#include "support/process.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <fmt/format.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace tocsin::test {
namespace {

// argv[0] if it names a path, else the first executable match in PATH.
std::string resolve_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

std::vector<std::string> merged_environment(const std::map<std::string, std::string>& overrides) {
  std::vector<std::string> out;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string_view entry(*e);
    std::string name(entry.substr(0, entry.find('=')));
    if (!overrides.contains(name)) out.emplace_back(entry);
  }
  for (const auto& [name, value] : overrides) out.push_back(name + "=" + value);
  return out;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

ExitStatus decode_status(int status) {
  ExitStatus out;
  if (WIFEXITED(status)) {
    out.code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    out.signal = WTERMSIG(status);
  }
  return out;
}

// Runs in the child between fork and exec: async-signal-safe calls only.
[[noreturn]] void exec_child(pid_t parent, int in_fd, int out_fd, int err_fd, int report_fd,
                             const char* cwd, const char* program, char** argv, char** envp,
                             const struct passwd* user) {
  // Another user first: changing credentials clears the death signal.
  if (user != nullptr && (::setgroups(0, nullptr) != 0 || ::setgid(user->pw_gid) != 0 ||
                          ::setuid(user->pw_uid) != 0)) {
    int error = errno;
    [[maybe_unused]] auto written = ::write(report_fd, &error, sizeof error);
    ::_exit(127);
  }
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(127);  // the parent died before prctl
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::signal(SIGPIPE, SIG_DFL);
  int error = 0;
  if (cwd != nullptr && ::chdir(cwd) != 0) error = errno;
  if (error == 0 && (::dup2(in_fd, 0) < 0 || ::dup2(out_fd, 1) < 0 || ::dup2(err_fd, 2) < 0)) {
    error = errno;
  }
  if (error == 0 && report_fd != 3) {
    if (::dup2(report_fd, 3) < 0) error = errno;
    report_fd = 3;
  }
  if (error == 0) {
    ::fcntl(3, F_SETFD, FD_CLOEXEC);
    ::close_range(4, ~0U, 0);  // no listening socket of the test leaks into the child
    ::execve(program, argv, envp);
    error = errno;
  }
  [[maybe_unused]] auto written = ::write(report_fd, &error, sizeof error);
  ::_exit(127);
}

int open_output(const std::string& path, bool append) {
  int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC);
  return ::open(path.c_str(), flags, 0644);
}

}  // namespace

std::string ExitStatus::to_string() const {
  if (signal != 0) return fmt::format("killed by signal {} ({})", signal, ::strsignal(signal));
  return fmt::format("exit code {}", code);
}

Result<Process> Process::start(ProcessOptions options) {
  if (options.argv.empty()) return fail("no program to start");
  std::string program = resolve_program(options.argv[0]);
  if (program.empty() || ::access(program.c_str(), X_OK) != 0) {
    return fail(fmt::format("cannot execute {}: not found or not executable", options.argv[0]));
  }
  Process process;
  if (options.stdout_path.empty() || options.stderr_path.empty()) {
    process.output_dir_ = std::make_unique<TempDir>("process");
  }
  process.stdout_path_ =
      options.stdout_path.empty() ? process.output_dir_->file("stdout") : options.stdout_path;
  process.stderr_path_ =
      options.stderr_path.empty() ? process.output_dir_->file("stderr") : options.stderr_path;

  int in_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  int out_fd = open_output(process.stdout_path_, options.append_output);
  int err_fd = open_output(process.stderr_path_, options.append_output);
  int report[2] = {-1, -1};
  bool ready = in_fd >= 0 && out_fd >= 0 && err_fd >= 0 && ::pipe2(report, O_CLOEXEC) == 0;
  int setup_errno = errno;
  auto close_all = [&] {
    for (int fd : {in_fd, out_fd, err_fd, report[0], report[1]}) {
      if (fd >= 0) ::close(fd);
    }
  };
  if (!ready) {
    close_all();
    return fail(fmt::format("cannot prepare {}: {}", options.argv[0], std::strerror(setup_errno)));
  }

  // Everything the child needs is built before fork: it may not allocate.
  std::vector<std::string> argv_strings = options.argv;
  std::vector<std::string> env_strings = merged_environment(options.env);
  std::vector<char*> argv = c_strings(argv_strings);
  std::vector<char*> envp = c_strings(env_strings);
  const char* cwd = options.cwd.empty() ? nullptr : options.cwd.c_str();
  pid_t parent = ::getpid();
  struct passwd user_entry {};
  const struct passwd* user = nullptr;
  if (!options.user.empty()) {
    user = ::getpwnam(options.user.c_str());
    if (user == nullptr) {
      close_all();
      return fail(fmt::format("cannot run {} as {}: no such user", options.argv[0], options.user));
    }
    user_entry = *user;  // getpwnam's buffer is static
    user = &user_entry;
  }

  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(report[0]);
    exec_child(parent, in_fd, out_fd, err_fd, report[1], cwd, program.c_str(), argv.data(),
               envp.data(), user);
  }
  int fork_errno = errno;
  ::close(report[1]);
  report[1] = -1;
  if (pid < 0) {
    close_all();
    return fail(fmt::format("cannot fork for {}: {}", options.argv[0], std::strerror(fork_errno)));
  }
  process.pid_ = pid;
  int child_errno = 0;
  ssize_t n;
  do {
    n = ::read(report[0], &child_errno, sizeof child_errno);
  } while (n < 0 && errno == EINTR);
  close_all();
  if (n > 0) {  // exec failed; the child has exited
    process.reap(true);
    return fail(fmt::format("cannot execute {}: {}", program, std::strerror(child_errno)));
  }
  return process;
}

Process::Process(Process&& other) noexcept
    : pid_(other.pid_),
      status_(std::move(other.status_)),
      stdout_path_(std::move(other.stdout_path_)),
      stderr_path_(std::move(other.stderr_path_)),
      output_dir_(std::move(other.output_dir_)) {
  other.pid_ = -1;
}

Process& Process::operator=(Process&& other) noexcept {
  if (this != &other) {
    if (pid_ > 0) stop();
    pid_ = other.pid_;
    status_ = std::move(other.status_);
    stdout_path_ = std::move(other.stdout_path_);
    stderr_path_ = std::move(other.stderr_path_);
    output_dir_ = std::move(other.output_dir_);
    other.pid_ = -1;
  }
  return *this;
}

Process::~Process() {
  if (pid_ > 0) stop();
}

bool Process::reap(bool block) {
  if (status_) return true;
  if (pid_ <= 0) return false;
  int status = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r == pid_) {
    status_ = decode_status(status);
    return true;
  }
  if (r < 0) status_ = ExitStatus{};  // not our child any more: nothing to wait for
  return r < 0;
}

bool Process::alive() {
  return pid_ > 0 && !reap(false);
}

std::optional<ExitStatus> Process::wait(Duration timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!reap(false)) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return status_;
}

ExitStatus Process::stop(Duration grace) {
  if (pid_ <= 0) return status_.value_or(ExitStatus{});
  if (!reap(false)) {
    ::kill(pid_, SIGTERM);
    if (!wait(grace)) {
      ::kill(pid_, SIGKILL);
      reap(true);
    }
  }
  return *status_;
}

ExitStatus Process::kill() {
  if (pid_ <= 0) return status_.value_or(ExitStatus{});
  if (!reap(false)) {
    ::kill(pid_, SIGKILL);
    reap(true);
  }
  return *status_;
}

std::string Process::stdout_text() const {
  return read_file(stdout_path_);
}

std::string Process::stderr_text() const {
  return read_file(stderr_path_);
}

}  // namespace tocsin::test
