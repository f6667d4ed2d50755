/**
 * Handler latency with a backlog of 10,000 jobs on the real loopback redis-server over TLS with
 * requirepass (scripts/redis/start.sh). AWS calls are stubbed (aws-sdk-client-mock), so the number
 * is the function's own cost: Redis connect + TLS handshake + AUTH + the reads in one MULTI +
 * close. Each invocation opens a new connection, as the deployed function does.
 *   npx tsx bench/queue-metric.ts [--jobs 10000] [--runs 50]
 */
import { performance } from "node:perf_hooks";
import { Queue } from "bullmq";
import Redis from "ioredis";
import { QUEUE_METRIC_ENV } from "../functions/queue-metric/contract";
import { createHandler } from "../functions/queue-metric/handler";
import type { Logger } from "../functions/queue-metric/log";
import { BACKLOG_KEYS, BULLMQ_PREFIX, WORKER_QUEUE_NAME } from "../queue/keys";
import { AP_JOB_PRIORITY } from "../queue/lanes";
import { CLUSTER, NAMESPACE, SECRET_ARN, SERVICE, awsStubs } from "../offline/aws-stubs";
import { REDIS_TEST, SERVERS, connectionOptions, ensureRedis, testFactory } from "../offline/redis-env";

const DB = 9;
const PRIORITIZED = BACKLOG_KEYS.prioritized.key;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const jobs = arg("jobs", 10_000);
  const runs = arg("runs", 50);
  ensureRedis();
  const server = SERVERS.find((s) => s.tls)!;
  const direct = new Redis(connectionOptions(server, DB));
  await direct.flushdb();
  const queue = new Queue(WORKER_QUEUE_NAME, { prefix: BULLMQ_PREFIX, connection: connectionOptions(server, DB) });
  await queue.waitUntilReady();

  // ActivePieces' usual mix: mostly async runs (medium), some sync/test runs (high), polling (veryLow).
  const lanes = [AP_JOB_PRIORITY.medium, AP_JOB_PRIORITY.medium, AP_JOB_PRIORITY.high, AP_JOB_PRIORITY.veryLow];
  const tAdd = performance.now();
  for (let i = 0; i < jobs; i += 1000) {
    const batch = Array.from({ length: Math.min(1000, jobs - i) }, (_, k) => ({
      name: `flow-${i + k}`,
      data: { runId: `run-${i + k}` },
      opts: { priority: lanes[(i + k) % lanes.length]!, jobId: `run-${i + k}` },
    }));
    await queue.addBulk(batch);
  }
  const addMs = performance.now() - tAdd;
  const inSet = await direct.zcard(PRIORITIZED);

  const aws = awsStubs({ token: REDIS_TEST.password, running: 10 });
  const quiet: Logger = { info: () => undefined, error: (f) => console.error(JSON.stringify(f)) };
  const env = {
    [QUEUE_METRIC_ENV.redisHost]: REDIS_TEST.host,
    [QUEUE_METRIC_ENV.redisPort]: String(server.port),
    [QUEUE_METRIC_ENV.redisTls]: "true",
    [QUEUE_METRIC_ENV.redisAuthSecretArn]: SECRET_ARN,
    [QUEUE_METRIC_ENV.ecsCluster]: CLUSTER,
    [QUEUE_METRIC_ENV.ecsService]: SERVICE,
    [QUEUE_METRIC_ENV.metricNamespace]: NAMESPACE,
  };
  const handler = createHandler({ env, ...aws, createRedis: testFactory(server, DB), log: quiet });

  const times: number[] = [];
  let backlog = -1;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    backlog = (await handler()).backlog;
    times.push(performance.now() - t);
  }
  const first = times[0]!;
  const sorted = [...times].sort((a, b) => a - b);

  const tZ = performance.now();
  for (let i = 0; i < 100; i++) await direct.zcount(PRIORITIZED, "-inf", "+inf");
  const zcountMs = (performance.now() - tZ) / 100;

  console.log(`queue-metric bench: ${jobs} jobs enqueued with BullMQ addBulk in ${addMs.toFixed(0)} ms; ${PRIORITIZED} holds ${inSet}`);
  console.log(`handler over TLS + requirepass, AWS stubbed, ${runs} runs: backlog=${backlog}`);
  console.log(
    `  first ${first.toFixed(1)} ms | p50 ${pct(sorted, 50).toFixed(1)} ms | p95 ${pct(sorted, 95).toFixed(1)} ms | max ${sorted[sorted.length - 1]!.toFixed(1)} ms`,
  );
  console.log(`  one ZCOUNT on an open connection: ${zcountMs.toFixed(3)} ms`);
  if (backlog !== jobs) throw new Error(`expected backlog ${jobs}, read ${backlog}`);

  await direct.flushdb();
  await queue.close();
  direct.disconnect();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
