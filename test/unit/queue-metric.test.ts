/**
 * measure() and the handler with AWS stubbed by aws-sdk-client-mock and Redis replaced by a
 * small in-memory stand-in (or, for "unreachable", a real ioredis client aimed at a closed
 * loopback port). No server needed.
 */
import { PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeServicesCommand } from "@aws-sdk/client-ecs";
import { GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { describe, expect, it } from "vitest";
import { QUEUE_METRIC_ENV } from "../../functions/queue-metric/contract";
import { createHandler } from "../../functions/queue-metric/handler";
import { TOKEN_TTL_MS, measure, type MeasureDeps, type TokenCache } from "../../functions/queue-metric/measure";
import { ioredisFactory, type QueueReadTransaction, type QueueRedis, type RedisConnection } from "../../functions/queue-metric/redis";
import { BACKLOG_KEYS, QUEUE_META_KEY } from "../../queue/keys";
import { CLUSTER, NAMESPACE, SECRET_ARN, SERVICE, awsStubs, baseConfig, expectedPut, recordingLogger } from "../../offline/aws-stubs";

const TOKEN = "s3cr3t-auth-token-value";
const NOW = new Date("2026-03-02T10:00:00.000Z");
const LANE = 2 ** 32;
const PRIORITIZED = BACKLOG_KEYS.prioritized.key;
const WAIT = BACKLOG_KEYS.wait.key;
const ACTIVE = BACKLOG_KEYS.active.key;
const KEYS = [PRIORITIZED, WAIT, ACTIVE];

type Value = { type: "zset"; scores: number[] } | { type: "list"; length: number } | { type: "hash" | "string" };

const WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

/** Redis ZCOUNT bounds: "-inf", "+inf", a number, or "(n" for an exclusive bound. */
function inRange(x: number, min: string | number, max: string | number): boolean {
  const bound = (b: string | number) => {
    const s = String(b);
    if (s === "-inf") return { n: -Infinity, open: false };
    if (s === "+inf") return { n: Infinity, open: false };
    return s.startsWith("(") ? { n: Number(s.slice(1)), open: true } : { n: Number(s), open: false };
  };
  const lo = bound(min);
  const hi = bound(max);
  return (lo.open ? x > lo.n : x >= lo.n) && (hi.open ? x < hi.n : x <= hi.n);
}

/**
 * Just enough Redis for the function: AUTH on connect, and a MULTI whose EXEC answers EXISTS,
 * TYPE, ZCOUNT with BullMQ score bounds and LLEN in order, a WRONGTYPE reply for that command only,
 * the way Redis runs a transaction ("a WRONGTYPE error makes only that command fail. The other
 * commands still run": https://redis.io/docs/latest/develop/reference/errors/common/execabort/).
 */
class StubRedis implements QueueRedis {
  readonly calls: string[] = [];
  private listener: ((err: Error) => void) | undefined;
  closed = false;
  execError: Error | undefined;
  constructor(
    private readonly data: Map<string, Value>,
    private readonly password: string,
    private readonly connection: RedisConnection,
  ) {}
  on(_event: "error", listener: (err: Error) => void) {
    this.listener = listener;
    return this;
  }
  async connect() {
    if (this.connection.password !== this.password) {
      this.listener?.(new Error("WRONGPASS invalid username-password pair or user is disabled."));
      throw new Error("Connection is closed.");
    }
  }
  multi(): QueueReadTransaction {
    this.calls.push("MULTI");
    const queued: Array<() => unknown> = [];
    const run = (line: string, fn: () => unknown) => {
      this.calls.push(line);
      queued.push(fn);
    };
    const of = (key: string, type: Value["type"]) => {
      const v = this.data.get(key);
      if (v && v.type !== type) throw new Error(WRONGTYPE);
      return v;
    };
    const tx: QueueReadTransaction = {
      exists: (key) => run(`EXISTS ${key}`, () => (this.data.has(key) ? 1 : 0)),
      type: (key) => run(`TYPE ${key}`, () => this.data.get(key)?.type ?? "none"),
      zcount: (key, min, max) =>
        run(`ZCOUNT ${key} ${min} ${max}`, () => {
          const v = of(key, "zset") as { scores: number[] } | undefined;
          return (v?.scores ?? []).filter((x) => inRange(x, min, max)).length;
        }),
      llen: (key) => run(`LLEN ${key}`, () => (of(key, "list") as { length: number } | undefined)?.length ?? 0),
      exec: async () => {
        this.calls.push("EXEC");
        if (this.execError) throw this.execError;
        return queued.map((fn): [Error | null, unknown] => {
          try {
            return [null, fn()];
          } catch (err) {
            return [err as Error, null];
          }
        });
      },
    };
    return tx;
  }
  async quit() {
    this.closed = true;
    return "OK";
  }
  disconnect() {
    this.closed = true;
  }
}

/** Scores as BullMQ writes them: priority * 2^32 + counter. */
function lanes(counts: Record<number, number>): number[] {
  let counter = 0;
  return Object.entries(counts).flatMap(([p, n]) => Array.from({ length: n }, () => Number(p) * LANE + ++counter));
}

/** 16 jobs in lanes 1-5 and 7 parked in lane 6, 3 stalled back to `:wait`, 5 running. */
function queueData(over: Record<string, Value | undefined> = {}): Map<string, Value> {
  const base: Record<string, Value | undefined> = {
    [QUEUE_META_KEY]: { type: "hash" },
    [PRIORITIZED]: { type: "zset", scores: lanes({ 1: 2, 3: 10, 5: 4, 6: 7 }) },
    [WAIT]: { type: "list", length: 3 },
    [ACTIVE]: { type: "list", length: 5 },
    ...over,
  };
  return new Map(Object.entries(base).filter((e): e is [string, Value] => e[1] !== undefined));
}

function setup(opts: { data?: Map<string, Value>; running?: number; tokenCache?: TokenCache; now?: Date } = {}) {
  const data = opts.data ?? queueData();
  const aws = awsStubs({ token: TOKEN, running: opts.running ?? 4 });
  const log = recordingLogger();
  const clients: StubRedis[] = [];
  const deps: MeasureDeps = {
    config: baseConfig(),
    secretsManager: aws.secretsManager,
    ecs: aws.ecs,
    cloudWatch: aws.cloudWatch,
    createRedis: (c) => {
      const r = new StubRedis(data, TOKEN, c);
      clients.push(r);
      return r;
    },
    log,
    tokenCache: opts.tokenCache,
    now: () => opts.now ?? NOW,
  };
  return { deps, aws, log, clients, data };
}

describe("measure: a good reading", () => {
  it("publishes Backlog = lanes 1-5 + wait + active, and BacklogPerWorker, with the exact namespace, names, dimension and unit", async () => {
    const { deps, aws, log, clients } = setup({ running: 4 });

    const result = await measure(deps);

    // 16 prioritized (lanes 1-5) + 3 waiting in the list + 5 running = 24; 7 parked are left out.
    expect(result).toEqual({ published: true, backlog: 24, prioritized: 16, wait: 3, active: 5, parked: 7, running: 4, backlogPerWorker: 6 });
    expect(aws.cw.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input)).toEqual([expectedPut(24, 6, NOW)]);
    expect(aws.ecsMock.commandCalls(DescribeServicesCommand)[0]!.args[0].input).toEqual({ cluster: CLUSTER, services: [SERVICE] });
    expect(aws.sm.commandCalls(GetSecretValueCommand)[0]!.args[0].input).toEqual({ SecretId: SECRET_ARN });
    // One transaction: one round trip, one consistent snapshot of the three keys.
    expect(clients[0]!.calls).toEqual([
      "MULTI",
      `EXISTS ${QUEUE_META_KEY}`,
      `TYPE ${PRIORITIZED}`,
      `TYPE ${WAIT}`,
      `TYPE ${ACTIVE}`,
      `ZCOUNT ${PRIORITIZED} -inf (${6 * LANE}`,
      `ZCOUNT ${PRIORITIZED} ${6 * LANE} +inf`,
      `LLEN ${WAIT}`,
      `LLEN ${ACTIVE}`,
      "EXEC",
    ]);
    expect(clients[0]!.closed).toBe(true);
    expect(log.lines).toEqual([
      expect.objectContaining({
        level: "info",
        backlog: 24,
        prioritized: 16,
        wait: 3,
        active: 5,
        parked: 7,
        running: 4,
        backlogPerWorker: 6,
        keys: KEYS,
        namespace: NAMESPACE,
        service: SERVICE,
      }),
    ]);
  });

  it.each([
    [
      "only prioritized jobs (lanes 1-5)",
      { [PRIORITIZED]: { type: "zset", scores: lanes({ 2: 3, 4: 2 }) }, [WAIT]: undefined, [ACTIVE]: undefined },
      { backlog: 5, prioritized: 5, wait: 0, active: 0 },
    ],
    [
      "only stalled jobs moved back to :wait",
      { [PRIORITIZED]: undefined, [WAIT]: { type: "list", length: 4 }, [ACTIVE]: undefined },
      { backlog: 4, prioritized: 0, wait: 4, active: 0 },
    ],
    [
      "only running jobs in :active, nothing waiting",
      { [PRIORITIZED]: undefined, [WAIT]: undefined, [ACTIVE]: { type: "list", length: 7 } },
      { backlog: 7, prioritized: 0, wait: 0, active: 7 },
    ],
  ] as const)("counts each key on its own: %s", async (_name, over, expected) => {
    const { deps, aws } = setup({ data: queueData(over as Record<string, Value | undefined>), running: 1 });
    expect(await measure(deps)).toEqual({ published: true, ...expected, parked: 0, running: 1, backlogPerWorker: expected.backlog });
    expect(aws.cw.commandCalls(PutMetricDataCommand)[0]!.args[0].input).toEqual(expectedPut(expected.backlog, expected.backlog, NOW));
  });

  it("connects with TLS and the token from Secrets Manager, to the configured host and port", async () => {
    const seen: RedisConnection[] = [];
    const { deps } = setup();
    const inner = deps.createRedis;
    await measure({
      ...deps,
      config: baseConfig({ redisHost: "master.prod-redis.abc123.use1.cache.amazonaws.com", redisPort: 6380 }),
      createRedis: (c) => (seen.push(c), inner(c)),
    });
    expect(seen).toEqual([{ host: "master.prod-redis.abc123.use1.cache.amazonaws.com", port: 6380, tls: true, password: TOKEN }]);
  });

  it("divides by at least one worker: no running task gives the whole backlog per worker", async () => {
    const { deps, aws } = setup({ running: 0 });
    expect(await measure(deps)).toMatchObject({ published: true, backlog: 24, running: 0, backlogPerWorker: 24 });
    expect(aws.cw.commandCalls(PutMetricDataCommand)[0]!.args[0].input).toEqual(expectedPut(24, 24, NOW));
  });

  it("an existing, empty queue publishes a real zero", async () => {
    const { deps, aws } = setup({ data: new Map([[QUEUE_META_KEY, { type: "hash" }]]) });
    expect(await measure(deps)).toEqual({ published: true, backlog: 0, prioritized: 0, wait: 0, active: 0, parked: 0, running: 4, backlogPerWorker: 0 });
    expect(aws.cw.commandCalls(PutMetricDataCommand)[0]!.args[0].input).toEqual(expectedPut(0, 0, NOW));
  });

  it("puts lane 5 in the backlog and lane 6 out of it, at the exact score boundary", async () => {
    const data = queueData({ [PRIORITIZED]: { type: "zset", scores: [6 * LANE - 1, 6 * LANE, 7 * LANE - 1] }, [WAIT]: undefined, [ACTIVE]: undefined });
    expect(await measure(setup({ data }).deps)).toMatchObject({ published: true, backlog: 1, prioritized: 1, parked: 2 });
  });
});

