// The open files limit of the process, raised as Go 1.19+ raises it at
// start-up: the soft limit up to the hard one. Every connection the web
// server holds is a file, and the usual soft limit (1024) would refuse the
// 1,025th client long before --web.max-connections does.
#pragma once

#include <tocsin/error.h>

namespace tocsin::app {

// Raises RLIMIT_NOFILE's soft limit to its hard limit; an error names what
// failed and leaves the limit as it was. Process-wide: call once, early.
Status raise_open_files_limit();

}  // namespace tocsin::app
