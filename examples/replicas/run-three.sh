#!/usr/bin/env bash
# Runs three tocsin replicas on this host, sharing the PostgreSQL database
# at POSTGRES_URL, with this directory's tocsin.yml; their APIs listen on
# 127.0.0.1 at the three ports given (9095, 9096 and 9097 by default).
# Ctrl-C stops all three; so does any one of them stopping.
#
#   examples/replicas/run-three.sh postgres://tocsin@127.0.0.1:5432/tocsin
#   TOCSIN=build/src/cli/tocsin examples/replicas/run-three.sh "$URL" 9195 9196 9197
#
# In production each replica runs on its own host with the same flags but
# its own --cluster.replica (the host name, say).
set -euo pipefail
url=${1:?usage: $0 POSTGRES_URL [PORT PORT PORT]}
shift
ports=("$@")
[ ${#ports[@]} -eq 0 ] && ports=(9095 9096 9097)
[ ${#ports[@]} -eq 3 ] || { echo "$0: give three ports, or none" >&2; exit 2; }
tocsin=${TOCSIN:-tocsin}
config="$(cd "$(dirname "$0")" && pwd)/tocsin.yml"

pids=()
stop() {
  trap - EXIT INT TERM
  [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null
  wait
}
trap stop EXIT INT TERM
for i in 0 1 2; do
  "$tocsin" run --config "$config" --storage.url "$url" \
    --web.listen-address "127.0.0.1:${ports[$i]}" --cluster.replica "replica-$((i + 1))" &
  pids+=($!)
done
wait -n
