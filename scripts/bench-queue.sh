#!/usr/bin/env bash
# Core speed, side by side, on demand (never in CI): BullMQ (npm bullmq 6.7 on a redis-server started
# here on a free port, no persistence) and jobstream (JobPublisher -> QueueWorker on a real in-JVM
# KRaft broker) on the same no-op workloads, one after the other on this machine:
#   30,000 jobs by 64 concurrent single adds, and by bulk adds of 100; worker concurrency 8 and 32;
#   latency submit -> completed at 200, 1,000 and 2,000 jobs/s for 10 s. Each worker first warms up in
#   rounds of single adds (as many jobs as a workload unless told otherwise) until it is steady: jobstream's
#   JIT compilers under 10 % of a round's CPU (at most 20 rounds), BullMQ's rate within 5 % of the round
#   before (at most 10). The figures are a long-running service's, not those of a runtime still compiling.
# Prints jobs/s and p50/p99/max for both, the ratios, jobstream's Kafka records per job by topic and
# its CPU-ms per job (and by thread), and for each latency workload what a commit cost the worker.
# Usage: scripts/bench-queue.sh [jobs=30000] [latency-seconds=10] [warm-up-jobs-per-round=jobs]
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${1:-30000}
seconds=${2:-10}
warm_up=${3:-$jobs}
source scripts/java-home.sh
command -v redis-server >/dev/null || { echo "redis-server is missing: run scripts/setup-dev.sh" >&2; exit 1; }
work=$(mktemp -d /tmp/jobstream-bench-queue.XXXXXX)
redis_pid=""
cleanup() { [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

(cd scripts/bench-queue && [ -d node_modules/bullmq ] || npm ci --no-audit --no-fund --silent)

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" --daemonize no >"$work/redis.log" 2>&1 &
redis_pid=$!
until redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.1; done

echo "[bench-queue] BullMQ $(node -p "require('./scripts/bench-queue/node_modules/bullmq/package.json').version") on redis-server :$port"
node scripts/bench-queue/bench.mjs "$port" "$jobs" "$seconds" "$warm_up" | tee "$work/bullmq.txt"
kill "$redis_pid"; wait "$redis_pid" 2>/dev/null || true; redis_pid=""

echo "[bench-queue] jobstream (in-JVM KRaft broker, exactly-once worker, commit interval 100 ms, caught-up commits 20 ms; -Dbench.caught-up-commit-interval-ms=0 turns them off)"
classpath_file="$PWD/pipeline-core/target/bench-classpath.txt"
./mvnw -q -B -pl pipeline-core -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"
cat >"$work/logback.xml" <<'XML'
<configuration><root level="WARN"/></configuration>
XML
"$JAVA_HOME/bin/java" -Xmx2g -Dlogback.configurationFile="$work/logback.xml" \
  -cp "pipeline-core/target/test-classes:pipeline-core/target/classes:$(cat "$classpath_file")" \
  io.jobstream.core.bench.QueueBenchmark "$jobs" "$seconds" "$warm_up" | tee "$work/jobstream.txt"

echo
echo "[bench-queue] jobstream / BullMQ, this run"
python3 - "$work/bullmq.txt" "$work/jobstream.txt" <<'PY'
import sys
def read(path):
    rows = {}
    for line in open(path):
        if line.startswith("RESULT "):
            _, system, name, *fields = line.split()
            rows[name] = dict(f.split("=", 1) for f in fields if "=" in f)
    return rows
bull, js = read(sys.argv[1]), read(sys.argv[2])
print(f"{'workload':<16}{'BullMQ jobs/s':>14}{'jobstream':>11}{'ratio':>7}   p50/p99/max ms BullMQ | jobstream")
for name in [n for n in bull if n in js]:
    b, j = bull[name], js[name]
    rate_key = "jobs_per_s" if "jobs_per_s" in b else "achieved_per_s"
    ratio = float(j[rate_key]) / float(b[rate_key])
    print(f"{name:<16}{b[rate_key]:>14}{j[rate_key]:>11}{ratio:>7.2f}   "
          f"{b['p50_ms']}/{b['p99_ms']}/{b['max_ms']} | {j['p50_ms']}/{j['p99_ms']}/{j['max_ms']}"
          + (f"   drain s {b['drain_after_last_add_s']} | {j['drain_after_last_add_s']}"
             f"   add p50/p99 ms {b['add_p50_ms']}/{b['add_p99_ms']} | {j['add_p50_ms']}/{j['add_p99_ms']}"
             if "drain_after_last_add_s" in b else ""))
for name in ("records_per_job", "cpu_ms_per_job"):
    if name in js:
        print(name, " ".join(f"{k}={v}" for k, v in js[name].items()))
PY
