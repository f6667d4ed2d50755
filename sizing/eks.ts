/**
 * EKS sizing, pure (no Pulumi import): what a node of each instance type can hold, the system
 * overhead every node and the cluster carry, and how many nodes the app (on-demand) and worker
 * (Spot) node groups need at rest and at peak. The plan's app and worker sizes (CPU units, MiB)
 * are the pods' requests on EKS.
 */
import type { Architecture, Environment, Plan, RolePlan } from "./types";

/** An EC2 instance type as the EKS scheduler sees it. */
export interface InstanceSpec {
  readonly type: string;
  readonly architecture: Architecture;
  readonly vcpu: number;
  readonly memoryGiB: number;
  /** Elastic network interfaces and IPv4 addresses per interface (limits the VPC CNI's pod IPs). */
  readonly enis: number;
  readonly ipv4PerEni: number;
}

/**
 * Instance types offered for node groups: current Graviton (arm64) and Intel (x86_64) general
 * purpose, compute optimized and burstable sizes. vCPU and memory from
 * https://aws.amazon.com/ec2/instance-types/ ; ENIs and IPv4 per ENI from
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/AvailableIpPerENI.html
 */
const SIZES = {
  medium: { vcpu: 1, enis: 2, ipv4PerEni: 4 },
  large: { vcpu: 2, enis: 3, ipv4PerEni: 10 },
  xlarge: { vcpu: 4, enis: 4, ipv4PerEni: 15 },
  "2xlarge": { vcpu: 8, enis: 4, ipv4PerEni: 15 },
  "4xlarge": { vcpu: 16, enis: 8, ipv4PerEni: 30 },
} as const;
type Size = keyof typeof SIZES;
/** GiB of memory per vCPU by family: c = 2, m = 4, r = 8. */
const FAMILIES: readonly { family: string; architecture: Architecture; gibPerVcpu: number }[] = [
  { family: "c6g", architecture: "arm64", gibPerVcpu: 2 },
  { family: "c7g", architecture: "arm64", gibPerVcpu: 2 },
  { family: "m6g", architecture: "arm64", gibPerVcpu: 4 },
  { family: "m7g", architecture: "arm64", gibPerVcpu: 4 },
  { family: "r7g", architecture: "arm64", gibPerVcpu: 8 },
  { family: "c6i", architecture: "x86_64", gibPerVcpu: 2 },
  { family: "c7i", architecture: "x86_64", gibPerVcpu: 2 },
  { family: "m6i", architecture: "x86_64", gibPerVcpu: 4 },
  { family: "m7i", architecture: "x86_64", gibPerVcpu: 4 },
  { family: "r7i", architecture: "x86_64", gibPerVcpu: 8 },
];
const STANDARD_SIZES: readonly Size[] = ["large", "xlarge", "2xlarge", "4xlarge"];

function buildInstanceTable(): Record<string, InstanceSpec> {
  const table: Record<string, InstanceSpec> = {};
  for (const f of FAMILIES) {
    for (const size of STANDARD_SIZES) {
      const s = SIZES[size];
      table[`${f.family}.${size}`] = { type: `${f.family}.${size}`, architecture: f.architecture, vcpu: s.vcpu, memoryGiB: s.vcpu * f.gibPerVcpu, enis: s.enis, ipv4PerEni: s.ipv4PerEni };
    }
  }
  // Burstable types: 2 vCPU with 4 or 8 GiB; medium has 3 ENIs x 6 IPs, large 3 x 12, xlarge 4 x 15.
  const burstable: [string, Architecture, number, number, number, number][] = [
    ["t4g.medium", "arm64", 2, 4, 3, 6], ["t4g.large", "arm64", 2, 8, 3, 12], ["t4g.xlarge", "arm64", 4, 16, 4, 15],
    ["t3.medium", "x86_64", 2, 4, 3, 6], ["t3.large", "x86_64", 2, 8, 3, 12], ["t3.xlarge", "x86_64", 4, 16, 4, 15],
  ];
  for (const [type, architecture, vcpu, memoryGiB, enis, ipv4PerEni] of burstable) {
    table[type] = { type, architecture, vcpu, memoryGiB, enis, ipv4PerEni };
  }
  return table;
}

