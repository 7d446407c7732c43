#!/bin/bash
# it/compose-test.sh: the consortium as separate parties, for real: docker-compose on a 3-broker
# KRaft cluster with mutual TLS and per-party ACLs, on this machine's Docker engine.
#
# On a fresh Debian 12 machine, as root, it installs what it needs (docker.io, docker-compose,
# mmdebstrap), starts a private Docker engine unless one answers (docker/engine.sh), builds the
# images (docker/build-images.sh, idempotent), makes a consortium (ledger keys, transport CA) in a
# temporary directory, removes what an interrupted run left of the compose project
# `ledgerpki-test` (its containers and volumes, by the project's label), brings the consortium up
# as that project, and checks (stopping after (a) if nothing is admitted):
#   (a) submissions from two members are admitted and both edges answer GOOD, verified offline by
#       `ledgerpki status`;
#   (F) operator-b's edge on its own cluster, fed by MirrorMaker 2, answers GOOD too, verified
#       offline the same way;
#   the ledger topics are replicated 3 times with min.insync.replicas=2;
#   (b) the ACLs hold: a validator cannot write ledger.entries, a submitter cannot write
#       ledger.endorsements, an inquiry node cannot write anything, an operator's mirror cannot
#       write anything, a client without a certificate cannot connect;
#   (R5) an inquiry node's volume wiped and the node restarted: once ready (caught up), it gives
#       the same answers as before;
#   (R2) the issuance container killed with SIGKILL mid-load and started again, (R1) one broker
#       killed with SIGKILL mid-load and left down: `ledgerpki audit` finds every submission
#       decided and admitted, indices contiguous with no gap or duplicate, and every cosigned root
#       equal to the one it recomputes; the edges answer all through; a sample is GOOD at both
#       edges (R1 under LEDGERPKI_COMPOSE_LOAD submissions, default 20000; R2 under
#       LEDGERPKI_COMPOSE_LOAD_R2, default 5000); every Kafka Streams service is healthy after
#       the fault (none left up with a stopped application); a phase that stalls says which
#       service stopped and why (its health answer and last errors) instead of only timing out;
# then tears everything down, stops only the engine it started (by PID), and prints one summary
# line last. Traffic goes only to the project's containers (by service name) and 127.0.0.1.
#
# Environment: LEDGERPKI_COMPOSE_KEEP=1 leaves the consortium running (for debugging).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
t0=$(date +%s)
project=ledgerpki-test
net=${project}_default
passed=0
failed=0
failures=()
engine_started=
work=
watcher= # the background loop of the fault phase running, if any (stopped by finish)
samplers=() # the fault phase's edge samplers running, if any (stopped by finish)

log() { echo "compose-test: $*" >&2; }
pass() { passed=$((passed + 1)); log "PASS $*"; }
fail() { failed=$((failed + 1)); failures+=("$1"); log "FAIL $*"; }

# The project's containers and volumes, by the label Compose puts on them.
labelled() { docker ps -a -q --filter "label=com.docker.compose.project=$project"
  docker volume ls -q --filter "label=com.docker.compose.project=$project"; }
# Takes the project down with its volumes (Compose first when this run brought it up, then whatever
# still carries the project's label, and its network). On failure the log is kept as
# target/compose-down.log.
remove_project() { # log-file
  local ids
  [ -n "$work" ] && (cd "$root" && LEDGERPKI_CONSORTIUM=$work/consortium docker-compose -p "$project" \
    down -v --remove-orphans -t 10) >"$1" 2>&1
  ids=$(docker ps -a -q --filter "label=com.docker.compose.project=$project")
  [ -n "$ids" ] && docker rm -f -v $ids >>"$1" 2>&1
  ids=$(docker volume ls -q --filter "label=com.docker.compose.project=$project")
  [ -n "$ids" ] && docker volume rm $ids >>"$1" 2>&1
  docker network inspect "$net" >/dev/null 2>&1 && docker network rm "$net" >>"$1" 2>&1
  if [ -n "$(labelled)" ]; then
    mkdir -p "$root/target" && cp "$1" "$root/target/compose-down.log"
    return 1
  fi
}

