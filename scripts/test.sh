#!/usr/bin/env bash
# The README's test command, and what .ci/run runs: installs what the build and tests need
# (scripts/setup-dev.sh, idempotent), finds a Java 21+ JDK, then builds and runs every test.
# Arguments go to Maven, e.g. scripts/test.sh -pl ingest-service -am -Dtest=QueueOperationsIT.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-dev.sh </dev/null
source scripts/java-home.sh
echo "[test] JAVA_HOME=$JAVA_HOME"
exec ./mvnw -B verify "$@" </dev/null