export const INSTANCE_TYPES: Readonly<Record<string, InstanceSpec>> = buildInstanceTable();
export const INSTANCE_TYPE_NAMES = Object.keys(INSTANCE_TYPES) as [string, ...string[]];

export function instanceSpec(type: string): InstanceSpec {
  const spec = INSTANCE_TYPES[type];
  if (!spec) throw new Error(`unknown instance type ${type}; allowed: ${INSTANCE_TYPE_NAMES.join(", ")}`);
  return spec;
}

/**
 * Pods a node can run with the VPC CNI (one IP per pod, no prefix delegation):
 * ENIs x (IPv4 per ENI - 1) + 2, the formula behind the EKS AMI's max-pods table
 * (https://docs.aws.amazon.com/eks/latest/userguide/choosing-instance-type.html#determine-max-pods).
 */
export function maxPods(spec: InstanceSpec): number {
  return spec.enis * (spec.ipv4PerEni - 1) + 2;
}

/**
 * CPU the EKS AMI reserves for kubelet and the runtime (kube-reserved): 6% of the first core,
 * 1% of the second, 0.5% of the third and fourth, 0.25% of every further core, in millicores.
 * https://github.com/awslabs/amazon-eks-ami (nodeadm kubelet config, "getCPUMillicoresToReserve")
 */
export function kubeReservedCpuMillis(vcpu: number): number {
  const steps: [number, number][] = [[1, 0.06], [1, 0.01], [2, 0.005], [Number.POSITIVE_INFINITY, 0.0025]];
  let left = vcpu;
  let reserved = 0;
  for (const [cores, share] of steps) {
    const n = Math.min(left, cores);
    reserved += n * 1000 * share;
    left -= n;
    if (left <= 0) break;
  }
  return Math.round(reserved);
}

/** Memory the EKS AMI reserves for kubelet: 255 MiB + 11 MiB per pod the node may run (same source). */
export function kubeReservedMemoryMiB(pods: number): number {
  return 255 + 11 * pods;
}

/** kubelet's hard eviction threshold on the EKS AMI (memory.available < 100Mi). */
export const EVICTION_HARD_MEMORY_MIB = 100;
/**
 * Share of the nominal memory the hypervisor and kernel keep (a node reports less than its
 * instance size); Karpenter's default estimate, https://karpenter.sh/docs/reference/settings/ (VM_MEMORY_OVERHEAD_PERCENT).
 */
export const VM_MEMORY_OVERHEAD = 0.075;

/** Resources one pod asks for, in millicores and MiB. */
export interface PodRequest {
  readonly cpuMillis: number;
  readonly memoryMiB: number;
}

/** What the scheduler can place on a node: capacity minus kube-reserved and the eviction threshold. */
export interface Allocatable extends PodRequest {
  readonly pods: number;
}

export function allocatable(spec: InstanceSpec): Allocatable {
  const pods = maxPods(spec);
  const capacityMiB = Math.floor(spec.memoryGiB * 1024 * (1 - VM_MEMORY_OVERHEAD));
  return {
    cpuMillis: spec.vcpu * 1000 - kubeReservedCpuMillis(spec.vcpu),
    memoryMiB: capacityMiB - kubeReservedMemoryMiB(pods) - EVICTION_HARD_MEMORY_MIB,
    pods,
  };
}

/** A pod the platform runs besides ActivePieces, with the requests it asks for. */
export interface SystemPod extends PodRequest {
  readonly name: string;
  readonly replicas: number;
  /** Where the request comes from: the add-on's default or the Helm values this project sets. */
  readonly source: string;
}