finish() {
  local code=$?
  [ -n "$watcher" ] && kill "$watcher" 2>/dev/null
  [ "${#samplers[@]}" -gt 0 ] && kill "${samplers[@]}" 2>/dev/null
  if [ -n "$work" ] && [ -z "${LEDGERPKI_COMPOSE_KEEP-}" ]; then
    log "tearing down"
    remove_project "$work/down.log" || log "the project could not be taken down; see target/compose-down.log"
    rm -rf "$work"
  fi
  if [ -n "$engine_started" ] && [ -z "${LEDGERPKI_COMPOSE_KEEP-}" ]; then
    docker/engine.sh stop
  fi
  [ "$code" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1 && failures+=("aborted (exit $code)")
  log "timings: images ${t_images:-?} s, up ${t_up:-?} s, total $(($(date +%s) - t0)) s"
  [ "${#failures[@]}" -gt 0 ] && log "failed: ${failures[*]}"
  echo "compose-test: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
trap finish EXIT
trap "exit 143" TERM
trap "exit 130" INT

if [ "$(id -u)" != 0 ]; then
  log "must run as root (installs Debian packages, runs dockerd)"
  exit 1
fi

# The engine: a private one (not /var/run/docker.sock, so that ./mvnw verify keeps its child-JVM
# broker), unless DOCKER_HOST names one that answers.
docker/engine.sh install || exit 1
if [ -z "${DOCKER_HOST-}" ]; then
  eval "$(docker/engine.sh env)"
  if ! docker version >/dev/null 2>&1; then
    # Marked first, so that a signal during start-up still stops it (stop is a no-op if none ran).
    engine_started=1
    docker/engine.sh start || exit 1
  fi
fi
export DOCKER_HOST

# A project that an interrupted run left behind (killed before its EXIT trap could take it down)
# still has its containers, which the engine restarts and which then load the machine, and its
# volumes: brokers formatted for another consortium and a ledger signed by other keys, on which
# nothing new is admitted. It is this test's own project, so it is removed first; nothing else is.
if [ -n "$(labelled)" ]; then
  log "removing what an interrupted run left of the compose project $project: $(labelled | wc -l) containers and volumes"
  remove_project "$(mktemp)" || { log "could not remove it; see target/compose-down.log"; exit 1; }
fi

t=$(date +%s)
docker/build-images.sh || exit 1
t_images=$(($(date +%s) - t))

# Testcontainers for real: two integration tests whose Kafka fixture runs the broker in a
# container of the locally built ledgerpki/kafka image (KafkaFixture's Docker mode), on this engine.
t=$(date +%s)
if DOCKER_HOST=$DOCKER_HOST TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=localhost \
  LEDGERPKI_KAFKA=docker LEDGERPKI_KAFKA_IMAGE=ledgerpki/kafka \
  ./mvnw -q -pl it -am verify -Dit.test='AuditIT,AvroThroughBrokerIT' -Dtest=none \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false -Djacoco.skip=true \
  >"$root/target/testcontainers-it.log" 2>&1 &&
  grep -q 'Kafka fixture: DOCKER' it/target/failsafe-reports/TEST-org.ledgerpki.it.AuditIT.xml; then
  pass "Testcontainers: AuditIT and AvroThroughBrokerIT passed against a ledgerpki/kafka container in $(($(date +%s) - t)) s"
else
  fail "Testcontainers: the ITs on a ledgerpki/kafka container failed; see target/testcontainers-it.log"
  tail -n 40 "$root/target/testcontainers-it.log" >&2
fi

# A consortium of its own, in a temporary directory.
mkdir -p target
work=$(mktemp -d "$root/target/compose-test.XXXXXX")
c=$work/consortium
export LEDGERPKI_CONSORTIUM=$c LEDGERPKI_EDGE_B_PORT=${LEDGERPKI_EDGE_B_PORT:-28081}
export LEDGERPKI_EDGE_C_PORT=${LEDGERPKI_EDGE_C_PORT:-28082}
export LEDGERPKI_EDGE_B_MIRROR_PORT=${LEDGERPKI_EDGE_B_MIRROR_PORT:-28083}
export LEDGERPKI_NO_BUILD=1 LEDGERPKI_QUIET_JDK=1
lp() { ./ledgerpki "$@"; }
{
  lp keygen consortium --dir "$c" &&
    lp keygen transport --dir "$c/transport" &&
    lp keygen cert "$work/keylime-verifier/revocation" --o keylime --alg rsa &&
    mkdir -p "$c/keylime/certs" && cp "$work/keylime-verifier/revocation.pem" "$c/keylime/" &&
    lp keygen cert "$work/certs/amf-1" --o "Vendor A" --dns amf-1.vendor-a.example &&
    lp keygen cert "$work/certs/smf-1" --o "Operator B" --dns smf-1.operator-b.example
} >"$work/keygen.log" 2>&1 || { log "keygen failed; see $work/keygen.log"; exit 1; }

compose() { docker-compose -p "$project" "$@"; }

# Up, and wait until every service is healthy (Compose v1 waits only for the dependencies).
t=$(date +%s)
compose up -d >"$work/up.log" 2>&1 || { log "compose up failed:"; tail -n 20 "$work/up.log" >&2; exit 1; }
wait_healthy() { # [timeout s] [service...]
  local deadline=$(($(date +%s) + $1)) id state unhealthy
  shift
  while true; do
    unhealthy=
    for id in $(compose ps -q "$@"); do
      state=$(docker inspect -f '{{.Name}} {{if eq .State.Status "exited"}}exited:{{.State.ExitCode}}{{else if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$id")
      case $state in
        *" healthy" | *" exited:0") ;;
        *) unhealthy="$unhealthy ${state# /}" ;;
      esac
    done
    [ -z "$unhealthy" ] && return 0
    if [ "$(date +%s)" -gt "$deadline" ]; then
      log "not healthy in time:$unhealthy"
      return 1
    fi
    sleep 2
  done
}
if wait_healthy 600; then
  t_up=$(($(date +%s) - t))
  pass "consortium up and healthy in $t_up s ($(compose ps -q | wc -l) containers)"
else
  fail "consortium up"
  compose ps >&2
  exit 1
fi

# Client settings of a party, as the services get them.
tls_env() { # party
  local -a a=(-e LEDGERPKI_KAFKA_BOOTSTRAP=kafka-1:9092,kafka-2:9092,kafka-3:9092
    -e LEDGERPKI_KAFKA_SECURITY_PROTOCOL=SSL
    -e LEDGERPKI_KAFKA_SSL_TRUSTSTORE_TYPE=PEM -e LEDGERPKI_KAFKA_SSL_TRUSTSTORE_LOCATION=/tls/ca.pem
    -v "$c/transport/ca.pem:/tls/ca.pem:ro")
  if [ -n "$1" ]; then
    a+=(-e LEDGERPKI_KAFKA_SSL_KEYSTORE_TYPE=PEM -e LEDGERPKI_KAFKA_SSL_KEYSTORE_LOCATION=/tls/keystore.pem
      -v "$c/transport/$1.keystore.pem:/tls/keystore.pem:ro")
  fi
  printf '%s\n' "${a[@]}"
}

submit() { # org cert
  mapfile -t env < <(tls_env "submitter-$1")
  docker run --rm --network "$net" "${env[@]}" -e LEDGERPKI_REGISTRY_URL=http://registry:8081 \
    -v "$c/$1:/keys:ro" -v "$work/certs:/certs:ro" ledgerpki/app \
    submit --quiet --org "$1" --key /keys/submission.key.pem "/certs/$2.pem"
}

status() { # port cert -> prints the first line; exit code of ledgerpki status
  lp status "$work/certs/$2.pem" --trust "$c/trust.json" --node "http://127.0.0.1:$1" 2>/dev/null \
    >"$work/status.out"
  local rc=$?
  head -n 1 "$work/status.out"
  return $rc
}

await_good() { # port cert timeout -> 0 once GOOD (verified)
  local deadline=$(($(date +%s) + $3)) line
  while true; do
    line=$(status "$1" "$2") && [ "${line%% *}" = GOOD ] && { echo "$line"; return 0; }
    [ "$(date +%s)" -gt "$deadline" ] && { echo "${line:-no answer}"; return 1; }
    sleep 2
  done
}

# The ledger topics as the issue asks: replication 3, min.insync.replicas 2.
mapfile -t env < <(tls_env issuance)
for topic in ledger.entries ledger.status ledger.submissions; do
  line=$(docker run --rm --network "$net" "${env[@]}" --entrypoint java ledgerpki/kafka \
    -cp '/opt/kafka/lib/*' /opt/kafka/KafkaTool.java topic "$topic" 2>/dev/null | grep "^$topic ")
  case $line in
    *" replication=3 min.insync.replicas=2") pass "topic settings: $line" ;;
    *) fail "topic settings of $topic: expected replication=3 min.insync.replicas=2, found '$line'" ;;
  esac
