// Loopback ports for the servers a test starts.
#pragma once

namespace tocsin::test {

// A TCP port on 127.0.0.1 that nothing listens on right now. Chosen at
// random below the kernel's ephemeral range, so an outgoing connection of
// this or another test cannot take it between this call and the server's
// bind (which matters when a server is stopped and started again on the same
// port). Returns 0 only if no free port was found.
int free_port();

}  // namespace tocsin::test
