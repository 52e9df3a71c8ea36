#!/usr/bin/env bash
# Agent chat benchmark, on demand (not part of the tests): one agent-processor, a fake LLM with a fixed
# latency, N chat jobs on N sessions (6 partitions), after warm-up rounds of N jobs until the JIT compilers
# are under 10 % of a round's CPU (at most 20). Prints jobs/s and p50/p99 submit-to-answer, and where the
# ceiling goes: the worker's slots in use (mean, every 0.5 s, and every 50 ms at the run's two ends), one
# attempt's mean time, the CPU of the JVM (agent, broker and fake LLM share it), of each of its threads, of
# its JIT compilers and of the rest (GC, VM threads), and the heap after the last collection.
# Usage: scripts/bench-agent.sh [jobs=2000] [concurrency=64] [latency-ms=500]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-home.sh
classpath_file="$PWD/agent-processor/target/bench-classpath.txt"
# In one reactor build the sibling modules resolve to their target/classes; the last module built
# (agent-processor) writes the classpath file last.
./mvnw -q -B -pl agent-processor -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"
exec "$JAVA_HOME/bin/java" -Xmx2g --enable-native-access=ALL-UNNAMED -DDJL_CACHE_DIR=agent-processor/target/djl-cache \
  -cp "agent-processor/target/test-classes:agent-processor/target/classes:$(cat "$classpath_file")" \
  io.jobstream.agent.bench.AgentBenchmark "${1:-2000}" "${2:-64}" "${3:-500}"
