#!/usr/bin/env bash
# Document pipeline benchmark, on demand (not part of the tests): [documents] small PDF, DOCX and
# HTML files (default 200) through extraction, classification, NER and ingestion on one
# document-pipeline instance (4 jobs at once per step), with an in-JVM broker and a throwaway
# PostgreSQL. Prints documents per minute and each step's mean time. Usage: [documents]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
./mvnw -B -q -pl document-pipeline -am verify -Dtest=DocumentThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.documents="${1:-200}"
sed -n '/== document pipeline benchmark ==/,/mean time in ingestion/p' \
  document-pipeline/target/surefire-reports/io.jobstream.document.bench.DocumentThroughputBenchmark-output.txt
