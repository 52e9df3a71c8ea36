#!/usr/bin/env bash
# The whole of jobstream on this machine, in one command: Kafka, PostgreSQL + pgvector and Redis as
# throwaway processes, every service as a child JVM (restarted if it exits), a demo of each seed with
# live progress bars, and the URLs (dashboard first) with example commands. Ctrl-C stops every process
# it started and deletes its temporary directory.
# Runs scripts/setup-dev.sh first when something it installs is missing, and builds when a jar is
# missing; set REBUILD=1 to build anyway.
set -euo pipefail
cd "$(dirname "$0")/.."

SERVICES=(ingest-service embedding-processor agent-processor document-pipeline curl-processor catalog-processor dispatch-processor)

# What the local run needs of scripts/setup-dev.sh: the Maven wrapper, PostgreSQL 15 with pgvector,
# Redis, Tesseract (curl-processor's OCR).
set_up() {
  [ -f .mvn/wrapper/maven-wrapper.properties ] && [ -x /usr/lib/postgresql/15/bin/postgres ] &&
    [ -f /usr/share/postgresql/15/extension/vector.control ] && command -v redis-server >/dev/null &&
    command -v tesseract >/dev/null
}
if ! set_up; then
  echo "[run-local] installing what is missing (scripts/setup-dev.sh) ..."
  bash scripts/setup-dev.sh </dev/null
fi

source scripts/java-home.sh

have_jar() { compgen -G "$1/target/$1-*.jar" >/dev/null; }
missing=()
for module in local-run "${SERVICES[@]}"; do have_jar "$module" || missing+=("$module"); done
if [ "${REBUILD:-0}" = 1 ] || [ ${#missing[@]} -gt 0 ]; then
  echo "[run-local] building${missing[*]:+ (missing: ${missing[*]})}: ./mvnw -q -B package -DskipTests ..."
  ./mvnw -q -B package -DskipTests </dev/null
fi

# exec: the launcher gets Ctrl-C and SIGTERM itself, and its shutdown hook cleans up.
exec "$JAVA_HOME/bin/java" -jar "$PWD"/local-run/target/local-run-*.jar
