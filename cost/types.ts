/** One line of the monthly cost table. */
export interface CostLine {
  /** Which part of the deployment: app, worker, database, redis, network, load balancer, ... */
  readonly component: string;
  /** What is priced, e.g. "Fargate Spot arm64 0.5 vCPU / 1 GB". */
  readonly item: string;
  readonly quantity: number;
  /** USD per unit. */
  readonly unitPrice: number;
  /** Unit of quantity x unitPrice, e.g. "task-month", "GB-month", "hour". */
  readonly unit: string;
  /** quantity x unitPrice, USD per month. */
  readonly monthly: number;
}

export interface CostReport {
  readonly currency: "USD";
  readonly monthlyTotal: number;
  /** The same plan priced with all compute on-demand x86: what the Spot/Graviton choices save against. */
  readonly onDemandX86Reference: number;
  readonly lines: readonly CostLine[];
  /** Date of the price table used. */
  readonly pricesAsOf: string;
}

/** Hours in a month, the convention AWS pricing pages use. */
export const HOURS_PER_MONTH = 730;

export function line(component: string, item: string, quantity: number, unitPrice: number, unit: string): CostLine {
  return { component, item, quantity, unitPrice, unit, monthly: round2(quantity * unitPrice) };
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
