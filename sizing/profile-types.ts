import type { Architecture, DatabasePlan, Environment, LoadBalancerPlan, NetworkPlan, Platform, RedisPlan, CostAssumptions } from "./types";
import type { ConfigProblem } from "../config/errors";
import type { EksPlan } from "./eks";

/**
 * A workload profile: a service that is not ActivePieces described as a map of roles (its runtime
 * contract), planned into the same shape for both platforms. Components read it and never compute.
 */

/** How a role is reached: through the load balancer on a path (and optionally a host), or only inside the VPC. */
export type Exposure =
  | {
      readonly kind: "public";
      /** Path pattern of the listener rule / Ingress path, e.g. "/" or "/api/*". */
      readonly path: string;
      readonly host?: string;
      /** ALB listener rule priority, unique per stack, assigned by the plan in role order. */
      readonly priority: number;
    }
  | { readonly kind: "internal" };

export interface Cooldowns {
  readonly scaleOutCooldownSeconds: number;
  readonly scaleInCooldownSeconds: number;
}

export type ProfileScaling =
  | { readonly mode: "static" }
  | ({ readonly mode: "cpu"; readonly cpuTarget: number } & Cooldowns)
  /** Scale out when requests per target OR CPU is above its target (two target-tracking policies; the larger count wins). */
  | ({ readonly mode: "requests-or-cpu"; readonly cpuTarget: number; readonly requestsPerTarget: number } & Cooldowns)
  /** Scale on the length of a Redis list (or BullMQ wait list) named by `key`. */
  | ({ readonly mode: "queue"; readonly key: string; readonly backlogPerTask: number } & Cooldowns)
  /** Scale on a Prometheus query (EKS: KEDA prometheus scaler against `serverAddress`). */
  | ({ readonly mode: "prometheus"; readonly query: string; readonly threshold: number; readonly serverAddress: string } & Cooldowns);

/** A connection a role opens (a contract edge). Ports are resolved by the plan. */
export type ProfileEdge =
  | { readonly target: "postgres"; readonly port: number }
  | { readonly target: "redis"; readonly port: number }
  | { readonly target: "s3"; readonly bucket: string }
  | { readonly target: "role"; readonly role: string; readonly port: number }
  /** An external dependency reached over the internet/NAT (e.g. a MongoDB Atlas URI held in Secrets Manager). */
  | { readonly target: "external"; readonly name: string };

/** A secret the role reads: an environment variable filled by ECS/ExternalSecrets from Secrets Manager. */
export interface ProfileSecret {
  readonly name: string;
  /** `<secret arn>` or `<secret arn>:<json key>::` (components/secret-ref.ts). */
  readonly valueFrom: string;
}

export interface ProfileRolePlan {
  readonly name: string;
  readonly image: string;
  /** Non-secret environment, mode variables included (e.g. IS_API=1). */
  readonly env: Readonly<Record<string, string>>;
  readonly port: number;
  readonly health: { readonly path: string; readonly meaning: "readiness" | "liveness" };
  readonly exposure: Exposure;
  /** On-demand capacity (FARGATE / on-demand node group) or Spot (FARGATE_SPOT / Spot node group). */
  readonly capacity: "on-demand" | "spot";
  /** Task/pod CPU units (1024 = 1 vCPU), millicores for Kubernetes, memory in MiB. */
  readonly cpu: number;
  readonly cpuMillicores: number;
  readonly memory: number;
  /** Count at rest and scaling bounds for this stack's environment. */
  readonly desired: number;
  readonly min: number;
  readonly max: number;
  readonly scaling: ProfileScaling;
  readonly connects: readonly ProfileEdge[];
  readonly secrets: readonly ProfileSecret[];
  /** Prometheus scrape endpoint, when the role exposes one. */
  readonly metrics?: { readonly path: string; readonly port: number };
  readonly stopTimeoutSeconds: number;
}

export interface ProfileDataPlan {
  readonly postgres?: DatabasePlan;
  readonly redis?: RedisPlan;
  /** Bucket keys (e.g. "tmp", "connectors", "static"); each becomes one private bucket in the stack's region. */
  readonly buckets: readonly string[];
  /** External dependencies passed only as Secrets Manager references. */
  readonly external: readonly { readonly name: string; readonly secretArn: string }[];
}

/** The plan of a stack running a user-defined profile (not ActivePieces). */
export interface WorkloadPlan {
  readonly kind: "profile";
  readonly profile: string;
  readonly environment: Environment;
  readonly platform: Platform;
  readonly region: string;
  readonly architecture: Architecture;
  readonly frontendUrl: string;
  readonly roles: readonly ProfileRolePlan[];
  readonly data: ProfileDataPlan;
  readonly network: NetworkPlan;
  readonly loadBalancer: LoadBalancerPlan;
  readonly protectData: boolean;
  readonly costAssumptions: CostAssumptions;
  /** EKS only: cluster and node groups sized from the roles. */
  readonly eks?: ProfileEksPlan;
  /** Example values (account 123456789012, example.com) the plan warns about and a real `pulumi up` refuses. */
  readonly placeholders: readonly ConfigProblem[];
  readonly warnings: readonly string[];
}

/**
 * EKS for a profile: the same cluster and node-group settings as ActivePieces (components/eks reuses
 * them): `appPool` is the on-demand group (roles with capacity on-demand), `workerPool` the Spot group.
 */
export interface ProfileEksPlan extends Omit<EksPlan, "appPod" | "workerPod" | "workerEgress" | "workerHardening" | "workerPrivileged" | "keda"> {
  readonly keda: { readonly version: string; readonly pollingIntervalSeconds: number; readonly scaleDownStabilizationSeconds: number };
}
