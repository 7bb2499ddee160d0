// What the load drivers read of a server process they started (from
// /proc) and the timestamp their alerts start at. Linux only.
#pragma once

#include <string>
#include <string_view>

namespace tocsin::bench {

// A value of /proc/<pid>/status as a number: "VmRSS" (KiB), "Threads".
// 0 if the process or the field is not there.
double proc_status(int pid, std::string_view field);

// Resident memory of a process, in bytes.
double rss_bytes(int pid);

// CPU time a process has used so far, user + system, in seconds.
double cpu_seconds(int pid);

// The wall clock now, to the second, as RFC 3339 in UTC.
std::string now_rfc3339();

}  // namespace tocsin::bench
