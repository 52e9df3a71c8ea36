#!/usr/bin/env bash
# Embedding benchmark, on demand (not part of the tests): the bundled model alone, then the whole
# pipeline (webhook -> vectors in PostgreSQL) on the same texts, both warmed up first (the pipeline in
# rounds until its JVMs' JIT compilers are under 10 % of a round's CPU); prints their
# rates and ratio, and the CPU time per text / per post of every process with the CPU ratio, which
# other load on a shared machine does not skew. Usage: [posts] [--split-cores]
#   --split-cores  the model's inference threads on half of the cores, everything else on the other half
#                  (taskset): does the pipeline keep the model busy when the model has cores of its own?
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-home.sh
compgen -G "local-run/target/local-run-*.jar" >/dev/null || ./mvnw -q -B package -DskipTests
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$(ls local-run/target/local-run-*.jar):local-run/target/lib/*" \
  io.jobstream.local.EmbeddingBenchmark "$@"
