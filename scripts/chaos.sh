#!/usr/bin/env bash
# The chaos run (issue 17), on demand, never in CI: the whole stack as processes (a Kafka broker, PostgreSQL,
# Redis, the fake OpenAI server, two instances of every service), a mixed workload, kill -9s, a broker
# restart and 30 s outages of PostgreSQL, Redis and the model provider at seeded random moments; then it
# counts. Prints a table per fault and exits non-zero on any loss, doubling or unrecovered fault.
#   scripts/chaos.sh [duration-seconds=180] [--seed N] [--kills N=1] [--outage-seconds N=30] [--drain-seconds N=300]
# Builds what is missing (REBUILD=1 builds anyway); needs scripts/setup-dev.sh's PostgreSQL and Redis.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java_bin=${JAVA_HOME:+$JAVA_HOME/bin/}java

have_jar() { compgen -G "$1/target/$1-*.jar" >/dev/null; }

missing=0
for module in chaos ingest-service embedding-processor agent-processor document-pipeline dispatch-processor catalog-processor; do
  have_jar "$module" || missing=1
done
if [ "${REBUILD:-0}" = 1 ] || [ "$missing" = 1 ]; then
  [ -f .mvn/wrapper/maven-wrapper.properties ] || { echo "run scripts/setup-dev.sh first (Maven wrapper, PostgreSQL + pgvector, Redis)" >&2; exit 1; }
  echo "[chaos] building (./mvnw -q -B package -DskipTests -pl chaos -am) ..."
  ./mvnw -q -B package -DskipTests -pl chaos -am
fi

exec "$java_bin" --enable-native-access=ALL-UNNAMED -jar "$(compgen -G "$PWD/chaos/target/chaos-*.jar" | head -1)" "$@"
