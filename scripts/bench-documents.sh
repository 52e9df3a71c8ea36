#!/usr/bin/env bash
# Document pipeline benchmark, on demand (not part of the tests): [documents] small PDF, DOCX and
# HTML files (default 200) through extraction, classification, NER and ingestion on one
# document-pipeline instance (4 jobs at once per step), with an in-JVM broker and a throwaway
# PostgreSQL. Prints documents per minute and each step's mean time. Usage: [documents]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-home.sh
./mvnw -B -q -pl document-pipeline -am verify -Dtest=DocumentThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.documents="${1:-200}"
sed -n '/== document pipeline benchmark ==/,/mean time in ingestion/p' \
  document-pipeline/target/surefire-reports/io.jobstream.document.bench.DocumentThroughputBenchmark-output.txt
