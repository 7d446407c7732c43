#!/bin/sh
# P3, the OCSP side: an `openssl ocsp` responder (ECDSA P-256 responder key, -multi 2) answering
# for N certificates, and wrk against it with a random request of 1,000 pre-built ones.
# Usage: bench/p3/ocsp-responder.sh [N] [seconds] [connections]   (writes into target/p3-ocsp)
# Environment: OCSP_PORT (18888), WRK_THREADS (2), P3_WORK (the scratch directory).
# `./ledgerpki bench inquiry` runs it in alternation with the inquiry node (see BENCHMARKS.md, P3).
set -eu
N=${1:-100000}
SECONDS_RUN=${2:-20}
CONNS=${3:-32}
PORT=${OCSP_PORT:-18888}
THREADS=${WRK_THREADS:-2}
HERE=$(cd "$(dirname "$0")" && pwd)
W=${P3_WORK:-$HERE/../../target/p3-ocsp}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
rm -rf "$W"; mkdir -p "$W/req"; cd "$W"
openssl ecparam -name prime256v1 -genkey -noout -out ca.key 2>/dev/null
openssl req -new -x509 -key ca.key -subj "/CN=Operator CA/O=Operator B" -days 3650 -out ca.pem 2>/dev/null
openssl ecparam -name prime256v1 -genkey -noout -out resp.key 2>/dev/null
openssl req -new -key resp.key -subj "/CN=OCSP responder/O=Operator B" -out resp.csr 2>/dev/null
printf 'extendedKeyUsage=OCSPSigning\nkeyUsage=critical,digitalSignature\n' > resp.ext
openssl x509 -req -in resp.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 -extfile resp.ext -out resp.pem 2>/dev/null
# index.txt: one valid certificate per line (status, expiry, revocation date, serial, file, DN).
awk -v n="$N" 'BEGIN { for (i = 1; i <= n; i++) printf "V\t351231235959Z\t\t%X\tunknown\t/CN=nf-%d/O=Vendor A\n", 4096 + i, i }' > index.txt
echo "unique_subject = no" > index.txt.attr
for i in $(seq 1 1000); do
  s=$(awk -v n="$N" -v seed="$i" 'BEGIN { srand(seed); printf "%X", 4096 + 1 + int(rand() * n) }')
  openssl ocsp -issuer ca.pem -serial "0x$s" -no_nonce -reqout "req/$i.der" >/dev/null 2>&1
done
openssl ocsp -index index.txt -port "$PORT" -rsigner resp.pem -rkey resp.key -CA ca.pem -multi 2 -nmin 5 >ocsp.log 2>&1 &
OCSP_PID=$!
trap 'kill $OCSP_PID 2>/dev/null || true; pkill -P $OCSP_PID 2>/dev/null || true' EXIT
sleep 2
cat > post.lua <<'LUA'
local bodies = {}
for i = 1, 1000 do
  local f = io.open("req/" .. i .. ".der", "rb"); bodies[i] = f:read("*all"); f:close()
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/ocsp-request"
request = function()
  return wrk.format(nil, "/", nil, bodies[math.random(1, 1000)])
end
LUA
# A check that the responder answers good for one of them, and the size of its response.
openssl ocsp -issuer ca.pem -serial 0x1001 -url "http://127.0.0.1:$PORT" -CAfile ca.pem -no_nonce -respout sample-resp.der 2>&1 | grep -E ": good|: unknown|error" | head -1
[ -f sample-resp.der ] && echo "OCSP response bytes: $(wc -c < sample-resp.der)"
wrk -t"$THREADS" -c"$CONNS" -d"${SECONDS_RUN}s" --latency -s post.lua "http://127.0.0.1:$PORT/"
