#!/bin/bash
# The ledgerpki/app entry point.
#   inquiry            the Quarkus inquiry node (LEDGERPKI_* and QUARKUS_* variables)
#   run SERVICE        a ledger service (validator, issuance, cosigner, keylime-adapter)
#   anything else      the ledgerpki command line (submit, status, keygen, ...)
# The Streams services answer health on LEDGERPKI_HTTP_PORT (docker-compose.yml sets it).
set -euo pipefail
flags=(--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED
  ${LEDGERPKI_JAVA_OPTS:--Xmx384m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError})
case "${1-}" in
  inquiry)
    exec java "${flags[@]}" -jar /opt/ledgerpki/inquiry/quarkus-run.jar
    ;;
  *)
    exec java "${flags[@]}" -jar /opt/ledgerpki/launcher/ledgerpki.jar "$@"
    ;;
esac
