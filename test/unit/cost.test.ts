import { describe, expect, it } from "vitest";
import { parseStackConfig, loadStackFile } from "../../config";
import { estimate, fargateTaskMonth, splitByCapacity } from "../../cost/estimate";
import { plan } from "../../sizing/plan";
import { planFor } from "../stack";

const prodPlan = () => plan(loadStackFile("Pulumi.prod.yaml"));

describe("cost model", () => {
  it.each([
    [512, 1024, "x86_64", 18.02],
    [512, 1024, "arm64", 14.42],
  ] as const)("prices a %i/%i %s task-month like the AWS pricing page", (cpu, mem, arch, usd) => {
    expect(fargateTaskMonth(cpu, mem, arch)).toBeCloseTo(usd, 2);
  });

  it("splits tasks across providers by base then weight, like ECS", () => {
    const role = {
      capacity: [
        { capacityProvider: "FARGATE", base: 5, weight: 1 },
        { capacityProvider: "FARGATE_SPOT", base: 0, weight: 3 },
      ],
    };
    expect(splitByCapacity(role as never, 45)).toEqual({ onDemand: 15, spot: 30 });
    expect(splitByCapacity(role as never, 3)).toEqual({ onDemand: 3, spot: 0 });
  });

  it("prod at 50 flows costs at most 0.45x its all-on-demand x86 reference, app on-demand, data Multi-AZ", () => {
    const p = prodPlan();
    const c = estimate(p);
    expect(p.peakConcurrentFlows).toBe(50);
    expect(p.app.capacity.every((s) => s.capacityProvider === "FARGATE")).toBe(true);
    expect(p.database.multiAz).toBe(true);
    expect(p.redis.multiAz).toBe(true);
    expect(c.monthlyTotal / c.onDemandX86Reference).toBeLessThanOrEqual(0.45);
  });

  it("lands near the FACTS reference point: ~1,270 USD all on-demand x86 at 50 flows", () => {
    const c = estimate(prodPlan());
    expect(c.onDemandX86Reference).toBeGreaterThan(1150);
    expect(c.onDemandX86Reference).toBeLessThan(1400);
  });

  it("treats the Spot discount as a stated, configurable assumption", () => {
    const raw = { environment: "prod", region: "us-east-1", image: "a/b:0.83.0", frontendUrl: "http://x.example.com", peakConcurrentFlows: 50 };
    const at70 = estimate(plan(parseStackConfig(raw, "t")));
    const at50 = estimate(plan(parseStackConfig({ ...raw, cost: { spotDiscount: 0.5 } }, "t")));
    const spot = (r: typeof at70) => r.lines.find((l) => l.item.startsWith("Fargate Spot"))!;
    expect(spot(at70).item).toContain("-70% assumed");
    expect(spot(at50).monthly / spot(at70).monthly).toBeCloseTo(0.5 / 0.3, 2);
    expect(at50.onDemandX86Reference).toBe(at70.onDemandX86Reference);
  });

  it("prices the alarm topic's customer-managed KMS key (1 USD per key-month) and bills the Redis alarm per member", () => {
    const p = prodPlan();
    const onEks = planFor("prod", { platform: "eks" });
    if (onEks.platform !== "eks") throw new Error("expected an EKS plan");
    for (const report of [estimate(p), estimate({ ...p, platform: "eks", eks: onEks.eks })]) {
      const key = report.lines.find((l) => l.item.startsWith("KMS key for the alarm topic"))!;
      expect(key).toMatchObject({ component: "observability", quantity: 1, unitPrice: 1, unit: "key-month", monthly: 1 });
    }
    const alarms = estimate(p).lines.find((l) => l.item === "CloudWatch alarm metrics")!;
    // 10 alarms; the Redis one reads both members of the replication group.
    expect(alarms).toMatchObject({ quantity: 11, unitPrice: 0.1, monthly: 1.1 });
  });

  it("lists every line with quantity x unit price = monthly (to the cent) and totals them", () => {
    const c = estimate(prodPlan());
    for (const l of c.lines) expect(l.monthly).toBe(Math.round((l.quantity * l.unitPrice + Number.EPSILON) * 100) / 100);
    expect(c.monthlyTotal).toBeCloseTo(
      c.lines.reduce((s, l) => s + l.monthly, 0),
      1,
    );
    const components = new Set(c.lines.map((l) => l.component));
    for (const k of ["app", "worker", "database", "redis", "network", "load balancer", "secrets", "observability"]) expect(components).toContain(k);
    expect(c.lines.find((l) => l.item.startsWith("RDS"))!.item).toContain("Multi-AZ");
  });
});

