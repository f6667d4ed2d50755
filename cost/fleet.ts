import type { CostAssumptions, Plan } from "../sizing/types";
import type { WorkerFleet } from "./types";

/**
 * The worker fleet an estimate prices, and the NAT data it moves. Pure: quantities only, no prices.
 */

/** min + u x (max - min). */
export function between(min: number, max: number, u: number): number {
  return min + u * (max - min);
}

/**
 * Static scaling runs every worker all the time. Queue scaling runs between worker.scaling.min and
 * max; `cost.expectedWorkerUtilisation` u says where the fleet sits on average: min + u x (max - min).
 */
export function workerFleet(plan: Pick<Plan, "worker" | "workerScaling" | "costAssumptions">): WorkerFleet {
  const { min, max } = plan.worker;
  if (plan.workerScaling.mode !== "queue")
    return { mode: "static", min: plan.worker.desired, max: plan.worker.desired, expected: plan.worker.desired, utilisation: 1 };
  const u = plan.costAssumptions.expectedWorkerUtilisation;
  return { mode: "queue", min, max, expected: between(min, max, u), utilisation: u };
}

/**
 * Compressed size of the ActivePieces image, GB, pulled through NAT from its public registry each
 * time a task (Fargate) or node (EKS) starts it. The image is over 4 GB on disk in 2024
 * (activepieces/activepieces#4898), cut by about 2 GB in #4933 and trimmed again in #11435 (2026);
 * registry layers are compressed to roughly half of that. Not checked against the registry
 * manifest of the pinned tag: set cost.natDataGbPerMonth when the real figure is known.
 */
export const IMAGE_PULL_GB = 1;

export interface NatData {
  readonly gb: number;
  /** How the number was reached, for the cost table and the README. */
  readonly item: string;
}

/**
 * NAT data processed a month. Only traffic to the internet crosses NAT: external APIs the flows
 * call, and image pulls. Worker-to-app traffic stays inside the VPC (ECS Service Connect or a
 * Kubernetes Service), S3 goes through the free gateway endpoint. `cost.natDataGbPerMonth`, when
 * set, replaces the derived figure.
 */
export function natData(a: CostAssumptions, workers: number, pullsPerDeploy: number): NatData {
  if (a.natDataGbPerMonth !== undefined) return { gb: a.natDataGbPerMonth, item: "NAT data processed (cost.natDataGbPerMonth)" };
  const api = workers * a.natGbPerWorkerMonth;
  const pulls = a.deploysPerMonth * pullsPerDeploy * IMAGE_PULL_GB;
  return {
    gb: Math.round((api + pulls) * 100) / 100,
    item:
      `NAT data: ${fmt(workers)} workers x ${fmt(a.natGbPerWorkerMonth)} GB API traffic` +
      ` + ${a.deploysPerMonth} deploys x ${fmt(pullsPerDeploy)} image pulls x ${IMAGE_PULL_GB} GB`,
  };
}

function fmt(n: number): string {
  return String(Math.round(n * 100) / 100);
}
