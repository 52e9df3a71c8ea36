// BullMQ's half of scripts/bench-queue.sh: the workloads QueueBenchmark.java runs on jobstream, with
// no-op jobs on a local redis-server. "Completed" is the completed event read from QueueEvents (the
// Redis stream BullMQ publishes it on), as jobstream's is read from jobs.events.
// Each worker first warms up in rounds of single adds until its rate is steady (within 5 % of the round
// before, at least 2 rounds, at most 10): V8, like the JVM, compiles its hot paths as they run.
// Usage: node bench.mjs <redis-port> [jobs=30000] [latency-seconds=10] [warm-up-jobs=jobs (per round)]
import { Queue, Worker, QueueEvents } from 'bullmq';

const [port, jobsArg, secondsArg, warmUpArg] = process.argv.slice(2);
const jobs = Number(jobsArg || 30000);
const latencySeconds = Number(secondsArg || 10);
const warmUpJobs = Number(warmUpArg || jobs);
const connection = { host: '127.0.0.1', port: Number(port), maxRetriesPerRequest: null };
const SINGLE_ADDERS = 64;
const BULK = 100;
const STEADY_RATE_CHANGE = 0.05;
const MAX_WARM_UP_ROUNDS = 10;

const percentile = (sorted, p) => sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1))];
const sleep = (ms) => new Promise(resolve => setTimeout(resolve, ms));
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

/** Resolves when every id of `submitted` has completed; returns the sorted latencies. */
function completions(events, submitted) {
  return new Promise((resolve) => {
    const latencies = [];
    const onCompleted = ({ jobId }) => {
      const sent = submitted.get(jobId);
      if (sent === undefined) return;
      submitted.delete(jobId);
      latencies.push(nowMs() - sent);
      if (submitted.size === 0) {
        events.off('completed', onCompleted);
        resolve(latencies.sort((a, b) => a - b));
      }
    };
    events.on('completed', onCompleted);
  });
}

async function throughput(name, queue, events, count, single) {
  const prefix = `${name.replace(/[ =]/g, '-')}-${Date.now()}-`;
  const submitted = new Map();
  for (let i = 0; i < count; i++) submitted.set(prefix + i, 0);
  const done = completions(events, submitted);
  const start = nowMs();
  let next = 0;
  const adders = Array.from({ length: single ? SINGLE_ADDERS : 4 }, async () => {
    while (true) {
      const first = next;
      next += single ? 1 : BULK;
      if (first >= count) return;
      const batch = [];
      for (let i = first; i < Math.min(count, first + (single ? 1 : BULK)); i++) {
        batch.push({ name: 'noop', data: {}, opts: { jobId: prefix + i } });
      }
      const t = nowMs();
      batch.forEach(job => submitted.set(job.opts.jobId, t));
      if (single) await queue.add(batch[0].name, batch[0].data, batch[0].opts);
      else await queue.addBulk(batch);
    }
  });
  await Promise.all(adders);
  const added = nowMs();
  const latencies = await done;
  const seconds = (nowMs() - start) / 1000;
  if (name !== 'warm-up') {
    console.log(`RESULT bullmq ${name.replace(' ', '_')} jobs=${count} jobs_per_s=${(count / seconds).toFixed(0)} ` +
      `add_per_s=${(count / ((added - start) / 1000)).toFixed(0)} p50_ms=${percentile(latencies, 50).toFixed(0)} ` +
      `p99_ms=${percentile(latencies, 99).toFixed(0)} max_ms=${percentile(latencies, 100).toFixed(0)}`);
  }
  return count / seconds;
}

async function warmUp(queue, events) {
  let previous = 0;
  for (let round = 1; ; round++) {
    const rate = await throughput('warm-up', queue, events, warmUpJobs, true);
    console.log(`warm-up round ${round}: ${rate.toFixed(0)} jobs/s`);
    if ((round >= 2 && Math.abs(rate - previous) <= STEADY_RATE_CHANGE * previous) || round === MAX_WARM_UP_ROUNDS) return;
    previous = rate;
  }
}

async function latency(queue, events, rate, seconds) {
  const count = rate * seconds;
  const prefix = `rate-${rate}-${Date.now()}-`;
  const submitted = new Map();
  for (let i = 0; i < count; i++) submitted.set(prefix + i, 0);
  const done = completions(events, submitted);
  const start = nowMs();
  const adds = [];
  const addMillis = [];
  for (let i = 0; i < count; i++) {
    const wait = start + i * 1000 / rate - nowMs();
    if (wait > 1) await sleep(wait);
    const jobId = prefix + i;
    const sent = nowMs();
    submitted.set(jobId, sent);
    adds.push(queue.add('noop', {}, { jobId }).then(() => addMillis.push(nowMs() - sent)));
  }
  await Promise.all(adds);
  addMillis.sort((a, b) => a - b);
  const addSeconds = (nowMs() - start) / 1000;
  const latencies = await done;
  const drain = (nowMs() - start) / 1000 - addSeconds;
  console.log(`RESULT bullmq latency_${rate} jobs=${count} achieved_per_s=${(count / addSeconds).toFixed(0)} ` +
    `p50_ms=${percentile(latencies, 50).toFixed(0)} p99_ms=${percentile(latencies, 99).toFixed(0)} ` +
    `max_ms=${percentile(latencies, 100).toFixed(0)} drain_after_last_add_s=${drain.toFixed(2)} ` +
    `add_p50_ms=${percentile(addMillis, 50).toFixed(0)} add_p99_ms=${percentile(addMillis, 99).toFixed(0)}`);
}

for (const concurrency of [8, 32]) {
  const name = `bench-${concurrency}`;
  const queue = new Queue(name, { connection });
  const events = new QueueEvents(name, { connection });
  await events.waitUntilReady();
  const worker = new Worker(name, async () => ({}), { connection, concurrency });
  await worker.waitUntilReady();
  await warmUp(queue, events);
  await throughput(`single c=${concurrency}`, queue, events, jobs, true);
  await throughput(`bulk c=${concurrency}`, queue, events, jobs, false);
  if (concurrency === 32) {
    for (const rate of [200, 1000, 2000]) await latency(queue, events, rate, latencySeconds);
  }
  await worker.close();
  await events.close();
  await queue.close();
}
process.exit(0);
