#include <csignal>

#include <pthread.h>
#include <unistd.h>

#include "app/daemon.h"
#include "app/open_files_limit.h"
#include "cli/commands.h"
#include "core/log.h"

namespace tocsin::cli {
namespace {

// The value /-/quit queues with its SIGTERM, to tell it from an operator's.
constexpr int kQuitRequested = 0x71756974;

}  // namespace

int run(const RunOptions& options) {
  // Block the signals in every thread (threads inherit the mask), and take
  // them one at a time here with sigwaitinfo: no work in a signal handler.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGHUP);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  // Every connection is a file: as Go 1.19+ does, use all the process may.
  if (auto raised = app::raise_open_files_limit(); !raised) {
    log::warn("Cannot raise the open files limit", {{"err", raised.error().to_string()}});
  }

  app::Daemon daemon(app::DaemonOptions{
      .config_file = options.config_file,
      .listen_address = options.listen_address,
      .storage_path = options.storage_path,
      .storage_url = options.storage_url,
      .replica_id = options.replica_id,
      .history_retention = options.storage_retention,
      .restore_policy = {.outage_tolerance = options.for_outage_tolerance,
                         .grace_period = options.for_grace_period},
      .enable_lifecycle = options.enable_lifecycle,
      // /-/quit: the same path as SIGTERM, marked as ours.
      .on_quit = [] { sigqueue(getpid(), SIGTERM, sigval{.sival_int = kQuitRequested}); },
      .max_connections = options.max_connections,
      .read_timeout = options.read_timeout,
      .max_request_body_bytes = options.max_request_body_bytes});
  if (Status started = daemon.start(); !started) {
    log::error("Cannot start", {{"err", started.error().to_string()}});
    return 1;
  }
  log::info("tocsin started", {{"config", options.config_file}});
  while (true) {
    siginfo_t info{};
    int sig = sigwaitinfo(&signals, &info);
    if (sig < 0) continue;
    if (sig == SIGHUP) {
      log::info("Reloading configuration (SIGHUP)");
      (void)daemon.reload();  // logged and counted by reload itself
      continue;
    }
    bool quit = info.si_code == SI_QUEUE && info.si_pid == getpid() &&
                info.si_value.sival_int == kQuitRequested;
    if (quit) {
      log::info("Stopping", {{"requested", "/-/quit"}});
    } else {
      log::info("Stopping", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
    }
    break;
  }
  daemon.stop();
  log::info("Stopped");
  return 0;
}

}  // namespace tocsin::cli
