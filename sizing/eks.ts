/**
 * EKS sizing, pure (no Pulumi import): how many nodes the app (on-demand) and worker (Spot) node
 * groups need at rest and at peak, from what a node holds (catalog/eks-nodes.ts) and the settings of
 * the `eks` config block (config/eks-settings.ts). The plan's app and worker sizes are the pods'
 * requests on EKS (RolePlan.cpuMillicores and memory). plan() calls planEks once; EksSplit reads
 * the result from the plan.
 */
import type { PodRequest } from "../catalog/eks-nodes";
import { defaultEksSettings, type AutoscalerExpander, type EksSettings } from "../config/eks-settings";
import { needsPrivilegedContainer } from "../policies/facts/activepieces";
import { INSTANCE_METADATA_CIDR, workerEgress, type EgressRule } from "./eks-egress";
import { STANDARD_SUPPORT, clusterAutoscalerImage, type EksSupport } from "./eks-catalog";
import { workerHardening, type WorkerHardening } from "./eks-hardening";
import { rolePod, sizeNodePools, type NodePoolPlan } from "./eks-pools";
import type { Plan, PlanBase } from "./types";

/**
 * Seconds an app pod keeps serving after Kubernetes starts terminating it, beyond the ALB
 * deregistration delay: with `target-type: ip` the load balancer controller deregisters the pod's IP
 * only after it sees the pod terminating, and the ALB needs a few seconds to stop routing to it.
 */
export const PRESTOP_MARGIN_SECONDS = 5;

/**
 * App pod shutdown on EKS: a preStop sleep longer than the deregistration delay (the pod serves
 * until the ALB has drained it), then the app's own stop timeout before SIGKILL; the grace period
 * covers both, since Kubernetes counts the preStop hook in it.
 */
export function appDrain(
  deregistrationDelaySeconds: number,
  appStopTimeoutSeconds: number,
): { preStopSleepSeconds: number; appTerminationGracePeriodSeconds: number } {
  const preStopSleepSeconds = deregistrationDelaySeconds + PRESTOP_MARGIN_SECONDS;
  return { preStopSleepSeconds, appTerminationGracePeriodSeconds: preStopSleepSeconds + appStopTimeoutSeconds };
}

export interface EksPlan {
  readonly kubernetesVersion: string;
  /** Upgrade policy and today's support status of the version (sizing/eks-catalog.ts); the status sets the cluster-hour price. */
  readonly support: EksSupport;
  readonly endpointPrivateAccess: boolean;
  readonly endpointPublicAccess: boolean;
  readonly publicAccessCidrs: readonly string[];
  readonly adminRoleArns: readonly string[];
  readonly appPool: NodePoolPlan;
  readonly workerPool: NodePoolPlan;
  readonly appPod: PodRequest;
  readonly workerPod: PodRequest;
  readonly autoscaler: {
    readonly scaleDownUnneededMinutes: number;
    readonly expander: AutoscalerExpander;
    /** The Cluster Autoscaler image of the cluster's Kubernetes minor (catalog/images.ts). */
    readonly image: { readonly repository: string; readonly tag: string };
  };
  /** Where worker pods may connect (their NetworkPolicy), from the release contract. */
  readonly workerEgress: readonly EgressRule[];
  /** Security settings of a non-privileged worker container for the release's image. */
  readonly workerHardening: WorkerHardening;
  /**
   * Whether the worker container runs privileged: the execution mode needs it (SANDBOX_PROCESS*,
   * policies/facts/activepieces.ts needsPrivilegedContainer); workerHardening then does not apply.
   */
  readonly workerPrivileged: boolean;
  /** Excluded from the worker's internet egress besides the VPC CIDR. */
  readonly instanceMetadataCidr: string;
  readonly keda: {
    readonly version: string;
    readonly pollingIntervalSeconds: number;
    readonly scaleDownStabilizationSeconds: number;
    /** Target backlog per worker pod: one job, waiting or running, per flow slot (the worker concurrency). */
    readonly listLength: number;
  };
}

