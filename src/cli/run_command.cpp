#include <csignal>

#include <pthread.h>

#include "app/daemon.h"
#include "cli/commands.h"
#include "core/log.h"

namespace tocsin::cli {

int run(const RunOptions& options) {
  // Block the signals in every thread (threads inherit the mask), and take
  // them one at a time here with sigwait: no work in a signal handler.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGHUP);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  app::Daemon daemon(app::DaemonOptions{.config_file = options.config_file,
                                        .listen_address = options.listen_address,
                                        .storage_path = options.storage_path});
  if (Status started = daemon.start(); !started) {
    log::error("Cannot start", {{"err", started.error().to_string()}});
    return 1;
  }
  log::info("tocsin started", {{"config", options.config_file}});
  while (true) {
    int sig = 0;
    if (sigwait(&signals, &sig) != 0) continue;
    if (sig == SIGHUP) {
      log::info("Reloading configuration (SIGHUP)");
      (void)daemon.reload();  // logged and counted by reload itself
      continue;
    }
    log::info("Stopping", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
    break;
  }
  daemon.stop();
  log::info("Stopped");
  return 0;
}

}  // namespace tocsin::cli
