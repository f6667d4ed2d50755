import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { loadStackFile, parseStackConfig, rawFromStackFile } from "../../config";
import { costPerFlowSlot, estimateEks } from "../../cost/eks";
import { EC2_HOURLY, x86Counterpart } from "../../cost/prices-eks";
import { INSTANCE_TYPE_NAMES } from "../../catalog/ec2-instances";
import { compareAt } from "../../examples/compare";
import { plan } from "../../sizing/plan";
import type { EksStackPlan } from "../../sizing/types";

const example = (): EksStackPlan => {
  const p = plan(loadStackFile("examples/eks-prod.yaml"));
  if (p.platform !== "eks") throw new Error("examples/eks-prod.yaml is an EKS stack");
  return p;
};
const lineOf = (r: ReturnType<typeof estimateEks>, component: string) => r.lines.find((l) => l.component === component)!;

describe("estimateEks", () => {
  it("prices the control plane at 0.10 USD an hour", () => {
    expect(lineOf(estimateEks(example()), "control plane")).toMatchObject({ quantity: 1, monthly: 73 });
  });

  it("prices a real plan on a version past standard support with eks.extendedSupport at 0.60 USD an hour", () => {
    vi.useFakeTimers({ now: new Date("2026-12-02T12:00:00Z"), toFake: ["Date"] });
    try {
      const raw = rawFromStackFile("examples/eks-prod.yaml");
      const eks = { ...(raw.eks as object), kubernetesVersion: "1.33", extendedSupport: true };
      const p = plan(parseStackConfig({ ...raw, eks }, "t"));
      expect(p.eks!.support.status).toBe("extended");
      expect(lineOf(estimateEks(p), "control plane")).toMatchObject({ unitPrice: 438, monthly: 438 });
      const standard = plan(parseStackConfig(raw, "t"));
      expect(lineOf(estimateEks(standard), "control plane")).toMatchObject({ item: "EKS cluster (standard support)", monthly: 73 });
    } finally {
      vi.useRealTimers();
    }
  });

  it("prices a cluster whose version is in extended support at 0.60 USD an hour", () => {
    const p = example();
    const extended = { ...p, eks: { ...p.eks, kubernetesVersion: "1.33", support: { supportType: "EXTENDED", status: "extended" } as const } };
    expect(lineOf(estimateEks(extended), "control plane")).toMatchObject({
      item: "EKS cluster (Kubernetes 1.33 in extended support)",
      quantity: 1,
      unitPrice: 0.6 * 730,
      monthly: 438,
    });
    expect(estimateEks(extended).monthlyTotal - estimateEks(p).monthlyTotal).toBeCloseTo(365, 2);
  });

  it("prices app nodes on-demand and worker nodes at the Spot discount of the pool's mean price", () => {
    const r = estimateEks(example());
    expect(lineOf(r, "app")).toMatchObject({ quantity: 2, unitPrice: 0.1632 * 730, monthly: 238.27 });
    const mean = (0.0725 + 0.068 + 0.0816 + 0.077) / 4;
    // Queue scaling 5..50 workers, 3 per node: 2..17 Spot nodes, 9.5 on average at 50% utilisation.
    expect(lineOf(r, "worker").quantity).toBe(9.5);
    expect(lineOf(r, "worker").item).toContain("27.5 worker pods, 3 per node");
    expect(lineOf(r, "worker").unitPrice).toBeCloseTo(mean * 730 * 0.3, 6);
    expect(lineOf(r, "nodes")).toMatchObject({ quantity: 230, monthly: 18.4 });
  });

  it("prices the queue-scaled worker pool between its nodes at min and at max", () => {
    const p = example();
    const r = estimateEks(p);
    const spotNode = lineOf(r, "worker").unitPrice;
    const node = (n: number) => n * spotNode + n * 20 * 0.08 + 4 * n * 1 * 0.045;
    // From 2 to 17 Spot nodes: each adds its price, its root volume and its image pulls through NAT.
    expect(r.monthlyRange.max - r.monthlyRange.min).toBeCloseTo(node(17) - node(2) + 45 * 2 * 0.045, 1);
    expect(r.monthlyTotal).toBeCloseTo((r.monthlyRange.min + r.monthlyRange.max) / 2, 1);
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
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1200 }), fc.integer({ min: 1, max: 200 }), (peak, extra) => {
        const at = (n: number) => estimateEks(plan(parseStackConfig({ ...raw, platform: "eks", peakConcurrentFlows: n }, "test")));
        const a = at(peak);
        expect(at(peak + extra).monthlyTotal).toBeGreaterThanOrEqual(a.monthlyTotal);
        expect(a.monthlyTotal).toBeLessThan(a.onDemandX86Reference);
      }),
      { numRuns: 40 },
    );
  });
});

describe("Fargate vs EKS per concurrent-flow slot (examples/compare.ts)", () => {
  it("prices the prod config at 10, 50 and 200 peak flows on both platforms", () => {
    const rows = compareAt("Pulumi.prod.yaml", [10, 50, 200]);
    expect(rows.map((r) => r.eks.perSlot)).toEqual([60.05, 16.8, 12.82]);
    expect(rows.map((r) => [r.eks.appNodes, r.eks.workerNodes])).toEqual([
      [2, 4],
      [2, 17],
      [7, 67],
    ]);
    for (const r of rows) {
      expect(r.fargate.perSlot).toBe(Math.round((r.fargate.monthly / r.peakConcurrentFlows) * 100) / 100);
      expect(r.eks.monthly).toBeLessThan(r.eks.reference);
    }
    expect(rows[0]!.fargate.perSlot).toBeGreaterThan(rows[2]!.fargate.perSlot);
  });
});
