// A real PostgreSQL server (Debian's postgresql 15) for one test program,
// on 127.0.0.1 and a free port, in a private data directory.
//
// initdb and postgres refuse to run as root: a test running as root runs
// them as the `postgres` user the Debian package creates (the data
// directory is given to it). Authentication is `trust` for the superuser
// `tocsin`, over TCP on loopback only; fsync is off (a test kills
// processes, never the machine).
//
// stop() and start() may be called again: the server comes back on the
// SAME port with the SAME data, as after a restart of the database. The
// destructor stops it (a fast shutdown: clients are disconnected).
//
// Not thread-safe: the test's thread owns it.
#pragma once

#include <optional>
#include <string>

#include <tocsin/error.h>
#include <tocsin/time.h>

#include "support/process.h"
#include "support/temp_dir.h"

namespace tocsin::test {

class PostgresServer {
 public:
  PostgresServer();
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // Makes the cluster (the first time: a copy of one initdb made once per
  // machine), starts the server and waits until it accepts connections.
  // Fails with the end of its log.
  Status start();
  // A fast shutdown (SIGINT): connections are closed, the server exits.
  ExitStatus stop();
  // SIGKILL, as a crash ends it; the next start recovers from its WAL.
  ExitStatus kill();
  bool running();

  int port() const { return port_; }
  // A new, empty database, and the URL tocsin is given for it:
  // postgres://tocsin@127.0.0.1:PORT/NAME.
  Result<std::string> create_database(const std::string& name);
  std::string url(const std::string& database) const;
  // Runs SQL as the superuser in `database` (a test's own look at what
  // tocsin wrote); the first column of the first row, "" if none.
  Result<std::string> query(const std::string& database, const std::string& sql);
  std::string log() const;

 private:
  Status init();

  TempDir dir_;
  int port_;
  std::string data_dir_;
  std::string log_path_;
  std::string user_;  // who runs the server: "postgres" under root, else ""
  bool initialised_ = false;
  std::optional<Process> process_;
};

// The directory of PostgreSQL's server programs (initdb, postgres), as
// Debian installs them (/usr/lib/postgresql/15/bin); TOCSIN_POSTGRES_BIN
// overrides it. "" when none is installed.
std::string postgres_bin_dir();

}  // namespace tocsin::test