done

# (a) two members' submissions admitted; both edges answer GOOD, verified offline.
submit vendor-a amf-1 >"$work/submit-a.log" 2>&1 && submit operator-b smf-1 >"$work/submit-b.log" 2>&1 \
  || { fail "submit"; cat "$work"/submit-*.log >&2; }
declare -A before
for port in "$LEDGERPKI_EDGE_B_PORT" "$LEDGERPKI_EDGE_C_PORT"; do
  for cert in amf-1 smf-1; do
    if line=$(await_good "$port" "$cert" 180); then
      before[$cert]=$line
      pass "(a) edge 127.0.0.1:$port answers $line for $cert, verified by ledgerpki status"
    else
      fail "(a) edge $port $cert: $line"
    fi
  done
done

# Nothing after this can pass if the consortium admits nothing: stop here, with what the parties
# said, rather than wait out every later phase's timeouts.
if [ "$failed" -gt 0 ]; then
  log "the consortium did not admit the first two certificates; the later phases are not run"
  compose ps >&2
  for s in issuance validator-vendor-a cosigner-vendor-a inquiry-operator-b; do
    log "last lines of $s:"
    compose logs --no-color --tail 15 "$s" >&2
  done
  exit 1
fi

# (F) operator-b's own cluster: MirrorMaker 2 copies the ledger topics from the consortium's, and
# an inquiry node that reads only that mirror answers GOOD for both, verified offline with the same
# trust bundle.
for cert in amf-1 smf-1; do
  if line=$(await_good "$LEDGERPKI_EDGE_B_MIRROR_PORT" "$cert" 300); then
    pass "(F) operator-b's mirrored edge 127.0.0.1:$LEDGERPKI_EDGE_B_MIRROR_PORT answers $line for $cert, verified by ledgerpki status"
  else
    fail "(F) mirrored edge $cert: $line"
    compose logs --tail 40 mirror-operator-b >&2
  fi
