# Sourced (POSIX sh) by ./mvnw, ./ledgerpki and .ci/run: makes sure JAVA_HOME names a JDK 21 or
# newer. ledger-pki targets Java 21; on machines whose default `java` is older (JDK 17 here), it
# looks for a newer JDK under /usr/lib/jvm (and a few other usual places) and says which it chose.

ledgerpki_jdk_major() {
  # Prints the feature version of the JDK at $1, or nothing if $1 is not a JDK.
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  if [ -f "$1/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$1/release" | head -n 1)
    [ "$v" = 1 ] && v=$(sed -n 's/^JAVA_VERSION="1\.\([0-9]*\).*/\1/p' "$1/release" | head -n 1)
    [ -n "$v" ] && { echo "$v"; return 0; }
  fi
  "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n 1
}

ledgerpki_find_jdk() {
  ledgerpki_min=21
  if [ -n "${JAVA_HOME-}" ]; then
    v=$(ledgerpki_jdk_major "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge "$ledgerpki_min" ]; then return 0; fi
    echo "ledger-pki: JAVA_HOME=$JAVA_HOME is not a JDK $ledgerpki_min or newer (found: ${v:-none}); looking for another." >&2
  fi
  javac_path=$(command -v javac 2>/dev/null || true)
  if [ -n "$javac_path" ]; then
    home=$(dirname "$(dirname "$(readlink -f "$javac_path")")")
    v=$(ledgerpki_jdk_major "$home")
    if [ -n "$v" ] && [ "$v" -ge "$ledgerpki_min" ]; then JAVA_HOME=$home; export JAVA_HOME; return 0; fi
    default_v=$v
  fi
  best=; best_v=0
  # The caller may run with globbing off (mvnw uses set -f); the search below needs it.
  case $- in *f*) ledgerpki_noglob=1; set +f ;; *) ledgerpki_noglob= ;; esac
  for home in /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/lib/jvm/* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -d "$home" ] || continue
    v=$(ledgerpki_jdk_major "$home")
    [ -n "$v" ] || continue
    if [ "$v" -ge "$ledgerpki_min" ] && [ "$v" -gt "$best_v" ]; then best=$home; best_v=$v; fi
  done
  [ -n "$ledgerpki_noglob" ] && set -f
  if [ -n "$best" ]; then
    JAVA_HOME=$best; export JAVA_HOME
    if [ -z "${LEDGERPKI_QUIET_JDK-}" ]; then
      echo "ledger-pki: the default java is JDK ${default_v:-?}; using JDK $best_v at $best (set JAVA_HOME to choose another)." >&2
    fi
    LEDGERPKI_QUIET_JDK=1; export LEDGERPKI_QUIET_JDK
    return 0
  fi
  echo "ledger-pki: no JDK $ledgerpki_min or newer found (default java: ${default_v:-none}; looked in JAVA_HOME, PATH and /usr/lib/jvm)." >&2
  echo "ledger-pki: install one (for example: apt-get install openjdk-21-jdk, or a Temurin 21+ build) and set JAVA_HOME to it." >&2
  return 1
}

ledgerpki_find_jdk || exit 1
