#!/bin/sh
# docker/engine.sh: a private Docker engine for the compose consortium and its test.
#
#   docker/engine.sh install   installs Debian's docker.io, docker-compose and mmdebstrap (as root)
#   docker/engine.sh start     starts dockerd on a private socket unless one already answers there
#   docker/engine.sh stop      stops the dockerd that `start` started (by its PID), nothing else
#   docker/engine.sh env       prints `export DOCKER_HOST=...` for the private socket
#
# The engine listens on $LEDGERPKI_DOCKER_DIR/docker.sock (default /run/ledgerpki-docker), not on
# /var/run/docker.sock: a Docker socket in the usual place would make `./mvnw verify`'s Kafka
# fixture choose Testcontainers, which pulls images and fails where no registry is reachable.
# Images stay in the engine's usual data root (/var/lib/docker), so a second run reuses them.
set -eu
dir=${LEDGERPKI_DOCKER_DIR:-/run/ledgerpki-docker}
sock="unix://$dir/docker.sock"

answers() { DOCKER_HOST=$sock docker version >/dev/null 2>&1; }

case "${1-}" in
  install)
    missing=
    command -v dockerd >/dev/null 2>&1 || missing="$missing docker.io"
    command -v docker-compose >/dev/null 2>&1 || missing="$missing docker-compose"
    command -v mmdebstrap >/dev/null 2>&1 || missing="$missing mmdebstrap"
    if [ -n "$missing" ]; then
      echo "engine: installing$missing (Debian packages)" >&2
      apt-get update -q >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >/dev/null
    fi
    ;;
  start)
    mkdir -p "$dir"
    if answers; then
      echo "engine: a Docker engine already answers at $sock; using it" >&2
      exit 0
    fi
    dockerd -H "$sock" --exec-root "$dir/exec" --pidfile "$dir/dockerd.pid" \
      >"$dir/dockerd.log" 2>&1 &
    echo $! >"$dir/started.pid"
    i=0
    until answers; do
      i=$((i + 1))
      if [ "$i" -gt 60 ] || ! kill -0 "$(cat "$dir/started.pid")" 2>/dev/null; then
        echo "engine: dockerd did not answer at $sock within 30 s; see $dir/dockerd.log:" >&2
        tail -n 20 "$dir/dockerd.log" >&2
        "$0" stop # the dockerd this call started, if it still runs
        exit 1
      fi
      sleep 0.5
    done
    echo "engine: dockerd (PID $(cat "$dir/started.pid")) answers at $sock" >&2
    ;;
  stop)
    if [ -f "$dir/started.pid" ]; then
      pid=$(cat "$dir/started.pid")
      if kill -0 "$pid" 2>/dev/null; then
        kill "$pid"
        i=0
        while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 60 ]; do i=$((i + 1)); sleep 0.5; done
        echo "engine: stopped dockerd (PID $pid)" >&2
      fi
      rm -f "$dir/started.pid"
    fi
    ;;
  env)
    echo "export DOCKER_HOST=$sock"
    ;;
  *)
    echo "usage: docker/engine.sh install|start|stop|env" >&2
    exit 2
    ;;
esac