const RAW = { environment: "prod", region: "us-east-1", image: "a/b:0.83.0", frontendUrl: "http://x.example.com", peakConcurrentFlows: 50 } as const;
const queue = (cost: Record<string, number> = {}) => plan(parseStackConfig({ ...RAW, worker: { scaling: { mode: "queue", min: 5, max: 50 } }, cost }, "t"));
const lineOf = (r: ReturnType<typeof estimate>, prefix: string) => r.lines.find((l) => l.item.startsWith(prefix))!;

describe("queue scaling is priced as a range and an expected total", () => {
  it("prices the workers at min, at max, and at min + utilisation x (max - min) for the expected total", () => {
    const r = estimate(queue());
    expect(r.workers).toEqual({ mode: "queue", min: 5, max: 50, expected: 27.5, utilisation: 0.5 });
    expect(lineOf(r, "Fargate Spot arm64 0.5 vCPU").quantity).toBe(27.5);
    expect(r.monthlyRange.min).toBeLessThan(r.monthlyTotal);
    expect(r.monthlyTotal).toBeLessThan(r.monthlyRange.max);
    // Every worker-dependent line is linear in the worker count, so the expected total sits half-way.
    expect(r.monthlyTotal).toBeCloseTo((r.monthlyRange.min + r.monthlyRange.max) / 2, 1);
  });

  it("runs at the minimum with utilisation 0 and at the maximum with utilisation 1", () => {
    const low = estimate(queue({ expectedWorkerUtilisation: 0 }));
    const high = estimate(queue({ expectedWorkerUtilisation: 1 }));
    expect(low.monthlyTotal).toBe(low.monthlyRange.min);
    expect(high.monthlyTotal).toBe(high.monthlyRange.max);
    expect(low.monthlyRange).toEqual(high.monthlyRange);
  });

  it("states the cost per flow slot as the expected total over the peak concurrent flows", () => {
    const r = estimate(queue());
    expect(r.perFlowSlot).toBe(Math.round((r.monthlyTotal / 50) * 100) / 100);
    expect(r.assumptions.join("\n")).toMatch(/5\.\.50 workers; the expected cost assumes 50% utilisation/);
  });

  it("keeps static scaling a single number: range min = max = total", () => {
    const r = estimate(prodPlan());
    expect(r.workers).toMatchObject({ mode: "static", min: 50, max: 50, expected: 50 });
    expect(r.monthlyRange).toEqual({ min: r.monthlyTotal, max: r.monthlyTotal });
  });

  it("rejects a utilisation outside 0..1", () => {
    expect(() => queue({ expectedWorkerUtilisation: 1.5 })).toThrow(/expectedWorkerUtilisation/);
  });
});

describe("NAT data is derived from the fleet", () => {
  it("counts external API traffic per worker and one image pull per task per deploy (prod: 50 x 2 + 4 x 55 x 1 GB)", () => {
    const nat = lineOf(estimate(prodPlan()), "NAT data");
    expect(nat).toMatchObject({ quantity: 320, unitPrice: 0.045, unit: "GB", monthly: 14.4 });
    expect(nat.item).toContain("50 workers x 2 GB API traffic + 4 deploys x 55 image pulls x 1 GB");
  });

  it("grows with the fleet and with the stated assumptions", () => {
    const at = (cost: Record<string, number>, peak = 50) =>
      lineOf(estimate(plan(parseStackConfig({ ...RAW, peakConcurrentFlows: peak, cost }, "t"))), "NAT data").quantity;
    expect(at({}, 100)).toBeGreaterThan(at({}, 50));
    expect(at({ natGbPerWorkerMonth: 4 })).toBe(at({}) + 100);
    expect(at({ deploysPerMonth: 0 })).toBe(100);
  });

  it("lets cost.natDataGbPerMonth replace the derived figure", () => {
    const nat = lineOf(estimate(plan(parseStackConfig({ ...RAW, cost: { natDataGbPerMonth: 500 } }, "t"))), "NAT data");
    expect(nat).toMatchObject({ item: "NAT data processed (cost.natDataGbPerMonth)", quantity: 500, monthly: 22.5 });
  });

  it("pulls the image once per node on EKS", () => {
    const p = plan(parseStackConfig({ ...RAW, platform: "eks" }, "t"));
    const nat = lineOf(estimate(p), "NAT data");
    const nodes = p.eks!.appPool.desiredNodes + p.eks!.workerPool.desiredNodes;
    expect(nat.quantity).toBe(50 * 2 + 4 * nodes);
  });
});
