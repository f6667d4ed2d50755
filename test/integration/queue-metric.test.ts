/**
 * The metric function against a real redis-server on loopback, plain and TLS, both with
 * requirepass. Jobs are enqueued with BullMQ (the major version ActivePieces pins) on queue
 * `workerJobs` with prefix `bull`, the way ActivePieces adds and re-queues them, then held by busy
 * BullMQ workers and stalled back to `:wait` by BullMQ's own stalled-job checker: the backlog must
 * follow waiting (`:prioritized` lanes 1-5 + `:wait`) plus running (`:active`) in each case.
 */
import { PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { Queue, Worker, type Job, type WorkerOptions } from "bullmq";
import Redis from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { QUEUE_METRIC_ENV } from "../../functions/queue-metric/contract";
import { createHandler } from "../../functions/queue-metric/handler";
import { measure, type MeasureDeps } from "../../functions/queue-metric/measure";
import { BACKLOG_KEYS, BULLMQ_PREFIX, QUEUE_META_KEY, WORKER_QUEUE_NAME, bullKey } from "../../queue/keys";
import { AP_JOB_PRIORITY, RATE_LIMIT_PRIORITY } from "../../queue/lanes";
import { CLUSTER, NAMESPACE, SECRET_ARN, SERVICE, awsStubs, baseConfig, expectedPut, recordingLogger } from "../../offline/aws-stubs";
import { REDIS_TEST, SERVERS, SKIP_MESSAGE, connectionOptions, ensureRedis, skipIntegration, testFactory, type TestServer } from "../../offline/redis-env";

if (skipIntegration) console.warn(SKIP_MESSAGE);

/** One database per server so test files running in parallel never share keys. */
const DB: Record<TestServer["name"], number> = { plain: 1, tls: 2 };
const NOW = new Date("2026-03-02T10:00:00.000Z");
const PRIORITIZED = BACKLOG_KEYS.prioritized.key;
const WAIT = BACKLOG_KEYS.wait.key;
const ACTIVE = BACKLOG_KEYS.active.key;

/** Polls until `done()` or the deadline; the caller asserts the exact state afterwards. */
async function until(done: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
}

/** Lanes 1-5 with 1..5 jobs each (15 runnable), 2 jobs parked in the rate-limit lane, 3 delayed. */
const LANE_JOBS: ReadonlyArray<readonly [keyof typeof AP_JOB_PRIORITY, number]> = [
  ["critical", 1],
  ["high", 2],
  ["medium", 3],
  ["low", 4],
  ["veryLow", 5],
  ["lowest", 2],
];

describe.skipIf(skipIntegration).each(SERVERS)("queue metric against redis-server ($name)", (server) => {
  const db = DB[server.name];
  let queue: Queue;
  let direct: Redis;
  const workers: Worker[] = [];

  function deps(running: number, over: Partial<MeasureDeps> = {}) {
    const aws = awsStubs({ token: REDIS_TEST.password, running });
    const log = recordingLogger();
    const d: MeasureDeps = {
      config: baseConfig({ redisPort: server.port, redisTls: server.tls }),
      secretsManager: aws.secretsManager,
      ecs: aws.ecs,
      cloudWatch: aws.cloudWatch,
      createRedis: testFactory(server, db),
      log,
      now: () => NOW,
      ...over,
    };
    return { d, aws, log };
  }

  async function addLanes(): Promise<void> {
    for (const [lane, n] of LANE_JOBS) {
      for (let i = 0; i < n; i++) {
        await queue.add(`flow-${lane}-${i}`, { lane }, { priority: AP_JOB_PRIORITY[lane], jobId: `${lane}-${i}` });
      }
    }
    // Delayed runs (ActivePieces' `delay` option, and retries after backoff) are not runnable yet.
    for (let i = 0; i < 3; i++) {
      await queue.add(`delayed-${i}`, {}, { priority: AP_JOB_PRIORITY.medium, delay: 3_600_000, jobId: `delayed-${i}` });
    }
  }

  /** What is in the three backlog keys, read straight from Redis. */
  async function keyCounts() {
    return { prioritized: await direct.zcard(PRIORITIZED), wait: await direct.llen(WAIT), active: await direct.llen(ACTIVE) };
  }

  function newWorker(processor: ConstructorParameters<typeof Worker>[1], opts: Partial<WorkerOptions> = {}): Worker {
    const w = new Worker(WORKER_QUEUE_NAME, processor, { prefix: BULLMQ_PREFIX, connection: connectionOptions(server, db), ...opts });
    workers.push(w);
    return w;
  }

  beforeAll(async () => {
    ensureRedis();
    direct = new Redis(connectionOptions(server, db));
    queue = new Queue(WORKER_QUEUE_NAME, { prefix: BULLMQ_PREFIX, connection: connectionOptions(server, db) });
    await queue.waitUntilReady();
  });

  beforeEach(async () => {
    await direct.flushdb();
    // A BullMQ Queue writes its meta hash when it starts; ActivePieces' app does so at boot.
    await direct.hset(QUEUE_META_KEY, "opts.maxLenEvents", "10000");
  });

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.close(true)));
  });

  afterAll(async () => {
    await queue?.close();
    direct?.disconnect();
  });

  it("the server enforces requirepass", async () => {
    const anon = new Redis({ ...connectionOptions(server, db), password: undefined, lazyConnect: true, retryStrategy: () => null });
    anon.on("error", () => undefined);
    await anon.connect().catch(() => undefined);
    await expect(anon.get("x")).rejects.toThrow(/NOAUTH|Connection is closed/);
    anon.disconnect();
  });

  it("reports exactly the prioritized backlog of lanes 1-5: not delayed jobs, not the rate-limit lane", async () => {
    await addLanes();
    expect(await keyCounts()).toEqual({ prioritized: 17, wait: 0, active: 0 });
    expect(await direct.zcard(bullKey("delayed"))).toBe(3);

    const { d, aws } = deps(3);
    const result = await measure(d);

    expect(result).toEqual({ published: true, backlog: 15, prioritized: 15, wait: 0, active: 0, parked: 2, running: 3, backlogPerWorker: 5 });
    const puts = aws.cw.commandCalls(PutMetricDataCommand);
    expect(puts).toHaveLength(1);
    expect(puts[0]!.args[0].input).toEqual(expectedPut(15, 5, NOW));
    // BullMQ's own per-lane count agrees with the split the function makes.
    const perLane = await queue.getCountsPerPriority([1, 2, 3, 4, 5, RATE_LIMIT_PRIORITY]);
    expect(perLane).toEqual({ 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 2 });
    // What ActivePieces' /v1/worker-machines/queue-metrics returns (Queue.getJobCounts): its
    // `prioritized` is every lane, parked jobs included, and `waiting` is the empty `:wait` list.
    const counts = await queue.getJobCounts();
    expect(counts).toMatchObject({ prioritized: 17, waiting: 0, delayed: 3, active: 0 });
  });

  it("follows jobs drained by a BullMQ worker, highest priority first, down to a real zero", async () => {
    await addLanes();
    // ActivePieces' job broker pulls jobs with Worker.getNextJob and completes them itself.
    const worker = new Worker(WORKER_QUEUE_NAME, null, { prefix: BULLMQ_PREFIX, connection: connectionOptions(server, db), autorun: false });
    workers.push(worker);
    const taken: Job[] = [];
    for (let i = 0; i < 4; i++) {
      const job = (await worker.getNextJob(`token-${i}`)) as Job | undefined;
      if (!job) throw new Error("expected a job");
      taken.push(job);
      await job.moveToCompleted("done", `token-${i}`, false);
    }
    expect(taken.map((j) => j.id)).toEqual(["critical-0", "high-0", "high-1", "medium-0"]);
    const afterFour = await measure(deps(2).d);
    expect(afterFour).toEqual({ published: true, backlog: 11, prioritized: 11, wait: 0, active: 0, parked: 2, running: 2, backlogPerWorker: 5.5 });

    // A running worker drains everything that is runnable, the parked lane last.
    let completed = 0;
    const drainer = new Worker(WORKER_QUEUE_NAME, async () => "ok", { prefix: BULLMQ_PREFIX, connection: connectionOptions(server, db), concurrency: 4 });
    workers.push(drainer);
    drainer.on("completed", () => {
      completed += 1;
    });
    const deadline = Date.now() + 20_000;
    while (completed < 13 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(completed).toBe(13);

    const { d, aws } = deps(2);
    await until(async () => (await direct.llen(ACTIVE)) === 0);
    expect(await measure(d)).toEqual({ published: true, backlog: 0, prioritized: 0, wait: 0, active: 0, parked: 0, running: 2, backlogPerWorker: 0 });
    expect(aws.cw.commandCalls(PutMetricDataCommand)[0]!.args[0].input).toEqual(expectedPut(0, 0, NOW));
    expect(await direct.zcard(bullKey("delayed"))).toBe(3);
  });

  it("a rate-limited run follows ActivePieces' path: out of the backlog while delayed, then parked in the lowest lane", async () => {
    await queue.add("flow", {}, { priority: AP_JOB_PRIORITY.medium, jobId: "limited" });
    expect(await measure(deps(1).d)).toMatchObject({ published: true, backlog: 1, parked: 0 });

    // job-broker.ts on a REJECT verdict: moveToDelayed(now + delay), then changePriority(lowest).
    const worker = new Worker(WORKER_QUEUE_NAME, null, { prefix: BULLMQ_PREFIX, connection: connectionOptions(server, db), autorun: false });
    workers.push(worker);
    const job = (await worker.getNextJob("token-limited")) as Job;
    await job.moveToDelayed(Date.now() + 20_000, "token-limited");
    await job.changePriority({ priority: RATE_LIMIT_PRIORITY });
    expect(await measure(deps(1).d)).toMatchObject({ published: true, backlog: 0, parked: 0 });

    // When its delay ends BullMQ re-adds it to the prioritized set at its new priority.
    await job.promote();
    expect(await keyCounts()).toEqual({ prioritized: 1, wait: 0, active: 0 });
    expect(await measure(deps(1).d)).toEqual({ published: true, backlog: 0, prioritized: 0, wait: 0, active: 0, parked: 1, running: 1, backlogPerWorker: 0 });
  });

  it("(a) jobs waiting in :prioritized: the backlog is their number", async () => {
    for (let i = 0; i < 3; i++) await queue.add(`flow-high-${i}`, {}, { priority: AP_JOB_PRIORITY.high, jobId: `high-${i}` });
    for (let i = 0; i < 4; i++) await queue.add(`flow-medium-${i}`, {}, { priority: AP_JOB_PRIORITY.medium, jobId: `medium-${i}` });
    expect(await keyCounts()).toEqual({ prioritized: 7, wait: 0, active: 0 });

    const { d, aws } = deps(2);
    expect(await measure(d)).toEqual({ published: true, backlog: 7, prioritized: 7, wait: 0, active: 0, parked: 0, running: 2, backlogPerWorker: 3.5 });
    expect(aws.cw.commandCalls(PutMetricDataCommand)[0]!.args[0].input).toEqual(expectedPut(7, 3.5, NOW));
  });

  it("(b) jobs held by a busy BullMQ Worker stay in the backlog although :prioritized empties", async () => {
    for (let i = 0; i < 6; i++) await queue.add(`flow-${i}`, {}, { priority: AP_JOB_PRIORITY.medium, jobId: `busy-${i}` });
    // A worker with 4 slots running long flows: it holds 4 jobs, 2 keep waiting.
    let release!: () => void;
    const busy = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    let completed = 0;
    const worker = newWorker(
      async () => {
        started += 1;
        await busy;
        return "ok";
      },
      { concurrency: 4 },
    );
    worker.on("completed", () => {
      completed += 1;
    });
    try {
      await until(() => started === 4);
      expect(started).toBe(4);
      expect(await keyCounts()).toEqual({ prioritized: 2, wait: 0, active: 4 });
      expect(await measure(deps(1).d)).toEqual({ published: true, backlog: 6, prioritized: 2, wait: 0, active: 4, parked: 0, running: 1, backlogPerWorker: 6 });

      // A second busy worker takes the last two: nothing waits, six run, and the backlog stays 6.
      const second = newWorker(
        async () => {
          started += 1;
          await busy;
          return "ok";
        },
        { concurrency: 4 },
      );
      second.on("completed", () => {
        completed += 1;
      });
      await until(() => started === 6);
      expect(await keyCounts()).toEqual({ prioritized: 0, wait: 0, active: 6 });
      const { d, aws } = deps(2);
      expect(await measure(d)).toEqual({ published: true, backlog: 6, prioritized: 0, wait: 0, active: 6, parked: 0, running: 2, backlogPerWorker: 3 });
      expect(aws.cw.commandCalls(PutMetricDataCommand)[0]!.args[0].input).toEqual(expectedPut(6, 3, NOW));
    } finally {
      release();
    }
    // Once the flows finish the backlog is a real zero.
    await until(async () => completed === 6 && (await direct.llen(ACTIVE)) === 0);
    expect(completed).toBe(6);
    expect(await measure(deps(2).d)).toMatchObject({ published: true, backlog: 0, active: 0 });
  });

  it("(c) jobs a dead worker held are stalled back to :wait by BullMQ and stay in the backlog", async () => {
    for (let i = 0; i < 3; i++) await queue.add(`flow-${i}`, {}, { priority: AP_JOB_PRIORITY.medium, jobId: `stall-${i}` });
    // A worker takes two jobs the way ActivePieces' job broker does (getNextJob) with a 1 s lock,
    // then dies: nothing renews the locks (only jobs Worker.run processes are tracked by its
    // lock manager, node_modules/bullmq/dist/cjs/classes/worker.js) and nothing completes them.
    const dying = newWorker(null, { autorun: false, lockDuration: 1_000 });
    const held = [await dying.getNextJob("dead-1"), await dying.getNextJob("dead-2")] as Array<Job | undefined>;
    expect(held.map((j) => j?.id)).toEqual(["stall-0", "stall-1"]);
    await dying.close();
    expect(await keyCounts()).toEqual({ prioritized: 1, wait: 0, active: 2 });
    expect(await measure(deps(1).d)).toMatchObject({ published: true, backlog: 3, prioritized: 1, wait: 0, active: 2 });

    // Another worker's stalled-job checker (what Worker.run starts; started by hand here so this
    // worker takes no job) marks the active jobs, and once their lock has expired moves them to
    // the `:wait` list (moveStalledJobsToWait-9.lua, RPUSH whatever the priority).
    const stalled: string[] = [];
    const checker = newWorker(null, { autorun: false, stalledInterval: 300, maxStalledCount: 10 });
    checker.on("stalled", (jobId) => stalled.push(jobId));
    await checker.startStalledCheckTimer();
    await until(() => stalled.length === 2);
    expect(stalled.sort()).toEqual(["stall-0", "stall-1"]);
    expect(await keyCounts()).toEqual({ prioritized: 1, wait: 2, active: 0 });
    expect((await direct.lrange(WAIT, 0, -1)).sort()).toEqual(["stall-0", "stall-1"]);

    const { d, aws, log } = deps(1);
    expect(await measure(d)).toEqual({ published: true, backlog: 3, prioritized: 1, wait: 2, active: 0, parked: 0, running: 1, backlogPerWorker: 3 });
    expect(aws.cw.commandCalls(PutMetricDataCommand)[0]!.args[0].input).toEqual(expectedPut(3, 3, NOW));
    expect(log.lines).toEqual([expect.objectContaining({ level: "info", backlog: 3, prioritized: 1, wait: 2, active: 0 })]);
    // BullMQ's own count agrees: the stalled jobs are `waiting` again (it adds `paused` to `waiting`).
    expect(await queue.getJobCounts("waiting", "prioritized", "active")).toEqual({ waiting: 2, paused: 0, prioritized: 1, active: 0 });
  });

  it("the Lambda handler, configured from its environment, publishes the same numbers", async () => {
    await addLanes();
    // The same stubs as measure() gets, but configured from the environment as the Lambda is.
    const {
      d: { config: _config, ...injected },
      aws,
      log,
    } = deps(4);
    const handler = createHandler({
      ...injected,
      env: {
        [QUEUE_METRIC_ENV.redisHost]: REDIS_TEST.host,
        [QUEUE_METRIC_ENV.redisPort]: String(server.port),
        [QUEUE_METRIC_ENV.redisTls]: String(server.tls),
        [QUEUE_METRIC_ENV.redisAuthSecretArn]: SECRET_ARN,
        [QUEUE_METRIC_ENV.ecsCluster]: CLUSTER,
        [QUEUE_METRIC_ENV.ecsService]: SERVICE,
        [QUEUE_METRIC_ENV.metricNamespace]: NAMESPACE,
      },
    });

    const expected = { backlog: 15, prioritized: 15, wait: 0, active: 0, parked: 2, running: 4, backlogPerWorker: 3.75 };
    expect(await handler()).toEqual(expected);
    expect(await handler()).toEqual(expected);

    expect(aws.cw.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input)).toEqual([expectedPut(15, 3.75, NOW), expectedPut(15, 3.75, NOW)]);
    // The auth token is fetched once per container, not once a minute.
    expect(aws.sm.calls()).toHaveLength(1);
    expect(JSON.stringify(log.lines)).not.toContain(REDIS_TEST.password);
  });

  it("wrong password: logs the error and publishes nothing", async () => {
    const aws = awsStubs({ token: "not-the-password", running: 3 });
    const { d, log } = deps(3, { secretsManager: aws.secretsManager, cloudWatch: aws.cloudWatch });
    await queue.add("flow", {}, { priority: 3 });

    const result = await measure(d);

    expect(result).toMatchObject({ published: false, stage: "redis" });
    expect(result.published === false && result.error).toMatch(/WRONGPASS/);
    expect(aws.cw.commandCalls(PutMetricDataCommand)).toHaveLength(0);
    expect(log.lines.filter((l) => l.level === "error")).toHaveLength(1);
    expect(JSON.stringify(log.lines)).not.toContain("not-the-password");
  });

  it.each([
    [
      "prioritized is a list",
      async () => direct.rpush(PRIORITIZED, "job-1", "job-2"),
      `${PRIORITIZED} is a list, expected a sorted set (zset): wrong key or not a BullMQ 5 queue`,
    ],
    ["wait is a sorted set", async () => direct.zadd(WAIT, 1, "job-1"), `${WAIT} is a zset, expected a list: wrong key or not a BullMQ 5 queue`],
    ["active is a hash", async () => direct.hset(ACTIVE, "job-1", "x"), `${ACTIVE} is a hash, expected a list: wrong key or not a BullMQ 5 queue`],
  ] as const)("backlog key of the wrong type (%s): logs the error and publishes nothing", async (_name, write, error) => {
    await write();
    const { d, aws, log } = deps(3);

    const result = await measure(d);

    expect(result).toEqual({ published: false, stage: "redis", error });
    expect(aws.cw.commandCalls(PutMetricDataCommand)).toHaveLength(0);
    expect(log.lines).toEqual([expect.objectContaining({ level: "error", stage: "redis", keys: [PRIORITIZED, WAIT, ACTIVE] })]);
  });

  it("no queue under this prefix and name: publishes nothing rather than a zero", async () => {
    await direct.del(QUEUE_META_KEY);
    const { d, aws } = deps(3);

    const result = await measure(d);

    expect(result).toMatchObject({ published: false, stage: "redis" });
    expect(result.published === false && result.error).toContain(`${QUEUE_META_KEY} does not exist`);
    expect(aws.cw.commandCalls(PutMetricDataCommand)).toHaveLength(0);
  });

  it("redis unreachable: logs the error and publishes nothing", async () => {
    const { d, aws } = deps(3, { config: baseConfig({ redisPort: REDIS_TEST.closedPort, redisTls: server.tls }) });

    const result = await measure(d);

    expect(result).toMatchObject({ published: false, stage: "redis" });
    expect(result.published === false && result.error).toMatch(/ECONNREFUSED/);
    expect(aws.cw.commandCalls(PutMetricDataCommand)).toHaveLength(0);
  });
});

