#!/bin/sh
# P3 against the node as the demo runs it: wrk against the demo's inquiry node, asking for the
# demo's certificates that have an answer with proofs (GOOD or REVOKED) at random, in the three
# answer forms (JSON as the contract defines it; compact; compact with the checkpoint held, as a
# SeGW that keeps the current checkpoint asks), alternating with `openssl ocsp -multi 2`
# (bench/p3/ocsp-responder.sh), and prints each rate and its ratio to the OCSP run of its round.
# Usage: bench/p3/demo-vs-ocsp.sh [node URL] [seconds] [connections] [rounds]
#   (start `./ledgerpki demo` first; it keeps running). Needs wrk, openssl, curl.
set -eu
NODE=${1:-http://127.0.0.1:8080}
SECS=${2:-10}
CONNS=${3:-16}
ROUNDS=${4:-2}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
W=${P3_WORK:-$ROOT/target/p3-demo}
for t in wrk openssl curl; do
  command -v $t >/dev/null || { echo "$t is missing: apt-get install -y $t" >&2; exit 2; }
done
mkdir -p "$W"
: > "$W/hashes.txt"
for pem in "$ROOT"/demo-data/certs/*/*.pem; do
  h=$(openssl x509 -in "$pem" -outform DER 2>/dev/null | sha256sum | cut -c1-64) || continue
  code=$(curl -s -o "$W/answer.json" -w '%{http_code}' "$NODE/v1/status/$h")
  if [ "$code" = 200 ] && grep -q '"checkpointSha256":"[0-9a-f]' "$W/answer.json"; then
    echo "$h" >> "$W/hashes.txt"
    NAME=$(sed -n 's/.*"checkpointSha256":"\([0-9a-f]*\)".*/\1/p' "$W/answer.json")
  fi
done
N=$(wc -l < "$W/hashes.txt")
[ "$N" -gt 0 ] || { echo "no certificate of demo-data/ has a GOOD or REVOKED answer at $NODE" >&2; exit 1; }
echo "$N certificates with proofs at $NODE; checkpoint held: $NAME"
cat > "$W/status.lua" <<LUA
local hashes = {}
for line in io.lines("$W/hashes.txt") do hashes[#hashes + 1] = line end
function request()
  return wrk.format("GET", "/v1/status/" .. hashes[math.random(#hashes)])
end
LUA
rate() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p'; }
p99() { sed -n 's/^ *99% *\([0-9.]*[a-z]*\).*/\1/p'; }
COMPACT="Accept: application/vnd.ledgerpki.status-answer"
echo "warm-up: 15 s per form"
wrk -t2 -c"$CONNS" -d15s -s "$W/status.lua" "$NODE" >/dev/null
wrk -t2 -c"$CONNS" -d15s -s "$W/status.lua" -H "$COMPACT" -H "X-Checkpoint-Held: $NAME" "$NODE" >/dev/null
r=1
while [ "$r" -le "$ROUNDS" ]; do
  echo "round $r (load average $(cut -d' ' -f1 /proc/loadavg))"
  wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -s "$W/status.lua" "$NODE" > "$W/json.txt"
  wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -s "$W/status.lua" -H "$COMPACT" "$NODE" > "$W/compact.txt"
  wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -s "$W/status.lua" -H "$COMPACT" -H "X-Checkpoint-Held: $NAME" "$NODE" > "$W/held.txt"
  P3_WORK="$W/ocsp" sh "$HERE/ocsp-responder.sh" 100 "$SECS" "$CONNS" > "$W/ocsp.txt" 2>&1
  o=$(rate < "$W/ocsp.txt")
  printf '  %-28s %10s req/s  p99 %s\n' "openssl ocsp -multi 2" "$o" "$(p99 < "$W/ocsp.txt")"
  for f in json compact held; do
    x=$(rate < "$W/$f.txt")
    printf '  %-28s %10s req/s  p99 %-9s ratio %s\n' "node, $f" "$x" "$(p99 < "$W/$f.txt")" \
      "$(awk -v a="$x" -v b="$o" 'BEGIN { printf "%.2fx", a / b }')"
  done
  r=$((r + 1))
done