done

# (b) the ACLs hold.
probe() { # party topic expected-exit what
  mapfile -t env < <(tls_env "$1")
  local out rc
  out=$(docker run --rm --network "$net" "${env[@]}" --entrypoint java ledgerpki/kafka \
    -cp '/opt/kafka/lib/*' /opt/kafka/KafkaTool.java write "$2" 2>/dev/null)
  rc=$?
  out=$(grep -E '^(ALLOWED|DENIED|ERROR)' <<<"$out")
  if [ "$rc" = "$3" ]; then
    pass "(b) $4: ${out:0:160}"
  else
    fail "(b) $4: expected exit $3, found $rc: $out"
  fi
}
probe validator-vendor-a ledger.entries 3 "a validator cannot write ledger.entries"
probe submitter-vendor-a ledger.endorsements 3 "a submitter cannot write ledger.endorsements"
for topic in ledger.submissions ledger.entries ledger.status ledger.cosignatures; do
  probe inquiry-operator-b "$topic" 3 "an inquiry node cannot write $topic"
done
for topic in ledger.submissions ledger.entries; do
  probe mirror-operator-b "$topic" 3 "operator-b's mirror cannot write $topic on the consortium's cluster"
done
probe "" ledger.submissions 4 "a client without a certificate cannot connect"

# (R5) an inquiry node's volume wiped and the node restarted: not ready until caught up, then the
# same answers. The registry is restarted first: the wiped node re-reads every record, so it also
# shows that the schema ids framed into them still resolve.
compose restart -t 10 registry >"$work/registry.log" 2>&1
if wait_healthy 300 registry; then
  pass "registry restarted and healthy (its schemas are on its volume)"
else
  fail "registry restart"
