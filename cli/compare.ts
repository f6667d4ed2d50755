import { estimateEks } from "../cost/eks";
import { estimateFargate } from "../cost/estimate";
import { pricesLabel } from "../cost/report";
import type { CostReport } from "../cost/types";
import type { Plan } from "../sizing/types";
import { table, usd } from "./render";
import { wrap } from "./wrap";

export interface PlatformCost {
  readonly platform: "fargate" | "eks";
  /** Expected monthly total (queue-scaled workers at cost.expectedWorkerUtilisation). */
  readonly monthlyTotal: number;
  /** Totals with the workers at their minimum and maximum (equal for static scaling). */
  readonly monthlyRange: { readonly min: number; readonly max: number };
  /** Expected total / peak concurrent flows. */
  readonly perFlowSlot: number;
  readonly onDemandX86Reference: number;
  /** "eu-west-1 prices, verified 2026-12-02". */
  readonly prices: string;
}

/**
 * The same plan priced on both platforms, so a user can choose with numbers. The one function
 * behind `--compare` (text and JSON) and the README comparison tables (cli/docs.ts).
 */
export function comparison(plan: Plan): PlatformCost[] {
  const row = (platform: "fargate" | "eks", r: CostReport): PlatformCost => ({
    platform,
    monthlyTotal: r.monthlyTotal,
    monthlyRange: r.monthlyRange,
    perFlowSlot: r.perFlowSlot,
    onDemandX86Reference: r.onDemandX86Reference,
    prices: pricesLabel(r),
  });
  return [row("fargate", estimateFargate(plan)), row("eks", estimateEks(plan))];
}

export function platformName(p: PlatformCost["platform"]): string {
  return p === "fargate" ? "Fargate/Spot" : "EKS+KEDA";
}

/** "563.70..840.09", or "-" when the range is one value (static scaling). */
export function rangeText(c: Pick<PlatformCost, "monthlyRange">): string {
  return c.monthlyRange.min === c.monthlyRange.max ? "-" : `${usd(c.monthlyRange.min)}..${usd(c.monthlyRange.max)}`;
}

export function renderComparison(plan: Plan): string {
  const rows = comparison(plan);
  const workers = plan.workerScaling.mode === "queue" ? `queue ${plan.worker.min}..${plan.worker.max} workers` : `static ${plan.worker.desired} workers`;
  return [
    `== platform comparison (${plan.peakConcurrentFlows} peak concurrent flows, ${workers}, same config)`,
    table(
      ["platform", "USD/month", "range USD", "per flow slot", "on-demand x86 ref.", "ratio"],
      rows.map((c) => [
        platformName(c.platform),
        usd(c.monthlyTotal),
        rangeText(c),
        usd(c.perFlowSlot),
        usd(c.onDemandX86Reference),
        (c.monthlyTotal / c.onDemandX86Reference).toFixed(3),
      ]),
      [1, 2, 3, 4, 5],
    ),
    ...wrap(`USD/month is the expected total; per flow slot = USD/month / ${plan.peakConcurrentFlows}; ${rows[0]!.prices}`),
  ].join("\n");
}
