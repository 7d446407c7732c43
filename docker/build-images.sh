#!/bin/bash
# docker/build-images.sh: builds every image of the compose consortium on this machine, from
# Debian's packages, the JDK that builds the project and the jars the build fetched from Maven
# Central. No image is pulled from any registry. Idempotent: an image whose inputs did not change
# is rebuilt from the engine's cache in seconds; the base image is made once.
#
#   ledgerpki/base:bookworm   Debian 12 minbase + curl (mmdebstrap, then docker import)
#   ledgerpki/jre:<N>         the base + a Java runtime jlinked from the build's JDK N (21+)
#   ledgerpki/kafka           Apache Kafka (KRaft) from the jars the embedded module resolves
#   ledgerpki/registry        the Apicurio Registry app the embedded module fetches
#   ledgerpki/app             `ledgerpki` (run validator|issuance|cosigner|keylime-adapter, any
#                             CLI command) and the Quarkus inquiry node (`inquiry`)
#
# Needs root on Debian (it installs docker.io, docker-compose and mmdebstrap when missing) and a
# Docker engine: DOCKER_HOST, or the private one of docker/engine.sh, started here if needed
# (stop it with docker/engine.sh stop).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
say() { echo "build-images: $*" >&2; }
started=$(date +%s)

docker/engine.sh install
if [ -z "${DOCKER_HOST-}" ]; then
  docker/engine.sh start
  eval "$(docker/engine.sh env)"
fi
export DOCKER_HOST

# The project's jars (./ledgerpki builds them on first use and when sources changed).
. .mvn/jdk.sh
./ledgerpki --version >/dev/null
jdk_major=$(ledgerpki_jdk_major "$JAVA_HOME")
ctx=$root/target/docker
mkdir -p "$ctx"

have() { docker image inspect "$1" >/dev/null 2>&1; }
# docker build, quiet unless it fails (the legacy builder's deprecation notice is noise here).
build() {
  local out
  if ! out=$(docker build -q "$@" 2>&1); then
    echo "$out" >&2
    exit 1
  fi
}

# 1. The base image: Debian bookworm (the release these machines' apt sources carry), minbase.
# Bookworm has no openjdk-21 package, so the Java runtime comes from the build's own JDK (step 2).
if ! have ledgerpki/base:bookworm; then
  say "making ledgerpki/base:bookworm with mmdebstrap (about a minute or two)"
  mmdebstrap --quiet --variant=minbase --include=curl,ca-certificates bookworm "$ctx/base.tar"
  docker import -c 'ENV LANG=C.UTF-8' "$ctx/base.tar" ledgerpki/base:bookworm >/dev/null
  rm -f "$ctx/base.tar"
fi

# 2. A Java runtime jlinked from the JDK that built the project: the same Java in every container,
# no package needed. All modules but jlink and jpackage (a JDK without jmods cannot link them), so that `java Tool.java` (jdk.compiler) works for the test probes.
jre_tag=ledgerpki/jre:$jdk_major
stamp="$JAVA_HOME $(sed -n 's/^JAVA_RUNTIME_VERSION=//p' "$JAVA_HOME/release")"
if ! have "$jre_tag" || [ "$(cat "$ctx/jre.stamp" 2>/dev/null)" != "$stamp" ]; then
  say "jlinking a Java $jdk_major runtime from $JAVA_HOME"
  rm -rf "$ctx/jre"
  mkdir -p "$ctx/jre"
  modules=$("$JAVA_HOME/bin/java" --list-modules | sed 's/@.*//' | grep -v -e '^jdk.jlink$' -e '^jdk.jpackage$' | paste -sd, -)
  "$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages \
    --no-header-files --output "$ctx/jre/java"
  cp docker/jre/Dockerfile "$ctx/jre/"
  build -t "$jre_tag" -t ledgerpki/jre:latest "$ctx/jre"
  rm -rf "$ctx/jre/java"
  echo "$stamp" >"$ctx/jre.stamp"
fi

# 3. Kafka: the broker's classpath as the embedded module resolved it.
cp_file=embedded/target/classes/org/ledgerpki/embedded/broker.classpath
rm -rf "$ctx/kafka" && mkdir -p "$ctx/kafka/lib"
tr ":" "\n" <"$cp_file" | while read -r jar || [ -n "$jar" ]; do
  [ -n "$jar" ] && cp "$jar" "$ctx/kafka/lib/"
done
cp docker/kafka/* "$ctx/kafka/"
say "building ledgerpki/kafka ($(ls "$ctx/kafka/lib" | grep -m1 '^kafka_2' ))"
build -t ledgerpki/kafka "$ctx/kafka"

# 4. The schema registry.
reg_home=$(cat embedded/target/classes/org/ledgerpki/embedded/registry.location)
rm -rf "$ctx/registry" && mkdir -p "$ctx/registry"
cp -r "$reg_home" "$ctx/registry/app"
cp docker/registry/* "$ctx/registry/"
say "building ledgerpki/registry"
build -t ledgerpki/registry "$ctx/registry"

# 5. The ledger services and the inquiry node.
rm -rf "$ctx/app" && mkdir -p "$ctx/app/launcher"
cp launcher/target/ledgerpki.jar "$ctx/app/launcher/"
cp -r launcher/target/lib "$ctx/app/launcher/lib"
cp -r inquiry-service/target/quarkus-app "$ctx/app/inquiry"
cp docker/app/* "$ctx/app/"
say "building ledgerpki/app"
build -t ledgerpki/app "$ctx/app"

# Earlier builds of these tags are left untagged: remove them, nothing else.
docker image prune -f >/dev/null
say "images ready in $(($(date +%s) - started)) s:"
docker images --format '{{.Repository}}:{{.Tag}}  {{.Size}}' | grep '^ledgerpki/' | sed 's/^/  /' >&2