/**
 * DaemonSets on every node (including the tainted Spot nodes: they tolerate every taint).
 * The EBS CSI driver is not installed: ActivePieces keeps files in S3 and state in RDS/Redis, no volumes.
 */
export const DAEMONSETS: readonly SystemPod[] = [
  { name: "aws-node", replicas: 1, cpuMillis: 25, memoryMiB: 0, source: "VPC CNI add-on default request (25m)" },
  { name: "kube-proxy", replicas: 1, cpuMillis: 100, memoryMiB: 0, source: "kube-proxy add-on default request (100m)" },
  { name: "eks-pod-identity-agent", replicas: 1, cpuMillis: 0, memoryMiB: 0, source: "Pod Identity Agent add-on; sets no request, counted as a pod" },
];

/**
 * Cluster controllers, all on the on-demand (system + app) node group. The Helm-installed ones get
 * exactly these requests in their values (components/eks reads this table), so sizing and the
 * deployment cannot disagree.
 */
export const SYSTEM_DEPLOYMENTS: readonly SystemPod[] = [
  { name: "coredns", replicas: 2, cpuMillis: 100, memoryMiB: 70, source: "CoreDNS add-on default" },
  { name: "metrics-server", replicas: 2, cpuMillis: 100, memoryMiB: 200, source: "metrics-server add-on default (HPA CPU metrics)" },
  { name: "keda-operator", replicas: 1, cpuMillis: 100, memoryMiB: 128, source: "Helm values" },
  { name: "keda-metrics-apiserver", replicas: 1, cpuMillis: 100, memoryMiB: 128, source: "Helm values" },
  { name: "keda-admission-webhooks", replicas: 1, cpuMillis: 50, memoryMiB: 64, source: "Helm values" },
  { name: "external-secrets", replicas: 1, cpuMillis: 50, memoryMiB: 128, source: "Helm values" },
  { name: "external-secrets-webhook", replicas: 1, cpuMillis: 20, memoryMiB: 64, source: "Helm values" },
  { name: "external-secrets-cert-controller", replicas: 1, cpuMillis: 20, memoryMiB: 64, source: "Helm values" },
  { name: "aws-load-balancer-controller", replicas: 2, cpuMillis: 100, memoryMiB: 128, source: "Helm values" },
  { name: "cluster-autoscaler", replicas: 1, cpuMillis: 100, memoryMiB: 300, source: "Helm values" },
];

export function systemPod(name: string): SystemPod {
  const pod = [...DAEMONSETS, ...SYSTEM_DEPLOYMENTS].find((p) => p.name === name);
  if (!pod) throw new Error(`no system pod named ${name}`);
  return pod;
}

function sum(pods: readonly SystemPod[]): Allocatable {
  return pods.reduce((a, p) => ({
    cpuMillis: a.cpuMillis + p.cpuMillis * p.replicas,
    memoryMiB: a.memoryMiB + p.memoryMiB * p.replicas,
    pods: a.pods + p.replicas,
  }), { cpuMillis: 0, memoryMiB: 0, pods: 0 });
}

/** Requests of every DaemonSet pod on one node. */
export const DAEMONSET_OVERHEAD: Allocatable = sum(DAEMONSETS);

/** The smallest node of a pool (the scheduler must fit a pod on whichever type Spot hands out). */
export function poolNode(types: readonly string[]): Allocatable {
  if (types.length === 0) throw new Error("a node group needs at least one instance type");
  const nodes = types.map((t) => allocatable(instanceSpec(t)));
  return {
    cpuMillis: Math.min(...nodes.map((n) => n.cpuMillis)) - DAEMONSET_OVERHEAD.cpuMillis,
    memoryMiB: Math.min(...nodes.map((n) => n.memoryMiB)) - DAEMONSET_OVERHEAD.memoryMiB,
    pods: Math.min(...nodes.map((n) => n.pods)) - DAEMONSET_OVERHEAD.pods,
  };
}