describe("measure: failures publish nothing and log one error", () => {
  async function expectNothingPublished(s: ReturnType<typeof setup>, stage: string, error: RegExp) {
    const result = await measure(s.deps);
    expect(result).toMatchObject({ published: false, stage });
    expect(result.published === false && result.error).toMatch(error);
    expect(s.aws.cw.commandCalls(PutMetricDataCommand)).toHaveLength(0);
    expect(s.log.lines).toEqual([expect.objectContaining({ level: "error", msg: "queue metric not published", stage, keys: KEYS, service: SERVICE })]);
    expect(JSON.stringify(s.log.lines)).not.toContain(TOKEN);
  }

  it("redis unreachable (a real client, refused on a closed loopback port)", async () => {
    const s = setup();
    s.deps = { ...s.deps, config: baseConfig({ redisTls: false, redisPort: 6393 }), createRedis: ioredisFactory() };
    await expectNothingPublished(s, "redis", /cannot connect to redis redis:\/\/127\.0\.0\.1:6393: connect ECONNREFUSED/);
  });

  it("wrong password", async () => {
    const s = setup();
    s.aws.sm.on(GetSecretValueCommand).resolves({ SecretString: "an-old-token" });
    await expectNothingPublished(s, "redis", /WRONGPASS/);
    expect(JSON.stringify(s.log.lines)).not.toContain("an-old-token");
  });

  it.each([
    [
      "prioritized is a list",
      { [PRIORITIZED]: { type: "list", length: 2 } },
      `${PRIORITIZED} is a list, expected a sorted set (zset): wrong key or not a BullMQ 5 queue`,
    ],
    ["wait is a sorted set", { [WAIT]: { type: "zset", scores: [LANE] } }, `${WAIT} is a zset, expected a list: wrong key or not a BullMQ 5 queue`],
    ["active is a string", { [ACTIVE]: { type: "string" } }, `${ACTIVE} is a string, expected a list: wrong key or not a BullMQ 5 queue`],
  ] as const)("backlog key of the wrong type: %s", async (_name, over, message) => {
    const s = setup({ data: queueData(over as Record<string, Value>) });
    await expectNothingPublished(s, "redis", new RegExp(`^${message.replace(/[()]/g, "\\$&")}$`));
  });

  it("the transaction fails as a whole (EXEC rejected)", async () => {
    const s = setup();
    const inner = s.deps.createRedis;
    s.deps = {
      ...s.deps,
      createRedis: (c) => Object.assign(inner(c) as StubRedis, { execError: new Error("EXECABORT Transaction discarded because of previous errors.") }),
    };
    await expectNothingPublished(s, "redis", new RegExp(`^reading ${KEYS.join(", ")} failed: EXECABORT`));
  });

  it("no BullMQ queue under this prefix and name (meta hash missing)", async () => {
    const s = setup({ data: queueData({ [QUEUE_META_KEY]: undefined }) });
    await expectNothingPublished(s, "redis", new RegExp(`${QUEUE_META_KEY} does not exist`));
  });

  it("Secrets Manager fails", async () => {
    const s = setup();
    s.aws.sm.on(GetSecretValueCommand).rejects(new Error("AccessDeniedException: not authorized"));
    await expectNothingPublished(s, "secret", /GetSecretValue .* failed: AccessDeniedException/);
  });

  it("the secret is not a plain string", async () => {
    const s = setup();
    s.aws.sm.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1, 2]) });
    await expectNothingPublished(s, "secret", /has no SecretString/);
  });

  it("the worker service is not found", async () => {
    const s = setup();
    s.aws.ecsMock
      .on(DescribeServicesCommand)
      .resolves({ services: [], failures: [{ arn: `arn:aws:ecs:us-east-1:123456789012:service/${CLUSTER}/${SERVICE}`, reason: "MISSING" }] });
    await expectNothingPublished(s, "ecs", /MISSING/);
  });

  it("PutMetricData fails", async () => {
    const s = setup();
    s.aws.cw.on(PutMetricDataCommand).rejects(new Error("ThrottlingException"));
    const result = await measure(s.deps);
    expect(result).toEqual({ published: false, stage: "cloudwatch", error: "PutMetricData failed: ThrottlingException" });
    expect(s.log.lines.map((l) => l.level)).toEqual(["error"]);
  });
});

