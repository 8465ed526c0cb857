#!/usr/bin/env bash
# ansible-rulebook needs a Java runtime, 17 or newer, on the PATH (or in JAVA_HOME). Installs Debian's
# openjdk-17-jre-headless when there is none; on another system, says what to install.
set -euo pipefail
java_major() {
  "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1
}
for candidate in "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java || true)"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] && [ "$(java_major "$candidate")" -ge 17 ] 2>/dev/null; then
    echo "java: $("$candidate" -version 2>&1 | head -1)"
    exit 0
  fi
done
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq openjdk-17-jre-headless
  java -version 2>&1 | head -1
  exit 0
fi
echo "ansible-rulebook needs Java 17 or newer: install it (e.g. dnf install java-17-openjdk-headless) and rerun" >&2
exit 1