/** How many copies of `pod` fit in `free`. */
export function fits(free: Allocatable, pod: PodRequest): number {
  const byCpu = pod.cpuMillis > 0 ? Math.floor(free.cpuMillis / pod.cpuMillis) : Number.POSITIVE_INFINITY;
  const byMemory = pod.memoryMiB > 0 ? Math.floor(free.memoryMiB / pod.memoryMiB) : Number.POSITIVE_INFINITY;
  return Math.max(0, Math.min(byCpu, byMemory, free.pods));
}

/** Plan CPU units (1024 = 1 vCPU) and MiB -> pod requests in millicores and MiB. */
export function podRequest(role: Pick<RolePlan, "cpu" | "memory">): PodRequest {
  return { cpuMillis: Math.ceil((role.cpu * 1000) / 1024), memoryMiB: role.memory };
}

/** Pods of one kind each node of the pool holds, DaemonSets already placed. */
export function podsPerNode(types: readonly string[], pod: PodRequest): number {
  return fits(poolNode(types), pod);
}

/**
 * Nodes the on-demand pool needs for the system deployments plus `appPods` app pods: controllers go
 * first-fit (largest first) onto as few nodes as they need, app pods fill what is left on those
 * nodes, then whole nodes of app pods follow. The scheduler does no better than this on average.
 */
export function systemAppNodes(types: readonly string[], app: PodRequest, appPods: number): number {
  const node = poolNode(types);
  const free: Allocatable[] = [];
  const controllers = SYSTEM_DEPLOYMENTS.flatMap((p) => Array.from({ length: p.replicas }, () => p))
    .sort((a, b) => b.cpuMillis - a.cpuMillis || b.memoryMiB - a.memoryMiB);
  for (const c of controllers) {
    let slot = free.findIndex((f) => fits(f, c) >= 1);
    if (slot < 0) {
      if (fits(node, c) < 1) throw new Error(`system pod ${c.name} does not fit on ${types.join("/")}`);
      free.push({ ...node });
      slot = free.length - 1;
    }
    const f = free[slot]!;
    free[slot] = { cpuMillis: f.cpuMillis - c.cpuMillis, memoryMiB: f.memoryMiB - c.memoryMiB, pods: f.pods - 1 };
  }
  let left = appPods - free.reduce((n, f) => n + fits(f, app), 0);
  if (left <= 0) return free.length;
  const perNode = fits(node, app);
  if (perNode < 1) throw new Error(`an app pod (${app.cpuMillis}m, ${app.memoryMiB}Mi) does not fit on ${types.join("/")}`);
  left = Math.max(0, left);
  return free.length + Math.ceil(left / perNode);
}

/** Settings of the EKS platform that sizing needs (from the `eks` config block, defaults applied). */
export interface EksSettings {
  readonly kubernetesVersion: string;
  readonly appInstanceTypes: readonly string[];
  readonly workerInstanceTypes: readonly string[];
  readonly nodeDiskGb: number;
  readonly endpointAccess: "public" | "private" | "publicAndPrivate";
  readonly publicAccessCidrs: readonly string[];
  readonly adminRoleArns: readonly string[];
  readonly scaleDownUnneededMinutes: number;
  readonly autoscalerExpander: "least-waste" | "price" | "random" | "most-pods";
  readonly kedaVersion: string;
  readonly pollingIntervalSeconds: number;
  readonly scaleDownStabilizationSeconds: number;
}

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

export interface EksPlan {
  readonly kubernetesVersion: string;
  readonly endpointPrivateAccess: boolean;
  readonly endpointPublicAccess: boolean;
  readonly publicAccessCidrs: readonly string[];
  readonly adminRoleArns: readonly string[];
  readonly appPool: NodePoolPlan;
  readonly workerPool: NodePoolPlan;
  readonly appPod: PodRequest;
  readonly workerPod: PodRequest;
  readonly autoscaler: { readonly scaleDownUnneededMinutes: number; readonly expander: EksSettings["autoscalerExpander"] };
  readonly keda: {
    readonly version: string;
    readonly pollingIntervalSeconds: number;
    readonly scaleDownStabilizationSeconds: number;
    /** Target backlog per worker pod: one queued job per free flow slot. */
    readonly listLength: number;
  };
}

