import { describe, expect, it } from "vitest";
import { parseAnyStackConfig, rawFromStackFile } from "../../config/load";
import { isProfileConfig } from "../../config/profile-schema";
import { estimateProfile } from "../../cost/profile";
import { planProfile } from "../../sizing/profile";

const planOf = (f: string) => {
  const c = parseAnyStackConfig(rawFromStackFile(`examples/${f}.yaml`), f);
  if (!isProfileConfig(c)) throw new Error("expected a profile");
  return planProfile(c);
};

describe("estimateProfile", () => {
  it.each(["langfuse", "membrane", "langfuse-eks", "membrane-eks"])("%s: totals add up, min <= expected <= max, below the on-demand x86 reference", (f) => {
    const r = estimateProfile(planOf(f));
    const sum = Math.round(r.lines.reduce((a, l) => a + l.monthly, 0) * 100) / 100;
    expect(r.monthlyTotal).toBeCloseTo(sum, 2);
    expect(r.monthlyRange.min).toBeLessThanOrEqual(r.monthlyTotal);
    expect(r.monthlyTotal).toBeLessThanOrEqual(r.monthlyRange.max);
    expect(r.monthlyTotal).toBeLessThan(r.onDemandX86Reference);
    expect(r.currency).toBe("USD");
  });

  it("prices each role on Fargate, Spot roles at the Spot discount, and the shared data tier", () => {
    const p = planOf("langfuse");
    const r = estimateProfile(p);
    const components = new Set(r.lines.map((l) => l.component));
    for (const c of ["web", "web-ingestion", "worker", "database", "redis", "network", "load balancer"]) expect(components.has(c), c).toBe(true);
    const worker = r.lines.find((l) => l.component === "worker")!;
    const web = r.lines.find((l) => l.component === "web")!;
    expect(worker.item).toMatch(/Spot/);
    // Same size: the Spot task-month is 30% of the on-demand one at the default 70% discount.
    expect(worker.unitPrice).toBeCloseTo(web.unitPrice * 0.3, 6);
    // Autoscaled roles at min + 50% of (max - min).
    expect(r.roles.find((x) => x.name === "web-ingestion")!.expected).toBe(8.5);
  });

  it("Membrane has no database line", () => {
    const r = estimateProfile(planOf("membrane"));
    expect(r.lines.some((l) => l.component === "database")).toBe(false);
  });

  it("on EKS prices the control plane and the two node groups", () => {
    const r = estimateProfile(planOf("membrane-eks"));
    const components = r.lines.map((l) => l.component);
    expect(components).toEqual(expect.arrayContaining(["control plane", "on-demand nodes", "spot nodes", "nodes"]));
  });
});
