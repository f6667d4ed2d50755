import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, parseStackConfig } from "../../config";
import { estimate } from "../../cost/estimate";
import { isValidFargatePair } from "../../policies/facts/fargate";
import { poolBudget, rdsClass } from "../../policies/facts/rds";
import { plan } from "../../sizing/plan";

const base = {
  region: "us-east-1",
  image: "ghcr.io/activepieces/activepieces:0.79.0",
  frontendUrl: "http://flows.example.com",
};
const planFor = (raw: Record<string, unknown>) => plan(parseStackConfig({ ...base, ...raw }, "test"));

describe("plan: seed scenarios", () => {
  it("sizes the split guide's 25 concurrent flows as 25 Spot workers and 3 apps", () => {
    const p = planFor({ environment: "staging", peakConcurrentFlows: 25 });
    expect(p.worker).toMatchObject({ desired: 25, min: 25, max: 25, cpu: 512, memory: 1024, stopTimeoutSeconds: 120, dbPoolSize: 0 });
    expect(p.worker.capacity).toEqual([{ capacityProvider: "FARGATE_SPOT", base: 0, weight: 1 }]);
    expect(p.app).toMatchObject({ desired: 3, min: 3, max: 6, cpu: 1024, memory: 2048 });
    expect(p.app.capacity).toEqual([{ capacityProvider: "FARGATE", base: 0, weight: 1 }]);
  });

  it.each([
    [40, 4, 8, "db.t4g.small"],
    [80, 8, 16, "db.t4g.medium"],
    [200, 20, 40, "db.m7g.large"],
  ])("matches the vendor ratio at %i workers: %i apps (max %i), database %s", (flows, apps, appMax, dbClass) => {
    const p = planFor({ environment: "prod", peakConcurrentFlows: flows });
    expect(p.worker.max).toBe(flows);
    expect(p.app.min).toBe(apps);
    expect(p.app.max).toBe(appMax);
    expect(p.database.instanceClass).toBe(dbClass);
    expect(p.database.poolConnectionsAtMax).toBe(appMax * 10);
  });

  it.each([
    ["staging", 5, "cache.t4g.micro"],
    ["prod", 50, "cache.t4g.small"],
    ["prod", 500, "cache.t4g.medium"],
    ["prod", 1500, "cache.m7g.large"],
  ])("sizes Redis by the fleet: %s with %i workers gets %s", (environment, flows, nodeType) => {
    expect(planFor({ environment, peakConcurrentFlows: flows }).redis.nodeType).toBe(nodeType);
  });

  it("keeps a configured Redis node type whatever the fleet", () => {
    expect(planFor({ environment: "prod", peakConcurrentFlows: 1500, redis: { nodeType: "cache.t4g.small" } }).redis.nodeType).toBe("cache.t4g.small");
  });

  it("keeps at least 2 apps in prod even for one flow", () => {
    expect(planFor({ environment: "prod", peakConcurrentFlows: 1 }).app.min).toBe(2);
    expect(planFor({ environment: "staging", peakConcurrentFlows: 1 }).app.min).toBe(1);
  });

  it("puts the on-demand base and weights on the worker strategy", () => {
    const p = planFor({ environment: "prod", peakConcurrentFlows: 50, worker: { capacity: { onDemandBase: 5, onDemandWeight: 1, spotWeight: 3 } } });
    expect(p.worker.capacity).toEqual([
      { capacityProvider: "FARGATE", base: 5, weight: 1 },
      { capacityProvider: "FARGATE_SPOT", base: 0, weight: 3 },
    ]);
  });

  it("bounds queue-scaled workers by the configured min and max", () => {
    const p = planFor({ environment: "prod", peakConcurrentFlows: 50, worker: { scaling: { mode: "queue", min: 5, max: 60, backlogPerWorker: 2 } } });
    expect(p.worker).toMatchObject({ desired: 5, min: 5, max: 60 });
    expect(p.workerScaling).toEqual({ mode: "queue", backlogPerWorker: 2, scaleOutCooldownSeconds: 60, scaleInCooldownSeconds: 300 });
    expect(p.app.min).toBe(6);
  });

  it("splits worker memory into its own heap, the engine heap and overhead, next to the Service Connect proxy on Fargate", () => {
    const p = planFor({ environment: "prod", peakConcurrentFlows: 10 });
    expect(p.worker.memoryBudget).toEqual({ totalMiB: 1024, sidecarMiB: 64, overheadMiB: 256, nodeHeapMb: 256, engineHeapMb: 448, engines: 1 });
    expect(p.worker.nodeHeapMb).toBe(256);
    // 0.79 reads AP_SANDBOX_MEMORY_LIMIT in KB.
    expect(p.sandboxMemoryLimit).toBe(String(448 * 1024));
    const b = p.worker.memoryBudget;
    expect(b.sidecarMiB + b.overheadMiB + b.nodeHeapMb + b.engines * b.engineHeapMb).toBeLessThanOrEqual(b.totalMiB);
    expect(p.app.nodeHeapMb).toBe(1472);
  });

  it("gives the engine heap in MB on 0.80-0.81, whose worker reads the value as MB", () => {
    const p = planFor({ environment: "prod", peakConcurrentFlows: 10, image: "activepieces/activepieces:0.81.2" });
    expect(p.release.contract.line).toBe("0.80");
    expect(p.sandboxMemoryLimit).toBe("448");
  });

  it("refuses a worker too small for its heap, the engine heap and their overhead, naming worker.memory", () => {
    expect(() => planFor({ environment: "prod", peakConcurrentFlows: 10, workerConcurrency: 2 })).toThrow(
      /worker\.memory: cannot hold [^\n]*; allowed 1216 MiB or more at workerConcurrency 2/,
    );
  });

  it("rejects a database class too small for the pools, naming the key", () => {
    expect(() => planFor({ environment: "prod", peakConcurrentFlows: 200, database: { instanceClass: "db.t4g.small" } })).toThrow(ConfigError);
    try {
      planFor({ environment: "prod", peakConcurrentFlows: 200, database: { instanceClass: "db.t4g.small" } });
    } catch (e) {
      expect((e as ConfigError).problems[0]).toMatchObject({ key: "database.instanceClass", value: "db.t4g.small" });
      expect((e as ConfigError).problems[0]!.message).toContain("allows 158 pool connections");
    }
  });

  it("plans up to 2,000 flows on the default pool, then asks for a smaller pool instead of an impossible database", () => {
    expect(planFor({ environment: "prod", peakConcurrentFlows: 2000 }).database.instanceClass).toBe("db.m7g.4xlarge");
    expect(() => planFor({ environment: "prod", peakConcurrentFlows: 2010 })).toThrow(
      "app.dbPoolSize: per app x 402 apps at maximum = 4020 connections, more than the 4000 (80% of max_connections) of the largest class db.m7g.4xlarge; lower app.dbPoolSize or app.max (got 10)",
    );
    expect(planFor({ environment: "prod", peakConcurrentFlows: 10000, app: { dbPoolSize: 2 } }).database.poolConnectionsAtMax).toBe(4000);
  });

  it("rejects app.min below what the worker count needs", () => {
    expect(() => planFor({ environment: "prod", peakConcurrentFlows: 50, app: { min: 2 } })).toThrow(/app\.min: is below the 5 apps needed/);
  });
});

