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
import { ioredisFactory, type QueueRedis, type RedisConnection } from "../../functions/queue-metric/redis";
import { BACKLOG_KEY, QUEUE_META_KEY } from "../../queue/keys";
import { CLUSTER, NAMESPACE, SECRET_ARN, SERVICE, awsStubs, baseConfig, expectedPut, recordingLogger } from "../integration/aws-stubs";

const TOKEN = "s3cr3t-auth-token-value";
const NOW = new Date("2026-03-02T10:00:00.000Z");
const LANE = 2 ** 32;

type Value = { type: "zset"; scores: number[] } | { type: "hash" } | { type: "list" | "string" };

/** Just enough Redis for the function: AUTH on connect, EXISTS, TYPE, ZCOUNT with BullMQ score bounds. */
class StubRedis implements QueueRedis {
  readonly calls: string[] = [];
  private listener: ((err: Error) => void) | undefined;
  closed = false;
  constructor(private readonly data: Map<string, Value>, private readonly password: string, private readonly connection: RedisConnection) {}
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
  async exists(key: string) {
    this.calls.push(`EXISTS ${key}`);
    return this.data.has(key) ? 1 : 0;
  }
  async type(key: string) {
    this.calls.push(`TYPE ${key}`);
    return this.data.get(key)?.type ?? "none";
  }
  async zcount(key: string, min: string | number, max: string | number) {
    this.calls.push(`ZCOUNT ${key} ${min} ${max}`);
    const v = this.data.get(key);
    if (v && v.type !== "zset") throw new Error("WRONGTYPE Operation against a key holding the wrong kind of value");
    // Redis ZCOUNT bounds: "-inf", "+inf", a number, or "(n" for an exclusive bound.
    const bound = (b: string | number) => {
      const s = String(b);
      if (s === "-inf") return { n: -Infinity, open: false };
      if (s === "+inf") return { n: Infinity, open: false };
      return s.startsWith("(") ? { n: Number(s.slice(1)), open: true } : { n: Number(s), open: false };
    };
    const lo = bound(min);
    const hi = bound(max);
    return (v?.scores ?? []).filter((x) => (lo.open ? x > lo.n : x >= lo.n) && (hi.open ? x < hi.n : x <= hi.n)).length;
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

function setup(opts: { data?: Map<string, Value>; running?: number; tokenCache?: TokenCache; now?: Date } = {}) {
  const data = opts.data ?? new Map<string, Value>([
    [QUEUE_META_KEY, { type: "hash" }],
    [BACKLOG_KEY, { type: "zset", scores: lanes({ 1: 2, 3: 10, 5: 4, 6: 7 }) }],
  ]);
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
  it("publishes Backlog (lanes 1-5) and BacklogPerWorker with the exact namespace, names, dimension and unit", async () => {
    const { deps, aws, log, clients } = setup({ running: 4 });

    const result = await measure(deps);

    expect(result).toEqual({ published: true, backlog: 16, parked: 7, running: 4, backlogPerWorker: 4 });
    expect(aws.cw.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input)).toEqual([expectedPut(16, 4, NOW)]);
    expect(aws.ecsMock.commandCalls(DescribeServicesCommand)[0]!.args[0].input).toEqual({ cluster: CLUSTER, services: [SERVICE] });
    expect(aws.sm.commandCalls(GetSecretValueCommand)[0]!.args[0].input).toEqual({ SecretId: SECRET_ARN });
    expect(clients[0]!.calls).toEqual([
      `EXISTS ${QUEUE_META_KEY}`,
      `TYPE ${BACKLOG_KEY}`,
      `ZCOUNT ${BACKLOG_KEY} -inf (${6 * LANE}`,
      `ZCOUNT ${BACKLOG_KEY} ${6 * LANE} +inf`,
    ]);
    expect(clients[0]!.closed).toBe(true);
    expect(log.lines).toEqual([expect.objectContaining({ level: "info", backlog: 16, parked: 7, running: 4, key: BACKLOG_KEY, namespace: NAMESPACE, service: SERVICE })]);
  });

  it("connects with TLS and the token from Secrets Manager, to the configured host and port", async () => {
    const seen: RedisConnection[] = [];
    const { deps } = setup();
    const inner = deps.createRedis;
    await measure({ ...deps, config: baseConfig({ redisHost: "master.prod-redis.abc123.use1.cache.amazonaws.com", redisPort: 6380 }), createRedis: (c) => (seen.push(c), inner(c)) });
    expect(seen).toEqual([{ host: "master.prod-redis.abc123.use1.cache.amazonaws.com", port: 6380, tls: true, password: TOKEN }]);
  });

  it("divides by at least one worker: no running task gives the whole backlog per worker", async () => {
    const { deps, aws } = setup({ running: 0 });
    expect(await measure(deps)).toMatchObject({ published: true, backlog: 16, running: 0, backlogPerWorker: 16 });
    expect(aws.cw.commandCalls(PutMetricDataCommand)[0]!.args[0].input).toEqual(expectedPut(16, 16, NOW));
  });

  it("an existing, empty queue publishes a real zero", async () => {
    const { deps, aws } = setup({ data: new Map([[QUEUE_META_KEY, { type: "hash" }]]) });
    expect(await measure(deps)).toEqual({ published: true, backlog: 0, parked: 0, running: 4, backlogPerWorker: 0 });
    expect(aws.cw.commandCalls(PutMetricDataCommand)[0]!.args[0].input).toEqual(expectedPut(0, 0, NOW));
  });

  it("puts lane 5 in the backlog and lane 6 out of it, at the exact score boundary", async () => {
    const data = new Map<string, Value>([
      [QUEUE_META_KEY, { type: "hash" }],
      [BACKLOG_KEY, { type: "zset", scores: [6 * LANE - 1, 6 * LANE, 7 * LANE - 1] }],
    ]);
    expect(await measure(setup({ data }).deps)).toMatchObject({ published: true, backlog: 1, parked: 2 });
  });
});

