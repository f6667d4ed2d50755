/**
 * The metric function in list mode (a workload profile's `queue` scaling on a named key) against a
 * real redis-server on loopback, plain and TLS: the backlog is the list's length, a missing key is
 * an empty queue, and a key of another type publishes nothing.
 */
import Redis from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../functions/queue-metric/config";
import { QUEUE_METRIC_ENV } from "../../functions/queue-metric/contract";
import { measure } from "../../functions/queue-metric/measure";
import { awsStubs, baseConfig, recordingLogger } from "../../offline/aws-stubs";
import { REDIS_TEST, SERVERS, SKIP_MESSAGE, connectionOptions, ensureRedis, skipIntegration, testFactory } from "../../offline/redis-env";

if (skipIntegration) console.warn(SKIP_MESSAGE);

/** Databases no other test file uses, so files running in parallel never share keys. */
const DB = { plain: 5, tls: 6 } as const;
const KEY = "ingestion:pending";

describe.skipIf(skipIntegration).each(SERVERS)("queue metric on a list key against redis-server ($name)", (server) => {
  let direct: Redis;
  beforeAll(() => {
    ensureRedis();
    direct = new Redis(connectionOptions(server, DB[server.name]));
  });
  afterAll(() => direct.quit());
  beforeEach(() => direct.flushdb());

  async function run(running: number) {
    const aws = awsStubs({ token: REDIS_TEST.password, running });
    const result = await measure({
      config: baseConfig({ redisPort: server.port, redisTls: server.tls, listKey: KEY }),
      secretsManager: aws.secretsManager,
      ecs: aws.ecs,
      cloudWatch: aws.cloudWatch,
      createRedis: testFactory(server, DB[server.name]),
      log: recordingLogger(),
    });
    return result;
  }

  it("publishes the list's length as the backlog and divides it by the running tasks", async () => {
    await direct.rpush(KEY, "a", "b", "c", "d", "e", "f");
    const r = await run(2);
    expect(r).toMatchObject({ published: true, backlog: 6, wait: 6, running: 2, backlogPerWorker: 3 });
  });

  it("reads a missing key as an empty queue", async () => {
    expect(await run(1)).toMatchObject({ published: true, backlog: 0, backlogPerWorker: 0 });
  });

  it("publishes nothing when the key is not a list (a wrong key must not read 0)", async () => {
    await direct.set(KEY, "not a list");
    const r = await run(1);
    expect(r).toMatchObject({ published: false, stage: "redis" });
    expect(r.published ? "" : r.error).toContain("expected a list");
  });
});

describe("queue metric list key from the environment", () => {
  const env = { [QUEUE_METRIC_ENV.redisHost]: "h", [QUEUE_METRIC_ENV.ecsCluster]: "c", [QUEUE_METRIC_ENV.ecsService]: "s" };
  it("is read when set and absent otherwise", () => {
    expect(loadConfig({ ...env, [QUEUE_METRIC_ENV.listKey]: " ingestion:pending " }).listKey).toBe("ingestion:pending");
    expect(loadConfig(env).listKey).toBeUndefined();
  });
});
