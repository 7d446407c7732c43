#!/bin/bash
# The ledgerpki/kafka entry point: a KRaft node configured by environment only.
#
# Every KAFKA_<NAME> variable becomes the server property <name>: lower case, '_' -> '.', '__' ->
# '_', '___' -> '-' (KAFKA_LISTENER_SECURITY_PROTOCOL_MAP -> listener.security.protocol.map), except
# KAFKA_CLUSTER_ID (the KRaft cluster id; required), KAFKA_HEAP_OPTS and KAFKA_JVM_OPTS.
# Storage under /var/lib/kafka/data is formatted on first start.
# `kafka.sh --healthcheck`: exits 0 once the node's first listener accepts connections.
set -euo pipefail
conf=/var/lib/kafka/server.properties

if [ "${1-}" = "--healthcheck" ]; then
  port=$(sed -n 's/^listeners=[A-Z_]*:\/\/[^:]*:\([0-9]*\).*/\1/p' "$conf")
  (exec 3<>"/dev/tcp/127.0.0.1/${port:-9092}") 2>/dev/null
  exit
fi

: "${KAFKA_CLUSTER_ID:?set KAFKA_CLUSTER_ID (a KRaft cluster id, 22 characters of base64url)}"
mkdir -p /var/lib/kafka/data
{
  echo "log.dirs=/var/lib/kafka/data"
  for v in $(compgen -e); do
    case $v in
      KAFKA_CLUSTER_ID | KAFKA_HEAP_OPTS | KAFKA_JVM_OPTS) continue ;;
      KAFKA_*) ;;
      *) continue ;;
    esac
    key=${v#KAFKA_}
    key=${key,,}
    key=${key//___/-}
    key=${key//__/@}
    key=${key//_/.}
    key=${key//@/_}
    printf '%s=%s\n' "$key" "${!v}"
  done
} >"$conf"

jvm=(${KAFKA_HEAP_OPTS:--Xms64m -Xmx512m} -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError
  -Djava.awt.headless=true -Dlog4j2.configurationFile=/opt/kafka/log4j2.properties
  ${KAFKA_JVM_OPTS-} -cp '/opt/kafka/lib/*')
java "${jvm[@]}" kafka.tools.StorageTool format --cluster-id "$KAFKA_CLUSTER_ID" \
  --config "$conf" --ignore-formatted
exec java "${jvm[@]}" kafka.Kafka "$conf"