fi
t=$(date +%s)
compose rm -s -f -v inquiry-operator-c >"$work/r5.log" 2>&1
docker volume rm "${project}_inquiry-operator-c" >>"$work/r5.log" 2>&1
compose up -d --no-deps inquiry-operator-c >>"$work/r5.log" 2>&1
if wait_healthy 300 inquiry-operator-c; then
  # Asked at once when it first reports ready: the answers must already be there.
  for cert in amf-1 smf-1; do
    line=$(status "$LEDGERPKI_EDGE_C_PORT" "$cert")
    if [ "${line%% *}" = GOOD ] && [ "$line" = "${before[$cert]-}" ]; then
      pass "(R5) wiped edge ready after $(($(date +%s) - t)) s and answers as before for $cert: $line"
    else
      fail "(R5) wiped edge answered '$line' for $cert, before: '${before[$cert]-}'"
    fi
  done
else
  fail "(R5) the wiped inquiry node did not become ready"
fi

# (R2, R1) a fault in the middle of a load: the issuance container killed with SIGKILL and started
# again (R2); one broker killed with SIGKILL, left down while the load is decided, then started
# again (R1). Each time, `ledgerpki audit` (run as an inquiry node's principal, which reads the
# ledger) must find every submission of the load decided and admitted, every entry and status
# event signed by the policy's log, the indices contiguous from 0 with no gap or duplicate, no certificate twice, and every root any cosigner signed equal to the
# root it recomputes from the entries; both edges answer all through the fault, and a sample of the
# load is GOOD at both edges, its last certificate verified offline. LEDGERPKI_COMPOSE_LOAD sets
# R1's load (default 20000, as issue 10 asks); LEDGERPKI_COMPOSE_LOAD_R2 sets R2's (default 5000:
# the kill comes mid-batch either way, and on a slow host 20,000 more took a quarter of an hour of
# CI's 90 minutes).
index_of() { # port sha -> "STATUS INDEX"
  curl -s --max-time 5 "http://127.0.0.1:$1/v1/status/$2" |
    sed -n 's/.*"status":"\([A-Z_]*\)".*"index":\([0-9]*\).*/\1 \2/p'
}
audit() { # manifest -> output of ledgerpki audit; its exit code
  mapfile -t env < <(tls_env inquiry-operator-b)
  docker run --rm --network "$net" "${env[@]}" -e LEDGERPKI_REGISTRY_URL=http://registry:8081 \
    -v "$c/policy.yaml:/etc/ledgerpki/policy.yaml:ro" -v "$(dirname "$1"):/load:ro" \
    ledgerpki/app audit --policy /etc/ledgerpki/policy.yaml --expect-admitted "/load/$(basename "$1")"
}
# Asks both edges about amf-1 once a second until the file $1 exists; counts answers and failures.
watch_edges() { # stop-file counts-file
  local sha ok=0 bad=0 port
  sha=$(openssl x509 -in "$work/certs/amf-1.pem" -outform DER | sha256sum | cut -d' ' -f1)
  while [ ! -e "$1" ]; do
    for port in "$LEDGERPKI_EDGE_B_PORT" "$LEDGERPKI_EDGE_C_PORT"; do
      if [ "$(index_of "$port" "$sha" | cut -d' ' -f1)" = GOOD ]; then ok=$((ok + 1)); else bad=$((bad + 1)); fi
    done
    sleep 1
  done
  echo "$ok $bad" >"$2"
}

# The Kafka Streams services: each must be healthy after a fault; diagnose asks them more.
streams_services=(issuance validator-vendor-a validator-operator-b validator-operator-c
  cosigner-vendor-a cosigner-operator-b cosigner-operator-c)

# What each container of the project is doing, for a phase that stalled: state, health, restarts;
# then each Kafka Streams service's health answer, and its warnings and last errors since $2.
diagnose() { # name since-epoch-seconds
  local id name logs
  for id in $(compose ps -q); do
    log "($1) diagnosis: $(docker inspect -f '{{.Name}} {{.State.Status}}{{if .State.Health}}/{{.State.Health.Status}}{{end}} exit={{.State.ExitCode}} restarts={{.RestartCount}}' "$id" | cut -c 2-)"
  done
  for id in $(compose ps -q "${streams_services[@]}"); do
    name=$(docker inspect -f '{{.Name}}' "$id" | cut -c 2-)
    log "($1) diagnosis: $name live: $(docker exec "$id" curl -s --max-time 5 http://127.0.0.1:8080/health/live 2>&1 | tr -d '\n' | cut -c 1-300)"
    logs=$(docker logs --since "$2" "$id" 2>&1)
    log "($1) diagnosis: $name: $(grep -c ' WARN ' <<<"$logs") warnings since the fault; its last errors:"
    grep -E ' ERROR |^Caused by' <<<"$logs" | tail -n 4 | cut -c 1-300 |
      while read -r line; do log "($1) diagnosis: $name: $line"; done
  done
}