/** Node label the node groups carry and the pods select on. */
export const POOL_LABEL = "activepieces.com/pool";
/** Taint that keeps everything but worker pods (and DaemonSets) off the Spot nodes. */
export const WORKER_TAINT: Taint = { key: POOL_LABEL, value: "worker", effect: "NO_SCHEDULE" };

/** Default node types per architecture: arm64 Graviton unless the stack runs x86_64. */
const DEFAULT_TYPES: Record<Architecture, { app: string; worker: readonly string[] }> = {
  arm64: { app: "m7g", worker: ["c7g", "c6g", "m7g", "m6g"] },
  x86_64: { app: "m7i", worker: ["c7i", "c6i", "m7i", "m6i"] },
};

/**
 * Default instance types for a stack: the app pool on one general-purpose type, the Spot pool on
 * four families of the same size (more Spot pools, fewer interruptions), in the smallest size
 * (xlarge for the app pool, large for workers) whose every type holds one pod of the given sizes.
 */
export function defaultInstanceTypes(arch: Architecture, app: PodRequest, worker: PodRequest): { app: string[]; worker: string[] } {
  const d = DEFAULT_TYPES[arch];
  const pick = (families: readonly string[], sizes: readonly Size[], pod: PodRequest) => {
    for (const size of sizes) {
      const types = families.map((f) => `${f}.${size}`);
      if (podsPerNode(types, pod) >= 1) return types;
    }
    return families.map((f) => `${f}.4xlarge`);
  };
  return {
    app: pick([d.app], ["xlarge", "2xlarge", "4xlarge"], app),
    worker: pick(d.worker, STANDARD_SIZES, worker),
  };
}

/** The `eks` config block's defaults for a stack that wrote none. */
export function defaultEksSettings(arch: Architecture, app: PodRequest, worker: PodRequest): EksSettings {
  const types = defaultInstanceTypes(arch, app, worker);
  return {
    kubernetesVersion: DEFAULT_KUBERNETES_VERSION,
    appInstanceTypes: types.app,
    workerInstanceTypes: types.worker,
    nodeDiskGb: 20,
    endpointAccess: "publicAndPrivate",
    publicAccessCidrs: ["0.0.0.0/0"],
    adminRoleArns: [],
    scaleDownUnneededMinutes: 10,
    autoscalerExpander: "least-waste",
    kedaVersion: DEFAULT_KEDA_VERSION,
    pollingIntervalSeconds: 15,
    scaleDownStabilizationSeconds: 300,
  };
}

export const DEFAULT_KUBERNETES_VERSION = "1.33";
/** KEDA Helm chart (= app) version: https://github.com/kedacore/charts/releases */
export const DEFAULT_KEDA_VERSION = "2.21.1";

/** Why a pool's instance types do not work for a pod, or undefined when every type holds one. */
export function instanceTypeProblem(type: string, arch: Architecture, pod: PodRequest, what: string): string | undefined {
  const spec = INSTANCE_TYPES[type];
  if (!spec) return `${type} is not a known instance type; allowed: ${INSTANCE_TYPE_NAMES.join(", ")}`;
  if (spec.architecture !== arch) return `${type} is ${spec.architecture} but architecture is ${arch}; choose a ${arch} type`;
  const free = poolNode([type]);
  if (fits(free, pod) < 1) {
    return `${type} cannot hold one ${what} pod (${pod.cpuMillis}m CPU, ${pod.memoryMiB} MiB); after kubelet reservations and DaemonSets it offers ${free.cpuMillis}m CPU and ${free.memoryMiB} MiB; choose a larger type`;
  }
  return undefined;
}

type PlanCore = Pick<Plan, "environment" | "app" | "worker" | "workerConcurrency">;

