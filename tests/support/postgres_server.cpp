#include "support/postgres_server.h"

#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support/ports.h"
#include "support/wait.h"

namespace tocsin::test {
namespace {

std::string tail(const std::string& text, std::size_t max_bytes = 3000) {
  if (text.size() <= max_bytes) return text;
  return "..." + text.substr(text.size() - max_bytes);
}

// Gives `path` and everything under it to `user`.
void give_to(const std::string& path, const std::string& user) {
  const struct passwd* pw = ::getpwnam(user.c_str());
  if (pw == nullptr) return;
  [[maybe_unused]] int ignored = ::chown(path.c_str(), pw->pw_uid, pw->pw_gid);
  for (const auto& entry : std::filesystem::recursive_directory_iterator(path)) {
    ignored = ::chown(entry.path().c_str(), pw->pw_uid, pw->pw_gid);
  }
}

}  // namespace

std::string postgres_bin_dir() {
  if (const char* env = std::getenv("TOCSIN_POSTGRES_BIN"); env != nullptr && *env != '\0') {
    return env;
  }
  std::string best;
  int best_version = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
    int version = std::atoi(entry.path().filename().c_str());
    if (version > best_version && std::filesystem::exists(entry.path() / "bin" / "postgres")) {
      best_version = version;
      best = (entry.path() / "bin").string();
    }
  }
  return best;
}

PostgresServer::PostgresServer()
    : dir_("postgres"),
      port_(free_port()),
      data_dir_(dir_.file("data")),
      log_path_(dir_.file("postgres.log")),
      user_(::getuid() == 0 ? "postgres" : "") {}

PostgresServer::~PostgresServer() {
  stop();
}

std::string PostgresServer::log() const {
  std::ifstream in(log_path_);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

// initdb takes a second or two: it runs once per machine and PostgreSQL
// version, into a template under $TMPDIR that every server copies (made
// aside and renamed into place, so that tests starting together never see
// half of one).
Status PostgresServer::init() {
  const std::string bin = postgres_bin_dir();
  if (bin.empty()) {
    return fail("PostgreSQL's server is not installed (apt-get install postgresql)");
  }
  std::error_code ec;
  const auto built = std::filesystem::last_write_time(bin + "/postgres", ec);
  const std::filesystem::path cluster =
      std::filesystem::temp_directory_path() /
      fmt::format("tocsin-postgres-cluster-{}-{:x}", ::getuid(),
                  static_cast<std::uint64_t>(built.time_since_epoch().count()));
  if (!std::filesystem::exists(cluster / "PG_VERSION")) {
    const std::string staging = fmt::format("{}.{}", cluster.string(), ::getpid());
    std::filesystem::remove_all(staging, ec);
    std::filesystem::create_directories(staging);
    ::chmod(staging.c_str(), 0700);
    if (!user_.empty()) give_to(staging, user_);
    auto initdb = Process::start(
        {.argv = {bin + "/initdb", "--pgdata", staging, "--username", "tocsin", "--auth", "trust",
                  "--encoding", "UTF8", "--locale", "C.UTF-8", "--no-sync"},
         .cwd = staging,
         .stdout_path = log_path_,
         .stderr_path = log_path_,
         .append_output = true,
         .user = user_});
    if (!initdb) {
      std::filesystem::remove_all(staging, ec);
      return std::unexpected(initdb.error());
    }
    auto status = initdb->wait(std::chrono::seconds(120));
    if (!status || !status->success()) {
      std::filesystem::remove_all(staging, ec);
      return fail(fmt::format("initdb failed ({}):\n{}",
                              status ? status->to_string() : "still running", tail(log())));
    }
    std::filesystem::rename(staging, cluster, ec);
    if (ec) std::filesystem::remove_all(staging, ec);  // another test's came first
  }
  std::filesystem::copy(cluster, data_dir_, std::filesystem::copy_options::recursive, ec);
  if (ec)
    return fail(fmt::format("cannot copy {} to {}: {}", cluster.string(), data_dir_, ec.message()));
  ::chmod(data_dir_.c_str(), 0700);
  if (!user_.empty()) give_to(dir_.path(), user_);
  initialised_ = true;
  return {};
}

Status PostgresServer::start() {
  if (running()) return {};
  if (!initialised_) {
    if (Status s = init(); !s) return s;
  }
  auto process = Process::start(
      {.argv = {postgres_bin_dir() + "/postgres", "-D", data_dir_, "-p", std::to_string(port_),
                "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + data_dir_,
                "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "max_connections=200"},
       .cwd = dir_.path(),
       .stdout_path = log_path_,
       .stderr_path = log_path_,
       .append_output = true,
       .user = user_});
  if (!process) return std::unexpected(process.error());
  process_.emplace(std::move(*process));
  const std::string conninfo =
      fmt::format("host=127.0.0.1 port={} user=tocsin dbname=postgres connect_timeout=2", port_);
  bool ready =
      wait_until([&] { return !process_->alive() || PQping(conninfo.c_str()) == PQPING_OK; },
                 std::chrono::seconds(60), std::chrono::milliseconds(50));
  if (!ready || !process_->alive()) {
    return fail(fmt::format("PostgreSQL did not start on port {}:\n{}", port_, tail(log())));
  }
  return {};
}

ExitStatus PostgresServer::stop() {
  if (!process_) return {};
  if (process_->alive()) ::kill(process_->pid(), SIGINT);  // fast shutdown
  auto status = process_->wait(std::chrono::seconds(30));
  ExitStatus out = status ? *status : process_->kill();
  process_.reset();
  return out;
}

ExitStatus PostgresServer::kill() {
  if (!process_) return {};
  ExitStatus out = process_->kill();
  process_.reset();
  return out;
}

bool PostgresServer::running() {
  return process_ && process_->alive();
}

std::string PostgresServer::url(const std::string& database) const {
  return fmt::format("postgres://tocsin@127.0.0.1:{}/{}", port_, database);
}

Result<std::string> PostgresServer::query(const std::string& database, const std::string& sql) {
  PGconn* connection = PQconnectdb(
      fmt::format("host=127.0.0.1 port={} user=tocsin dbname={}", port_, database).c_str());
  if (PQstatus(connection) != CONNECTION_OK) {
    std::string why = PQerrorMessage(connection);
    PQfinish(connection);
    return fail(fmt::format("cannot connect to {}: {}", database, why));
  }
  PGresult* result = PQexec(connection, sql.c_str());
  ExecStatusType status = PQresultStatus(result);
  std::string out;
  std::string why;
  if (status == PGRES_TUPLES_OK && PQntuples(result) > 0 && PQnfields(result) > 0) {
    out = PQgetvalue(result, 0, 0);
  } else if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    why = PQresultErrorMessage(result);
  }
  PQclear(result);
  PQfinish(connection);
  if (!why.empty()) return fail(fmt::format("{}: {}", sql, why));
  return out;
}

Result<std::string> PostgresServer::create_database(const std::string& name) {
  if (auto made = query("postgres", fmt::format("CREATE DATABASE \"{}\"", name)); !made) {
    return std::unexpected(made.error());
  }
  return url(name);
}

}  // namespace tocsin::test
