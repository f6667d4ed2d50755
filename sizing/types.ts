import type { Architecture } from "../catalog/ec2-instances";
import type { RoleExtras } from "../contract/extras";
import type { MemoryBudget } from "../contract/memory";
import type { Health, ReleaseContract } from "../contract/types";
import type { EksPlan } from "./eks";

/**
 * The plan: every number the deployment needs, derived once from the stack config.
 * Components, the cost model and the CLI read it; none of them recomputes a size.
 */

export type Environment = "staging" | "prod";
export type Platform = "fargate" | "eks";
/** CPU architecture, defined with the instance catalogue the node groups choose from. */
export type { Architecture };

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
  /** Kubernetes CPU request and limit in millicores (1024 units = 1000m). */
  readonly cpuMillicores: number;
  /** --max-old-space-size in MiB of the role's own process (memory.nodeHeapMb). */
  readonly nodeHeapMb: number;
  /** How the role's memory is spent: own heap, engine heaps, runtime overhead, sidecar (contract/memory.ts). */
  readonly memoryBudget: MemoryBudget;
  /** The role's health endpoint and whether it means readiness or liveness, from the release contract. */
  readonly health: Health;
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
  /**
   * Whether a changed instance setting applies during `pulumi up` (true) or waits for the
   * maintenance window (false; `up` then reports success before the change is live).
   */
  readonly applyImmediately: boolean;
  /** Retention of the CloudWatch log groups the postgresql and upgrade logs are exported to, days. */
  readonly logRetentionDays: number;
  /** The Amazon RDS CAs of the region the app trusts (AP_POSTGRES_SSL_CA, contract/rds-ca.ts). */
  readonly caSubjects: readonly string[];
}

export interface RedisPlan {
  readonly nodeType: string;
  readonly replicas: number;
  readonly engineVersion: string;
  readonly multiAz: boolean;
  readonly maxmemoryPolicy: "noeviction";
  /** As DatabasePlan.applyImmediately: apply modifications now, or in the maintenance window. */
  readonly applyImmediately: boolean;
}

export type NetworkPlan =
  | { readonly mode: "new"; readonly cidr: string; readonly azCount: number; readonly natGateways: number }
  | {
      readonly mode: "existing";
      readonly vpcId: string;
      readonly privateSubnetIds: readonly string[];
      readonly publicSubnetIds: readonly string[];
      readonly azCount: number;
      readonly natGateways: number;
    };

export interface LoadBalancerPlan {
  readonly scheme: "internet-facing" | "internal";
  readonly allowedCidrs: readonly string[];
  readonly allowedPrefixListIds: readonly string[];
  readonly certificateArn?: string;
  readonly https: boolean;
  /**
   * Seconds the ALB keeps a deregistering app target for in-flight requests. The app ignores SIGTERM;
   * the delay runs before the stop timeout starts (ECS and the load balancer controller deregister
   * first), so it is independent of it (sizing/endpoint.ts).
   */
  readonly deregistrationDelaySeconds: number;
  /** Seconds an idle client connection stays open (ALB attribute idle_timeout.timeout_seconds). */
  readonly idleTimeoutSeconds: number;
  /** How the ALB checks an app target (the same on both platforms; sizing/endpoint.ts). */
  readonly healthCheck: HealthCheckPlan;
  /** TLS policy of the HTTPS listener. */
  readonly tlsPolicy: string;
  /** EKS (IP targets): an app pod's preStop sleep, longer than the deregistration delay (sizing/eks.ts appDrain). */
  readonly preStopSleepSeconds: number;
  /** EKS: the app pod's terminationGracePeriodSeconds, the preStop sleep plus the app's stop timeout. */
  readonly appTerminationGracePeriodSeconds: number;
}

/** Target group health check of the app. */
export interface HealthCheckPlan {
  readonly path: string;
  /** HTTP codes that mean healthy (ALB matcher / success-codes). */
  readonly successCodes: string;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
}

/** The ActivePieces release the image runs and the contract of its line. */
export interface ReleasePlan {
  readonly version: string;
  readonly contract: ReleaseContract;
}

/** Where each role reaches the app: users through the load balancer, workers over the internal path. */
export interface UrlPlan {
  /** AP_FRONTEND_URL of the app: the public URL users open. */
  readonly public: string;
  /** AP_FRONTEND_URL of the workers: the app's internal endpoint (ECS Service Connect or a Kubernetes Service). */
  readonly workerToApp: string;
}

export interface CostAssumptions {
  readonly spotDiscount: number;
  /** Internet traffic through NAT per worker-month, GB (cost/fleet.ts natData). */
  readonly natGbPerWorkerMonth: number;
  readonly deploysPerMonth: number;
  /** When set, replaces the NAT data derived from the fleet. */
  readonly natDataGbPerMonth?: number;
  /** Queue scaling: the average fleet is min + this x (max - min) workers. */
  readonly expectedWorkerUtilisation: number;
  readonly albLcu: number;
  readonly logsGbPerMonth: number;
}

/** What every plan has, whatever the platform. */
export interface PlanBase {
  readonly environment: Environment;
  readonly platform: Platform;
  readonly region: string;
  readonly architecture: Architecture;
  readonly image: string;
  readonly frontendUrl: string;
  readonly urls: UrlPlan;
  readonly release: ReleasePlan;
  /** AP_SANDBOX_MEMORY_LIMIT in the unit the release reads, set on the role that reads it. */
  readonly sandboxMemoryLimit: string;
  /** Stand-in values (example domain, example account) that a real `pulumi up` refuses (sizing/placeholders.ts). */
  readonly placeholders: readonly { readonly key: string; readonly value: unknown; readonly message: string }[];
  /** Secrets Manager ARNs of an existing installation's secrets, used instead of generated ones. */
  readonly existingSecrets: { readonly encryptionKey?: string; readonly jwtSecret?: string; readonly workerToken?: string };
  /** extraEnv / extraSecrets of the stack config, routed to the roles whose release reads them. */
  readonly extras: Readonly<Record<"app" | "worker", RoleExtras>>;
  /** AP_CLIENT_REAL_IP_HEADER: the header the load balancer puts the client address in. */
  readonly clientIpHeader: "x-forwarded-for";
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
  /** Human-readable notes about choices the plan made (an HTTP-only ALB, a placeholder, ...). */
  readonly warnings: readonly string[];
}

/** A plan for ECS Fargate: nothing beyond the base. */
export interface FargatePlan extends PlanBase {
  readonly platform: "fargate";
  /** Never set: `plan.eks` reads as undefined on a Fargate plan, so code may test it. */
  readonly eks?: never;
}

/** A plan for EKS: the node groups and controllers are part of it (sizing/eks.ts), never re-derived. */
export interface EksStackPlan extends PlanBase {
  readonly platform: "eks";
  readonly eks: EksPlan;
}

/** The plan, one variant per platform: narrow on `platform` to reach the platform's part. */
export type Plan = FargatePlan | EksStackPlan;
