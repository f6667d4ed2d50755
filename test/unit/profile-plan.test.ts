import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAnyStackConfig, rawFromStackFile } from "../../config/load";
import { isProfileConfig, type ProfileStackConfig } from "../../config/profile-schema";
import { planProfile } from "../../sizing/profile";
import { poolBudget } from "../../policies/facts/rds";

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests edit raw YAML

function config(raw: Raw): ProfileStackConfig {
  const c = parseAnyStackConfig(raw, "test");
  if (!isProfileConfig(c)) throw new Error("expected a profile config");
  return c;
}
const raw = (f: string): Raw => structuredClone(rawFromStackFile(`examples/${f}.yaml`));

describe("planProfile", () => {
  it("plans Langfuse on Fargate: roles in order, prod bounds, edges with ports, Postgres sized for the pools", () => {
    const p = planProfile(config(raw("langfuse")));
    expect(p.kind).toBe("profile");
    expect(p.roles.map((r) => r.name)).toEqual(["web", "web-ingestion", "worker"]);
    expect(p.roles.map((r) => [r.min, r.desired, r.max])).toEqual([
      [2, 2, 10],
      [2, 2, 15],
      [2, 2, 10],
    ]);
    expect(p.roles[0]!.connects).toContainEqual({ target: "postgres", port: 5432 });
    expect(p.roles[0]!.connects).toContainEqual({ target: "redis", port: 6379 });
    expect(p.roles[2]!.scaling).toMatchObject({ mode: "queue", key: "bull:ingestion-queue:wait", scaleOutCooldownSeconds: 60, scaleInCooldownSeconds: 300 });
    expect(p.roles[0]!.cpuMillicores).toBe(1000);
    // 10 x 10 + 10 x 15 + 5 x 10 = 300 connections at maximum.
    expect(p.data.postgres?.poolConnectionsAtMax).toBe(300);
    expect(p.data.postgres!.poolBudget).toBeGreaterThanOrEqual(300);
    expect(p.data.postgres!.multiAz).toBe(true);
    expect(p.data.redis?.maxmemoryPolicy).toBe("noeviction");
    expect(p.data.buckets).toEqual(["events", "media"]);
    expect(p.data.external).toEqual([{ name: "clickhouse", secretArn: expect.stringContaining(":secret:langfuse/clickhouse") }]);
    expect(p.network).toMatchObject({ mode: "new", natGateways: 2 });
    expect(p.eks).toBeUndefined();
  });

  it("uses the staging bounds in staging", () => {
    const r = raw("langfuse");
    r.environment = "staging";
    const p = planProfile(config(r));
    expect(p.roles.map((x) => [x.min, x.max])).toEqual([
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
    expect(p.data.postgres!.multiAz).toBe(false);
  });

  it("gives listener rules priorities 10, 20, ...: specific rules (host, longer path) before a catch-all", () => {
    const lf = planProfile(config(raw("langfuse")));
    const pri = (p: typeof lf, n: string) => {
      const e = p.roles.find((r) => r.name === n)!.exposure;
      return e.kind === "public" ? e.priority : undefined;
    };
    expect(pri(lf, "web-ingestion")).toBe(10);
    expect(pri(lf, "web")).toBe(20);
    expect(pri(lf, "worker")).toBeUndefined();
    const mb = planProfile(config(raw("membrane")));
    expect(["api", "ui", "console"].map((n) => pri(mb, n))).toEqual([10, 20, 30]);
  });

  it("plans Membrane: no Postgres, the code runner internal and reached from api and workers on its port", () => {
    const p = planProfile(config(raw("membrane")));
    expect(p.data.postgres).toBeUndefined();
    expect(p.data.buckets).toEqual(["tmp", "connectors", "static"]);
    const runner = p.roles.find((r) => r.name === "custom-code-runner")!;
    expect(runner.exposure).toEqual({ kind: "internal" });
    const callers = p.roles.filter((r) => r.connects.some((e) => e.target === "role" && e.role === "custom-code-runner" && e.port === 5000)).map((r) => r.name);
    expect(callers).toEqual(["api", "instant-worker", "queued-worker"]);
    expect(p.roles.find((r) => r.name === "orchestrator")).toMatchObject({ min: 2, max: 2, desired: 2 });
    expect(p.roles.find((r) => r.name === "queued-worker")!.metrics).toEqual({ path: "/prometheus/queued-tasks", port: 5000 });
    expect(p.roles.find((r) => r.name === "api")!.secrets.map((s) => s.name)).toContain("MONGO_URI");
  });

  it("sizes EKS node groups: on-demand roles on the on-demand pool, Spot roles on the Spot pool", () => {
    for (const f of ["langfuse-eks", "membrane-eks"]) {
      const p = planProfile(config(raw(f)));
      const eks = p.eks!;
      expect(eks, f).toBeDefined();
      const spot = p.roles.filter((r) => r.capacity === "spot").reduce((n, r) => n + r.max, 0);
      expect(eks.workerPool.peakNodes * eks.workerPool.podsPerNode).toBeGreaterThanOrEqual(spot);
      expect(eks.appPool.minNodes).toBeGreaterThanOrEqual(2);
      expect(eks.keda.version).toMatch(/^\d+\.\d+\.\d+$/);
    }
  });

  it("refuses a database too small for the pools, naming the key", () => {
    const r = raw("langfuse");
    r.profile.data.postgres.instanceClass = "db.t4g.micro";
    expect(() => planProfile(config(r))).toThrow(/profile\.data\.postgres\.instanceClass/);
  });

  it("property: min <= desired <= max for every role, and the database pool budget holds", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ min: fc.integer({ min: 0, max: 20 }), extra: fc.integer({ min: 0, max: 40 }), pool: fc.integer({ min: 1, max: 20 }) }), {
          minLength: 3,
          maxLength: 3,
        }),
        fc.constantFrom("staging", "prod"),
        (bounds, env) => {
          const r = raw("langfuse");
          r.environment = env;
          (Object.values(r.profile.roles) as Raw[]).forEach((role, i) => {
            role.bounds[env] = { min: bounds[i]!.min, max: bounds[i]!.min + bounds[i]!.extra + 1 };
            role.dbPoolSize = bounds[i]!.pool;
          });
          const p = planProfile(config(r));
          for (const role of p.roles) {
            expect(role.min).toBeLessThanOrEqual(role.desired);
            expect(role.desired).toBeLessThanOrEqual(role.max);
          }
          const db = p.data.postgres!;
          expect(db.poolConnectionsAtMax).toBeLessThanOrEqual(poolBudget(db.maxConnections));
          expect(db.poolBudget).toBe(poolBudget(db.maxConnections));
        },
      ),
      { numRuns: 60 },
    );
  });
});
