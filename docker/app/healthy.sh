#!/bin/bash
# Health of a ledger service run by `ledgerpki.sh run`: healthy once N Kafka Streams applications
# (default 1; a cosigner runs 2: its cosigner and its aggregator instance) have reached RUNNING,
# or, with --http PORT, once something answers HTTP on that port (the Keylime adapter).
set -u
if [ "${1-}" = "--http" ]; then
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$2/" || true)
  [ "$code" != "000" ]
  exit
fi
want=${1:-1}
have=$(grep -o '^.*[^ ]*: [A-Z_]* -> RUNNING' /tmp/ledgerpki-service.log 2>/dev/null \
  | sed 's/.* \([^ ]*\): [A-Z_]* -> RUNNING/\1/' | sort -u | wc -l)
[ "$have" -ge "$want" ]
