import type { EksPlan } from "./eks";

/**
 * The plan: every number the deployment needs, derived once from the stack config.
 * Components, the cost model and the CLI read it; none of them recomputes a size.
 */

export type Environment = "staging" | "prod";
export type Platform = "fargate" | "eks";
export type Architecture = "arm64" | "x86_64";

/** One entry of an ECS capacity provider strategy (or its EKS analogue: node capacity type). */
export interface CapacityShare {
  readonly capacityProvider: "FARGATE" | "FARGATE_SPOT";
  readonly base: number;
  readonly weight: number;
}

export type WorkerScalingPlan =
  | { readonly mode: "static" }
  | { readonly mode: "queue"; readonly backlogPerWorker: number; readonly scaleOutCooldownSeconds: number; readonly scaleInCooldownSeconds: number };

/** A role is data: the same service code builds app and worker from these fields. */
export interface RolePlan {
  readonly role: "app" | "worker";
  /** AP_CONTAINER_TYPE */
  readonly containerType: "APP" | "WORKER";
  /** Task/pod CPU units (1024 = 1 vCPU) and memory in MiB. */
  readonly cpu: number;
  readonly memory: number;
  /** Count at rest (desired), and autoscaling bounds. */
  readonly desired: number;
  readonly min: number;
  readonly max: number;
  /** --max-old-space-size in MiB, derived from memory with headroom for off-heap and the sandbox. */
  readonly nodeHeapMb: number;
  readonly capacity: readonly CapacityShare[];
  /** Seconds a task gets between SIGTERM and SIGKILL. */
  readonly stopTimeoutSeconds: number;
  /** Postgres pool per task (0 for roles that do not connect to the database). */
  readonly dbPoolSize: number;
}

export interface AppScalingPlan {
  readonly cpuTarget: number;
  readonly requestsPerTarget: number;
  readonly scaleOutCooldownSeconds: number;
  readonly scaleInCooldownSeconds: number;
}

export interface DatabasePlan {
  readonly instanceClass: string;
  readonly memoryGiB: number;
  readonly maxConnections: number;
  /** Connections the pools may take at maximum scale, and the 80% budget they must fit. */
  readonly poolConnectionsAtMax: number;
  readonly poolBudget: number;
  readonly engineVersion: string;
  readonly multiAz: boolean;
  readonly allocatedStorageGb: number;
  readonly maxAllocatedStorageGb: number;
  readonly backupRetentionDays: number;
  readonly performanceInsights: boolean;
  readonly deletionProtection: boolean;
}

export interface RedisPlan {
  readonly nodeType: string;
  readonly replicas: number;
  readonly engineVersion: string;
  readonly multiAz: boolean;
  readonly maxmemoryPolicy: "noeviction";
}

export type NetworkPlan =
  | { readonly mode: "new"; readonly cidr: string; readonly azCount: number; readonly natGateways: number }
  | { readonly mode: "existing"; readonly vpcId: string; readonly privateSubnetIds: readonly string[]; readonly publicSubnetIds: readonly string[]; readonly azCount: number; readonly natGateways: number };

export interface LoadBalancerPlan {
  readonly scheme: "internet-facing" | "internal";
  readonly allowedCidrs: readonly string[];
  readonly allowedPrefixListIds: readonly string[];
  readonly certificateArn?: string;
  readonly https: boolean;
}

export interface CostAssumptions {
  readonly spotDiscount: number;
  readonly natDataGbPerMonth: number;
  readonly albLcu: number;
  readonly logsGbPerMonth: number;
}

export interface Plan {
  readonly environment: Environment;
  readonly platform: Platform;
  readonly region: string;
  readonly architecture: Architecture;
  readonly image: string;
  readonly frontendUrl: string;
  readonly executionMode: string;
  readonly peakConcurrentFlows: number;
  readonly workerConcurrency: number;
  readonly workersPerApp: number;
  readonly app: RolePlan;
  readonly worker: RolePlan;
  readonly appScaling: AppScalingPlan;
  readonly workerScaling: WorkerScalingPlan;
  readonly database: DatabasePlan;
  readonly redis: RedisPlan;
  readonly network: NetworkPlan;
  readonly loadBalancer: LoadBalancerPlan;
  readonly protectData: boolean;
  readonly costAssumptions: CostAssumptions;
  /** EKS node groups and controllers; set for `platform: eks` (sizing/eks.ts). */
  readonly eks?: EksPlan;
  /** Human-readable notes about choices the plan made (a snapped size, HTTP-only ALB, ...). */
  readonly warnings: readonly string[];
}