/** Sizes both node groups for a plan. Pure; throws only when a pod cannot fit at all (the schema rejects that first). */
export function planEks(settings: EksSettings, p: PlanCore): EksPlan {
  const appPod = podRequest(p.app);
  const workerPod = podRequest(p.worker);
  const appFloor = minAppNodes(p.environment);

  const appAtMin = systemAppNodes(settings.appInstanceTypes, appPod, p.app.min);
  const appAtDesired = systemAppNodes(settings.appInstanceTypes, appPod, p.app.desired);
  const appAtPeak = systemAppNodes(settings.appInstanceTypes, appPod, p.app.max);
  const appPerNode = podsPerNode(settings.appInstanceTypes, appPod);
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

  const workerPerNode = podsPerNode(settings.workerInstanceTypes, workerPod);
  if (workerPerNode < 1) throw new Error(`a worker pod does not fit on ${settings.workerInstanceTypes.join("/")}`);
  const workerNodes = (pods: number) => Math.ceil(pods / workerPerNode);
  const workerPool: NodePoolPlan = {
    name: "worker",
    capacityType: "SPOT",
    instanceTypes: settings.workerInstanceTypes,
    nodeFree: poolNode(settings.workerInstanceTypes),
    podsPerNode: workerPerNode,
    minNodes: workerNodes(p.worker.min),
    desiredNodes: workerNodes(p.worker.desired),
    maxNodes: Math.max(1, workerNodes(p.worker.max)),
    peakNodes: workerNodes(p.worker.max),
    diskGb: settings.nodeDiskGb,
    labels: { [POOL_LABEL]: "worker" },
    taints: [WORKER_TAINT],
  };

  return {
    kubernetesVersion: settings.kubernetesVersion,
    endpointPrivateAccess: settings.endpointAccess !== "public",
    endpointPublicAccess: settings.endpointAccess !== "private",
    publicAccessCidrs: settings.endpointAccess === "private" ? [] : settings.publicAccessCidrs,
    adminRoleArns: settings.adminRoleArns,
    appPool,
    workerPool,
    appPod,
    workerPod,
    autoscaler: { scaleDownUnneededMinutes: settings.scaleDownUnneededMinutes, expander: settings.autoscalerExpander },
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

/** The plan's EKS sizing, or the default EKS sizing of the same numbers for a plan made for Fargate. */
export function eksPlanOf(plan: Plan): EksPlan {
  if (plan.eks) return plan.eks;
  const settings = defaultEksSettings(plan.architecture, podRequest(plan.app), podRequest(plan.worker));
  return planEks(settings, plan);
}

/** A problem with the EKS part of a config, by config path. */
export interface EksConfigProblem {
  readonly path: (string | number)[];
  readonly message: string;
}

interface EksConfigView {
  readonly architecture: Architecture;
  readonly worker: { readonly cpu: number; readonly memory: number; readonly capacity: Readonly<Record<string, number>> };
  readonly app: { readonly cpu: number; readonly memory: number; readonly requestsPerTarget: number };
  readonly eks: { readonly appInstanceTypes?: readonly string[]; readonly workerInstanceTypes?: readonly string[] };
}

/** Worker capacity as written when nothing Fargate-specific is asked for. */
const DEFAULT_WORKER_CAPACITY = { onDemandBase: 0, onDemandWeight: 0, spotWeight: 1 } as const;
const DEFAULT_REQUESTS_PER_TARGET = 1000;

/**
 * Cross-field rules of `platform: eks`, run by the schema. Fargate-only options are rejected
 * rather than ignored: `worker.capacity` (capacity-provider base and weights: on EKS workers
 * always run on the Spot node group, sized by `eks.workerInstanceTypes`) and `app.requestsPerTarget`
 * (ALB request-count target tracking: on EKS the app's HPA scales on CPU only).
 */
export function eksConfigProblems(c: EksConfigView): EksConfigProblem[] {
  const problems: EksConfigProblem[] = [];
  const capacity = c.worker.capacity;
  for (const [key, dflt] of Object.entries(DEFAULT_WORKER_CAPACITY)) {
    if (typeof capacity[key] === "number" && capacity[key] !== dflt) {
      problems.push({ path: ["worker", "capacity", key], message: `is a Fargate capacity-provider setting; with platform eks workers always run on the Spot node group (eks.workerInstanceTypes); remove it or leave it at ${dflt}` });
    }
  }
  if (c.app.requestsPerTarget !== DEFAULT_REQUESTS_PER_TARGET) {
    problems.push({ path: ["app", "requestsPerTarget"], message: `is Fargate-only (ALB request-count scaling); with platform eks the app scales on CPU (app.cpuTarget); remove it or leave it at ${DEFAULT_REQUESTS_PER_TARGET}` });
  }
  if (![c.worker.cpu, c.worker.memory, c.app.cpu, c.app.memory].every((n) => Number.isInteger(n) && n > 0)) return problems;
  if (c.architecture !== "arm64" && c.architecture !== "x86_64") return problems;
  const pods = { app: podRequest(c.app), worker: podRequest(c.worker) };
  const defaults = defaultInstanceTypes(c.architecture, pods.app, pods.worker);

  for (const role of ["app", "worker"] as const) {
    const key = role === "app" ? "appInstanceTypes" : "workerInstanceTypes";
    const given = c.eks[key];
    if (given !== undefined && !Array.isArray(given)) continue;
    const types = given ?? defaults[role];
    if (given === undefined) {
      if (podsPerNode(types, pods[role]) < 1) {
        problems.push({ path: [role, "cpu"], message: `a ${role} pod of ${pods[role].cpuMillis}m CPU and ${pods[role].memoryMiB} MiB fits no default instance type; set eks.${key} to larger types or lower ${role}.cpu/${role}.memory` });
      }
      continue;
    }
    if (role === "worker" && types.length < 2) {
      problems.push({ path: ["eks", key], message: "is a Spot pool with a single instance type, which stops every worker when that one Spot pool runs short; list at least two types of the same vCPU count" });
    }
    const seen = new Set<string>();
    types.forEach((t, i) => {
      if (seen.has(t)) problems.push({ path: ["eks", key, i], message: `${t} is listed twice` });
      seen.add(t);
      const problem = INSTANCE_TYPES[t] ? instanceTypeProblem(t, c.architecture, pods[role], role) : undefined;
      if (problem) problems.push({ path: ["eks", key, i], message: problem });
    });
    const vcpus = [...new Set(types.filter((t) => INSTANCE_TYPES[t]).map((t) => instanceSpec(t).vcpu))];
    if (vcpus.length > 1) {
      problems.push({ path: ["eks", key], message: `mixes ${types.map((t) => `${t} (${INSTANCE_TYPES[t]?.vcpu ?? "?"} vCPU)`).join(", ")}; Cluster Autoscaler sizes a node group from one type, so every type must have the same vCPU count` });
    }
  }
  return problems;
}

/** The `eks` config block with instance types still optional (their defaults depend on architecture and pod sizes). */
export type EksSettingsInput = Omit<EksSettings, "appInstanceTypes" | "workerInstanceTypes"> & {
  readonly appInstanceTypes?: readonly string[];
  readonly workerInstanceTypes?: readonly string[];
};

/** Fills the instance types a config left out: see defaultInstanceTypes. */
export function resolveEksSettings(
  e: EksSettingsInput, arch: Architecture, app: Pick<RolePlan, "cpu" | "memory">, worker: Pick<RolePlan, "cpu" | "memory">,
): EksSettings {
  const defaults = defaultInstanceTypes(arch, podRequest(app), podRequest(worker));
  return { ...e, appInstanceTypes: e.appInstanceTypes ?? defaults.app, workerInstanceTypes: e.workerInstanceTypes ?? defaults.worker };
}
