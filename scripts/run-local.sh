#!/usr/bin/env bash
# The whole pipeline on this machine, in one command (after scripts/setup-dev.sh):
# Kafka, PostgreSQL + pgvector and Redis as throwaway processes, ingest-service and
# embedding-processor as child JVMs, a demo workload with a live progress bar, a semantic search
# and a summary. Ctrl-C stops every process it started and deletes its temporary directory.
# Builds first when the jars are missing; set REBUILD=1 to build anyway.
set -euo pipefail
cd "$(dirname "$0")/.."

# The services need Java 21 or newer; this is where our machines have it (as in .ci/run).
if [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java_bin=${JAVA_HOME:+$JAVA_HOME/bin/}java

have_jar() { compgen -G "$1/target/$1-*.jar" >/dev/null; }

if [ "${REBUILD:-0}" = 1 ] || ! have_jar local-run || ! have_jar ingest-service || ! have_jar embedding-processor; then
  [ -f .mvn/wrapper/maven-wrapper.properties ] || { echo "run scripts/setup-dev.sh first (Maven wrapper, PostgreSQL + pgvector, Redis)" >&2; exit 1; }
  echo "[run-local] building (./mvnw -q -B install -DskipTests) ..."
  ./mvnw -q -B install -DskipTests
fi

# exec: the launcher gets Ctrl-C and SIGTERM itself, and its shutdown hook cleans up.
exec "$java_bin" -jar "$PWD"/local-run/target/local-run-*.jar