type PlanCore = Pick<PlanBase, "environment" | "app" | "worker" | "workerConcurrency" | "executionMode"> & {
  readonly release: Pick<PlanBase["release"], "contract">;
};

/** The cluster settings of an EKS plan, the same for ActivePieces (planEks) and a workload profile (sizing/profile.ts). */
export type ClusterSettingsPlan = Pick<
  EksPlan,
  | "kubernetesVersion"
  | "support"
  | "endpointPrivateAccess"
  | "endpointPublicAccess"
  | "publicAccessCidrs"
  | "adminRoleArns"
  | "autoscaler"
  | "instanceMetadataCidr"
> & { readonly keda: Omit<EksPlan["keda"], "listLength"> };

/**
 * The control plane, Cluster Autoscaler and KEDA settings from the `eks` config block: everything of
 * an EKS plan but the node pools and the ActivePieces pods. Throws when the version has no Cluster
 * Autoscaler image (the schema and sizing/eks-catalog.ts reject that first).
 */
export function clusterSettingsPlan(settings: EksSettings, support: EksSupport): ClusterSettingsPlan {
  const autoscalerImage = clusterAutoscalerImage(settings.kubernetesVersion);
  if (!autoscalerImage) throw new Error(`no Cluster Autoscaler image for Kubernetes ${settings.kubernetesVersion} in catalog/images.ts`);
  return {
    kubernetesVersion: settings.kubernetesVersion,
    support,
    endpointPrivateAccess: settings.endpointAccess !== "public",
    endpointPublicAccess: settings.endpointAccess !== "private",
    publicAccessCidrs: settings.endpointAccess === "private" ? [] : settings.publicAccessCidrs,
    adminRoleArns: settings.adminRoleArns,
    autoscaler: {
      scaleDownUnneededMinutes: settings.scaleDownUnneededMinutes,
      expander: settings.autoscalerExpander,
      image: { repository: autoscalerImage.repository, tag: autoscalerImage.tag },
    },
    instanceMetadataCidr: INSTANCE_METADATA_CIDR,
    keda: {
      version: settings.kedaVersion,
      pollingIntervalSeconds: settings.pollingIntervalSeconds,
      scaleDownStabilizationSeconds: settings.scaleDownStabilizationSeconds,
    },
  };
}

/**
 * Sizes both node groups for a plan. Pure; throws only when a pod cannot fit at all or the version
 * has no Cluster Autoscaler image (the schema and sizing/eks-catalog.ts reject those first).
 * `support` comes from the catalogue check of the day (plan()); standard support otherwise.
 */
export function planEks(settings: EksSettings, p: PlanCore, support: EksSupport = STANDARD_SUPPORT): EksPlan {
  const cluster = clusterSettingsPlan(settings, support);
  const appPod = rolePod(p.app);
  const workerPod = rolePod(p.worker);
  const { appPool, workerPool } = sizeNodePools(settings, p.environment, { ...p.app, pod: appPod }, { ...p.worker, pod: workerPod });

  return {
    ...cluster,
    appPool,
    workerPool,
    appPod,
    workerPod,
    workerEgress: workerEgress(p.release.contract.roles.worker.connects),
    workerHardening: workerHardening(p.release.contract.line),
    workerPrivileged: needsPrivilegedContainer(p.executionMode),
    keda: { ...cluster.keda, listLength: p.workerConcurrency },
  };
}

/**
 * The plan's EKS sizing, or, for a plan made for Fargate, what the same numbers would need on EKS
 * with the default settings: the cost comparison's what-if (cost/eks.ts). Components never call
 * it; EksSplit takes an EksStackPlan and reads its `eks`.
 */
export function eksPlanOf(plan: Plan): EksPlan {
  if (plan.platform === "eks") return plan.eks;
  const settings = defaultEksSettings(plan.architecture, rolePod(plan.app), rolePod(plan.worker));
  return planEks(settings, plan);
}
