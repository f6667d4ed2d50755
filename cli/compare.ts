import { costPerFlowSlot, estimateEks } from "../cost/eks";
import { estimateFargate } from "../cost/estimate";
import type { CostReport } from "../cost/types";
import type { Plan } from "../sizing/types";
import { table, usd } from "./render";

export interface PlatformCost {
  readonly platform: "fargate" | "eks";
  readonly monthlyTotal: number;
  readonly perFlowSlot: number;
  readonly onDemandX86Reference: number;
}

/** The same plan priced on both platforms, so a user can choose with numbers. */
export function comparison(plan: Plan): PlatformCost[] {
  const row = (platform: "fargate" | "eks", r: CostReport): PlatformCost => ({
    platform, monthlyTotal: r.monthlyTotal, perFlowSlot: costPerFlowSlot(r, plan), onDemandX86Reference: r.onDemandX86Reference,
  });
  return [row("fargate", estimateFargate(plan)), row("eks", estimateEks(plan))];
}

export function renderComparison(plan: Plan): string {
  const rows = comparison(plan).map((c) => [
    c.platform === "fargate" ? "Fargate/Spot" : "EKS+KEDA", usd(c.monthlyTotal), usd(c.perFlowSlot), usd(c.onDemandX86Reference),
    (c.monthlyTotal / c.onDemandX86Reference).toFixed(3),
  ]);
  return [
    `== platform comparison (${plan.peakConcurrentFlows} peak concurrent flows, same config)`,
    table(["platform", "monthly USD", "USD per flow slot", "all on-demand x86 USD", "ratio"], rows, [1, 2, 3, 4]),
  ].join("\n");
}