describe("measure: the auth token", () => {
  it("is fetched once and reused while fresh, then re-read after the TTL", async () => {
    const cache: TokenCache = {};
    const first = setup({ tokenCache: cache });
    await measure(first.deps);
    await measure({ ...first.deps, now: () => new Date(NOW.getTime() + TOKEN_TTL_MS - 1) });
    expect(first.aws.sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    await measure({ ...first.deps, now: () => new Date(NOW.getTime() + TOKEN_TTL_MS) });
    expect(first.aws.sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it("is dropped after WRONGPASS, so a rotated secret is read on the next run", async () => {
    const cache: TokenCache = { token: "rotated-away", fetchedAtMs: NOW.getTime() };
    const s = setup({ tokenCache: cache });
    expect(await measure(s.deps)).toMatchObject({ published: false, stage: "redis" });
    expect(cache.token).toBeUndefined();
    expect(await measure(s.deps)).toMatchObject({ published: true, backlog: 24 });
    expect(s.aws.sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it("is not requested when no secret is configured", async () => {
    const s = setup();
    const seen: RedisConnection[] = [];
    const inner = s.deps.createRedis;
    await measure({ ...s.deps, config: baseConfig({ redisAuthSecretArn: undefined }), createRedis: (c) => (seen.push(c), inner({ ...c, password: TOKEN })) });
    expect(seen[0]!.password).toBeUndefined();
    expect(s.aws.sm.calls()).toHaveLength(0);
  });
});

describe("handler", () => {
  const env = {
    [QUEUE_METRIC_ENV.redisHost]: "127.0.0.1",
    [QUEUE_METRIC_ENV.redisPort]: "6393",
    [QUEUE_METRIC_ENV.redisTls]: "false",
    [QUEUE_METRIC_ENV.redisAuthSecretArn]: SECRET_ARN,
    [QUEUE_METRIC_ENV.ecsCluster]: CLUSTER,
    [QUEUE_METRIC_ENV.ecsService]: SERVICE,
  };

  it("rejects a bad environment before touching AWS or Redis", async () => {
    const aws = awsStubs({ token: TOKEN, running: 1 });
    const log = recordingLogger();
    const handler = createHandler({ env: { ...env, [QUEUE_METRIC_ENV.ecsService]: "" }, ...aws, log });
    await expect(handler()).rejects.toThrow(`${QUEUE_METRIC_ENV.ecsService}: required`);
    expect([...aws.sm.calls(), ...aws.ecsMock.calls(), ...aws.cw.calls()]).toHaveLength(0);
    expect(log.lines).toEqual([expect.objectContaining({ level: "error", stage: "config" })]);
  });

  it("throws after logging when nothing was published (Redis unreachable), so Lambda counts an error", async () => {
    const aws = awsStubs({ token: TOKEN, running: 1 });
    const log = recordingLogger();
    const handler = createHandler({ env, ...aws, log });
    await expect(handler()).rejects.toThrow(/queue metric not published \(redis\): .*ECONNREFUSED/);
    expect(aws.cw.commandCalls(PutMetricDataCommand)).toHaveLength(0);
    expect(log.lines.filter((l) => l.level === "error")).toHaveLength(1);
  });

  it("defaults the namespace from the contract when METRIC_NAMESPACE is unset", async () => {
    const s = setup();
    const handler = createHandler({
      env: { ...env, [QUEUE_METRIC_ENV.redisTls]: "true" },
      secretsManager: s.deps.secretsManager,
      ecs: s.deps.ecs,
      cloudWatch: s.deps.cloudWatch,
      createRedis: s.deps.createRedis,
      log: s.log,
      now: () => NOW,
    });
    expect(await handler()).toEqual({ backlog: 24, prioritized: 16, wait: 3, active: 5, parked: 7, running: 4, backlogPerWorker: 6 });
    expect(s.aws.cw.commandCalls(PutMetricDataCommand)[0]!.args[0].input.Namespace).toBe("ActivePieces/Queue");
  });
});
