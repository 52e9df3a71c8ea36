#!/usr/bin/env bash
# Embedding benchmark, on demand (not part of the tests): the bundled model alone, then the whole
# pipeline (webhook -> vectors in PostgreSQL) on the same texts, and their ratio. Usage: [posts]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java_bin=${JAVA_HOME:+$JAVA_HOME/bin/}java
compgen -G "local-run/target/local-run-*.jar" >/dev/null || ./mvnw -q -B install -DskipTests
exec "$java_bin" --enable-native-access=ALL-UNNAMED -cp "$(ls local-run/target/local-run-*.jar):local-run/target/lib/*" \
  io.jobstream.local.EmbeddingBenchmark "${1:-5000}"