fault_under_load() { # name service what-to-do-after-the-kill(start-now|start-later) load
  local name=$1 service=$2 when=$3 n=$4 dir="$work/load-$1" id t_kill t_load at_kill deadline out rc
  local lower=${name,,}
  mkdir -p "$dir"
  t_load=$(date +%s)
  lp keygen cert "$dir/$lower" --o "Vendor A" --dns "$lower.vendor-a.example" --count "$n" \
    >"$dir.keygen.log" 2>&1 || { fail "($name) keygen of the load"; cat "$dir.keygen.log" >&2; return; }
  log "($name) $n certificates made in $(($(date +%s) - t_load)) s; submitting"
  mapfile -t env < <(tls_env submitter-vendor-a)
  docker run --rm --network "$net" "${env[@]}" -e LEDGERPKI_REGISTRY_URL=http://registry:8081 \
    -v "$c/vendor-a:/keys:ro" -v "$dir:/load:ro" ledgerpki/app \
    submit --quiet --org vendor-a --key /keys/submission.key.pem /load >"$dir.submit.log" 2>&1 &
  local submitter=$!
  rm -f "$dir.stop"
  watch_edges "$dir.stop" "$dir.edges" &
  watcher=$!
  # The kill comes once the load's first certificates are GOOD at an edge: mid-batch.
  local first
  first=$(head -n 1 "$dir/$lower.sha256" 2>/dev/null | cut -d' ' -f1)
  if [ -z "$first" ]; then
    fail "($name) keygen wrote no manifest $dir/$lower.sha256"
    kill "$submitter" 2>/dev/null
    touch "$dir.stop"
    return
  fi
  deadline=$(($(date +%s) + 600))
  until [ "$(index_of "$LEDGERPKI_EDGE_B_PORT" "$first" | cut -d' ' -f1)" = GOOD ] ||
    [ "$(date +%s)" -gt "$deadline" ]; do sleep 0.3; done
  id=$(compose ps -q "$service")
  docker kill -s KILL "$id" >/dev/null
  t_kill=$(date +%s)
  at_kill=$(tail -n 1 "$dir/$lower.sha256" | cut -d' ' -f1)
  if [ "$(index_of "$LEDGERPKI_EDGE_B_PORT" "$at_kill" | cut -d' ' -f1)" != GOOD ]; then
    log "($name) $service killed with SIGKILL after the load's first certificate was GOOD, before its last"
  else
    fail "($name) the kill came after the whole load was decided: not mid-batch"
  fi
  [ "$when" = start-now ] && docker start "$id" >/dev/null
  wait "$submitter" || { fail "($name) the load submission failed"; cat "$dir.submit.log" >&2; }
  log "($name) submitted: $(grep -h '^Submitted' "$dir.submit.log")"
  # Every submission decided and admitted, indices contiguous, cosigners agree on every root.
  deadline=$(($(date +%s) + 1500))
  # The audit reads and checks the whole ledger, a JVM busy for a minute or more on a loaded host:
  # run over and over beside the pipeline it waits for, it slowed that pipeline down. So first,
  # cheaply, wait for the load's last certificate to be GOOD at an edge (submissions are one
  # partition, decided in order), then audit; the deadline is the same.
  local stalled=
  until [ "$(index_of "$LEDGERPKI_EDGE_B_PORT" "$at_kill" | cut -d' ' -f1)" = GOOD ]; do
    if [ "$(date +%s)" -gt "$deadline" ]; then
      stalled=1
      break
    fi
    sleep 5
  done
  if [ -n "$stalled" ]; then
    # The pipeline stalled: say where, audit once for the record, and skip the waits that follow.
    fail "($name) the load's last certificate not GOOD at edge $LEDGERPKI_EDGE_B_PORT $(($(date +%s) - t_kill)) s after the kill"
    diagnose "$name" "$t_kill"
  else
    log "($name) the load's last certificate GOOD at edge $LEDGERPKI_EDGE_B_PORT $(($(date +%s) - t_kill)) s after the kill; auditing"
  fi
  while true; do
    out=$(audit "$dir/$lower.sha256" 2>&1)
    rc=$?
    [ "$rc" -ne 1 ] && break # 0: every check holds; other than 1: the audit itself failed
    [ -n "$stalled" ] && break
    [ "$(date +%s)" -gt "$deadline" ] && break
    sleep 10
  done
  local t_decided=$(($(date +%s) - t_kill))
  if [ "$rc" -eq 0 ]; then
    pass "($name) $n submitted, audit after $t_decided s: $(grep -E '^(log|cosignatures|expected)' <<<"$out" | tr '\n' ';')"
  else
    fail "($name) audit after $t_decided s (exit $rc): $(tr '\n' ';' <<<"$out" | tail -c 1500)"
  fi
  # A sample of the load GOOD at both edges (the edges catch up after the ledger), the three edges
  # asked at the same time.
  shuf -n 200 "$dir/$lower.sha256" | cut -d' ' -f1 >"$dir.sample"
  local port good sha at
  samplers=()
  for port in "$LEDGERPKI_EDGE_B_PORT" "$LEDGERPKI_EDGE_C_PORT" "$LEDGERPKI_EDGE_B_MIRROR_PORT"; do
    (
      deadline=$(($(date +%s) + 300))
      [ -n "$stalled" ] && deadline=0 # one look, no wait
      while true; do
        good=0
        while read -r sha; do
          [ "$(index_of "$port" "$sha" | cut -d' ' -f1)" = GOOD ] && good=$((good + 1))
        done <"$dir.sample"
        { [ "$good" -eq 200 ] || [ "$(date +%s)" -gt "$deadline" ]; } && break
        sleep 5
      done
      echo "$good $(($(date +%s) - t_kill))" >"$dir.sample.$port"
    ) &
    samplers+=($!)
  done
  wait "${samplers[@]}"
  samplers=()
  for port in "$LEDGERPKI_EDGE_B_PORT" "$LEDGERPKI_EDGE_C_PORT" "$LEDGERPKI_EDGE_B_MIRROR_PORT"; do
    good=0 at='?'
    read -r good at <"$dir.sample.$port"
    if [ "$good" -eq 200 ]; then
      pass "($name) edge $port: a random sample of 200 of the load all GOOD, $at s after the kill"
    else
      fail "($name) edge $port: $good of a sample of 200 GOOD"
    fi
  done
  touch "$dir.stop"
  wait "$watcher"
  watcher=
  local ok bad
  read -r ok bad <"$dir.edges"
  if [ "$bad" -eq 0 ] && [ "$ok" -gt 0 ]; then
    pass "($name) both edges answered GOOD for amf-1 all through the fault ($ok answers, 0 failures)"
  else
    fail "($name) the edges during the fault: $ok GOOD answers, $bad failures"
  fi
  local line
  for port in "$LEDGERPKI_EDGE_C_PORT" "$LEDGERPKI_EDGE_B_MIRROR_PORT"; do
    if line=$(status "$port" "../load-$name/$lower-$n") && [ "${line%% *}" = GOOD ]; then
      pass "($name) the load's last certificate verifies offline from edge $port: $line"
    else
      fail "($name) the load's last certificate at edge $port: '$line'"
    fi
  done
  if [ "$when" = start-later ]; then
    docker start "$id" >/dev/null
    if wait_healthy 300 "$service"; then
      pass "($name) $service back and healthy"
    else
      fail "($name) $service did not come back"
    fi
  fi
  # No service left up with a stopped application (it exits, and its restart policy starts it).
  local restarts
  restarts=$(for id in $(compose ps -q "${streams_services[@]}"); do
    docker inspect -f '{{.Name}}={{.RestartCount}}' "$id"; done | sed 's|^/ledgerpki-test_||; s|_1=| |' | tr '\n' ',')
  if wait_healthy 300 "${streams_services[@]}"; then
    pass "($name) every Streams service healthy after the fault (restarts: ${restarts%,})"
  else
    fail "($name) a Streams service not healthy after the fault (restarts: ${restarts%,})"
    diagnose "$name" "$t_kill"
  fi
  rm -rf "$dir"
}
fault_under_load R2 issuance start-now "${LEDGERPKI_COMPOSE_LOAD_R2:-5000}"
fault_under_load R1 kafka-2 start-later "${LEDGERPKI_COMPOSE_LOAD:-20000}"
