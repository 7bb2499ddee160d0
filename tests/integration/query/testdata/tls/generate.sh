#!/usr/bin/env bash
# Regenerates the test PKI the TLS tests use. Needs the openssl command.
# Valid from 2020 to 2120, so neither a machine whose clock is behind nor the
# passing years break the tests. The server certificate names only
# prometheus.test, never 127.0.0.1: a client must set tls server_name (or
# skip verification) to accept it on loopback.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

key() { openssl ecparam -name prime256v1 -genkey -noout -out "$1"; }

cat > "$work/ca.cnf" <<CNF
[ca]
default_ca = test_ca
[test_ca]
database = $work/index.txt
new_certs_dir = $work
serial = $work/serial
default_md = sha256
policy = any
copy_extensions = none
[any]
commonName = supplied
[ca_ext]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
[server_ext]
subjectAltName = DNS:prometheus.test
extendedKeyUsage = serverAuth
[client_ext]
extendedKeyUsage = clientAuth
CNF
: > "$work/index.txt"
echo 1000 > "$work/serial"

sign() {  # name, subject, extensions section, extra args
  openssl req -new -key "$1-key.pem" -subj "$2" -out "$work/$1.csr"
  openssl ca -batch -config "$work/ca.cnf" -startdate 20200101000000Z -enddate 21200101000000Z \
    -extensions "$3" -in "$work/$1.csr" -out "$1.pem" -notext "${@:4}" 2>/dev/null
}

key ca-key.pem
sign ca "/CN=tocsin test CA" ca_ext -selfsign -keyfile ca-key.pem -cert /dev/null
key server-key.pem
sign server "/CN=prometheus.test" server_ext -keyfile ca-key.pem -cert ca.pem
key client-key.pem
sign client "/CN=tocsin" client_ext -keyfile ca-key.pem -cert ca.pem
