import type { CostAssumptions, Plan } from "../sizing/types";
import { IMAGE_PULL_GB } from "./fleet";
import type { RegionPricing } from "./regions";
import { round2, total, type CostLine, type CostReport, type WorkerFleet } from "./types";

/** The parts of a report each platform computes; the rest is the same for both. */
export interface Estimates {
  /** Lines at the expected fleet. */
  readonly lines: readonly CostLine[];
  /** Lines with the workers at their minimum and maximum. */
  readonly atMin: readonly CostLine[];
  readonly atMax: readonly CostLine[];
  /** Lines of the all-on-demand x86 reference at the expected fleet. */
  readonly reference: readonly CostLine[];
  /** What starts the image on a deploy: "tasks" on Fargate, "nodes" on EKS. */
  readonly pulledBy: string;
}

export function makeReport(plan: Plan, pricing: RegionPricing, fleet: WorkerFleet, e: Estimates): CostReport {
  const lead: string[] = [];
  if (fleet.mode === "queue") {
    lead.push(
      `queue scaling runs ${fleet.min}..${fleet.max} workers; the expected cost assumes ${round2(fleet.utilisation * 100)}% ` +
        `utilisation (cost.expectedWorkerUtilisation): ${round2(fleet.expected)} workers on average`,
    );
  }
  const common = reportCommon(plan.costAssumptions, pricing, e, lead);
  // Key order as the JSON output has always printed it.
  const { currency, monthlyTotal, monthlyRange, onDemandX86Reference, ...rest } = common;
  return {
    currency,
    monthlyTotal,
    monthlyRange,
    onDemandX86Reference,
    perFlowSlot: round2(monthlyTotal / plan.peakConcurrentFlows),
    peakConcurrentFlows: plan.peakConcurrentFlows,
    workers: fleet,
    ...rest,
  };
}

/** A report without the ActivePieces parts (flow slots, worker fleet): what a workload profile's report shares. */
export type CommonReport = Omit<CostReport, "perFlowSlot" | "peakConcurrentFlows" | "workers">;

/** Totals, range, reference, prices and the stated assumptions (`lead` first), for any plan. */
export function reportCommon(a: CostAssumptions, pricing: RegionPricing, e: Estimates, lead: readonly string[]): CommonReport {
  const monthlyTotal = total(e.lines);
  const assumptions: string[] = [...lead];
  assumptions.push(
    a.natDataGbPerMonth !== undefined
      ? `NAT data is cost.natDataGbPerMonth = ${a.natDataGbPerMonth} GB`
      : `NAT data = workers x ${a.natGbPerWorkerMonth} GB of external API traffic (cost.natGbPerWorkerMonth) + ${a.deploysPerMonth} deploys ` +
          `(cost.deploysPerMonth) x image pulls (one per ${e.pulledBy}) x ${IMAGE_PULL_GB} GB compressed image; worker-to-app traffic stays ` +
          "in the VPC and S3 uses the gateway endpoint",
  );
  assumptions.push(`Spot capacity priced at ${Math.round(a.spotDiscount * 100)}% off on-demand (cost.spotDiscount)`);
  const p = pricing.prices;
  const info = { region: pricing.region, pricesRegion: p.region, verified: p.verified, status: p.status, sources: p.sources, notes: p.notes };
  return {
    currency: "USD",
    monthlyTotal,
    monthlyRange: { min: total(e.atMin), max: total(e.atMax) },
    onDemandX86Reference: total(e.reference),
    lines: e.lines,
    pricesAsOf: p.verified,
    prices: pricesLabel({ pricing: info }),
    pricing: info,
    assumptions,
    warnings: pricing.warning ? [pricing.warning] : [],
  };
}

/** "eu-west-1 prices, verified 2026-12-02" (and the stack's region when another table priced it). */
export function pricesLabel(r: Pick<CostReport, "pricing">): string {
  const { region, pricesRegion, verified } = r.pricing;
  return `${pricesRegion} prices, verified ${verified}${region === pricesRegion ? "" : ` (no table for ${region})`}`;
}
