#!/usr/bin/python3
"""A TLS server on 127.0.0.1 that records which protocol each client's ALPN
offer settles on, for the enable_http2 test.

It offers h2 and http/1.1, so "h2" means the client offered h2 and
"http/1.1" that it offered only HTTP/1.1. Each connection's protocol is
appended to LOG as a line. An HTTP/1.1 request gets an empty 200; an h2
connection is closed (this server speaks no HTTP/2). The port it bound is
written to READY once it accepts connections. SIGTERM stops it.
"""

import argparse
import os
import socket
import ssl


def read_request(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return
        body += chunk


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--ready", required=True)
    parser.add_argument("--log", required=True)
    args = parser.parse_args()

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)
    context.set_alpn_protocols(["h2", "http/1.1"])

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    with open(args.ready + ".tmp", "w") as ready:
        ready.write(str(listener.getsockname()[1]))
    os.rename(args.ready + ".tmp", args.ready)

    while True:
        raw, _ = listener.accept()
        try:
            with context.wrap_socket(raw, server_side=True) as conn:
                protocol = conn.selected_alpn_protocol() or "none"
                with open(args.log, "a") as log:
                    log.write(protocol + "\n")
                if protocol == "http/1.1":
                    read_request(conn)
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n"
                                 b"Connection: close\r\n\r\n")
        except (ssl.SSLError, OSError):
            raw.close()


if __name__ == "__main__":
    main()
