/**
 * EKS sizing, pure (no Pulumi import): how many nodes the app (on-demand) and worker (Spot) node
 * groups need at rest and at peak, from what a node holds (catalog/eks-nodes.ts) and the settings of
 * the `eks` config block (config/eks-settings.ts). The plan's app and worker sizes are the pods'
 * requests on EKS (RolePlan.cpuMillicores and memory). plan() calls planEks once; EksSplit reads
 * the result from the plan.
 */
import { podsPerNode, poolNode, systemAppNodes, type Allocatable, type PodRequest } from "../catalog/eks-nodes";
import { defaultEksSettings, type AutoscalerExpander, type EksSettings } from "../config/eks-settings";
import { needsPrivilegedContainer } from "../policies/facts/activepieces";
import type { Edge, ReleaseLineId } from "../contract/types";
import { STANDARD_SUPPORT, clusterAutoscalerImage, type EksSupport } from "./eks-catalog";
import type { Environment, Plan, PlanBase, RolePlan } from "./types";

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

/** Where a worker pod may open connections (rendered into its NetworkPolicy by components/eks/network-policy.ts). */
export type EgressPeer =
  /** The app's pods (reached through its Service, whose port equals the container port). */
  | "app-pods"
  /** CoreDNS (the kube-dns Service in kube-system). */
  | "cluster-dns"
  /** Anything inside the VPC CIDR (the cluster-external ElastiCache and RDS endpoints). */
  | "vpc"
  /** Anywhere outside the VPC CIDR and the instance metadata address: what flows call. */
  | "internet";

export interface EgressRule {
  readonly to: EgressPeer;
  /** Ports allowed; none means every port. */
  readonly ports: readonly { readonly protocol: "TCP" | "UDP"; readonly port: number }[];
  readonly why: string;
}

/** CoreDNS listens on 53, UDP and TCP. */
export const DNS_PORT = 53;
/** EC2 instance metadata (IMDS): worker pods never need it (no pod role; Pod Identity does not use it). */
export const INSTANCE_METADATA_CIDR = "169.254.169.254/32";
/** Every IPv4 address: the worker's internet egress, less the VPC CIDR and the metadata address. */
export const ANY_IPV4_CIDR = "0.0.0.0/0";

/**
 * A worker pod's egress, from its release contract's edges (contract/lines.ts): the app's pods for
 * an `app` edge, the VPC CIDR on the edge's port for the data tier (Redis on 0.79, ElastiCache lives
 * outside the cluster), the internet for `s3`; plus DNS, and the internet (all ports) for what
 * flows call. Nothing else: no Postgres or Redis on releases whose workers do not connect to them.
 */
export function workerEgress(connects: readonly Edge[]): EgressRule[] {
  const rules: EgressRule[] = connects.map((e) => ({
    to: e.target === "app" ? "app-pods" : e.target === "s3" ? "internet" : "vpc",
    ports: [{ protocol: "TCP", port: e.port }],
    why: `${e.target}: ${e.why}`,
  }));
  rules.push({
    to: "cluster-dns",
    ports: [
      { protocol: "UDP", port: DNS_PORT },
      { protocol: "TCP", port: DNS_PORT },
    ],
    why: "name resolution through CoreDNS",
  });
  rules.push({ to: "internet", ports: [], why: "flows call the internet (pieces, HTTP steps, code steps)" });
  return rules;
}

/** A writable emptyDir a worker container needs when its root filesystem is read-only. */
export interface WritablePath {
  readonly name: string;
  readonly mountPath: string;
  readonly why: string;
}

/**
 * How far a (non-privileged) worker container is locked down: it runs flows, i.e. user code. What
 * the published image allows, read from its Dockerfile and docker-entrypoint.sh (ActivePieces
 * 0.80.0 c48ff1e4 and 0.83.0 04c19239; 0.79.0 a719b8c0):
 * - seccomp `RuntimeDefault` and `allowPrivilegeEscalation: false`: on every line; node, pm2, bun
 *   and nginx make no syscall the default profile blocks and never gain privileges (no setuid binary
 *   is used).
 * - Not `runAsNonRoot`: the image has no USER, so it runs as root; /usr/src/app and /root are
 *   root's; pm2-runtime keeps its state in root's home (/root/.pm2) and the release listens on port
 *   80 (AP_PORT, the contract's health port), which a non-root process cannot bind without the
 *   ambient NET_BIND_SERVICE capability Kubernetes does not grant. Running it as another user is a
 *   change to the image, not a setting.
 * - 0.80 and later (pm2 starts only node; no nginx): all capabilities dropped except
 *   NET_BIND_SERVICE (root still needs it for port 80), and a read-only root filesystem with
 *   emptyDirs where the worker writes: /tmp (the generated pm2 ecosystem file; HOME of the engine
 *   processes), /usr/src/app/cache (`path.resolve('cache')` in W/lib/cache/cache-paths.ts: the
 *   engine copy, installed pieces, compiled code steps) and /root (pm2's PM2_HOME, bun's install
 *   cache). Nothing the image ships under those paths is needed at run time.
 * - 0.79: the entrypoint rewrites /usr/share/nginx/html/index.html with envsubst and starts nginx
 *   (pid, logs and temp files under /run and /var), whose master process switches its workers to
 *   `nobody` (CAP_SETUID/CAP_SETGID): the root filesystem stays writable and the runtime's default
 *   capabilities stay.
 * The SANDBOX_PROCESS execution modes run the container privileged instead (EksPlan.workerPrivileged),
 * and none of this applies to them (components/eks/workloads.ts workerSecurity).
 */