describe("measure: failures publish nothing and log one error", () => {
  async function expectNothingPublished(s: ReturnType<typeof setup>, stage: string, error: RegExp) {
    const result = await measure(s.deps);
    expect(result).toMatchObject({ published: false, stage });
    expect(result.published === false && result.error).toMatch(error);
    expect(s.aws.cw.commandCalls(PutMetricDataCommand)).toHaveLength(0);
    expect(s.log.lines).toEqual([expect.objectContaining({ level: "error", msg: "queue metric not published", stage, key: BACKLOG_KEY, service: SERVICE })]);
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

  it("backlog key of the wrong type", async () => {
    const s = setup({ data: new Map<string, Value>([[QUEUE_META_KEY, { type: "hash" }], [BACKLOG_KEY, { type: "list" }]]) });
    await expectNothingPublished(s, "redis", new RegExp(`^${BACKLOG_KEY} is a list, expected a sorted set \\(zset\\)`));
  });

  it("no BullMQ queue under this prefix and name (meta hash missing)", async () => {
    const s = setup({ data: new Map<string, Value>([[BACKLOG_KEY, { type: "zset", scores: [] }]]) });
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
    s.aws.ecsMock.on(DescribeServicesCommand).resolves({ services: [], failures: [{ arn: `arn:aws:ecs:us-east-1:123456789012:service/${CLUSTER}/${SERVICE}`, reason: "MISSING" }] });
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
    expect(await measure(s.deps)).toMatchObject({ published: true, backlog: 16 });
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
    const handler = createHandler({ env: { ...env, [QUEUE_METRIC_ENV.redisTls]: "true" }, secretsManager: s.deps.secretsManager, ecs: s.deps.ecs, cloudWatch: s.deps.cloudWatch, createRedis: s.deps.createRedis, log: s.log, now: () => NOW });
    expect(await handler()).toEqual({ backlog: 16, parked: 7, running: 4, backlogPerWorker: 4 });
    expect(s.aws.cw.commandCalls(PutMetricDataCommand)[0]!.args[0].input.Namespace).toBe("ActivePieces/Queue");
  });
});