describe.skipIf(skipIntegration)("queue metric over TLS: certificate and protocol checks", () => {
  const server = SERVERS.find((s) => s.tls)!;
  const db = 3;

  beforeAll(() => {
    ensureRedis();
  });

  function deps(over: Partial<MeasureDeps>) {
    const aws = awsStubs({ token: REDIS_TEST.password, running: 3 });
    const d: MeasureDeps = {
      config: baseConfig({ redisPort: server.port, redisTls: true }),
      secretsManager: aws.secretsManager,
      ecs: aws.ecs,
      cloudWatch: aws.cloudWatch,
      createRedis: testFactory(server, db),
      log: recordingLogger(),
      now: () => NOW,
      ...over,
    };
    return { d, aws };
  }

  it("refuses a server certificate it does not trust, and publishes nothing", async () => {
    const { d, aws } = deps({ createRedis: testFactory(server, db, false) });

    const result = await measure(d);

    expect(result).toMatchObject({ published: false, stage: "redis" });
    expect(result.published === false && result.error).toMatch(/self-signed certificate/);
    expect(aws.cw.commandCalls(PutMetricDataCommand)).toHaveLength(0);
  });

  it("a plain client cannot talk to the TLS port", async () => {
    const { d, aws } = deps({ config: baseConfig({ redisPort: server.port, redisTls: false }), createRedis: testFactory({ ...server, tls: false }, db) });
    expect(await measure(d)).toMatchObject({ published: false, stage: "redis" });
    expect(aws.cw.commandCalls(PutMetricDataCommand)).toHaveLength(0);
  });
});
