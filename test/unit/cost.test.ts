import { describe, expect, it } from "vitest";
import { parseStackConfig, loadStackFile } from "../../config";
import { estimate, fargateTaskMonth, splitByCapacity } from "../../cost/estimate";
import { plan } from "../../sizing/plan";

const prodPlan = () => plan(loadStackFile("Pulumi.prod.yaml"));

describe("cost model", () => {
  it.each([
    [512, 1024, "x86_64", 18.02],
    [512, 1024, "arm64", 14.42],
  ] as const)("prices a %i/%i %s task-month like the AWS pricing page", (cpu, mem, arch, usd) => {
    expect(fargateTaskMonth(cpu, mem, arch)).toBeCloseTo(usd, 2);
  });

  it("splits tasks across providers by base then weight, like ECS", () => {
    const role = { capacity: [{ capacityProvider: "FARGATE", base: 5, weight: 1 }, { capacityProvider: "FARGATE_SPOT", base: 0, weight: 3 }] };
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

  it("lists every line with quantity x unit price = monthly and totals them", () => {
    const c = estimate(prodPlan());
    for (const l of c.lines) expect(l.monthly).toBeCloseTo(l.quantity * l.unitPrice, 1);
    expect(c.monthlyTotal).toBeCloseTo(c.lines.reduce((s, l) => s + l.monthly, 0), 1);
    const components = new Set(c.lines.map((l) => l.component));
    for (const k of ["app", "worker", "database", "redis", "network", "load balancer", "secrets", "observability"]) expect(components).toContain(k);
    expect(c.lines.find((l) => l.item.startsWith("RDS"))!.item).toContain("Multi-AZ");
  });
});
