import type { PriceGroup, PriceSource, PriceStatus } from "./regions/types";

/** One line of the monthly cost table. */
export interface CostLine {
  /** Which part of the deployment: app, worker, database, redis, network, load balancer, ... */
  readonly component: string;
  /** What is priced, e.g. "Fargate Spot arm64 0.5 vCPU / 1 GB". */
  readonly item: string;
  /** How many units a month (an average for queue-scaled workers: it may be fractional). */
  readonly quantity: number;
  /** USD per unit. */
  readonly unitPrice: number;
  /** Unit of quantity x unitPrice, e.g. "task-month", "GB-month", "hour". */
  readonly unit: string;
  /** quantity x unitPrice rounded to the cent, USD per month. */
  readonly monthly: number;
}

/** The worker fleet the estimate prices: fixed for static scaling, a range for queue scaling. */
export interface WorkerFleet {
  readonly mode: "static" | "queue";
  readonly min: number;
  readonly max: number;
  /** Average running workers: min + utilisation x (max - min); equals min = max for static scaling. */
  readonly expected: number;
  /** cost.expectedWorkerUtilisation for queue scaling; 1 for static scaling (always at max). */
  readonly utilisation: number;
}

/** Which region's prices were used, how they were obtained, and from where. */
export interface PricingInfo {
  /** The stack's region. */
  readonly region: string;
  /** The region whose table priced it (us-east-1 when the stack's region has no table). */
  readonly pricesRegion: string;
  readonly verified: string;
  readonly status: Readonly<Record<PriceGroup, PriceStatus>>;
  readonly sources: readonly PriceSource[];
  readonly notes: readonly string[];
}

export interface CostReport {
  readonly currency: "USD";
  /** Expected monthly total: queue-scaled workers at cost.expectedWorkerUtilisation. */
  readonly monthlyTotal: number;
  /** Totals with the workers at their minimum and at their maximum (equal for static scaling). */
  readonly monthlyRange: { readonly min: number; readonly max: number };
  /** The same plan priced with all compute on-demand x86: what the Spot/Graviton choices save against. */
  readonly onDemandX86Reference: number;
  /** Expected monthly total / peak concurrent flows, USD per month per flow slot. */
  readonly perFlowSlot: number;
  readonly peakConcurrentFlows: number;
  readonly workers: WorkerFleet;
  readonly lines: readonly CostLine[];
  /** Date the price table was verified. */
  readonly pricesAsOf: string;
  /** Which region's prices were used: "eu-west-1 prices, verified 2026-12-02". */
  readonly prices: string;
  readonly pricing: PricingInfo;
  /** Assumptions behind derived quantities (NAT data, utilisation), stated for the reader. */
  readonly assumptions: readonly string[];
  /** Problems with the estimate itself, e.g. a region priced with another region's table. */
  readonly warnings: readonly string[];
}

/** Hours in a month, the convention AWS pricing pages use. */
export const HOURS_PER_MONTH = 730;

/** Quantities carry at most 2 decimals, so quantity x unit price is reproducible from the table. */
export function line(component: string, item: string, quantity: number, unitPrice: number, unit: string): CostLine {
  const q = Math.round(quantity * 100) / 100;
  return { component, item, quantity: q, unitPrice, unit, monthly: round2(q * unitPrice) };
}

export function round2(n: number): number {
  return Math.round((n + Number.EPSILON) * 100) / 100;
}

export function total(lines: readonly CostLine[]): number {
  return round2(lines.reduce((s, l) => s + l.monthly, 0));
}
