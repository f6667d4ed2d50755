import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadStackFile, parseStackConfig, rawFromStackFile } from "../../config";
import { costPerFlowSlot, estimateEks } from "../../cost/eks";
import { EC2_HOURLY, x86Counterpart } from "../../cost/prices-eks";
import { INSTANCE_TYPE_NAMES } from "../../sizing/ec2-instances";
import { compareAt } from "../../examples/compare";
import { plan } from "../../sizing/plan";

const example = () => plan(loadStackFile("examples/eks-prod.yaml"));
const lineOf = (r: ReturnType<typeof estimateEks>, component: string) => r.lines.find((l) => l.component === component)!;

describe("estimateEks", () => {
  it("prices the control plane at 0.10 USD an hour", () => {
    expect(lineOf(estimateEks(example()), "control plane")).toMatchObject({ quantity: 1, monthly: 73 });
  });

  it("prices app nodes on-demand and worker nodes at the Spot discount of the pool's mean price", () => {
    const r = estimateEks(example());
    expect(lineOf(r, "app")).toMatchObject({ quantity: 2, unitPrice: 0.1632 * 730, monthly: 238.27 });
    const mean = (0.0725 + 0.068 + 0.0816 + 0.077) / 4;
    // Queue scaling keeps 5 workers at rest: 2 Spot nodes of 3 workers.
    expect(lineOf(r, "worker").quantity).toBe(2);
    expect(lineOf(r, "worker").unitPrice).toBeCloseTo(mean * 730 * 0.3, 6);
    expect(lineOf(r, "nodes")).toMatchObject({ quantity: 80, monthly: 6.4 });
  });

  it("includes the shared data tier and network lines", () => {
    const components = new Set(estimateEks(example()).lines.map((l) => l.component));
    for (const c of ["database", "redis", "network", "load balancer", "secrets", "observability"]) expect(components).toContain(c);
  });

  it("has a price and an x86 counterpart for every offered instance type", () => {
    for (const t of INSTANCE_TYPE_NAMES) {
      expect(EC2_HOURLY[t]).toBeGreaterThan(0);
      expect(EC2_HOURLY[x86Counterpart(t)]).toBeGreaterThanOrEqual(EC2_HOURLY[t]!);
    }
  });

  it("prices a Fargate plan on EKS from the same numbers", () => {
    const fargate = plan(loadStackFile("Pulumi.prod.yaml"));
    const r = estimateEks(fargate);
    expect(lineOf(r, "worker").quantity).toBe(17);
    expect(r.monthlyTotal).toBeLessThan(r.onDemandX86Reference);
    expect(costPerFlowSlot(r, fargate)).toBe(Math.round((r.monthlyTotal / 50) * 100) / 100);
  });

  it("never gets cheaper with more peak flows, and stays below its on-demand x86 reference", () => {
    const raw = rawFromStackFile("Pulumi.prod.yaml");
    fc.assert(fc.property(fc.integer({ min: 1, max: 1200 }), fc.integer({ min: 1, max: 200 }), (peak, extra) => {
      const at = (n: number) => estimateEks(plan(parseStackConfig({ ...raw, platform: "eks", peakConcurrentFlows: n }, "test")));
      const a = at(peak);
      expect(at(peak + extra).monthlyTotal).toBeGreaterThanOrEqual(a.monthlyTotal);
      expect(a.monthlyTotal).toBeLessThan(a.onDemandX86Reference);
    }), { numRuns: 40 });
  });
});

describe("Fargate vs EKS per concurrent-flow slot (examples/compare.ts)", () => {
  it("prices the prod config at 10, 50 and 200 peak flows on both platforms", () => {
    const rows = compareAt("Pulumi.prod.yaml", [10, 50, 200]);
    expect(rows.map((r) => r.eks.perSlot)).toEqual([60.19, 16.71, 12.68]);
    expect(rows.map((r) => [r.eks.appNodes, r.eks.workerNodes])).toEqual([[2, 4], [2, 17], [7, 67]]);
    for (const r of rows) {
      expect(r.fargate.perSlot).toBe(Math.round((r.fargate.monthly / r.peakConcurrentFlows) * 100) / 100);
      expect(r.eks.monthly).toBeLessThan(r.eks.reference);
    }
    expect(rows[0]!.fargate.perSlot).toBeGreaterThan(rows[2]!.fargate.perSlot);
  });
});