// Mostly realistic fleets, sometimes the schema's limit (which the pool budget often rejects).
const flows = fc.oneof({ arbitrary: fc.integer({ min: 1, max: 1000 }), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: 10000 }), weight: 1 });
const environment = fc.constantFrom("staging", "prod");
const poolSize = fc.integer({ min: 1, max: 30 });
const workersPerApp = fc.integer({ min: 1, max: 50 });

/** Plans that a property actually judged; a property over nothing but rejected configs proves nothing. */
let judged = 0;

function tryPlan(raw: Record<string, unknown>) {
  try {
    const p = planFor(raw);
    judged++;
    return p;
  } catch (e) {
    if (e instanceof ConfigError) return undefined; // too big for the largest database: a clear error, not a plan
    throw e;
  }
}

describe("plan: properties", () => {
  beforeEach(() => {
    judged = 0;
  });
  afterEach(() => {
    expect(judged).toBeGreaterThan(30);
  });

  it("every task size is a valid Fargate pair", () => {
    fc.assert(
      fc.property(flows, environment, (n, env) => {
        const p = tryPlan({ environment: env, peakConcurrentFlows: n });
        if (!p) return;
        expect(isValidFargatePair(p.app.cpu, p.app.memory)).toBe(true);
        expect(isValidFargatePair(p.worker.cpu, p.worker.memory)).toBe(true);
      }),
    );
  });

  it("the pool budget always holds: pool x max instances <= 80% of max_connections", () => {
    fc.assert(
      fc.property(flows, environment, poolSize, workersPerApp, (n, env, pool, wpa) => {
        const p = tryPlan({ environment: env, peakConcurrentFlows: n, workersPerApp: wpa, app: { dbPoolSize: pool } });
        if (!p) return;
        const max = rdsClass(p.database.instanceClass)!.maxConnections;
        expect(p.app.dbPoolSize * p.app.max + p.worker.dbPoolSize * p.worker.max).toBeLessThanOrEqual(poolBudget(max));
      }),
    );
  });

  it("apps x workersPerApp covers the most workers", () => {
    fc.assert(
      fc.property(flows, environment, workersPerApp, (n, env, wpa) => {
        const p = tryPlan({ environment: env, peakConcurrentFlows: n, workersPerApp: wpa });
        if (!p) return;
        expect(p.app.min * wpa).toBeGreaterThanOrEqual(p.worker.max);
      }),
    );
  });

  it("more peak flows never yields fewer workers or a lower cost", () => {
    fc.assert(
      fc.property(flows, flows, environment, (a, b, env) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const pl = tryPlan({ environment: env, peakConcurrentFlows: lo });
        const ph = tryPlan({ environment: env, peakConcurrentFlows: hi });
        if (!pl || !ph) return;
        expect(ph.worker.max).toBeGreaterThanOrEqual(pl.worker.max);
        expect(ph.app.min).toBeGreaterThanOrEqual(pl.app.min);
        expect(estimate(ph).monthlyTotal).toBeGreaterThanOrEqual(estimate(pl).monthlyTotal);
      }),
    );
  });

  it("picks the smallest database class that fits (no smaller class would)", () => {
    fc.assert(
      fc.property(flows, poolSize, (n, pool) => {
        const p = tryPlan({ environment: "staging", peakConcurrentFlows: n, app: { dbPoolSize: pool } });
        if (!p) return;
        const order = ["db.t4g.micro", "db.t4g.small", "db.t4g.medium", "db.m7g.large", "db.m7g.xlarge", "db.m7g.2xlarge", "db.m7g.4xlarge"];
        const smaller = order.slice(0, order.indexOf(p.database.instanceClass));
        for (const c of smaller) expect(p.database.poolConnectionsAtMax).toBeGreaterThan(poolBudget(rdsClass(c)!.maxConnections));
      }),
    );
  });
});
