// libcurl's process-wide setup (curl_global_init), done once, from whichever
// thread gets there first. Never undone: other threads may still hold easy
// handles when the process exits.
#pragma once

#include <tocsin/error.h>

namespace tocsin::http {

// Safe to call from any thread, any number of times; fails only if libcurl
// could not initialise (then every later call fails the same way).
Status ensure_curl_initialized();

}  // namespace tocsin::http
