import { podsPerNode, poolNode, systemAppNodes, type Allocatable, type PodRequest } from "../catalog/eks-nodes";
import type { EksSettings } from "../config/eks-settings";
import type { Environment, RolePlan } from "./types";

/** The EKS node groups: what each is, and how many nodes each needs for the pods it holds; pure. */

export interface Taint {
  readonly key: string;
  readonly value: string;
  readonly effect: "NO_SCHEDULE" | "NO_EXECUTE" | "PREFER_NO_SCHEDULE";
}

/** One managed node group. */
export interface NodePoolPlan {
  readonly name: "system-app" | "worker";
  readonly capacityType: "ON_DEMAND" | "SPOT";
  readonly instanceTypes: readonly string[];
  /** What the smallest node of the pool offers after kube-reserved, eviction and DaemonSets. */
  readonly nodeFree: Allocatable;
  /** Pods of the pool's own workload (app or worker) on an otherwise empty node. */
  readonly podsPerNode: number;
  /** Node group scaling: min, desired (at rest) and max. */
  readonly minNodes: number;
  readonly desiredNodes: number;
  readonly maxNodes: number;
  /** Nodes when the workload runs at its planned maximum. */
  readonly peakNodes: number;
  readonly diskGb: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
}

/** Node label the node groups carry and the pods select on. */
export const POOL_LABEL = "activepieces.com/pool";
/** Taint that keeps everything but worker pods (and DaemonSets) off the Spot nodes. */
export const WORKER_TAINT: Taint = { key: POOL_LABEL, value: "worker", effect: "NO_SCHEDULE" };

/** A role's pod requests: its planned size, CPU already in millicores (RolePlan.cpuMillicores). */
export function rolePod(role: Pick<RolePlan, "cpuMillicores" | "memory">): PodRequest {
  return { cpuMillis: role.cpuMillicores, memoryMiB: role.memory };
}

/** Pods of one size a node group must hold at rest (min, desired) and at peak (max). */
export interface PoolDemand {
  readonly pod: PodRequest;
  readonly min: number;
  readonly desired: number;
  readonly max: number;
}

/**
 * Sizes the on-demand (system + app) and Spot (worker) node groups for the pods each must hold;
 * ActivePieces (planEks) and workload profiles (sizing/profile.ts) share it. Throws when a pod
 * cannot fit on the pool's types at all.
 */
export function sizeNodePools(
  settings: Pick<EksSettings, "appInstanceTypes" | "workerInstanceTypes" | "nodeDiskGb">,
  environment: Environment,
  app: PoolDemand,
  worker: PoolDemand & { readonly what?: string },
): { appPool: NodePoolPlan; workerPool: NodePoolPlan } {
  const appFloor = minAppNodes(environment);

  const appAtMin = systemAppNodes(settings.appInstanceTypes, app.pod, app.min);
  const appAtDesired = systemAppNodes(settings.appInstanceTypes, app.pod, app.desired);
  const appAtPeak = systemAppNodes(settings.appInstanceTypes, app.pod, app.max);
  const appPerNode = podsPerNode(settings.appInstanceTypes, app.pod);
  // One node of headroom above peak so a rolling update (maxSurge 1) never waits for capacity.
  const appPool: NodePoolPlan = {
    name: "system-app",
    capacityType: "ON_DEMAND",
    instanceTypes: settings.appInstanceTypes,
    nodeFree: poolNode(settings.appInstanceTypes),
    podsPerNode: appPerNode,
    minNodes: Math.max(appAtMin, appFloor),
    desiredNodes: Math.max(appAtDesired, appFloor),
    maxNodes: Math.max(appAtPeak, appFloor) + 1,
    peakNodes: Math.max(appAtPeak, appFloor),
    diskGb: settings.nodeDiskGb,
    labels: { [POOL_LABEL]: "system-app" },
    taints: [],
  };

  const workerPerNode = podsPerNode(settings.workerInstanceTypes, worker.pod);
  if (workerPerNode < 1) throw new Error(`a ${worker.what ?? "worker"} pod does not fit on ${settings.workerInstanceTypes.join("/")}`);
  const workerNodes = (pods: number) => Math.ceil(pods / workerPerNode);
  const workerPool: NodePoolPlan = {
    name: "worker",
    capacityType: "SPOT",
    instanceTypes: settings.workerInstanceTypes,
    nodeFree: poolNode(settings.workerInstanceTypes),
    podsPerNode: workerPerNode,
    minNodes: workerNodes(worker.min),
    desiredNodes: workerNodes(worker.desired),
    maxNodes: Math.max(1, workerNodes(worker.max)),
    peakNodes: workerNodes(worker.max),
    diskGb: settings.nodeDiskGb,
    labels: { [POOL_LABEL]: "worker" },
    taints: [WORKER_TAINT],
  };

  return { appPool, workerPool };
}

/** Prod keeps two on-demand nodes so the app and the controllers survive the loss of one node or AZ. */
export function minAppNodes(env: Environment): number {
  return env === "prod" ? 2 : 1;
}
