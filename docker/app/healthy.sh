#!/bin/bash
# Health of the Keylime adapter (`ledgerpki.sh run keylime-adapter`): healthy once something answers
# HTTP on the given port, whatever the status (its only routes take POSTed notifications).
#   healthy.sh --http PORT
# The Streams services (validator, issuance, cosigner) answer GET /health/ready themselves on
# LEDGERPKI_HTTP_PORT (docs/operations.md); docker-compose.yml curls that instead.
set -u
if [ "${1-}" != "--http" ] || [ -z "${2-}" ]; then
  echo "usage: healthy.sh --http PORT" >&2
  exit 2
fi
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$2/" || true)
[ "$code" != "000" ]