export interface WorkerHardening {
  /** Capabilities after dropping ALL; undefined keeps the container runtime's default set. */
  readonly capabilities?: { readonly drop: readonly string[]; readonly add: readonly string[] };
  readonly readOnlyRootFilesystem: boolean;
  readonly writablePaths: readonly WritablePath[];
}

export function workerHardening(line: ReleaseLineId): WorkerHardening {
  if (line === "0.79") return { readOnlyRootFilesystem: false, writablePaths: [] };
  return {
    capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] },
    readOnlyRootFilesystem: true,
    writablePaths: [
      { name: "tmp", mountPath: "/tmp", why: "pm2 ecosystem file written by the entrypoint; HOME of the engine processes" },
      { name: "cache", mountPath: "/usr/src/app/cache", why: "engine copy, installed pieces and compiled code steps (W/lib/cache/cache-paths.ts)" },
      { name: "home", mountPath: "/root", why: "PM2_HOME (/root/.pm2) and bun's install cache (/root/.bun)" },
    ],
  };
}

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

/** Node label the node groups carry and the pods select on. */
export const POOL_LABEL = "activepieces.com/pool";
/** Taint that keeps everything but worker pods (and DaemonSets) off the Spot nodes. */
export const WORKER_TAINT: Taint = { key: POOL_LABEL, value: "worker", effect: "NO_SCHEDULE" };

type PlanCore = Pick<PlanBase, "environment" | "app" | "worker" | "workerConcurrency" | "executionMode"> & {
  readonly release: Pick<PlanBase["release"], "contract">;
};

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

/**
 * Sizes both node groups for a plan. Pure; throws only when a pod cannot fit at all or the version
 * has no Cluster Autoscaler image (the schema and sizing/eks-catalog.ts reject those first).
 * `support` comes from the catalogue check of the day (plan()); standard support otherwise.
 */
export function planEks(settings: EksSettings, p: PlanCore, support: EksSupport = STANDARD_SUPPORT): EksPlan {
  const autoscalerImage = clusterAutoscalerImage(settings.kubernetesVersion);
  if (!autoscalerImage) throw new Error(`no Cluster Autoscaler image for Kubernetes ${settings.kubernetesVersion} in catalog/images.ts`);
  const appPod = rolePod(p.app);
  const workerPod = rolePod(p.worker);
  const { appPool, workerPool } = sizeNodePools(settings, p.environment, { ...p.app, pod: appPod }, { ...p.worker, pod: workerPod });

  return {
    kubernetesVersion: settings.kubernetesVersion,
    support,
    endpointPrivateAccess: settings.endpointAccess !== "public",
    endpointPublicAccess: settings.endpointAccess !== "private",
    publicAccessCidrs: settings.endpointAccess === "private" ? [] : settings.publicAccessCidrs,
    adminRoleArns: settings.adminRoleArns,
    appPool,
    workerPool,
    appPod,
    workerPod,
    autoscaler: {
      scaleDownUnneededMinutes: settings.scaleDownUnneededMinutes,
      expander: settings.autoscalerExpander,
      image: { repository: autoscalerImage.repository, tag: autoscalerImage.tag },
    },
    workerEgress: workerEgress(p.release.contract.roles.worker.connects),
    workerHardening: workerHardening(p.release.contract.line),
    workerPrivileged: needsPrivilegedContainer(p.executionMode),
    instanceMetadataCidr: INSTANCE_METADATA_CIDR,
    keda: {
      version: settings.kedaVersion,
      pollingIntervalSeconds: settings.pollingIntervalSeconds,
      scaleDownStabilizationSeconds: settings.scaleDownStabilizationSeconds,
      listLength: p.workerConcurrency,
    },
  };
}

/** Prod keeps two on-demand nodes so the app and the controllers survive the loss of one node or AZ. */
export function minAppNodes(env: Environment): number {
  return env === "prod" ? 2 : 1;
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
